"""The parts slides are made of: titled slides, text runs, native charts and tables,
footnotes and speaker notes, in the brand's fonts and colours on the kit's template."""

from __future__ import annotations

import functools
import math
from pathlib import Path

from PIL import Image  # python-pptx's own dependency, loaded with it
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_LEGEND_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from pilotfunnel.views.context import BriefContext
from pilotfunnel.views.deck.template import SLIDE_WIDTH, Deck, font_attributes
from pilotfunnel.views.deck.text import xml_text
from pilotfunnel.views.formatting import axis_scale, count, excel_format
from pilotfunnel.views.messages import deck as dmsg

MARGIN = Inches(0.6)
TITLE_TOP, TITLE_HEIGHT = Inches(0.4), Inches(1.0)
TABLE_ROW = Inches(0.42)  # a row of 12 pt text, wrapped once at most
TABLE_ROW_FILL = Inches(0.75)  # a row of a table beside a chart, at most
MIN_TABLE_SIZE = 9  # pt: a table's text at its smallest, as the sources slide sets it
# The colours of a chart's series, in order, as the brand's roles.
SERIES_ROLES = ("muted", "secondary", "accent", "primary")
_BODY_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}


def add_slide(deck: Deck, ctx: BriefContext, title: str, role: str = "visual"):
    """A slide with its title in the layout's title placeholder, and where its content starts."""
    slide = deck.prs.slides.add_slide(deck.layouts[role])
    slide.shapes.title.text = xml_text(title)
    if deck.kit:
        style_title(slide, ctx)
        if deck.logo:
            height = Inches(0.45)
            width = round(height * _aspect(deck.logo))
            slide.shapes.add_picture(
                str(deck.logo), deck.width - MARGIN - width, Inches(0.15), width, height
            )
    add_footer(deck, slide, ctx)
    heading = slide.shapes.title
    return slide, Emu(heading.top + heading.height + Inches(0.1))


# The footer's line, under the footnote: the brand's confidentiality line, the slide's number.
FOOTER_TOP, FOOTER_HEIGHT, NUMBER_WIDTH = Inches(0.38), Inches(0.3), Inches(0.8)
# A slide-number field's id: fixed, so the same inputs give the same bytes.
_SLIDE_NUMBER_ID = "{B6F1C2D4-8E0A-4C5B-9F21-3D7A6E4B1C08}"


def add_footer(deck: Deck, slide, ctx: BriefContext) -> None:
    """The PDF's footer on a slide: the brand's line for the client (``Brand.footer_for``) on
    the left, the slide's number on the right, as a field PowerPoint renumbers when slides move.
    """
    top = deck.height - FOOTER_TOP
    width = deck.width - 2 * MARGIN - NUMBER_WIDTH
    line = slide.shapes.add_textbox(MARGIN, top, width, FOOTER_HEIGHT)
    line.name = "Footer"
    line.text_frame.word_wrap = True
    add_run(line.text_frame.paragraphs[0], ctx.brand.footer_for(ctx.client), ctx, 9, "muted")
    box = slide.shapes.add_textbox(MARGIN + width, top, NUMBER_WIDTH, FOOTER_HEIGHT)
    box.name = "Slide number"
    paragraph = box.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    run = add_run(paragraph, str(len(deck.prs.slides)), ctx, 9, "muted")
    # The run becomes a slidenum field: the same run properties and text, PowerPoint's way.
    field = run._r.makeelement(qn("a:fld"), {"id": _SLIDE_NUMBER_ID, "type": "slidenum"})
    for child in list(run._r):
        field.append(child)
    run._r.addprevious(field)
    run._r.getparent().remove(run._r)


def add_text_slide(deck: Deck, ctx: BriefContext, title: str):
    """A slide whose text goes in the layout's body placeholder, as PowerPoint's own do; a
    text box below the title when a firm's layout has none."""
    slide, top = add_slide(deck, ctx, title, "text")
    placeholder = next(
        (ph for ph in slide.placeholders if ph.placeholder_format.type in _BODY_TYPES), None
    )
    if placeholder is None:
        placeholder = slide.shapes.add_textbox(MARGIN, top, deck.width - 2 * MARGIN, Inches(5))
    elif deck.kit:
        placeholder.left, placeholder.top = MARGIN, top
        placeholder.width = deck.width - 2 * MARGIN
        placeholder.height = deck.height - top - Inches(0.9)
    body = placeholder.text_frame
    body.word_wrap = True
    return slide, body


def numbered(paragraph) -> None:
    """Number the paragraph 1., 2., ... as PowerPoint's numbered list does (not typed in)."""
    properties = paragraph._p.get_or_add_pPr()
    for tag in ("a:buNone", "a:buChar", "a:buAutoNum"):
        for element in properties.findall(qn(tag)):
            properties.remove(element)
    properties.append(properties.makeelement(qn("a:buAutoNum"), {"type": "arabicPeriod"}))


@functools.lru_cache(maxsize=4)
def _aspect(image: Path) -> float:
    with Image.open(image) as picture:
        return picture.width / picture.height


def style_title(slide, ctx: BriefContext, top=TITLE_TOP, height=TITLE_HEIGHT, size=32) -> None:
    title = slide.shapes.title
    title.left, title.top = MARGIN, top
    title.width, title.height = SLIDE_WIDTH - 2 * MARGIN - Inches(2.2), height
    title.text_frame.word_wrap = True
    for paragraph in title.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(size)
            set_font(run.font, ctx.brand.heading_family, ctx)
            run.font.color.rgb = rgb(ctx.brand.colors["primary"])
            run.font.bold = True


def set_font(font, family: str, ctx: BriefContext) -> None:
    """A run's or chart's font: the brand's family, with the hints the theme's font carries
    (``template.font_attributes``), so a run substitutes as the theme does."""
    font.name = family
    latin = font._rPr.find(qn("a:latin"))
    for name, value in font_attributes(ctx.brand, family).items():
        latin.set(name, value)


def add_run(
    paragraph, text: str, ctx: BriefContext, size: int, role="foreground", brand=True, bold=False
):
    """A run of text in the brand's font and a role's colour; in a firm's placeholder
    (``brand=False``), in the placeholder's own font and colour."""
    run = paragraph.add_run()
    run.text = xml_text(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    if brand:
        set_font(run.font, ctx.brand.base_family, ctx)
        run.font.color.rgb = rgb(ctx.brand.colors[role])
    return run


def add_chart(
    deck: Deck,
    slide,
    ctx: BriefContext,
    chart_type,
    data,
    alt: str,
    top,
    height=None,
    *,
    kind,
    left=MARGIN,
    width=None,
):
    """A native chart whose labels and value axis write numbers as the brief does.

    ``kind`` ("count", "money" or "rate") picks the formatter: each data label gets the number
    format that writes its value as the brief writes it, the value axis a step and format that
    write each tick so, a rate axis's ticks in one precision (``formatting.excel_format``,
    ``formatting.axis_scale``). ``left`` and ``width`` place a chart beside a table.
    """
    height = height or deck.height - top - Inches(0.9)
    width = width or deck.width - 2 * MARGIN
    data = _clean_chart_data(data)
    frame = slide.shapes.add_chart(chart_type, left, top, width, height, data)
    # Alt text, as PowerPoint writes it.
    frame._element.nvGraphicFramePr.cNvPr.set("descr", xml_text(alt))
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    set_font(chart.font, ctx.brand.base_family, ctx)
    chart.font.size = Pt(14)
    for series, role in zip(chart.plots[0].series, SERIES_ROLES, strict=False):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb(ctx.brand.colors[role])
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.font.size = Pt(12)
    currency = ctx.scenario.currency
    values = [value for series in data for value in series.values]
    plot.data_labels.number_format = excel_format(max(values, default=0), kind, currency)
    plot.data_labels.number_format_is_linked = False
    for series, source in zip(plot.series, data, strict=True):
        for point, value in zip(series.points, source.values, strict=True):
            _label_format(point, excel_format(value, kind, currency))
    # The step fits the longest bar, a loss's included (every value is a loss for a practice
    # that costs more than it returns alone).
    extent = max([0.0, *values, *(-v for v in values)])
    step, number_format = axis_scale(extent, kind, currency)
    axis = chart.value_axis
    # Every value axis starts at zero, set explicitly (a renderer's automatic minimum can start
    # at 10% and make 10.9% against 12.1% look like a chasm); below zero only for a loss.
    # A loss goes below zero by whole steps, so every tick falls on a step (the category names
    # sit at the plot's edge, clear of a loss's bar and its label).
    low = min(0.0, *values)
    axis.minimum_scale = -math.ceil(-low / step) * step if low < 0 else 0
    axis.major_unit = step
    axis.tick_labels.number_format = number_format
    axis.tick_labels.number_format_is_linked = False
    return chart


KEY_HEIGHT = Inches(0.4)


def add_key(deck: Deck, slide, ctx: BriefContext, names: list[str], top) -> None:
    """A chart's key drawn under it, in the order its bars run top to bottom: a bar chart's
    own legend runs the other way in LibreOffice and this way in PowerPoint, so the deck draws
    its own (the chart's ``has_legend`` is then off). ``names`` are the series in chart order.
    """
    box = slide.shapes.add_textbox(MARGIN, top, deck.width - 2 * MARGIN, KEY_HEIGHT)
    box.name = "Key"
    paragraph = box.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    for index, (name, role) in enumerate(zip(names, SERIES_ROLES, strict=False)):
        add_run(paragraph, ("    " if index else "") + "\u25a0 ", ctx, 14, role)
        add_run(paragraph, name, ctx, 14)


def _label_format(point, number_format: str) -> None:
    """One data label's own number format (python-pptx sets one only for a whole plot)."""
    label = point.data_label
    label.font.size = Pt(12)  # a point's own label starts from the defaults, not the plot's
    dlbl = label._get_or_add_dLbl()
    for old in dlbl.findall(qn("c:numFmt")):
        dlbl.remove(old)
    element = dlbl.makeelement(qn("c:numFmt"), formatCode=number_format, sourceLinked="0")
    # c:numFmt comes after c:idx, c:layout and c:tx, before c:spPr (the schema's order).
    before = [dlbl.find(qn(tag)) for tag in ("c:tx", "c:layout")]
    anchor = next((found for found in before if found is not None), dlbl.idx)
    anchor.addnext(element)


def add_table(
    deck: Deck,
    slide,
    ctx: BriefContext,
    rows,
    top,
    shares,
    size: int = 12,
    *,
    left=MARGIN,
    width=None,
    height=None,
    fill: bool = False,
) -> None:
    """A native table, the first row its header, to ``height`` at most (by default to the
    footnote): TABLE_ROW a row, or with ``fill`` (a table beside a chart) as tall as the
    chart, up to TABLE_ROW_FILL a row, its text centred in each row. A table with more rows
    than fit at TABLE_ROW sets its text smaller in step (9 pt at least), so that a renderer
    growing its rows to the text does not push it over the footnote."""
    width = width or deck.width - 2 * MARGIN
    room = height or deck.height - top - Inches(0.9)
    height = min(room, (TABLE_ROW_FILL if fill else TABLE_ROW) * len(rows))
    size = max(MIN_TABLE_SIZE, min(size, int(size * height / (TABLE_ROW * len(rows)))))
    table = slide.shapes.add_table(len(rows), len(rows[0]), left, top, width, height).table
    for column, share in zip(table.columns, shares, strict=True):
        column.width = int(width * share)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = xml_text(text)
            if fill:
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    set_font(run.font, ctx.brand.base_family, ctx)


def _clean_chart_data(data: CategoryChartData) -> CategoryChartData:
    """The chart's data with its labels as text XML can hold (the chart and its workbook)."""
    clean = CategoryChartData(number_format=data.number_format)
    clean.categories = [xml_text(category.label) for category in data.categories]
    for series in data:
        clean.add_series(xml_text(series.name), series.values, series.number_format)
    return clean


def alt_text(data: CategoryChartData, show=count) -> str:
    """A chart's numbers in words, for its alt text."""
    categories = [str(c.label) for c in data.categories]
    return " ".join(
        f"{series.name}: "
        + "; ".join(f"{c} {show(v)}" for c, v in zip(categories, series.values, strict=True))
        + "."
        for series in data
    )


def add_footnote(deck: Deck, slide, ctx: BriefContext, text: str) -> None:
    box = slide.shapes.add_textbox(
        MARGIN, deck.height - Inches(0.8), deck.width - 2 * MARGIN, Inches(0.4)
    )
    box.text_frame.word_wrap = True
    add_run(box.text_frame.paragraphs[0], text, ctx, size=11, role="muted")


def set_notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = xml_text(text)


def calibrated_note(ctx: BriefContext) -> str:
    """What ends a modelled slide's notes when the brief is calibrated: " Calibrated to ...";
    nothing otherwise."""
    if not ctx.calibrated:
        return ""
    note = dmsg.CALIBRATED_NOTE.format(
        client=ctx.client, pocs=ctx.record.pocs_started, strength=ctx.prior_strength
    )
    return " " + note


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())
