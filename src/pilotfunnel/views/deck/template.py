"""The template a deck is made on: the kit's own, themed with the brand, or a firm's.

The kit's is python-pptx's default master widened to 16:9, with the brand's colours and fonts as
its theme, so a series or slide added in PowerPoint stays on brand. A firm's (``pptx_template``
in brand.yml) is checked from its zip directory before python-pptx opens it, its example slides
are dropped, and its layouts are used by name, their placeholders keeping the firm's styles.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree  # python-pptx's own XML library, loaded with it
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu

from pilotfunnel.core.errors import BrandError, Problem, display_path
from pilotfunnel.inputs.brand.fonts import substitution_hints
from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.views.deck.text import xml_text

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12192000), Emu(6858000)  # 16:9, as PowerPoint sizes it


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
    text = xml_text(text).replace("\n", " ")
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
    # The master's bullets are drawn in Arial, python-pptx's default: in the brand's font
    # instead, so a bullet falls back as its text does (LibreOffice drew it in DejaVu Sans).
    for bullet in prs.slide_master._element.iter(qn("a:buFont")):
        for name, value in font_attributes(brand, brand.base_family).items():
            bullet.set(name, value)
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    theme._blob = _branded_theme(theme.blob, brand)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _branded_theme(xml: bytes, brand: Brand) -> bytes:
    """The theme's colour and font scheme from the brand: what PowerPoint offers first when a
    consultant recolours a chart or adds a slide."""
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
        for name, value in font_attributes(brand, family).items():
            latin.set(name, value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def font_attributes(brand: Brand, family: str) -> dict[str, str]:
    """An a:latin element's attributes for ``family``: its name and, when the brand ships it,
    its PANOSE number and pitch-and-family, by which PowerPoint picks a like substitute on a
    machine without it (``fonts.substitution_hints``).

    A deck names one font a run: PowerPoint and LibreOffice read no list, and LibreOffice
    7.4 takes only the first of "A;B" (tried). The brand's fallback reaches a reader through
    the CSS and the charts; in the deck, through these hints.
    """
    attributes = {"typeface": family}
    files = sorted(
        (f for f in brand.font_files if f.family == family),
        key=lambda f: (f.style != "normal", abs(f.weight - 400)),
    )
    if files:
        panose, pitch = substitution_hints(files[0].path)
        attributes |= {"panose": panose, "pitchFamily": pitch, "charset": "0"}
    return attributes
