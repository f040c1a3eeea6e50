"""Each workaround in compat: the upstream behaviour it works around still exists, and the
workaround fixes it. When an upstream release fixes the problem, the first kind of test fails
and says which workaround to retire."""

import functools
import inspect
import io
import logging
import subprocess
import sys

import nbformat
import pytest

from pilotfunnel.core import compat
from pilotfunnel.inputs.brand.load import load_brand
from pilotfunnel.views.theme import css

from ..conftest import ROOT, assert_same_bytes

BRAND = load_brand(ROOT / "data" / "brand" / "brand.yml")
FONT_HTML = """<!DOCTYPE html><html lang="en"><head><title>t</title><style>
{faces} body {{ font-family: 'Source Sans 3'; }}</style></head><body><p>Same bytes, 4 of 33.</p>
</body></html>"""


def _clock(monkeypatch, seconds: float) -> None:
    from fontTools.misc import timeTools

    # fontTools stamps fonts with time.time() (or SOURCE_DATE_EPOCH, which must not leak in).
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(
        timeTools, "time", type("Clock", (), {"time": staticmethod(lambda: seconds)})
    )


def test_upstream_fonttools_still_stamps_the_current_time_into_a_saved_font(monkeypatch):
    from fontTools.ttLib import TTFont

    font_path = BRAND.font_files[0].path
    stamps = []
    for seconds in (1_700_000_000, 1_700_000_010):
        _clock(monkeypatch, seconds)
        font = TTFont(str(font_path))
        font.save(io.BytesIO())
        stamps.append(font["head"].modified)
    assert stamps[1] - stamps[0] == 10  # still true upstream: keep the workaround


def test_upstream_weasyprint_fallback_still_saves_with_fonttools():
    from weasyprint.pdf import fonts

    source = inspect.getsource(fonts.Font._fonttools_subset)
    assert "TTFont(" in source and ".save(" in source, "WeasyPrint changed: re-check compat"


@pytest.fixture
def fonttools_path(monkeypatch):
    """WeasyPrint made to subset with fontTools, as on a machine without HarfBuzz-Subset."""
    from weasyprint.pdf import fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    return fonts


def _render_at(monkeypatch, seconds: float) -> bytes:
    from pilotfunnel.export.nbconvert.pdf import html_to_pdf

    _clock(monkeypatch, seconds)
    faces = css.font_face_css(BRAND, inline=False)
    return html_to_pdf(FONT_HTML.format(faces=faces), identifier="compat-test")


def test_pdf_bytes_do_not_depend_on_the_second_on_the_fonttools_path(fonttools_path, monkeypatch):
    first = _render_at(monkeypatch, 1_700_000_000)
    later = _render_at(monkeypatch, 1_700_000_010)
    assert_same_bytes(later, first, "PDFs rendered 10 s apart")
    assert isinstance(fonttools_path.TTFont, functools.partial)


def test_the_workaround_applies_once(fonttools_path):
    compat.keep_font_timestamps_in_pdf_subsets()
    patched = fonttools_path.TTFont
    compat.keep_font_timestamps_in_pdf_subsets.__wrapped__()
    assert fonttools_path.TTFont is patched  # not wrapped twice


def test_the_slow_path_is_named_once_with_the_package_to_install(monkeypatch, caplog):
    monkeypatch.setattr(compat, "harfbuzz_subset_available", lambda: False)
    with caplog.at_level(logging.WARNING, logger="pilotfunnel"):
        assert compat.note_slow_font_subsetting.__wrapped__() is True
    assert "apt-get install libharfbuzz-subset0" in caplog.text


def test_nothing_is_said_when_harfbuzz_subset_is_there(monkeypatch, caplog):
    monkeypatch.setattr(compat, "harfbuzz_subset_available", lambda: True)
    with caplog.at_level(logging.WARNING, logger="pilotfunnel"):
        assert compat.note_slow_font_subsetting.__wrapped__() is False
    assert caplog.text == ""


# --- jsonschema: rfc3987_syntax ------------------------------------------------------------
SKIPPED_IMPORT = """
import sys
from pilotfunnel.core.compat import skip_unused_slow_imports
skip_unused_slow_imports()
import nbformat
nb = nbformat.read("notebooks/03-client-brief.ipynb", as_version=4)
nbformat.validate(nb)
nb.cells[0].cell_type = "not a cell type"
try:
    nbformat.validate(nb)
except nbformat.ValidationError:
    print("invalid notebooks are still caught")
print("rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is not None)
"""


def test_upstream_jsonschema_still_imports_rfc3987_syntax_for_the_iri_format():
    import jsonschema._format

    assert "rfc3987_syntax" in inspect.getsource(jsonschema._format)


def test_notebooks_still_validate_without_the_slow_import():
    done = subprocess.run(
        [sys.executable, "-c", SKIPPED_IMPORT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["invalid", "notebooks", "are", "still", "caught", "False"]


# --- nbconvert: the BeautifulSoup pass over the page ---------------------------------------
SVG = '<svg viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg"><clipPath id="c"/></svg>'


def _notebook_with(html: str):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("chart")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
    nb.cells.append(cell)
    return nb


def test_upstream_nbconvert_still_lowercases_svg_names_in_html_outputs():
    from nbconvert import HTMLExporter

    page, _ = HTMLExporter().from_notebook_node(_notebook_with(SVG))
    assert "viewbox=" in page and "viewBox=" not in page


def test_set_aside_svg_comes_back_exactly_as_drawn():
    nb = _notebook_with(f"<p>before</p>{SVG}<p>after</p>")
    aside, svgs = compat.set_svg_aside(nb)
    assert svgs == [SVG]
    assert SVG not in aside.cells[0].outputs[0].data["text/html"]
    assert SVG in nb.cells[0].outputs[0].data["text/html"]  # the input is not changed
    page = aside.cells[0].outputs[0].data["text/html"]
    assert compat.put_svg_back(page, svgs) == f"<p>before</p>{SVG}<p>after</p>"


def test_restore_svg_name_case_undoes_an_html_parser():
    lowered = SVG.replace("viewBox", "viewbox").replace("clipPath", "clippath")
    assert compat.restore_svg_name_case(lowered) == SVG


# --- WeasyPrint: the font configuration's temporary folder ----------------------------------
def test_upstream_weasyprint_font_configuration_still_cleans_up_only_when_deleted():
    from weasyprint.text.fonts import FontConfiguration

    source = inspect.getsource(FontConfiguration)
    assert "__del__" in source or "weakref.finalize" in source or "TemporaryDirectory" in source


def test_delete_at_exit_runs_in_a_worker_that_leaves_by_os_exit(tmp_path):
    marker = tmp_path / "deleted"
    script = f"""
import os, threading
from pilotfunnel.core import compat
class Held:
    def __del__(self):
        open({str(marker)!r}, "w").close()
holder = threading.local()
holder.thing = Held()
compat.delete_at_exit(holder, "thing")
from multiprocessing import util
util._exit_function()  # what a pool worker runs before os._exit
os._exit(0)
"""
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert marker.exists()


def test_a_workaround_applies_only_below_the_first_unchecked_release():
    assert compat.applies("weasyprint", below="9999")
    assert not compat.applies("weasyprint", below="1")


# --- nbconvert: a refusal of the kit's on its command line ----------------------------------
def _app_with(error: Exception):
    from nbconvert.exporters import Exporter
    from nbconvert.nbconvertapp import NbConvertApp

    class Refusing(Exporter):
        def from_filename(self, filename, resources=None, **kw):
            raise error

    app = NbConvertApp()  # not the singleton: nothing of it outlives the test
    app.exporter = Refusing()
    return app


def test_upstream_nbconvert_still_lets_an_exporters_own_error_escape():
    from pilotfunnel.core.errors import ExportError

    app = _app_with(ExportError("section evidence failed"))
    with pytest.raises(ExportError):  # uncaught: Python prints its traceback, then exits 1
        app.export_single_notebook("brief.ipynb", {})


def test_upstream_nbconvert_still_logs_a_conversion_error_with_its_traceback():
    from nbconvert.utils.exceptions import ConversionException

    app = _app_with(ConversionException("cannot convert"))
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    app.log.addHandler(handler)
    try:
        with pytest.raises(SystemExit):
            app.export_single_notebook("brief.ipynb", {})
    finally:
        app.log.removeHandler(handler)
    assert records and records[0].exc_info is not None


def test_a_kit_error_is_one_line_with_its_lines_joined():
    from pilotfunnel.core.errors import ExportError

    error = ExportError("cells failed; fix them:\n  cell 2 (x = 1 / 0): ZeroDivisionError\n")
    assert compat.kit_error_line(error) == (
        "[NbConvertApp] pilotfunnel: cells failed; fix them: cell 2 (x = 1 / 0): ZeroDivisionError"
    )


def test_the_hook_and_the_filter_touch_only_the_kits_errors_in_nbconvert(monkeypatch, capsys):
    from nbconvert.nbconvertapp import NbConvertApp

    from pilotfunnel.core.errors import ScenarioError

    seen = []
    hook = compat._one_line_hook(lambda *exc: seen.append(exc[1]))
    monkeypatch.setattr(NbConvertApp, "initialized", classmethod(lambda cls: True))
    hook(ScenarioError, ScenarioError("acme.yaml: field 'client' is empty"), None)
    assert capsys.readouterr().err == (
        "[NbConvertApp] pilotfunnel: acme.yaml: field 'client' is empty\n"
    )
    other = KeyError("not ours")
    hook(KeyError, other, None)
    assert seen == [other]  # every other error keeps Python's traceback
    record = logging.LogRecord(
        "NbConvertApp", logging.ERROR, "", 0, "Error while converting", (), None
    )
    record.exc_info = (ScenarioError, ScenarioError("refused\nsecond line"), None)
    assert compat._OneLineKitErrors().filter(record)
    assert record.getMessage() == "[NbConvertApp] pilotfunnel: refused; second line"
    assert record.exc_info is None
    monkeypatch.setattr(NbConvertApp, "initialized", classmethod(lambda cls: False))
    hook(ScenarioError, error := ScenarioError("a library's caller"), None)
    assert seen == [other, error]  # outside nbconvert's command line, as Python does


@pytest.mark.parametrize(
    "to, refusal",
    [
        ("pilotfunnel-html", "the notebook has cells that failed; fix them"),
        ("pilotfunnel-pptx", "a deck is made from the client brief notebook"),
    ],
)
def test_nbconvert_command_line_shows_a_refusal_in_one_line(tmp_path, to, refusal):
    from ..conftest import FIXTURES, run_nbconvert

    done = run_nbconvert(FIXTURES / "notebooks" / "any" / "failed_cells.ipynb", to, tmp_path)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if "pilotfunnel:" in line]
    assert len(lines) == 1 and lines[0].startswith(f"[NbConvertApp] pilotfunnel: {refusal}")
    assert list(tmp_path.iterdir()) == []
