"""Hostile brand files, fonts, logos and deck templates: each is refused with one line naming
the brand.yml field, or accepted and harmless; never a traceback, never a run past a bound.

One fixture per class in tests/fixtures/hostile/brand/ (make_fixtures.py writes the
templates), and generated documents and zip archives (hypothesis) for the classes at large.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import struct
import tracemalloc
import zipfile
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from pilotfunnel.core.errors import BrandError
from pilotfunnel.inputs.brand import check_image, check_type
from pilotfunnel.inputs.brand.fonts import font_problem
from pilotfunnel.inputs.brand.load import Brand, FontFile, load_brand
from pilotfunnel.views import deck
from pilotfunnel.views.deck import template as deck_template
from pilotfunnel.views.theme import css as theme_css
from pilotfunnel.views.theme.mpl import register_fonts

from .conftest import FIXTURES, ROOT, run_pilotfunnel

HOSTILE = FIXTURES / "hostile" / "brand"
FIRM = FIXTURES / "deck" / "firm.pptx"
FIRM_LAYOUTS = (("title", "Cover"), ("text", "Statement"), ("visual", "Headline"))
ALT = FIXTURES / "brand" / "alt" / "brand.yml"


def one_line_problems(error: BrandError) -> list[str]:
    """The error's lines, each checked to be one short problem."""
    lines = str(error).splitlines()
    assert lines
    for line in lines:
        assert len(line) < 400, line
        assert "Traceback" not in line
    return lines


# --- one fixture per class ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("fixture", "field", "fragment"),
    [
        ("family_css_injection", "typography.base.family", "letters, digits, spaces, _ or -"),
        ("style_css_injection", "typography.fonts[0].files[0].style", "normal, italic, oblique"),
        ("odd_size", "typography.base.size", "in pt, px or rem"),
        ("huge_size", "typography.base.size", "from 6pt to 24pt"),
        ("bad_weight", "typography.headings.weight", "100 to 900 in hundreds"),
        ("bad_line_height", "typography.base.line-height", "a percentage (145%) or normal"),
        ("not_a_font", "typography.fonts[0].files[0]", "is not a font"),
        ("logo_not_svg", "logo", "is not an SVG image"),
        ("logo_script", "logo", "a logo may only draw"),
        ("path_outside", "logo", "inside the brand folder"),
        ("footer_control", "footer", "without control characters"),
        ("palette_not_mapping", "color.palette", "must map colour names to #RRGGBB"),
    ],
)
def test_each_hostile_brand_file_is_one_line_naming_its_field(fixture, field, fragment):
    with pytest.raises(BrandError) as caught:
        load_brand(HOSTILE / f"{fixture}.yml")
    lines = one_line_problems(caught.value)
    named = [line for line in lines if f"field '{field}'" in line]
    assert named, lines
    assert fragment in named[0] and f"{fixture}.yml" in named[0]


def test_css_and_html_metacharacters_never_reach_the_page(tmp_path):
    # Before: the family landed in every brief's <style> as is, and brand check said ok.
    with pytest.raises(BrandError) as caught:
        load_brand(HOSTILE / "family_css_injection.yml")
    assert "typography.base.family" in str(caught.value)
    # What is accepted is written into CSS without a way out of its string or element.
    brand = load_brand(ALT)
    css = theme_css.css_variables(brand) + theme_css.page_css(
        brand, 'A </style><script>x</script> "\x85\n'
    )
    assert "<" not in css and "\n\n" not in css


@pytest.mark.parametrize(
    ("size", "points"),
    [("12px", 9.0), ("1rem", 12.0), ("0.875rem", 10.5), ("11pt", 11.0), (10, 10.0)],
)
def test_sizes_with_units_are_read_as_points(tmp_path, size, points):
    brand = load_brand(alt_with(tmp_path, {"typography": {"base": {"size": size}}}))
    assert brand.base_size_pt == points
    assert f"--pf-font-size: {points}pt;" in theme_css.css_variables(brand)


@pytest.mark.parametrize(
    ("weight", "line_height", "expected"),
    [("bold", "normal", (700, 1.2)), ("semi-bold", "145%", (600, 1.45)), ("300", 1.3, (300, 1.3))],
)
def test_weights_by_name_and_line_height_normal(tmp_path, weight, line_height, expected):
    # Before: "bold" and "normal" were tracebacks (int("bold"), float("normal")).
    path = alt_with(
        tmp_path,
        {"typography": {"base": {"line-height": line_height}, "headings": {"weight": weight}}},
    )
    brand = load_brand(path)
    assert (brand.heading_weight, brand.line_height) == expected


def alt_with(folder: Path, changes: dict) -> Path:
    """The alt brand (DejaVu Sans, no font files) with ``changes`` merged in, in ``folder``."""
    data = yaml.safe_load(ALT.read_text(encoding="utf-8"))
    merge(data, changes)
    shutil.copy(ALT.parent / "logo.svg", folder / "logo.svg")
    path = folder / "brand.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def merge(data: dict, changes: dict) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            merge(data[key], value)
        else:
            data[key] = value


# --- fonts ----------------------------------------------------------------------------------
def test_a_font_file_that_is_not_a_font_stops_every_brief_naming_the_file(project_copy):
    # Before: brand check said ok, and the brief failed later with FreeType's message.
    from pilotfunnel.inputs.project import Project

    font = project_copy / "data" / "brand" / "fonts" / "SourceSans3-Bold.ttf"
    font.write_bytes(b"\x00\x01\x00\x00" + b"not really a font" * 100)  # a TrueType header
    with pytest.raises(BrandError) as caught:
        Project.load(project_copy)
    (line,) = one_line_problems(caught.value)
    assert "field 'typography.fonts[0].files[3]': is not a font" in line
    assert "fonts/SourceSans3-Bold.ttf" in line


def test_the_real_fonts_pass_and_a_text_file_does_not():
    for path in sorted((ROOT / "data" / "brand" / "fonts").glob("*.ttf")):
        assert font_problem(path) is None, path
    assert "fontTools cannot read it" in font_problem(HOSTILE / "not_a_font.ttf")


def test_fonts_replaced_after_loading_fail_naming_the_file(tmp_path):
    # A font swapped for junk after the brand was loaded (a long-lived worker): the charts and
    # the HTML page each name the file, not FreeType or fontTools.
    junk = tmp_path / "Swapped.ttf"
    junk.write_bytes(b"junk" * 100)
    brand = dataclasses.replace(
        load_brand(ALT), font_files=(FontFile("Swapped", junk, 400, "normal"),)
    )
    with pytest.raises(BrandError, match=r"Swapped\.ttf: is not a font FreeType can read"):
        register_fonts(brand.font_files)
    with pytest.raises(BrandError, match=r"Swapped\.ttf cannot be subset for the HTML page"):
        theme_css.font_face_css(brand, inline=True)


def test_brand_check_names_a_font_that_is_not_a_font_with_exit_2():
    done = run_pilotfunnel("brand", "check", HOSTILE / "not_a_font.yml")
    assert done.returncode == 2, done.stdout
    (line,) = done.stderr.strip().splitlines()
    assert "field 'typography.fonts[0].files[0]': is not a font" in line
    assert "not_a_font.ttf" in line


# --- deck templates -------------------------------------------------------------------------
def with_template(path: Path) -> Brand:
    return dataclasses.replace(
        load_brand(ROOT / "data" / "brand" / "brand.yml"),
        pptx_template=path,
        pptx_layouts=FIRM_LAYOUTS,
    )


def test_a_zip_bomb_template_is_refused_from_its_directory_without_inflating():
    # Before: a 1 MB template took 2.3 GB and its 1 GiB entry went into the client's deck.
    tracemalloc.start()
    try:
        with pytest.raises(BrandError) as caught:
            deck.open_template(with_template(HOSTILE / "zip_bomb.pptx"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (line,) = one_line_problems(caught.value)
    assert "field 'pptx_template'" in line and "zip_bomb.pptx" in line
    assert "has an entry over 32 MB uncompressed (ppt/media/padding.bin)" in line
    assert peak < 4 * 2**20  # the 33 MiB entry was never inflated


def test_a_declared_size_over_the_limit_is_refused_and_a_false_one_fails_to_read(tmp_path):
    data = FIRM.read_bytes()
    declared_gib = tmp_path / "declared.pptx"
    declared_gib.write_bytes(with_declared_size(data, "ppt/presentation.xml", 2**30))
    with pytest.raises(BrandError, match=r"has an entry over 32 MB uncompressed"):
        deck.open_template(with_template(declared_gib))
    # Declared smaller than it is: zipfile stops at the declared size and the CRC fails.
    understated = tmp_path / "understated.pptx"
    understated.write_bytes(with_declared_size(data, "ppt/presentation.xml", 10))
    with pytest.raises(BrandError, match=r"cannot be read as a PowerPoint presentation"):
        deck.open_template(with_template(understated))


def with_declared_size(archive: bytes, name: str, size: int) -> bytes:
    """The archive with ``name``'s uncompressed size in its central directory set to ``size``."""
    data = bytearray(archive)
    end = data.rfind(b"PK\x05\x06")
    count, _, position = struct.unpack_from("<HII", data, end + 10)
    for _ in range(count):
        names, extra, comment = struct.unpack_from("<HHH", data, position + 28)
        if data[position + 46 : position + 46 + names].decode() == name:
            struct.pack_into("<I", data, position + 24, size)
        position += 46 + names + extra + comment
    return bytes(data)


def test_a_template_that_is_not_a_zip_is_refused():
    with pytest.raises(BrandError) as caught:
        deck.open_template(with_template(HOSTILE / "not_a_zip.pptx"))
    (line,) = one_line_problems(caught.value)
    assert "not_a_zip.pptx cannot be read as a PowerPoint template: it is not a zip" in line


def test_a_template_with_external_relationships_is_refused():
    # Before: its file: link and linked picture were copied into every client's deck.
    with pytest.raises(BrandError) as caught:
        deck.open_template(with_template(HOSTILE / "external_rel.pptx"))
    (line,) = one_line_problems(caught.value)
    assert "has an external relationship (to " in line
    assert "file:///C:/Clients/Acme/numbers.xlsx" in line or "http://tracker.example" in line


def test_no_client_deck_has_an_external_relationship(project_copy):
    from pilotfunnel.inputs.project import Project
    from pilotfunnel.views import brief

    folder = project_copy / "data" / "brand"
    decks = [
        brief.prepare(Project.load(project_copy), ROOT / "data/clients/demo.yaml", "2026-11-25")
    ]
    shutil.copy(FIRM, folder / "firm.pptx")
    path = folder / "brand.yml"
    data = yaml.safe_load(path.read_text())
    data.update(pptx_template="firm.pptx", pptx_layouts=dict(FIRM_LAYOUTS))
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    decks.append(
        brief.prepare(Project.load(project_copy), ROOT / "data/clients/demo.yaml", "2026-11-25")
    )
    for ctx in decks:
        with zipfile.ZipFile(io.BytesIO(deck.build_deck(ctx))) as archive:
            for name in archive.namelist():
                if name.endswith(".rels"):
                    assert b'TargetMode="External"' not in archive.read(name), name


def test_brand_check_opens_the_template_with_exit_2(project_copy):
    folder = project_copy / "data" / "brand"
    shutil.copy(HOSTILE / "zip_bomb.pptx", folder / "firm.pptx")
    path = folder / "brand.yml"
    data = yaml.safe_load(path.read_text())
    data.update(pptx_template="firm.pptx", pptx_layouts=dict(FIRM_LAYOUTS))
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    done = run_pilotfunnel("brand", "check", cwd=project_copy)
    assert done.returncode == 2, done.stdout
    (line,) = done.stderr.strip().splitlines()
    assert "field 'pptx_template'" in line and "has an entry over 32 MB" in line
    shutil.copy(FIRM, folder / "firm.pptx")
    done = run_pilotfunnel("brand", "check", cwd=project_copy)
    assert done.returncode == 0, done.stderr
    assert "deck template data/brand/firm.pptx has the layouts the deck uses" in done.stdout


def test_a_layout_list_from_a_hostile_template_is_cut(tmp_path):
    prs = Presentation(str(FIRM))
    for layout in prs.slide_layouts:
        layout.name = "L" * 500
    path = tmp_path / "long.pptx"
    prs.save(path)
    with pytest.raises(BrandError) as caught:
        deck.open_template(with_template(path))
    for line in one_line_problems(caught.value):
        assert "L" * 41 not in line


# --- generated brand files ------------------------------------------------------------------
METACHARACTERS = st.sampled_from(
    [
        "<",
        ">",
        '"',
        "'",
        "\\",
        ";",
        "{",
        "}",
        "(",
        ")",
        "/*",
        "*/",
        "@import",
        "url(",
        "&",
        "</style>",
        "<script>",
        "\n",
        "\x00",
        "\x1b",
        "\u2028",
        "expression(",
        "!important",
        "%",
    ]
)
HOSTILE_TEXT = st.lists(st.one_of(st.text(max_size=6), METACHARACTERS), max_size=12).map("".join)
VALUES = st.one_of(
    HOSTILE_TEXT,
    st.text(min_size=81, max_size=300),
    st.sampled_from(["12px", "1.2rem", "bold", "normal", "900", "1e400", "-1pt", ".inf", "A4"]),
    st.integers(),
    st.integers(min_value=10**20, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
FIELDS = st.sampled_from(
    [
        ("meta",), ("meta", "name"), ("meta", "link"), ("logo",), ("logo_png",),
        ("color",), ("color", "palette"), ("color", "palette", "navy"), ("color", "primary"),
        ("color", "secondary_text"), ("typography",), ("typography", "fonts"),
        ("typography", "base"), ("typography", "base", "family"), ("typography", "base", "size"),
        ("typography", "base", "line-height"), ("typography", "headings", "family"),
        ("typography", "headings", "weight"), ("typography", "headings", "color"),
        ("footer",), ("footer_without_client",), ("page",), ("page", "size"),
        ("page", "margin"), ("pptx_template",), ("pptx_layouts",), ("pptx_layouts", "title"),
        ("unknown key",), ("typography", "base", "colour"),
    ]
)  # fmt: skip


PRINTABLE_TEXT = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=6),
        METACHARACTERS.filter(lambda text: text.isprintable()),
    ),
    max_size=12,
).map("".join)
# Changes the kit accepts, so that generated files are accepted too, and their CSS checked.
ACCEPTABLE = st.one_of(
    st.tuples(
        st.just(("typography", "base", "size")),
        st.sampled_from(["12px", "1rem", "11pt", 10, "0.8rem", 9.5]),
    ),
    st.tuples(
        st.just(("typography", "headings", "weight")),
        st.sampled_from(["bold", 400, "600", "Extra-Bold", "thin"]),
    ),
    st.tuples(
        st.just(("typography", "base", "line-height")),
        st.sampled_from(["normal", "145%", 1.3, "1.6"]),
    ),
    st.tuples(st.just(("footer",)), PRINTABLE_TEXT),
    st.tuples(st.just(("footer_without_client",)), PRINTABLE_TEXT),
    st.tuples(st.just(("meta", "name")), PRINTABLE_TEXT.filter(str.strip)),
    st.tuples(st.just(("page", "margin")), st.sampled_from(["10mm", "0.5in 1cm", "0 1pt 3mm 4px"])),
)


@pytest.fixture(scope="module")
def brand_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-brand")
    shutil.copy(ALT.parent / "logo.svg", folder / "logo.svg")
    return folder


def set_path(data: dict, path: tuple[str, ...], value: object) -> None:
    for key in path[:-1]:
        if not isinstance(data.get(key), dict):
            data[key] = {}
        data = data[key]
    data[path[-1]] = value


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.lists(st.one_of(ACCEPTABLE, st.tuples(FIELDS, VALUES)), min_size=1, max_size=5))
def test_generated_brand_files_are_accepted_or_refused_in_one_line_each(brand_folder, changes):
    data = yaml.safe_load(ALT.read_text(encoding="utf-8"))
    for path, value in changes:
        set_path(data, path, value)
    brand_file = brand_folder / "brand.yml"
    brand_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        brand = load_brand(brand_file)
    except BrandError as error:
        event("refused")
        text = str(error)
        one_line_problems(error)
        for _, value in changes:
            if isinstance(value, str) and len(value) > 80:
                assert value not in text  # cut before it is shown
        return
    event("accepted")
    # Accepted: whatever it holds is written into CSS without a way out.
    css = (
        theme_css.css_variables(brand)
        + theme_css.page_css(brand, "Client")
        + theme_css.font_face_css(brand, inline=False)
    )
    assert "<" not in css  # a footer's "<" is escaped as \3C, a family cannot hold one
    assert 6 <= brand.base_size_pt <= 24 and 100 <= brand.heading_weight <= 900


# --- generated templates --------------------------------------------------------------------
# Small limits, so examples stay small; the firm's template is 38 entries, 93 KB inflated.
ENTRY_LIMIT, TOTAL_LIMIT, COUNT_LIMIT = 64 * 1024, 256 * 1024, 50
ENTRIES = st.lists(
    st.tuples(
        st.sampled_from(["a.xml", "b.bin", "ppt/x.xml", "docProps/y.xml", "[Content_Types].xml"]),
        st.integers(min_value=0, max_value=80 * 1024),  # real size
        st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
        st.one_of(st.none(), st.integers(min_value=0, max_value=2**32 - 1)),  # declared size
    ),
    max_size=16,
)


@settings(max_examples=40, deadline=None)
@given(entries=ENTRIES, firm=st.booleans(), data=st.data())
def test_generated_templates_are_refused_or_opened_by_the_rules(
    tmp_path_factory, entries, firm, data
):
    folder = tmp_path_factory.mktemp("template", numbered=True)
    buffer = io.BytesIO(FIRM.read_bytes() if firm else b"")
    with zipfile.ZipFile(buffer, "a" if firm else "w") as archive:
        base = list(archive.infolist())
        for index, (name, size, method, _) in enumerate(entries):
            # Zeros: a small budget on disk, the sizes what the rules are about.
            archive.writestr(zipfile.ZipInfo(f"extra/{index}/{name}"), bytes(size), method)
    archive_bytes = buffer.getvalue()
    declared = [info.file_size for info in base] + [size for _, size, _, _ in entries]
    for index, (name, _, _, lie) in enumerate(entries):
        if lie is not None:
            archive_bytes = with_declared_size(archive_bytes, f"extra/{index}/{name}", lie)
            declared[len(base) + index] = lie
    path = folder / "template.pptx"
    path.write_bytes(archive_bytes)
    expected_refusal = (
        len(declared) > COUNT_LIMIT
        or any(size > ENTRY_LIMIT for size in declared)
        or sum(declared) > TOTAL_LIMIT
    )
    limits = {
        "TEMPLATE_MAX_ENTRIES": COUNT_LIMIT,
        "TEMPLATE_MAX_ENTRY_BYTES": ENTRY_LIMIT,
        "TEMPLATE_MAX_TOTAL_BYTES": TOTAL_LIMIT,
    }
    # Patched where the archive check reads them: deck re-exports the names.
    with mock.patch.multiple(deck_template, **limits):
        why = deck.check_template_archive(path)
        assert (why is not None) == expected_refusal, (why, declared)
        try:
            opened = deck.open_template(with_template(path))
        except BrandError as error:
            event("refused by the directory" if why else "refused on opening")
            one_line_problems(error)
            return
    event("opened")
    assert not expected_refusal and firm  # only a real template opens
    assert [layout.name for layout in opened.layouts.values()] == [n for _, n in FIRM_LAYOUTS]


TARGETS = st.tuples(
    st.sampled_from(["http://", "https://", "file:///", "\\\\server\\share\\", "mailto:"]),
    st.text(alphabet="abcxyz/._-", max_size=20),
)


@settings(max_examples=30, deadline=None)
@given(links=st.lists(st.tuples(st.integers(min_value=0, max_value=10), TARGETS), max_size=3))
def test_generated_external_relationships_are_all_refused(tmp_path_factory, links):
    prs = Presentation(str(FIRM))
    parts = [prs.slide_master.part, *(layout.part for layout in prs.slide_layouts)]
    for where, (scheme, rest) in links:
        parts[where % len(parts)].relate_to(scheme + rest, RT.HYPERLINK, is_external=True)
    path = tmp_path_factory.mktemp("external", numbered=True) / "template.pptx"
    prs.save(path)
    if not links:
        assert deck.open_template(with_template(path)).layouts
        return
    with pytest.raises(BrandError) as caught:
        deck.open_template(with_template(path))
    (line,) = one_line_problems(caught.value)
    assert "has an external relationship" in line


def test_the_brand_module_says_what_sizes_it_reads():
    assert check_type.SIZE_UNITS_PT == {"pt": 1.0, "px": 0.75, "rem": 12.0, "em": 12.0}


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "is not a PNG image PIL can read"),
        ("logo.png", b"<svg/>", "is not a PNG image"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><image href='http://x/y.png'/></svg>",
         "refers to another file or address"),
        ("logo.svg", b"<svg><style>@import 'http://x/y.css';</style></svg>", "fetches a file"),
        ("logo.svg", b"<svg style=\"fill:url(file:///etc/passwd)\"/>", "fetches a file"),
        ("logo.svg", b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>', "declares XML entities"),
        ("logo.svg", b"<svg><foreignObject><p>x</p></foreignObject></svg>", "may only draw"),
        ("logo.svg", b"<svg", "not well-formed XML"),
    ],
)  # fmt: skip
def test_a_logo_is_judged_by_its_content(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    assert says in check_image.image_problem(path)


def test_the_kits_own_logos_are_images():
    for name in ("logo.svg", "logo.png"):
        assert check_image.image_problem(ROOT / "data" / "brand" / name) is None
