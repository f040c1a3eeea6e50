"""The brief as a PowerPoint deck: native, editable charts and tables, real text, speaker notes.

Built with python-pptx from the same ``BriefContext`` as the PDF and HTML brief, so every number
is the model's and every cited figure carries its source into the slide's notes. Charts are
PowerPoint charts whose data sheet holds the model's numbers ("Edit Data" works); each has alt
text. The same inputs and date give the same bytes: the zip and the charts' embedded workbooks
are written with fixed timestamps.

The slides are made on a template: the kit's own (python-pptx's default master, widened to 16:9,
with the brand's colours and fonts as its theme, so a series or slide added in PowerPoint stays
on brand), or a firm's (``pptx_template`` in brand.yml), whose layouts are used by name and whose
placeholders keep the firm's styles.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from pilotfunnel.core.errors import (
    BrandError,
    ExportError,
    InputError,
    Problem,
    ScenarioError,
    display_path,
)
from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.inputs.scenario import load_scenario, scenario_from_dict
from pilotfunnel.model.funnel import MAX_DRAWS
from pilotfunnel.views import brief
from pilotfunnel.views import messages as msg
from pilotfunnel.views.context import BriefContext
from pilotfunnel.views.formatting import axis_scale, count, excel_format, rate

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12192000), Emu(6858000)  # 16:9, as PowerPoint sizes it
MARGIN = Inches(0.6)
TITLE_TOP, TITLE_HEIGHT = Inches(0.4), Inches(1.0)
TABLE_ROW = Inches(0.42)  # a row of 12 pt text, wrapped once at most
_BODY_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_DOS_1980 = struct.pack("<HH", 0, (1 << 5) | 1)  # MS-DOS time 00:00:00, date 1980-01-01
_CREATED = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def build_deck(ctx: BriefContext) -> bytes:
    """The brief's deck, as .pptx bytes: 8 slides, 9 with the client's record."""
    deck = open_template(ctx.brand)
    _title_slide(deck, ctx)
    _numbers_slide(deck, ctx)
    _evidence_slide(deck, ctx)
    _funnel_slide(deck, ctx)
    if ctx.calibrated:
        _record_slide(deck, ctx)
    _stalling_slide(deck, ctx)
    _practices_slide(deck, ctx)
    _start_slide(deck, ctx)
    _sources_slide(deck, ctx)
    properties = deck.prs.core_properties
    properties.title = _text(f"AI pilot funnel brief: {ctx.client}")
    properties.author = _text(ctx.prepared_by)
    properties.subject = "Why AI pilots stall before production, and what it takes to ship them"
    moment = dt.datetime.combine(ctx.as_of, dt.time())
    properties.created = properties.modified = moment
    properties.last_modified_by = _text(ctx.prepared_by)
    if not deck.kit:
        # A firm's template may be an old client's deck saved as a template: its free-text
        # properties are not carried into the next client's deck.
        for field in ("category", "comments", "content_status", "identifier", "keywords"):
            setattr(properties, field, "")
    properties.revision = 1
    return reproducible(deck.prs, ctx.as_of)


def deck_from_brief(project, executed) -> bytes:
    """The deck of an executed brief notebook: modelled again from the scenario, date, draws
    and seed the notebook recorded, so its numbers are the brief's.

    The deck never opens a path the notebook names: the scenario is the mapping the brief
    notebook carries, checked against its digest, or a scenario file of the project's own
    clients folder named by its file name alone and checked against the same digest
    (``recorded_scenario``). Anything else is refused with one line.
    """
    # Imported here: the exporters import this module (a cycle at the top).
    from pilotfunnel.export.nbconvert.exporters import find_brief_metadata

    try:
        meta = find_brief_metadata(executed)
    except (TypeError, ValueError):  # an output that is not a mapping: no brief output
        meta = {}
    if not isinstance(meta, dict) or "scenario" not in meta:
        raise ExportError(
            "a deck is made from the client brief notebook (notebooks/03-client-brief.ipynb) "
            "after it has run; this notebook has no brief output. Run it, save it, then export"
        )
    scenario = recorded_scenario(project, meta)
    as_of, draws, seed = _recorded_run(meta)
    ctx = brief.prepare(project, scenario, as_of, draws, seed)
    return build_deck(ctx)


RECORDED = "the brief notebook"  # what a problem with the brief's recorded metadata names
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SCENARIO_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}\.ya?ml$")
_REFUSED = (
    "is refused: a deck is built from the scenario the brief carries, with its "
    "scenario_sha256, or from a file name of the clients folder with that digest; run the "
    "brief notebook again, save it, then export"
)


def recorded_scenario(project, meta: dict):
    """The scenario a brief recorded, as a validated Scenario, or a ScenarioError.

    Accepted: the scenario's mapping with the digest the brief wrote beside it
    (``brief.scenario_digest``), or the file name of a scenario in ``project.clients_dir``
    whose mapping has that digest. Refused alike, in the same words: a path, a name outside
    the clients folder, a missing or different digest, a file that does not exist or does not
    load; so the refusal tells nothing about which files exist.
    """

    refused = ScenarioError(
        problems=[Problem(RECORDED, "field 'scenario'", _REFUSED, column="scenario")]
    )
    recorded, digest = meta.get("scenario"), meta.get("scenario_sha256")
    if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise refused
    if isinstance(recorded, dict):
        try:
            matches = brief.scenario_digest(recorded) == digest
        except (TypeError, ValueError, RecursionError):
            matches = False
        if not matches:
            raise refused
        return scenario_from_dict(recorded, f"{RECORDED}: scenario")
    if not isinstance(recorded, str) or not _SCENARIO_FILE.match(recorded):
        raise refused  # a path, or anything but a plain file name: never opened
    folder = Path(project.clients_dir)
    try:
        path = (folder / recorded).resolve()
        inside = path.parent == folder.resolve() and path.is_file()
        scenario = load_scenario(path) if inside else None
    except (InputError, OSError, ValueError):
        scenario = None
    if scenario is None or brief.scenario_digest(scenario.to_dict()) != digest:
        raise refused
    return scenario


def _recorded_run(meta: dict) -> tuple[dt.date, int, int]:
    """The date, draws and seed a brief recorded, each checked before the model runs."""

    def refused(field: str, allowed: str) -> InputError:
        where = f"field '{field}'"
        value = meta.get(field)
        return InputError(problems=[Problem(RECORDED, where, allowed, value, column=field)])

    date = meta.get("date")
    try:
        as_of = dt.date.fromisoformat(date) if _ISO_DATE.match(date) else None
    except (TypeError, ValueError):
        as_of = None
    if as_of is None:
        raise refused("date", "must be the brief's date as YYYY-MM-DD")
    draws, seed = meta.get("draws"), meta.get("seed")
    if type(draws) is not int or not 1 <= draws <= MAX_DRAWS:
        raise refused("draws", f"must be a whole number of Monte Carlo draws, 1 to {MAX_DRAWS:,}")
    if type(seed) is not int or not 0 <= seed < 2**63:
        raise refused("seed", "must be a whole number from 0 to 2**63 - 1")
    return as_of, draws, seed


# --- the template ------------------------------------------------------------------------
@dataclass
class Deck:
    """A presentation being filled, with what the slides need to know about its template."""

    prs: Presentation
    layouts: dict  # role -> the template's layout
    kit: bool  # the kit's own template: the deck places its titles, logo and styles itself
    logo: Path | None

    @property
    def width(self) -> int:
        return self.prs.slide_width

    @property
    def height(self) -> int:
        return self.prs.slide_height


def open_template(brand: Brand) -> Deck:
    """The template the deck is made on, its layouts found by name.

    A firm's template that cannot be read, or lacks a layout the deck needs, is a BrandError
    naming brand.yml's field and listing the layouts the template has.
    """
    roles = dict(brand.pptx_layouts)
    if brand.pptx_template is None:
        prs = Presentation(io.BytesIO(_kit_template(brand)))
        kit = True
    else:
        prs = _firm_template(brand)
        kit = False
    found = {layout.name: layout for layout in prs.slide_layouts}
    missing = [(role, name) for role, name in roles.items() if name not in found]
    if missing:
        where = brand.pptx_template or "the kit's template"
        names = [repr(_cut(name, 40)) for name in found]
        have = ", ".join(names[:12] + (["..."] if len(names) > 12 else [])) or "none"
        raise BrandError(
            problems=[
                Problem(
                    display_path(brand.path),
                    f"field 'pptx_layouts.{role}'",
                    f"names a layout {display_path(where)} does not have; it has: {have}",
                    name,
                    column=f"pptx_layouts.{role}",
                )
                for role, name in missing
            ]
        )
    layouts = {role: found[name] for role, name in roles.items()}
    untitled = [
        role
        for role, layout in layouts.items()
        if not any(ph.placeholder_format.idx == 0 for ph in layout.placeholders)
    ]
    if untitled:
        raise BrandError(
            problems=[
                Problem(
                    display_path(brand.path),
                    f"field 'pptx_layouts.{role}'",
                    "names a layout with no title placeholder; each slide's title goes there",
                    roles[role],
                    column=f"pptx_layouts.{role}",
                )
                for role in untitled
            ]
        )
    return Deck(prs, layouts, kit, brand.logo_png if kit else None)


# A firm's template is a zip archive that python-pptx reads whole, part by part, and whose
# masters and layouts go into every client's deck. Its central directory is checked first, so
# a zip bomb is refused having read a few kilobytes: zipfile never inflates an entry past the
# size the directory declares (a longer stream fails its CRC check), so declared sizes bound
# what python-pptx can be made to hold.
TEMPLATE_MAX_ENTRIES = 2000
TEMPLATE_MAX_ENTRY_BYTES = 32 * 2**20
TEMPLATE_MAX_TOTAL_BYTES = 128 * 2**20
_END_OF_DIRECTORY = b"PK\x05\x06"
# Parts that run or embed programs: a .pptx has none, but a renamed .pptm or a template with
# an ActiveX control or an OLE object would carry them into every client's deck.
_ACTIVE_CONTENT = ("vbaProject", "activeX", "oleObject", "macroEnabled")


def check_template_archive(path: Path) -> str | None:
    """Why the template at ``path`` cannot be opened safely, judged from its zip directory
    alone (entries, sizes, compression, encryption); None when python-pptx may open it."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - (22 + 0xFFFF)))  # the end record and a comment at most
        tail = handle.read()
    end = tail.rfind(_END_OF_DIRECTORY)
    if end < 0 or len(tail) < end + 22:
        return "is not a zip archive, as every .pptx is"
    entries, directory = struct.unpack_from("<HI", tail, end + 10)
    if entries == 0xFFFF or directory == 0xFFFFFFFF:
        return "is a ZIP64 archive, far larger than a template"
    if entries > TEMPLATE_MAX_ENTRIES or directory > TEMPLATE_MAX_ENTRIES * 1100:
        return f"has over {TEMPLATE_MAX_ENTRIES} entries"
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return "is not a readable zip archive"
    if len(infos) > TEMPLATE_MAX_ENTRIES:
        return f"has over {TEMPLATE_MAX_ENTRIES} entries"
    if len({info.filename for info in infos}) != len(infos):
        return "has two entries of the same name"
    total = 0
    for info in infos:
        name = _cut(info.filename)
        if info.flag_bits & 0x1:
            return f"has an encrypted entry ({name})"
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return f"has an entry compressed in a way PowerPoint does not write ({name})"
        if info.file_size > TEMPLATE_MAX_ENTRY_BYTES:
            limit = TEMPLATE_MAX_ENTRY_BYTES // 2**20
            return f"has an entry over {limit} MB uncompressed ({name})"
        total += info.file_size
    if total > TEMPLATE_MAX_TOTAL_BYTES:
        return f"is over {TEMPLATE_MAX_TOTAL_BYTES // 2**20} MB uncompressed"
    return None


def _firm_template(brand: Brand) -> Presentation:
    path = brand.pptx_template

    def refused(why: str) -> BrandError:
        return BrandError(
            problems=[
                Problem(
                    display_path(brand.path),
                    "field 'pptx_template'",
                    f"{display_path(path)} {why}",
                    column="pptx_template",
                )
            ]
        )

    try:
        why = check_template_archive(path)
    except OSError as exc:
        raise refused(f"cannot be read ({exc.strerror})") from None
    if why:
        raise refused(f"cannot be read as a PowerPoint template: it {why}; save it as .pptx")
    try:
        prs = Presentation(str(path))
    except Exception as exc:  # python-pptx raises zip, XML and key errors alike
        raise refused(
            f"cannot be read as a PowerPoint presentation ({type(exc).__name__}: "
            f"{_cut(str(exc))}); save the template as .pptx"
        ) from None
    # A template's own example slides are not part of the client's deck.
    slide_ids = prs.slides._sldIdLst
    for slide_id in list(slide_ids):
        prs.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    why = _carried_outside(prs)
    if why:
        raise refused(f"{why}; every client's deck would carry it. Remove it from the template")
    return prs


def _carried_outside(prs: Presentation) -> str | None:
    """What in the parts a client's deck takes from the template points outside the deck
    (an external relationship: a linked picture, a file: or http: link) or runs a program."""
    package = prs.part.package
    if any(kind in prs.part.content_type for kind in _ACTIVE_CONTENT):
        return "is a macro-enabled presentation"
    for rel in package.iter_rels():
        if rel.is_external:
            return f"has an external relationship (to {_cut(rel.target_ref)})"
    for part in package.iter_parts():
        if any(kind in part.content_type for kind in _ACTIVE_CONTENT):
            return f"has a macro, ActiveX control or embedded object ({_cut(str(part.partname))})"
    return None


def _cut(text: str, limit: int = 60) -> str:
    """A name or message from a file, cut short before it is shown."""
    text = _text(text).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


_KIT_TEMPLATES: dict[str, bytes] = {}  # brand file and logo digest -> the themed template


def _kit_template(brand: Brand) -> bytes:
    """python-pptx's default master widened to 16:9, with the brand as its theme; made once
    per brand (a worker keeps it between decks), again when the brand file or logo changes."""
    files = [brand.path, *([brand.logo_png] if brand.logo_png else [])]
    key = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    if key not in _KIT_TEMPLATES:
        _KIT_TEMPLATES.clear()  # one brand at a time in practice; stay bounded
        _KIT_TEMPLATES[key] = _themed_template(brand)
    return _KIT_TEMPLATES[key]


def _themed_template(brand: Brand) -> bytes:
    prs = Presentation()
    scale = SLIDE_WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    # The default master is laid out for 4:3 at the same height: widen what it places.
    for part in (prs.slide_master, *prs.slide_layouts):
        for shape in part.shapes:
            if shape._element.xpath("./p:spPr/a:xfrm"):
                shape.left, shape.width = round(shape.left * scale), round(shape.width * scale)
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    theme._blob = _branded_theme(theme.blob, brand)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _branded_theme(xml: bytes, brand: Brand) -> bytes:
    """The theme's colour and font scheme from the brand: what PowerPoint offers first when a
    consultant recolours a chart or adds a slide."""
    from lxml import etree

    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    root = etree.fromstring(xml)
    c = brand.colors
    scheme = {
        "dk1": c["foreground"],
        "lt1": c["background"],
        "dk2": c["primary"],
        "lt2": c["light"],
        "accent1": c["primary"],
        "accent2": c["secondary"],
        "accent3": c["accent"],
        "accent4": c["muted"],
        "accent5": c["success"],
        "accent6": c["danger"],
        "hlink": c.get("secondary_text", c["secondary"]),
        "folHlink": c["primary"],
    }
    for slot, colour in scheme.items():
        (element,) = root.xpath(f"//a:clrScheme/a:{slot}", namespaces=ns)
        element.clear()
        etree.SubElement(element, f"{{{ns['a']}}}srgbClr", val=colour.lstrip("#").upper())
    for which, family in (("majorFont", brand.heading_family), ("minorFont", brand.base_family)):
        (latin,) = root.xpath(f"//a:fontScheme/a:{which}/a:latin", namespaces=ns)
        latin.set("typeface", family)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- slides ------------------------------------------------------------------------------
def _title_slide(deck: Deck, ctx: BriefContext) -> None:
    slide = deck.prs.slides.add_slide(deck.layouts["title"])
    slide.shapes.title.text = _text(
        f"Why {ctx.client}'s AI pilots stall, and what it takes to ship them"
    )
    byline = f"{ctx.prepared_by} · {ctx.date_text}"
    subtitle = next((ph for ph in slide.placeholders if ph.placeholder_format.idx == 1), None)
    if subtitle is None:  # a firm's title layout without one: the byline goes under the title
        title = slide.shapes.title
        subtitle = slide.shapes.add_textbox(
            title.left, title.top + title.height, title.width, Inches(0.8)
        )
    subtitle.text_frame.text = _text(byline)
    if deck.kit:
        subtitle.left, subtitle.top = MARGIN, Inches(4.6)
        subtitle.width, subtitle.height = deck.width - 2 * MARGIN, Inches(0.8)
        for paragraph in subtitle.text_frame.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
        _style_title(slide, ctx, top=Inches(2.0), height=Inches(2.4), size=40)
        if deck.logo:
            slide.shapes.add_picture(str(deck.logo), MARGIN, Inches(0.6), height=Inches(0.9))
    _notes(
        slide,
        "Cited figures come from published research (sources slide). Figures about "
        f"{ctx.client} are modelled from the client's inputs and labelled assumptions.",
    )


def _numbers_slide(deck: Deck, ctx: BriefContext) -> None:
    a = ctx.as_is
    slide, top = _slide(deck, ctx, "Three numbers that matter")
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
        _run(frame.paragraphs[0], value, ctx, size=40, bold=True, role="primary")
        _run(frame.add_paragraph(), words, ctx, size=18)
    _footnote(deck, slide, ctx, f"{ctx.modelled}. Assumptions: the brief's appendix B.")
    _notes(
        slide,
        f"Modelled for {ctx.client} from the client's inputs ({ctx.scenario.pocs_per_year} "
        f"proofs of concept a year for {ctx.years} years, {ctx.money(ctx.scenario.cost_per_poc)}"
        f" each) and the labelled assumptions; P10 to P90 over {ctx.result.draws:,} Monte "
        f"Carlo draws, seed {ctx.result.seed}." + _calibrated_note(ctx),
    )


def _evidence_slide(deck: Deck, ctx: BriefContext) -> None:
    shown = [s for s in ctx.evidence_sources if s.evidence == "verified"][:4]
    slide, frame = _text_slide(deck, ctx, msg.EVIDENCE_HEADING)
    for index, source in enumerate(shown):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(10)
        brand = deck.kit  # a firm's body placeholder keeps its own fonts and colours
        _run(paragraph, f"{source.value_text}  ", ctx, 26, bold=True, role="primary", brand=brand)
        _run(paragraph, source.statistic, ctx, size=18, brand=brand)
        paragraph.add_line_break()
        _run(paragraph, f"{source.publisher}, {source.published.year}", ctx, 12, "muted", brand)
    _notes(
        slide,
        "\n\n".join(
            f"{s.publisher} ({s.published.year}), {s.title}: “{s.quote}” Sample: "
            f"{s.sample or 'not stated'}. Caveats: {s.caveats}"
            for s in shown
        ),
    )


def _funnel_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, top = _slide(deck, ctx, msg.FUNNEL_HEADING.format(pocs=ctx.pocs_total, years=ctx.years))
    data = CategoryChartData()
    data.categories = [label for label, _ in ctx.stage_rows]
    for name, outcome in ((msg.AS_IS, ctx.as_is), (msg.FIVE_PRACTICES_IN_PLACE, ctx.target)):
        data.add_series(name, [outcome[metric].expected for _, metric in ctx.stage_rows])
    alt = f"Bar chart of {ctx.client}'s modelled funnel over {ctx.years} years. " + _alt(data)
    chart = _chart(deck, slide, ctx, XL_CHART_TYPE.BAR_CLUSTERED, data, alt, top, kind="count")
    chart.category_axis.reverse_order = True
    _footnote(deck, slide, ctx, f"{ctx.modelled}: central estimates. P10 to P90 in the notes.")
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
    _notes(slide, f"Modelled. {ranges}.{record}" + _calibrated_note(ctx))


def _record_slide(deck: Deck, ctx: BriefContext) -> None:
    """The client's own pilots beside the research: the rate to production, four ways."""
    record, industry = ctx.record, ctx.headline_source
    step = ctx.record_steps[0]
    slide, top = _slide(deck, ctx, msg.RECORD_HEADING)
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
    alt = "Bar chart of the rate from proof of concept to production. " + _alt(data, rate)
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
    chart = _chart(
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
        point.format.fill.fore_color.rgb = _rgb(ctx.brand.colors[role])
    _table(deck, slide, ctx, rows, top + chart_height + gap, (0.22, 0.16, 0.25, 0.23, 0.14))
    _footnote(deck, slide, ctx, f"{ctx.record_verdict} Ranges are P10 to P90.")
    period = f" ({record.period})" if record.period else ""
    _notes(
        slide,
        f"Cited: {industry.publisher} ({industry.published.year}), {industry.title}: "
        f"“{industry.quote}” Caveats: {industry.caveats}\n\n"
        f"The client's record{period}: {record.reached_production} of {record.pocs_started} "
        f"proofs of concept reached production ({rate(step.observed_rate)}). Modelled: the "
        f"research at the client's readiness expects {rate(step.prior_rate)}; combined with the "
        f"record, {rate(step.calibrated.mean)} (P10 {rate(step.calibrated.p10)} to P90 "
        f"{rate(step.calibrated.p90)}), the rate every other slide uses. {ctx.record_shift}"
        + _calibrated_note(ctx),
    )


def _stalling_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, top = _slide(deck, ctx, msg.STALLING_HEADING)
    data = CategoryChartData()
    data.categories = [msg.AS_IS, msg.FIVE_PRACTICES_IN_PLACE]
    for label, metric in (
        (msg.SPEND_NEVER_SHIPS, "stalled_spend"),
        (msg.VALUE_DELIVERED, "value"),
    ):
        data.add_series(label, [ctx.as_is[metric].expected, ctx.target[metric].expected])
    alt = f"Column chart of spend that stalls and value delivered, {ctx.years} years. "
    alt += _alt(data, ctx.money)
    _chart(deck, slide, ctx, XL_CHART_TYPE.COLUMN_CLUSTERED, data, alt, top, kind="money")
    _footnote(deck, slide, ctx, f"{ctx.modelled} from the client's costs and value per use case.")
    _notes(
        slide,
        f"Modelled from the client's inputs: {ctx.money(ctx.scenario.cost_per_poc)} per proof "
        f"of concept, {ctx.money(ctx.scenario.cost_to_production)} to take one to production, "
        f"{ctx.money(ctx.scenario.annual_value_per_use_case)} a year per use case with "
        "measurable impact." + _calibrated_note(ctx),
    )


def _practices_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, top = _slide(deck, ctx, msg.PRACTICES_HEADING)
    ranked = [e for e in ctx.ranking if e.to_level > e.from_level]
    data = CategoryChartData()
    data.categories = [f"{e.label} ({e.from_level} to {e.to_level})" for e in ranked]
    data.add_series("Extra use cases in production", [e.production_gain for e in ranked])
    alt = "Bar chart ranking the practices by extra use cases in production. " + _alt(data)
    chart = _chart(deck, slide, ctx, XL_CHART_TYPE.BAR_CLUSTERED, data, alt, top, kind="count")
    chart.category_axis.reverse_order = True
    chart.has_legend = False
    series = chart.plots[0].series[0]
    series.format.fill.fore_color.rgb = _rgb(ctx.brand.colors["secondary"])
    _footnote(deck, slide, ctx, f"{ctx.modelled}: each practice raised alone, the others as is.")
    _notes(
        slide,
        "Modelled: each driver raised alone from as is to target; effects in log-odds per "
        "readiness level are labelled assumptions (appendix B)." + _calibrated_note(ctx),
    )


def _start_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, frame = _text_slide(deck, ctx, msg.WHERE_TO_START)
    # The brief's own next steps (one home: BriefContext.next_steps), as the client reads them.
    for index, step in enumerate(ctx.next_steps):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(8)
        _numbered(paragraph)
        _run(paragraph, f"{step.title} {step.text}", ctx, size=18, brand=deck.kit)
    _notes(
        slide,
        "The first steps are the practices that move production most (modelled). "
        "For you, not the client: " + ctx.consultant_note,
    )


def _sources_slide(deck: Deck, ctx: BriefContext) -> None:
    slide, top = _slide(deck, ctx, msg.SOURCES_HEADING)
    rows = [("Publisher, year", "Title", "URL")]
    rows += [(f"{s.publisher}, {s.published.year}", s.title, s.url) for s in ctx.cited_sources]
    _table(deck, slide, ctx, rows, top, (0.25, 0.4, 0.35), size=9)
    _notes(slide, "Each source's exact quote, sample and caveats are in the brief's appendix A.")


# --- parts ---------------------------------------------------------------------------------
def _slide(deck: Deck, ctx: BriefContext, title: str, role: str = "visual"):
    """A slide with its title in the layout's title placeholder, and where its content starts."""
    slide = deck.prs.slides.add_slide(deck.layouts[role])
    slide.shapes.title.text = _text(title)
    if deck.kit:
        _style_title(slide, ctx)
        if deck.logo:
            height = Inches(0.45)
            width = round(height * _aspect(deck.logo))
            slide.shapes.add_picture(
                str(deck.logo), deck.width - MARGIN - width, Inches(0.15), width, height
            )
    heading = slide.shapes.title
    return slide, Emu(heading.top + heading.height + Inches(0.1))


def _text_slide(deck: Deck, ctx: BriefContext, title: str):
    """A slide whose text goes in the layout's body placeholder, as PowerPoint's own do; a
    text box below the title when a firm's layout has none."""
    slide, top = _slide(deck, ctx, title, "text")
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


def _numbered(paragraph) -> None:
    """Number the paragraph 1., 2., ... as PowerPoint's numbered list does (not typed in)."""
    properties = paragraph._p.get_or_add_pPr()
    for tag in ("a:buNone", "a:buChar", "a:buAutoNum"):
        for element in properties.findall(qn(tag)):
            properties.remove(element)
    properties.append(properties.makeelement(qn("a:buAutoNum"), {"type": "arabicPeriod"}))


@functools.lru_cache(maxsize=4)
def _aspect(image: Path) -> float:
    from PIL import Image

    with Image.open(image) as picture:
        return picture.width / picture.height


def _style_title(slide, ctx: BriefContext, top=TITLE_TOP, height=TITLE_HEIGHT, size=32) -> None:
    title = slide.shapes.title
    title.left, title.top = MARGIN, top
    title.width, title.height = SLIDE_WIDTH - 2 * MARGIN - Inches(2.2), height
    title.text_frame.word_wrap = True
    for paragraph in title.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.name = ctx.brand.heading_family
            run.font.color.rgb = _rgb(ctx.brand.colors["primary"])
            run.font.bold = True


def _run(
    paragraph, text: str, ctx: BriefContext, size: int, role="foreground", brand=True, bold=False
):
    """A run of text in the brand's font and a role's colour; in a firm's placeholder
    (``brand=False``), in the placeholder's own font and colour."""
    run = paragraph.add_run()
    run.text = _text(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    if brand:
        run.font.name = ctx.brand.base_family
        run.font.color.rgb = _rgb(ctx.brand.colors[role])
    return run


def _chart(
    deck: Deck, slide, ctx: BriefContext, chart_type, data, alt: str, top, height=None, *, kind
):
    """A native chart whose labels and value axis write numbers as the brief does.

    ``kind`` ("count", "money" or "rate") picks the formatter: each data label gets the number
    format that writes its value as the brief writes it, the value axis a step and format that
    write each tick so (``formatting.excel_format``, ``formatting.axis_scale``).
    """
    height = height or deck.height - top - Inches(0.9)
    data = _clean_chart_data(data)
    frame = slide.shapes.add_chart(chart_type, MARGIN, top, deck.width - 2 * MARGIN, height, data)
    # Alt text, as PowerPoint writes it.
    frame._element.nvGraphicFramePr.cNvPr.set("descr", _text(alt))
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
    currency = ctx.scenario.currency
    values = [value for series in data for value in series.values]
    plot.data_labels.number_format = excel_format(max(values, default=0), kind, currency)
    plot.data_labels.number_format_is_linked = False
    for series, source in zip(plot.series, data, strict=True):
        for point, value in zip(series.points, source.values, strict=True):
            _label_format(point, excel_format(value, kind, currency))
    step, number_format = axis_scale(max(values, default=0), kind, currency)
    axis = chart.value_axis
    axis.minimum_scale, axis.major_unit = min(0, *values), step
    axis.tick_labels.number_format = number_format
    axis.tick_labels.number_format_is_linked = False
    return chart


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


def _table(deck: Deck, slide, ctx: BriefContext, rows, top, shares, size: int = 12) -> None:
    """A native table, the first row its header."""
    width = deck.width - 2 * MARGIN
    height = min(deck.height - top - Inches(0.9), TABLE_ROW * len(rows))
    table = slide.shapes.add_table(len(rows), len(rows[0]), MARGIN, top, width, height).table
    for column, share in zip(table.columns, shares, strict=True):
        column.width = int(width * share)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = _text(text)
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.name = ctx.brand.base_family


def _clean_chart_data(data: CategoryChartData) -> CategoryChartData:
    """The chart's data with its labels as text XML can hold (the chart and its workbook)."""
    clean = CategoryChartData(number_format=data.number_format)
    clean.categories = [_text(category.label) for category in data.categories]
    for series in data:
        clean.add_series(_text(series.name), series.values, series.number_format)
    return clean


# What XML 1.0 cannot hold (C0 controls but tab and line feed, lone surrogates, U+FFFE and
# U+FFFF), and C1 controls, which it can but no slide should show. python-pptx refuses some of
# these with a traceback and writes others as _x0001_; every text the deck writes goes through
# _text, so no input can do either.
_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _text(text: object) -> str:
    """``text`` as text a slide can hold: characters XML cannot carry are dropped."""
    return _NOT_XML_TEXT.sub("", str(text))


def _alt(data: CategoryChartData, show=count) -> str:
    """A chart's numbers in words, for its alt text."""
    categories = [str(c.label) for c in data.categories]
    return " ".join(
        f"{series.name}: "
        + "; ".join(f"{c} {show(v)}" for c, v in zip(categories, series.values, strict=True))
        + "."
        for series in data
    )


def _footnote(deck: Deck, slide, ctx: BriefContext, text: str) -> None:
    box = slide.shapes.add_textbox(
        MARGIN, deck.height - Inches(0.8), deck.width - 2 * MARGIN, Inches(0.4)
    )
    box.text_frame.word_wrap = True
    _run(box.text_frame.paragraphs[0], text, ctx, size=11, role="muted")


def _notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = _text(text)


def _calibrated_note(ctx: BriefContext) -> str:
    if not ctx.calibrated:
        return ""
    return (
        f" Calibrated to {ctx.client}'s record of {ctx.record.pocs_started} proofs of concept "
        f"(prior strength {ctx.prior_strength} pilots, an assumption)."
    )


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def reproducible(prs, day: dt.date) -> bytes:
    """The deck as the same bytes for the same inputs: the date of the brief wherever a part
    records when it was made (the charts' embedded workbooks included), fixed zip times."""
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                workbook = shape.chart.part.chart_workbook
                workbook.update_from_xlsx_blob(_redated_workbook(workbook.xlsx_part.blob, stamp))
    buffer = io.BytesIO()
    prs.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _redated_workbook(archive: bytes, stamp: bytes) -> bytes:
    """A workbook with its core properties' dates set to ``stamp`` (XlsxWriter's own zip
    times are fixed already)."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():  # in the archive's own order: [Content_Types] first
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            data = source.read(info.filename)
            if info.filename.endswith("core.xml"):
                data = _CREATED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            target.writestr(entry, data)
    return buffer.getvalue()


def _fixed_zip_times(archive: bytes) -> bytes:
    """The archive with every member's time set to 1980-01-01, in place: python-pptx stamps
    the clock, and writing the archive again would compress every part twice."""
    data = bytearray(archive)
    end = data.rfind(b"PK\x05\x06")
    count, _, directory = struct.unpack_from("<HII", data, end + 10)
    position = directory
    for _ in range(count):
        if data[position : position + 4] != b"PK\x01\x02":
            raise ValueError("not a zip central directory entry")  # never, from python-pptx
        names, extra, comment = struct.unpack_from("<HHH", data, position + 28)
        (local,) = struct.unpack_from("<I", data, position + 42)
        data[position + 12 : position + 16] = _DOS_1980
        data[local + 10 : local + 14] = _DOS_1980
        position += 46 + names + extra + comment
    return bytes(data)
