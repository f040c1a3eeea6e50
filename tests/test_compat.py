"""Each workaround in compat: the upstream behaviour it works around still exists, and the
workaround fixes it. When an upstream release fixes the problem, the first kind of test fails
and says which workaround to retire."""

import functools
import inspect
import io
import logging

import pytest

from pilotfunnel import compat
from pilotfunnel.brand import load_brand

from .conftest import assert_same_bytes

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

    font_path = load_brand().font_files[0].path
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
    from pilotfunnel.export.pdf import html_to_pdf

    _clock(monkeypatch, seconds)
    faces = load_brand().font_face_css(inline=False)
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
