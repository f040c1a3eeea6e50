import pytest

from pilotfunnel.core.errors import BrandError
from pilotfunnel.inputs.brand.contrast import TEXT_ON_BACKGROUND, contrast_ratio
from pilotfunnel.inputs.brand.load import load_brand
from pilotfunnel.views.theme import css as theme_css
from pilotfunnel.views.theme import mpl as theme_mpl

from ..conftest import FIXTURES, ROOT

BRAND = FIXTURES / "brand"


def test_project_brand_ships_its_fonts_and_logo():
    brand = load_brand(ROOT / "data" / "brand" / "brand.yml")
    assert brand.base_family == "Source Sans 3"
    assert {f.weight for f in brand.font_files} >= {400, 600, 700}
    assert brand.logo.suffix == ".svg"
    assert brand.page_size == "A4"


def test_brand_drives_matplotlib_and_css():
    brand = load_brand(BRAND / "alt" / "brand.yml")
    rc = theme_mpl.rc(brand)
    assert rc["axes.titlecolor"] == "#7A1F3D"
    assert "#7A1F3D" in rc["axes.prop_cycle"].by_key()["color"]
    css = theme_css.css_variables(brand)
    assert "--pf-primary: #7A1F3D;" in css and "--pf-secondary: #C2571A;" in css
    assert "size: letter" in theme_css.page_css(brand, "Acme")
    assert "strictly private for Acme" in theme_css.page_css(brand, "Acme")


def test_font_faces_are_inlined_not_fetched():
    css = theme_css.font_face_css(load_brand(ROOT / "data" / "brand" / "brand.yml"))
    assert css.count("@font-face") == 5
    assert "url(data:font/woff2;base64," in css and "http" not in css
    linked = theme_css.font_face_css(
        load_brand(ROOT / "data" / "brand" / "brand.yml"), inline=False
    )
    assert "url('file:///" in linked and "SourceSans3-Bold.ttf" in linked


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad_color", ["field 'color.primary'", "#RRGGBB", "#12345"]),
        ("missing_logo", ["field 'logo'", "nowhere.svg"]),
        ("unknown_font", ["typography.base.family", "nothing is loaded from the web"]),
        ("bad_page", ["field 'page.size'", "A4 or Letter", "A3"]),
        ("unknown_key", ["field 'fotter'", "did you mean 'footer'"]),
        (
            "low_contrast",
            [
                "field 'color.muted'",
                "muted #9AA5AE on background #FFFFFF (captions, notes and labels)",
                "contrast of 2.51:1; WCAG AA needs 4.5:1",
                "muted #9AA5AE on light #E8EEF2",
            ],
        ),
    ],
)
def test_each_brand_failure_names_the_key(name, expected):
    with pytest.raises(BrandError) as caught:
        load_brand(BRAND / f"{name}.yml")
    text = str(caught.value)
    assert f"{name}.yml" in text
    for fragment in expected:
        assert fragment in text


def test_footer_cannot_break_out_of_the_style_element():
    brand = load_brand(BRAND / "alt" / "brand.yml")
    css = theme_css.page_css(brand, 'Evil </style><script>alert("x")</script>')
    assert "</style>" not in css and "<script>" not in css
    assert "\\3C /style\\3E " in css


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#0F8B8D", "#FFFFFF") == pytest.approx(4.12, abs=0.01)  # teal: too faint
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # WCAG's own


def test_every_text_colour_of_the_project_brand_meets_wcag_aa():
    brand = load_brand(ROOT / "data" / "brand" / "brand.yml")
    colors = {**brand.colors, "heading": brand.heading_color}
    for text, ground, _, needed in TEXT_ON_BACKGROUND:
        assert contrast_ratio(colors[text], colors[ground]) >= needed, (text, ground)
    assert brand.colors["secondary_text"] != brand.colors["secondary"]  # the darker text teal
    assert "--pf-secondary-text: #0C7577;" in theme_css.css_variables(brand)


def test_a_brand_without_a_text_variant_is_checked_with_its_secondary_colour(tmp_path):
    text = (BRAND / "alt" / "brand.yml").read_text(encoding="utf-8")
    (tmp_path / "brand.yml").write_text(text.replace('  secondary_text: "#9A4413"\n', ""))
    (tmp_path / "logo.svg").write_bytes((BRAND / "alt" / "logo.svg").read_bytes())
    with pytest.raises(BrandError, match="secondary_text #C2571A on background #FFFFFF"):
        load_brand(tmp_path / "brand.yml")
