"""The deck's slides, one function each, in the order the brief tells its story."""

from __future__ import annotations

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from pilotfunnel.views import messages as msg
from pilotfunnel.views.context import BriefContext
from pilotfunnel.views.deck.parts import (
    MARGIN,
    TABLE_ROW,
    add_chart,
    add_footnote,
    add_run,
    add_slide,
    add_table,
    add_text_slide,
    alt_text,
    calibrated_note,
    numbered,
    rgb,
    set_notes,
    style_title,
)
from pilotfunnel.views.deck.template import Deck
from pilotfunnel.views.deck.text import xml_text
from pilotfunnel.views.formatting import count, rate


def title_slide(deck: Deck, ctx: BriefContext) -> None:
    slide = deck.prs.slides.add_slide(deck.layouts["title"])
    slide.shapes.title.text = xml_text(
        f"Why {ctx.client}'s AI pilots stall, and what it takes to ship them"
    )
    byline = f"{ctx.prepared_by} · {ctx.date_text}"
    subtitle = next((ph for ph in slide.placeholders if ph.placeholder_format.idx == 1), None)
    if subtitle is None:  # a firm's title layout without one: the byline goes under the title
        title = slide.shapes.title
        subtitle = slide.shapes.add_textbox(
            title.left, title.top + title.height, title.width, Inches(0.8)
        )
    subtitle.text_frame.text = xml_text(byline)
    if deck.kit:
        subtitle.left, subtitle.top = MARGIN, Inches(4.6)
        subtitle.width, subtitle.height = deck.width - 2 * MARGIN, Inches(0.8)
        for paragraph in subtitle.text_frame.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
        style_title(slide, ctx, top=Inches(2.0), height=Inches(2.4), size=40)
        if deck.logo:
            slide.shapes.add_picture(str(deck.logo), MARGIN, Inches(0.6), height=Inches(0.9))
    set_notes(
        slide,
        "Cited figures come from published research (sources slide). Figures about "
        f"{ctx.client} are modelled from the client's inputs and labelled assumptions.",
    )


def numbers_slide(deck: Deck, ctx: BriefContext) -> None:
    a = ctx.as_is
    slide, top = add_slide(deck, ctx, "Three numbers that matter")
    numbers = (
        (
            f"{count(a['production'].expected)} of {ctx.pocs_total}",
            f"{msg.KPI_PRODUCTION.format(years=ctx.years)} "
            f"(P10 to P90: {ctx.n_range(a['production'])})",
        ),
        (ctx.m(a["stalled_spend"]), msg.KPI_STALLED),
        (f"+{ctx.money(ctx.value_gain)}", msg.MORE_VALUE),
    )
    gap = Inches(0.2)
    width = (deck.width - 2 * MARGIN - 2 * gap) / 3
    for index, (value, words) in enumerate(numbers):
        left = MARGIN + index * (width + gap)
        box = slide.shapes.add_textbox(left, top + Inches(0.5), width, Inches(2.6))
        frame = box.text_frame
        frame.word_wrap = True
        add_run(frame.paragraphs[0], value, ctx, size=40, bold=True, role="primary")
        add_run(frame.add_paragraph(), words, ctx, size=18)
    add_footnote(deck, slide, ctx, f"{ctx.modelled}. Assumptions: the brief's appendix B.")
    set_notes(
        slide,
        f"Modelled for {ctx.client} from the client's inputs ({ctx.scenario.pocs_per_year} "
        f"proofs of concept a year for {ctx.years} years, {ctx.money(ctx.scenario.cost_per_poc)}"
        f" each) and the labelled assumptions; P10 to P90 over {ctx.result.draws:,} Monte "
        f"Carlo draws, seed {ctx.result.seed}." + calibrated_note(ctx),
    )


def evidence_slide(deck: Deck, ctx: BriefContext) -> None:
    shown = [s for s in ctx.evidence_sources if s.evidence == "verified"][:4]
    slide, frame = add_text_slide(deck, ctx, msg.EVIDENCE_HEADING)
    for index, source in enumerate(shown):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(10)
        brand = deck.kit  # a firm's body placeholder keeps its own fonts and colours
        add_run(
            paragraph, f"{source.value_text}  ", ctx, 26, bold=True, role="primary", brand=brand
        )
        add_run(paragraph, source.statistic, ctx, size=18, brand=brand)
        paragraph.add_line_break()
        add_run(paragraph, f"{source.publisher}, {source.published.year}", ctx, 12, "muted", brand)
    set_notes(
        slide,
        "\n\n".join(
            f"{s.publisher} ({s.published.year}), {s.title}: “{s.quote}” Sample: "
            f"{s.sample or 'not stated'}. Caveats: {s.caveats}"
            for s in shown
        ),
    )


def funnel_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, top = add_slide(
        deck, ctx, msg.FUNNEL_HEADING.format(pocs=ctx.pocs_total, years=ctx.years)
    )
    data = CategoryChartData()
    data.categories = [label for label, _ in ctx.stage_rows]
    for name, outcome in ((msg.AS_IS, ctx.as_is), (msg.FIVE_PRACTICES_IN_PLACE, ctx.target)):
        data.add_series(name, [outcome[metric].expected for _, metric in ctx.stage_rows])
    alt = f"Bar chart of {ctx.client}'s modelled funnel over {ctx.years} years. " + alt_text(data)
    chart = add_chart(deck, slide, ctx, XL_CHART_TYPE.BAR_CLUSTERED, data, alt, top, kind="count")
    chart.category_axis.reverse_order = True
    add_footnote(deck, slide, ctx, f"{ctx.modelled}: central estimates. P10 to P90 in the notes.")
    ranges = "; ".join(
        msg.FUNNEL_NOTE_STAGE.format(
            stage=label,
            as_is=ctx.n(ctx.as_is[m]),
            as_is_range=ctx.n_range(ctx.as_is[m]),
            target=ctx.n(ctx.target[m]),
            target_range=ctx.n_range(ctx.target[m]),
        )
        for label, m in ctx.stage_rows
    )
    record = (
        " The next slide sets the client's record beside the research." if ctx.calibrated else ""
    )
    set_notes(slide, f"Modelled. {ranges}.{record}" + calibrated_note(ctx))


def record_slide(deck: Deck, ctx: BriefContext) -> None:
    """The client's own pilots beside the research: the rate to production, four ways."""
    record, industry = ctx.record, ctx.headline_source
    step = ctx.record_steps[0]
    slide, top = add_slide(deck, ctx, msg.RECORD_HEADING)
    data = CategoryChartData()
    data.categories = [
        f"{industry.publisher}: {industry.numerator} of {industry.denominator} (industry, cited)",
        "The research at your readiness (modelled)",
        f"Your record: {record.reached_production} of {record.pocs_started}",
        "Calibrated to your record (modelled)",
    ]
    data.add_series(
        "Share of proofs of concept reaching production",
        [industry.proportion, step.prior_rate, step.observed_rate, step.calibrated.mean],
    )
    alt = "Bar chart of the rate from proof of concept to production. " + alt_text(data, rate)
    rows = [("Step", "Your record", "Research at your readiness", "Calibrated", "Record's weight")]
    for s in ctx.record_steps:
        seen = "not recorded" if s.trials is None else f"{s.successes} of {s.trials}"
        rows.append(
            (
                s.label,
                seen,
                f"{rate(s.prior_rate)} ({rate(s.prior.p10)} to {rate(s.prior.p90)})",
                f"{rate(s.calibrated.mean)} ({rate(s.calibrated.p10)} to {rate(s.calibrated.p90)})",
                f"{s.record_weight:.0%}",
            )
        )
    gap = Inches(0.15)
    chart_height = deck.height - top - Inches(0.9) - TABLE_ROW * len(rows) - gap
    chart = add_chart(
        deck, slide, ctx, XL_CHART_TYPE.BAR_CLUSTERED, data, alt, top, chart_height, kind="rate"
    )
    chart.category_axis.reverse_order = True
    chart.has_legend = False
    # The brief's record chart's colours: cited in grey, the client's own in the text colour.
    for point, role in zip(
        chart.plots[0].series[0].points,
        ("muted", "primary", "foreground", "secondary"),
        strict=True,
    ):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = rgb(ctx.brand.colors[role])
    add_table(deck, slide, ctx, rows, top + chart_height + gap, (0.22, 0.16, 0.25, 0.23, 0.14))
    add_footnote(deck, slide, ctx, f"{ctx.record_verdict} Ranges are P10 to P90.")
    period = f" ({record.period})" if record.period else ""
    set_notes(
        slide,
        f"Cited: {industry.publisher} ({industry.published.year}), {industry.title}: "
        f"“{industry.quote}” Caveats: {industry.caveats}\n\n"
        f"The client's record{period}: {record.reached_production} of {record.pocs_started} "
        f"proofs of concept reached production ({rate(step.observed_rate)}). Modelled: the "
        f"research at the client's readiness expects {rate(step.prior_rate)}; combined with the "
        f"record, {rate(step.calibrated.mean)} (P10 {rate(step.calibrated.p10)} to P90 "
        f"{rate(step.calibrated.p90)}), the rate every other slide uses. {ctx.record_shift}"
        + calibrated_note(ctx),
    )


def stalling_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, top = add_slide(deck, ctx, msg.STALLING_HEADING)
    data = CategoryChartData()
    data.categories = [msg.AS_IS, msg.FIVE_PRACTICES_IN_PLACE]
    for label, metric in (
        (msg.SPEND_NEVER_SHIPS, "stalled_spend"),
        (msg.VALUE_DELIVERED, "value"),
    ):
        data.add_series(label, [ctx.as_is[metric].expected, ctx.target[metric].expected])
    alt = f"Column chart of spend that stalls and value delivered, {ctx.years} years. "
    alt += alt_text(data, ctx.money)
    add_chart(deck, slide, ctx, XL_CHART_TYPE.COLUMN_CLUSTERED, data, alt, top, kind="money")
    add_footnote(
        deck, slide, ctx, f"{ctx.modelled} from the client's costs and value per use case."
    )
    set_notes(
        slide,
        f"Modelled from the client's inputs: {ctx.money(ctx.scenario.cost_per_poc)} per proof "
        f"of concept, {ctx.money(ctx.scenario.cost_to_production)} to take one to production, "
        f"{ctx.money(ctx.scenario.annual_value_per_use_case)} a year per use case with "
        "measurable impact." + calibrated_note(ctx),
    )


def practices_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, top = add_slide(deck, ctx, msg.PRACTICES_HEADING)
    ranked = [e for e in ctx.ranking if e.to_level > e.from_level]
    data = CategoryChartData()
    data.categories = [f"{e.label} ({e.from_level} to {e.to_level})" for e in ranked]
    data.add_series("Extra use cases in production", [e.production_gain for e in ranked])
    alt = "Bar chart ranking the practices by extra use cases in production. " + alt_text(data)
    chart = add_chart(deck, slide, ctx, XL_CHART_TYPE.BAR_CLUSTERED, data, alt, top, kind="count")
    chart.category_axis.reverse_order = True
    chart.has_legend = False
    series = chart.plots[0].series[0]
    series.format.fill.fore_color.rgb = rgb(ctx.brand.colors["secondary"])
    add_footnote(deck, slide, ctx, f"{ctx.modelled}: each practice raised alone, the others as is.")
    set_notes(
        slide,
        "Modelled: each driver raised alone from as is to target; effects in log-odds per "
        "readiness level are labelled assumptions (appendix B)." + calibrated_note(ctx),
    )


def start_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, frame = add_text_slide(deck, ctx, msg.WHERE_TO_START)
    # The brief's own next steps (one home: BriefContext.next_steps), as the client reads them.
    for index, step in enumerate(ctx.next_steps):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(8)
        numbered(paragraph)
        add_run(paragraph, f"{step.title} {step.text}", ctx, size=18, brand=deck.kit)
    set_notes(
        slide,
        "The first steps are the practices that move production most (modelled). "
        "For you, not the client: " + ctx.consultant_note,
    )


def sources_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, top = add_slide(deck, ctx, msg.SOURCES_HEADING)
    rows = [("Publisher, year", "Title", "URL")]
    rows += [(f"{s.publisher}, {s.published.year}", s.title, s.url) for s in ctx.cited_sources]
    add_table(deck, slide, ctx, rows, top, (0.25, 0.4, 0.35), size=9)
    set_notes(slide, "Each source's exact quote, sample and caveats are in the brief's appendix A.")
