"""The deck's slides, one function each, in the order the brief tells its story.

Every figure and sentence comes from the view model (``BriefContext``: its headline numbers,
tables, evidence, next steps) or the catalogue (``messages``, the deck's own in
``messages.deck``); a slide only lays them out. The charts' data are the model's numbers, which
their labels and axes write through ``formatting`` (``parts.add_chart``).
"""

from __future__ import annotations

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_TICK_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Inches, Pt

from pilotfunnel.views import messages as msg
from pilotfunnel.views.citation import citation, links
from pilotfunnel.views.context import BriefContext
from pilotfunnel.views.deck.parts import (
    KEY_HEIGHT,
    MARGIN,
    TABLE_ROW,
    add_chart,
    add_footnote,
    add_key,
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
from pilotfunnel.views.formatting import rate
from pilotfunnel.views.messages import deck as dmsg

# A headline number's tone, as the brand's colour the deck sets it in.
TONE_ROLES = {"neutral": "primary", "danger": "danger", "success": "success"}


# Between a chart and the table under it.
TABLE_GAP = Inches(0.15)


def _chart_height(deck: Deck, top, table_rows: int):
    """The height a chart keeps above a table of ``table_rows`` rows and the footnote."""
    return deck.height - top - Inches(0.9) - TABLE_ROW * table_rows - TABLE_GAP


# Between a chart and the table beside it.
SIDE_GAP = Inches(0.3)


def _side_by_side(deck: Deck, top, chart_share: float) -> tuple[tuple, tuple]:
    """A chart on the left and a table on the right, both from ``top`` to the footnote:
    ((left, width) of the chart, (left, width) of the table). A slide whose table has five
    rows or more would leave its chart a strip above it."""
    room = deck.width - 2 * MARGIN - SIDE_GAP
    chart_width = round(room * chart_share)
    return (MARGIN, chart_width), (MARGIN + chart_width + SIDE_GAP, room - chart_width)


def _body_height(deck: Deck, top):
    """From ``top`` to the footnote."""
    return deck.height - top - Inches(0.9)


def title_slide(deck: Deck, ctx: BriefContext) -> None:
    slide = deck.prs.slides.add_slide(deck.layouts["title"])
    slide.shapes.title.text = xml_text(msg.COVER_TITLE.format(client=ctx.client))
    byline = dmsg.BYLINE.format(prepared_by=ctx.prepared_by, date=ctx.date_text)
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
    set_notes(slide, dmsg.TITLE_NOTES.format(client=ctx.client))


def numbers_slide(deck: Deck, ctx: BriefContext) -> None:
    """The brief's three headline numbers (``ctx.headline``), in the brief's words."""
    slide, top = add_slide(deck, ctx, dmsg.NUMBERS_HEADING)
    gap = Inches(0.3)
    width = round((deck.width - 2 * MARGIN - 2 * gap) / 3)
    top += Inches(0.2)
    height = _body_height(deck, top) - Inches(0.2)
    for index, headline in enumerate(ctx.headline):
        left = MARGIN + index * (width + gap)
        # A card a column high, tinted in the number's tone, as the brief's three numbers
        # stand in their boxes; the range line under each, as the brief has it.
        box = slide.shapes.add_textbox(left, top, width, height)
        box.name = f"Number {index + 1}"
        role = TONE_ROLES[headline.tone]
        box.fill.solid()
        box.fill.fore_color.rgb = rgb(ctx.brand.tint(role, 0.08))
        frame = box.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE  # the card keeps its height, whatever it holds
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
            setattr(frame, side, Inches(0.25))
        value = frame.paragraphs[0]
        # The figure large, its unit ("of 72") smaller, as the brief sets them.
        add_run(value, headline.figure, ctx, size=48, bold=True, role=role)
        if headline.unit:
            unit = headline.value[len(headline.figure) :]
            add_run(value, unit, ctx, size=24, bold=True, role=role)
        label = frame.add_paragraph()
        label.space_before = Pt(10)
        add_run(label, headline.label, ctx, size=20)
        detail = frame.add_paragraph()
        detail.space_before = Pt(14)
        add_run(detail, headline.detail, ctx, size=14, role="muted")
    add_footnote(deck, slide, ctx, dmsg.NUMBERS_FOOTNOTE.format(modelled=ctx.modelled))
    s = ctx.scenario
    notes = dmsg.NUMBERS_NOTES.format(
        client=ctx.client,
        pocs_per_year=ctx.count(s.pocs_per_year),
        years=ctx.years,
        cost_per_poc=ctx.money(s.cost_per_poc),
        draws=ctx.count(ctx.result.draws),
        seed=ctx.result.seed,
    )
    set_notes(slide, notes + calibrated_note(ctx))


def evidence_slide(deck: Deck, ctx: BriefContext) -> None:
    """Up to four verified cited figures (``ctx.evidence``); their quotes in the notes."""
    shown = [item for item in ctx.evidence if item.level == "verified"][:4]
    slide, frame = add_text_slide(deck, ctx, msg.EVIDENCE_HEADING)
    brand = deck.kit  # a firm's body placeholder keeps its own fonts and colours
    for index, item in enumerate(shown):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(10)
        add_run(paragraph, f"{item.value}  ", ctx, 26, bold=True, role="primary", brand=brand)
        add_run(paragraph, item.claim, ctx, size=18, brand=brand)
        paragraph.add_line_break()
        add_run(paragraph, item.source, ctx, 12, "muted", brand)
    sources = [ctx.sources[item.source_id] for item in shown]
    notes = [
        dmsg.EVIDENCE_NOTE.format(
            citation=citation(s),
            title=s.title,
            quote=s.quote,
            sample=s.sample or msg.NOT_STATED,
            caveats=s.caveats,
        )
        for s in sources
    ]
    set_notes(slide, "\n\n".join(notes))


def funnel_slide(deck: Deck, ctx: BriefContext) -> None:
    table = ctx.funnel_table
    slide, top = add_slide(deck, ctx, table.caption)
    data = CategoryChartData()
    data.categories = [label for label, _ in ctx.stage_rows]
    for name, outcome in ((msg.AS_IS, ctx.as_is), (msg.FIVE_PRACTICES_IN_PLACE, ctx.target)):
        data.add_series(name, [outcome[metric].expected for _, metric in ctx.stage_rows])
    alt = dmsg.FUNNEL_ALT.format(client=ctx.client, years=ctx.years) + " " + alt_text(data)
    height = deck.height - top - Inches(0.9) - KEY_HEIGHT
    chart = add_chart(
        deck, slide, ctx, XL_CHART_TYPE.BAR_CLUSTERED, data, alt, top, height, kind="count"
    )
    # The first stage and the first series on top, as the brief's table reads; the key in
    # that order too.
    chart.category_axis.reverse_order = True
    chart.has_legend = False
    add_key(deck, slide, ctx, [series.name for series in data], top + height)
    add_footnote(deck, slide, ctx, dmsg.FUNNEL_FOOTNOTE.format(modelled=ctx.modelled))
    # The stage table's cells (ctx.funnel_table), one line per stage.
    stages = "; ".join(
        dmsg.FUNNEL_NOTE_STAGE.format(
            stage=stage, as_is=a, as_is_range=a_range, target=t, target_range=t_range
        )
        for stage, a, a_range, t, t_range in table.rows
    )
    notes = dmsg.FUNNEL_NOTES.format(stages=stages)
    if ctx.calibrated:
        notes += " " + dmsg.FUNNEL_NOTES_NEXT
    set_notes(slide, notes + calibrated_note(ctx))


def record_slide(deck: Deck, ctx: BriefContext) -> None:
    """The client's own pilots beside the research: the rate to production, four ways, and
    the record table (``ctx.record_table``)."""
    record, industry, table = ctx.record, ctx.headline_source, ctx.record_table
    step = ctx.record_steps[0]
    slide, top = add_slide(deck, ctx, table.caption)
    data = CategoryChartData()
    data.categories = [
        dmsg.RECORD_BAR_INDUSTRY.format(
            publisher=industry.publisher,
            numerator=industry.numerator,
            denominator=industry.denominator,
        ),
        dmsg.RECORD_BAR_RESEARCH,
        dmsg.RECORD_BAR_YOURS.format(
            reached=record.reached_production, started=record.pocs_started
        ),
        dmsg.RECORD_BAR_CALIBRATED,
    ]
    data.add_series(
        dmsg.RECORD_SERIES,
        [industry.proportion, step.prior_rate, step.observed_rate, step.calibrated.mean],
    )
    alt = dmsg.RECORD_ALT + " " + alt_text(data, rate)
    rows = [table.columns, *table.rows]
    gap = TABLE_GAP
    chart_height = _chart_height(deck, top, len(rows))
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
    add_footnote(deck, slide, ctx, f"{ctx.record_verdict} {dmsg.RANGES_ARE}")
    notes = dmsg.RECORD_NOTES.format(
        citation=citation(industry),
        title=industry.title,
        quote=industry.quote,
        caveats=industry.caveats,
        period=f" ({record.period})" if record.period else "",
        reached=record.reached_production,
        started=record.pocs_started,
        observed=ctx.rate(step.observed_rate),
        prior=ctx.rate(step.prior_rate),
        calibrated=ctx.rate(step.calibrated.mean),
        low=ctx.rate(step.calibrated.p10),
        high=ctx.rate(step.calibrated.p90),
        shift=ctx.record_shift,
    )
    set_notes(slide, notes + calibrated_note(ctx))


def stalling_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, top = add_slide(deck, ctx, msg.STALLING_HEADING)
    data = CategoryChartData()
    data.categories = [msg.AS_IS, msg.FIVE_PRACTICES_IN_PLACE]
    # What stalls, all that is spent and what the change costs, against what is delivered:
    # the money a CFO weighs, not stalled spend against value alone.
    for label, metric in (
        (msg.SPEND_NEVER_SHIPS, "stalled_spend"),
        (msg.SPEND_ROW, "spend"),
        (msg.CHANGE_COST_ROW, "change_cost"),
        (msg.VALUE_DELIVERED, "value"),
    ):
        data.add_series(label, [ctx.as_is[metric].expected, ctx.target[metric].expected])
    alt = dmsg.STALLING_ALT.format(years=ctx.years) + " " + alt_text(data, ctx.money)
    # Beside the chart, the brief's money table (ctx.money_table): total spend and net value
    # with what stalls and what is delivered, and their ranges.
    table = ctx.money_table
    rows = [table.columns, *table.rows]
    top += Inches(0.1)
    height = _body_height(deck, top)
    (chart_left, chart_width), (table_left, table_width) = _side_by_side(deck, top, 0.33)
    chart = add_chart(
        *(deck, slide, ctx, XL_CHART_TYPE.COLUMN_CLUSTERED, data, alt, top, height),
        **{"kind": "money", "left": chart_left, "width": chart_width},
    )
    # Wide columns in a narrow chart, so each label has its column's width.
    chart.plots[0].gap_width = 40
    add_table(
        *(deck, slide, ctx, rows, top, (0.26, 0.13, 0.24, 0.13, 0.24)),
        size=12,
        fill=True,
        left=table_left,
        width=table_width,
        height=height,
    )
    add_footnote(deck, slide, ctx, dmsg.STALLING_FOOTNOTE.format(modelled=ctx.modelled))
    s = ctx.scenario
    notes = dmsg.STALLING_NOTES.format(
        cost_per_poc=ctx.money(s.cost_per_poc),
        cost_to_production=ctx.money(s.cost_to_production),
        value_per_use_case=ctx.money(s.annual_value_per_use_case),
    )
    set_notes(slide, notes + calibrated_note(ctx))


# The practices table's columns the slide shows: practice, as is, target, net value, in
# production (views/tables.practices_table's order).
PRACTICES_DECK_COLUMNS = (0, 1, 2, 3, 7)


def practices_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, top = add_slide(deck, ctx, msg.PRACTICES_HEADING)
    ranked = ctx.raised
    data = CategoryChartData()
    data.categories = [
        dmsg.PRACTICE_LEVELS.format(label=e.label, from_level=e.from_level, to_level=e.to_level)
        for e in ranked
    ]
    data.add_series(dmsg.PRACTICES_SERIES, [e.net_shown for e in ranked])
    alt = dmsg.PRACTICES_ALT + " " + alt_text(data, ctx.money)
    # Beside the chart, the brief's practices table (ctx.practices_table), its columns that
    # fit half a slide: every driver in the ranking's order with its net value and use cases,
    # and "already at target" for one not raised. The value, spend and cost behind each net
    # figure are the brief's page, and this slide's notes.
    table = ctx.practices_table
    keep = PRACTICES_DECK_COLUMNS
    rows = [[row[i] for i in keep] for row in (table.columns, *table.rows)]
    top += Inches(0.1)
    height = _body_height(deck, top)
    if not ranked:  # the target raises no practice: no bar to draw, the table says so
        add_table(deck, slide, ctx, rows, top, (0.36, 0.12, 0.13, 0.19, 0.2), size=13)
        add_footnote(deck, slide, ctx, dmsg.PRACTICES_FOOTNOTE.format(modelled=ctx.modelled))
        set_notes(slide, dmsg.PRACTICES_NOTES + calibrated_note(ctx))
        return
    (chart_left, chart_width), (table_left, table_width) = _side_by_side(deck, top, 0.48)
    chart = add_chart(
        *(deck, slide, ctx, XL_CHART_TYPE.BAR_CLUSTERED, data, alt, top, height),
        **{"kind": "money", "left": chart_left, "width": chart_width},
    )
    add_table(
        *(deck, slide, ctx, rows, top, (0.36, 0.12, 0.13, 0.19, 0.2)),
        size=13,
        fill=True,
        left=table_left,
        width=table_width,
        height=height,
    )
    chart.category_axis.reverse_order = True
    # The names at the plot's left edge, not at zero, where a loss's bar would run over them.
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    # The practices' names at the table's size, so the bars keep most of the chart's width.
    chart.category_axis.tick_labels.font.size = Pt(12)
    chart.has_legend = False
    series = chart.plots[0].series[0]
    series.format.fill.fore_color.rgb = rgb(ctx.brand.colors["secondary"])
    add_footnote(deck, slide, ctx, dmsg.PRACTICES_FOOTNOTE.format(modelled=ctx.modelled))
    set_notes(slide, dmsg.PRACTICES_NOTES + calibrated_note(ctx))


def start_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, frame = add_text_slide(deck, ctx, msg.WHERE_TO_START)
    # The brief's own next steps (one home: BriefContext.next_steps), as the client reads them.
    for index, step in enumerate(ctx.next_steps):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(8)
        numbered(paragraph)
        add_run(paragraph, f"{step.title} {step.text}", ctx, size=18, brand=deck.kit)
    # What to do about the record is the consultant's: the notes, never the slide.
    set_notes(slide, dmsg.START_NOTES.format(advice=ctx.consultant_note))


def sources_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, top = add_slide(deck, ctx, dmsg.SOURCES_HEADING)
    rows = [(dmsg.SOURCES_PUBLISHER, dmsg.SOURCES_TITLE, dmsg.SOURCES_URL)]
    # Each source as the brief's appendix names it; a report's address is named as the
    # report's, and a source with neither address has none.
    rows += [
        (
            citation(s),
            s.title,
            "\n".join(f"{link.label} {link.url}".strip() for link in links(s)),
        )
        for s in ctx.cited_sources
    ]
    add_table(deck, slide, ctx, rows, top, (0.25, 0.4, 0.35), size=9)
    set_notes(slide, dmsg.SOURCES_NOTES)
