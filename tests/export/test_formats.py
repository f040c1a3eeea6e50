"""The registry of formats: which exist, the defaults, --format, each format's preflight."""

import shutil

import pytest
import yaml

from pilotfunnel.core.errors import BrandError
from pilotfunnel.export.formats import DEFAULT_FORMATS, FORMATS, Format, FormatRegistry
from pilotfunnel.export.nbconvert.exporters import (
    BriefDeckExporter,
    BriefHTMLExporter,
    BriefPDFExporter,
)
from pilotfunnel.inputs.project import Project

from ..conftest import FIXTURES


def _format(name: str, preflight=None) -> Format:
    return Format(name, f".{name}", "application/octet-stream", lambda r: b"", preflight)


def test_the_kit_makes_three_formats_and_two_by_default():
    assert FORMATS.names() == ("pdf", "html", "pptx")
    assert DEFAULT_FORMATS == ("pdf", "html") and all(f in FORMATS for f in DEFAULT_FORMATS)
    assert [FORMATS[f].suffix for f in FORMATS] == [".pdf", ".html", ".pptx"]
    assert FORMATS["pdf"].file_name("northwind-2026-11-25") == "northwind-2026-11-25.pdf"
    # Only the deck can fail on the project before its notebook runs.
    assert [f for f in FORMATS if FORMATS[f].preflight] == ["pptx"]


def test_each_formats_media_type_is_its_exporters():

    exporters = {"pdf": BriefPDFExporter, "html": BriefHTMLExporter, "pptx": BriefDeckExporter}
    for name, exporter in exporters.items():
        assert FORMATS[name].mimetype == exporter().output_mimetype, name


def test_format_text_is_parsed_as_names():
    assert FORMATS.parse(" PDF, html ,") == ("pdf", "html")
    with pytest.raises(ValueError, match="unknown format docx, odt; use one or more of pdf, html"):
        FORMATS.parse("pdf,docx,odt")
    with pytest.raises(ValueError, match=r"unknown format \(none\)"):
        FORMATS.parse(" , ")


def test_a_registry_refuses_a_second_format_of_a_name_and_names_what_it_has():
    registry = FormatRegistry()
    registry.register(_format("txt"))
    with pytest.raises(ValueError, match="format txt is already registered"):
        registry.register(_format("txt"))
    with pytest.raises(ValueError, match="lower-case letters and digits"):
        registry.register(_format("Tx,t"))
    with pytest.raises(KeyError, match="unknown format odt; the formats are txt"):
        registry.get("odt")
    assert registry.names() == ("txt",) and len(registry) == 1


def test_the_project_is_loaded_only_for_a_format_that_checks_it():
    checked, loads = [], []
    registry = FormatRegistry()
    registry.register(_format("txt"))
    registry.register(_format("deck", preflight=checked.append))

    def load():
        loads.append(1)
        return "the project"

    registry.preflight(["txt"], load)
    assert loads == [] and checked == []
    registry.preflight(["txt", "deck"], load)
    assert loads == [1] and checked == ["the project"]


def test_the_deck_preflight_refuses_a_template_that_cannot_serve(project_copy):
    brand = project_copy / "data" / "brand"
    shutil.copy(FIXTURES / "deck" / "not_a_deck.pptx", brand)
    data = yaml.safe_load((brand / "brand.yml").read_text())
    (brand / "brand.yml").write_text(yaml.safe_dump({**data, "pptx_template": "not_a_deck.pptx"}))
    project = Project.load(project_copy)
    FORMATS.preflight(("pdf", "html"), lambda: project)  # nothing to check for these
    with pytest.raises(BrandError, match=r"not_a_deck\.pptx cannot be read"):
        FORMATS.preflight(("pdf", "pptx"), lambda: project)


def test_the_kit_deck_template_passes_its_preflight_once_per_project(project_copy):
    project = Project.load(project_copy)
    FORMATS["pptx"].preflight(project)
    assert project.cached("deck template checked", lambda: pytest.fail("checked again"))
