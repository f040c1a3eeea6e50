"""Hostile brand files, fonts and logos: each is refused with one line naming
the brand.yml field, or accepted and harmless; never a traceback, never a run past a bound.

One fixture per class in tests/fixtures/hostile/brand/ (make_fixtures.py writes the
templates), and generated documents (hypothesis) for the classes at large. Deck templates:
test_hostile_template.py.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pilotfunnel.core.errors import BrandError
from pilotfunnel.inputs.brand import check_image, check_type
from pilotfunnel.inputs.brand.fonts import FontFile, font_problem
from pilotfunnel.inputs.brand.load import load_brand
from pilotfunnel.inputs.project import Project
from pilotfunnel.views.theme import css as theme_css
from pilotfunnel.views.theme.mpl import register_fonts

from ..conftest import FIXTURES, ROOT, run_pilotfunnel

HOSTILE = FIXTURES / "hostile" / "brand"
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
        ("typography", "fallback"),
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
    st.tuples(
        st.just(("typography", "fallback")),
        st.lists(
            st.from_regex(check_type.SAFE_FAMILY, fullmatch=True),
            min_size=1,
            max_size=check_type.MAX_FALLBACK,
            unique_by=str.casefold,
        ),
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
    stack = brand.font_stack(brand.base_family)
    assert stack[0] == brand.base_family and len({f.casefold() for f in stack}) == len(stack)
    assert f"--pf-font-base: {theme_css.font_family(brand, brand.base_family)};" in css


# --- typography.fallback ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "field", "fragment"),
    [
        ("Arial", "typography.fallback", "must list 1 to 8 font families"),
        ([], "typography.fallback", "must list 1 to 8 font families"),
        ([f"Font {n}" for n in range(9)], "typography.fallback", "must list 1 to 8"),
        ({"family": "Arial"}, "typography.fallback", "must list 1 to 8"),
        (["Arial", "Arial'; } body { x: url(http://e/) "], "typography.fallback[1]",
         "letters, digits, spaces, _ or -"),
        (["Arial", None], "typography.fallback[1]", "must be a font family's name"),
        ([12], "typography.fallback[0]", "must be a font family's name"),
        (["Arial", "x" * 200], "typography.fallback[1]", "at most 64 letters"),
        (["Arial", "Liberation Sans", "arial"], "typography.fallback[2]",
         "names a family listed before it"),
    ],
)  # fmt: skip
def test_a_hostile_fallback_is_one_line_naming_its_entry(tmp_path, value, field, fragment):
    with pytest.raises(BrandError) as caught:
        load_brand(alt_with(tmp_path, {"typography": {"fallback": value}}))
    lines = one_line_problems(caught.value)
    named = [line for line in lines if f"field '{field}'" in line]
    assert named and fragment in named[0], lines
    assert "x" * 100 not in str(caught.value)  # a long value is cut before it is shown


def test_the_fallback_follows_the_brands_family_on_every_surface(tmp_path):
    from pilotfunnel.views.theme import mpl

    fallback = ["Arial", "Liberation Sans", "DejaVu Sans", "No Such Family 7"]
    brand = load_brand(alt_with(tmp_path, {"typography": {"fallback": fallback}}))
    assert brand.font_fallback == tuple(fallback)
    # The brand's family first and once (the alt brand's is DejaVu Sans), then the rest.
    assert brand.font_stack("DejaVu Sans") == ("DejaVu Sans", "Arial", "Liberation Sans",
                                               "No Such Family 7")  # fmt: skip
    css = theme_css.css_variables(brand)
    assert (
        "--pf-font-base: 'DejaVu Sans', 'Arial', 'Liberation Sans', 'No Such Family 7', "
        "sans-serif;" in css
    )
    # The charts name only what matplotlib can find: a missing family would warn on each. Which
    # of Arial and Liberation Sans a machine has varies (LibreOffice brings Liberation), so the
    # expectation is read from matplotlib's own font list, in the brand's order.
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    assert "DejaVu Sans" in installed  # matplotlib ships it
    expected = [family for family in brand.font_stack("DejaVu Sans") if family in installed]
    families = mpl.rc(brand)["font.family"]
    assert families == expected and families[0] == "DejaVu Sans"
    assert "No Such Family 7" not in families
    # Without a fallback: the family and the reader's sans-serif, no kit font imposed.
    plain = load_brand(ALT)
    assert plain.font_fallback == ()
    assert "--pf-font-base: 'DejaVu Sans', sans-serif;" in theme_css.css_variables(plain)


def test_the_kits_brand_names_its_fallback():
    brand = Project.load(ROOT).brand
    assert brand.font_fallback[:2] == ("Arial", "Liberation Sans")
    assert "'Source Sans 3', 'Arial', 'Liberation Sans'" in theme_css.css_variables(brand)


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
