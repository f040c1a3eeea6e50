"""The brief as a PowerPoint deck: native, editable charts and tables, real text, speaker notes.

Built with python-pptx from the same ``BriefContext`` as the PDF and HTML brief, so every number
is the model's and every cited figure carries its source into the slide's notes. Charts are
PowerPoint charts whose data sheet holds the model's numbers ("Edit Data" works); each has alt
text. The same inputs and date give the same bytes: the zip and the charts' embedded workbooks
are written with fixed timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from .brief_context import BriefContext
from .formatting import count, rate

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = "Title Slide", "Title Only"
TITLE_TOP, TITLE_HEIGHT = Inches(0.4), Inches(1.0)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_CREATED = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def build_deck(ctx: BriefContext) -> bytes:
    """The brief's deck, as .pptx bytes."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _title_slide(deck, ctx)
    _numbers_slide(deck, ctx)
    _evidence_slide(deck, ctx)
    _funnel_slide(deck, ctx)
    _stalling_slide(deck, ctx)
    _practices_slide(deck, ctx)
    _start_slide(deck, ctx)
    _sources_slide(deck, ctx)
    properties = deck.core_properties
    properties.title = f"AI pilot funnel brief: {ctx.client}"
    properties.author = ctx.prepared_by
    properties.subject = "Why AI pilots stall before production, and what it takes to ship them"
    moment = dt.datetime.combine(ctx.as_of, dt.time())
    properties.created = properties.modified = moment
    properties.last_modified_by = ctx.prepared_by
    properties.revision = 1
    buffer = io.BytesIO()
    deck.save(buffer)
    return reproducible(buffer.getvalue(), ctx.as_of)


# --- slides ------------------------------------------------------------------------------
def _title_slide(deck, ctx: BriefContext) -> None:
    slide = deck.slides.add_slide(_layout(deck, LAYOUT_TITLE))
    slide.shapes.title.text = f"Why {ctx.client}'s AI pilots stall, and what it takes to ship them"
    subtitle = slide.placeholders[1]
    subtitle.text = f"{ctx.prepared_by} · {ctx.date_text}"
    subtitle.left, subtitle.top = Inches(0.6), Inches(4.6)
    subtitle.width, subtitle.height = SLIDE_WIDTH - Inches(1.2), Inches(0.8)
    for paragraph in subtitle.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
    _style_title(slide, ctx, top=Inches(2.0), height=Inches(2.4), size=40)
    _notes(
        slide,
        "Cited figures come from published research (sources slide). Figures about "
        f"{ctx.client} are modelled from the client's inputs and labelled assumptions.",
    )


def _numbers_slide(deck, ctx: BriefContext) -> None:
    a = ctx.as_is
    slide = _slide(deck, ctx, "Three numbers that matter")
    numbers = (
        (
            f"{count(a['production'].expected)} of {ctx.pocs_total}",
            f"proofs of concept reach production over {ctx.years} years as things stand "
            f"(P10 to P90: {ctx.n_range(a['production'])})",
        ),
        (ctx.m(a["stalled_spend"]), "spent on proofs of concept that never ship"),
        (f"+{ctx.money(ctx.value_gain)}", "more value with the five practices in place"),
    )
    width = (SLIDE_WIDTH - Inches(1.6)) / 3
    for index, (value, words) in enumerate(numbers):
        left = Inches(0.6) + index * (width + Inches(0.2))
        box = slide.shapes.add_textbox(left, Inches(2.0), width, Inches(2.6))
        frame = box.text_frame
        frame.word_wrap = True
        _run(frame.paragraphs[0], value, ctx, size=40, bold=True, role="primary")
        _run(frame.add_paragraph(), words, ctx, size=18)
    _footnote(slide, ctx, f"{ctx.modelled}. Assumptions: the brief's appendix B.")
    _notes(
        slide,
        f"Modelled for {ctx.client} from the client's inputs ({ctx.scenario.pocs_per_year} "
        f"proofs of concept a year for {ctx.years} years, {ctx.money(ctx.scenario.cost_per_poc)}"
        f" each) and the labelled assumptions; P10 to P90 over {ctx.result.draws:,} Monte "
        f"Carlo draws, seed {ctx.result.seed}." + _calibrated_note(ctx),
    )


def _evidence_slide(deck, ctx: BriefContext) -> None:
    slide = _slide(deck, ctx, "The evidence: most pilots stall before they pay")
    shown = [s for s in ctx.evidence_sources if s.evidence == "verified"][:4]
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.6), SLIDE_WIDTH - Inches(1.2), Inches(5))
    frame = box.text_frame
    frame.word_wrap = True
    for index, source in enumerate(shown):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _run(paragraph, f"{source.value_text}  ", ctx, size=28, bold=True, role="primary")
        _run(paragraph, source.statistic, ctx, size=18)
        _run(frame.add_paragraph(), f"{source.publisher}, {source.published.year}", ctx, size=12)
    _notes(
        slide,
        "\n\n".join(
            f"{s.publisher} ({s.published.year}), {s.title}: “{s.quote}” Sample: "
            f"{s.sample or 'not stated'}. Caveats: {s.caveats}"
            for s in shown
        ),
    )


def _funnel_slide(deck, ctx: BriefContext) -> None:
    slide = _slide(
        deck, ctx, f"Your funnel: {ctx.pocs_total} proofs of concept over {ctx.years} years"
    )
    data = CategoryChartData(number_format="0.0")
    data.categories = [label for label, _ in ctx.stage_rows]
    for name, outcome in (("As is", ctx.as_is), ("Five practices in place", ctx.target)):
        data.add_series(name, [outcome[metric].expected for _, metric in ctx.stage_rows])
    alt = f"Bar chart of {ctx.client}'s modelled funnel over {ctx.years} years. " + _alt(data)
    chart = _chart(slide, ctx, XL_CHART_TYPE.BAR_CLUSTERED, data, alt)
    chart.category_axis.reverse_order = True
    _footnote(slide, ctx, f"{ctx.modelled}: central estimates. P10 to P90 in the notes.")
    ranges = "; ".join(
        f"{label}: as is {ctx.n(ctx.as_is[m])} ({ctx.n_range(ctx.as_is[m])}), with the five "
        f"practices {ctx.n(ctx.target[m])} ({ctx.n_range(ctx.target[m])})"
        for label, m in ctx.stage_rows
    )
    record = ""
    if ctx.calibrated:
        step = ctx.record_steps[0]
        record = (
            f" The client's record: {ctx.record.reached_production} of "
            f"{ctx.record.pocs_started} reached production ({rate(step.observed_rate)}); the "
            f"research at its readiness expects {rate(step.prior_rate)}; calibrated, "
            f"{rate(step.calibrated.mean)} (P10 {rate(step.calibrated.p10)} to P90 "
            f"{rate(step.calibrated.p90)})."
        )
    _notes(slide, f"Modelled. {ranges}.{record}" + _calibrated_note(ctx))


def _stalling_slide(deck, ctx: BriefContext) -> None:
    slide = _slide(deck, ctx, "What stalling costs")
    data = CategoryChartData(number_format=_money_format(ctx))
    data.categories = ["As is", "Five practices in place"]
    for label, metric in (
        ("Spend on POCs that never ship", "stalled_spend"),
        ("Value delivered", "value"),
    ):
        data.add_series(label, [ctx.as_is[metric].expected, ctx.target[metric].expected])
    alt = f"Column chart of spend that stalls and value delivered, {ctx.years} years. "
    chart = _chart(slide, ctx, XL_CHART_TYPE.COLUMN_CLUSTERED, data, alt + _alt(data, ctx.money))
    chart.value_axis.tick_labels.number_format = _money_format(ctx)
    chart.value_axis.tick_labels.number_format_is_linked = False
    _footnote(slide, ctx, f"{ctx.modelled} from the client's costs and value per use case.")
    _notes(
        slide,
        f"Modelled from the client's inputs: {ctx.money(ctx.scenario.cost_per_poc)} per proof "
        f"of concept, {ctx.money(ctx.scenario.cost_to_production)} to take one to production, "
        f"{ctx.money(ctx.scenario.annual_value_per_use_case)} a year per use case with "
        "measurable impact." + _calibrated_note(ctx),
    )


def _practices_slide(deck, ctx: BriefContext) -> None:
    slide = _slide(deck, ctx, "What changes with the five practices")
    ranked = [e for e in ctx.ranking if e.to_level > e.from_level]
    data = CategoryChartData(number_format="0.0")
    data.categories = [f"{e.label} ({e.from_level} to {e.to_level})" for e in ranked]
    data.add_series("Extra use cases in production", [e.production_gain for e in ranked])
    alt = "Bar chart ranking the practices by extra use cases in production. " + _alt(data)
    chart = _chart(slide, ctx, XL_CHART_TYPE.BAR_CLUSTERED, data, alt)
    chart.category_axis.reverse_order = True
    chart.has_legend = False
    series = chart.plots[0].series[0]
    series.format.fill.fore_color.rgb = _rgb(ctx.brand.colors["secondary"])
    _footnote(slide, ctx, f"{ctx.modelled}: each practice raised alone, the others as is.")
    _notes(
        slide,
        "Modelled: each driver raised alone from as is to target; effects in log-odds per "
        "readiness level are labelled assumptions (appendix B)." + _calibrated_note(ctx),
    )


def _start_slide(deck, ctx: BriefContext) -> None:
    slide = _slide(deck, ctx, "Where to start")
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.6), SLIDE_WIDTH - Inches(1.2), Inches(5))
    frame = box.text_frame
    frame.word_wrap = True
    steps = [
        f"{e.label}: from {e.from_level} to {e.to_level}. {e.to_text}"
        for e in ctx.ranking[:3]
        if e.to_level > e.from_level
    ]
    steps.append(
        "Pick one pilot and wire it to production: the clearest outcome, an owner, a date."
    )
    if ctx.calibrated:
        steps.append("Keep the record current: update it when the next pilots finish, and re-run.")
    else:
        steps.append(
            "Add your record (pilots started, reached production, with impact) and re-run."
        )
    for index, step in enumerate(steps):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _run(paragraph, f"{index + 1}. {step}", ctx, size=20)
    _notes(slide, "The first three steps are the practices that move production most (modelled).")


def _sources_slide(deck, ctx: BriefContext) -> None:
    slide = _slide(deck, ctx, "Sources")
    cited = ctx.cited_sources
    shape = slide.shapes.add_table(
        len(cited) + 1, 3, Inches(0.6), Inches(1.4), SLIDE_WIDTH - Inches(1.2), Inches(5.4)
    )
    table = shape.table
    for column, share in zip(table.columns, (0.25, 0.4, 0.35), strict=True):
        column.width = int((SLIDE_WIDTH - Inches(1.2)) * share)
    for column, heading in enumerate(("Publisher, year", "Title", "URL")):
        table.cell(0, column).text = heading
    for row, source in enumerate(cited, start=1):
        table.cell(row, 0).text = f"{source.publisher}, {source.published.year}"
        table.cell(row, 1).text = source.title
        table.cell(row, 2).text = source.url
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                    run.font.name = ctx.brand.base_family
    _notes(slide, "Each source's exact quote, sample and caveats are in the brief's appendix A.")


# --- parts ---------------------------------------------------------------------------------
def _layout(deck, name: str):
    for layout in deck.slide_layouts:
        if layout.name == name:
            return layout
    names = ", ".join(layout.name for layout in deck.slide_layouts)
    raise ValueError(f"the deck template has no layout named {name!r}; it has: {names}")


def _slide(deck, ctx: BriefContext, title: str):
    slide = deck.slides.add_slide(_layout(deck, LAYOUT_TITLE_ONLY))
    slide.shapes.title.text = title
    _style_title(slide, ctx)
    return slide


def _style_title(slide, ctx: BriefContext, top=TITLE_TOP, height=TITLE_HEIGHT, size=32) -> None:
    # The default template's placeholders are placed for 4:3; the deck is 16:9.
    title = slide.shapes.title
    title.left, title.top = Inches(0.6), top
    title.width, title.height = SLIDE_WIDTH - Inches(1.2), height
    title.text_frame.word_wrap = True
    for paragraph in title.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(size)
        for run in paragraph.runs:
            run.font.name = ctx.brand.heading_family
            run.font.color.rgb = _rgb(ctx.brand.colors["primary"])
            run.font.bold = True


def _run(paragraph, text: str, ctx: BriefContext, size: int, bold=False, role="foreground"):
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = ctx.brand.base_family
    run.font.color.rgb = _rgb(ctx.brand.colors[role])
    return run


def _chart(slide, ctx: BriefContext, kind, data: CategoryChartData, alt: str):
    frame = slide.shapes.add_chart(
        kind, Inches(0.6), Inches(1.5), SLIDE_WIDTH - Inches(1.2), Inches(5.0), data
    )
    frame._element.nvGraphicFramePr.cNvPr.set("descr", alt)  # alt text, as PowerPoint writes it
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.font.name = ctx.brand.base_family
    chart.font.size = Pt(14)
    colours = ("muted", "secondary", "accent", "primary")
    for series, role in zip(chart.plots[0].series, colours, strict=False):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(ctx.brand.colors[role])
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.font.size = Pt(12)
    plot.data_labels.number_format = data.number_format
    plot.data_labels.number_format_is_linked = False
    return chart


def _alt(data: CategoryChartData, show=count) -> str:
    """A chart's numbers in words, for its alt text."""
    categories = [str(c.label) for c in data.categories]
    return " ".join(
        f"{series.name}: "
        + "; ".join(f"{c} {show(v)}" for c, v in zip(categories, series.values, strict=True))
        + "."
        for series in data
    )


def _footnote(slide, ctx: BriefContext, text: str) -> None:
    box = slide.shapes.add_textbox(
        Inches(0.6), SLIDE_HEIGHT - Inches(0.8), SLIDE_WIDTH - Inches(1.2), Inches(0.4)
    )
    _run(box.text_frame.paragraphs[0], text, ctx, size=11, role="muted")


def _notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text


def _calibrated_note(ctx: BriefContext) -> str:
    if not ctx.calibrated:
        return ""
    return (
        f" Calibrated to {ctx.client}'s record of {ctx.record.pocs_started} proofs of concept "
        f"(prior strength {ctx.prior_strength} pilots, an assumption)."
    )


def _money_format(ctx: BriefContext) -> str:
    """Excel's number format for the deck's money: millions with one decimal, e.g. $7.8M."""
    from .scenario import CURRENCIES

    symbol = CURRENCIES.get(ctx.scenario.currency, "").strip()
    return f'"{symbol}"#,##0.0,,"M"'


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def reproducible(pptx: bytes, day: dt.date) -> bytes:
    """The same deck as the same bytes: fixed zip times, and the date of the brief wherever a
    part records when it was made (the charts' embedded workbooks included)."""
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    return _rezip(pptx, lambda name, data: _redate(name, data, stamp))


def _redate(name: str, data: bytes, stamp: bytes) -> bytes:
    if name.endswith(".xlsx"):
        return _rezip(data, lambda inner, blob: _redate(inner, blob, stamp))
    if name.endswith("core.xml"):
        return _CREATED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
    return data


def _rezip(archive: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(archive))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():  # in the archive's own order: [Content_Types] first
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, change(info.filename, source.read(info.filename)))
    return buffer.getvalue()
