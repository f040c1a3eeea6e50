"""The PDF step: charts handed to WeasyPrint as images, fonts kept between documents."""

import base64
import contextlib
import io
import os
import re
import subprocess
import zlib
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from pilotfunnel.core.errors import ExportError
from pilotfunnel.export.nbconvert import pdf as pdf_module
from pilotfunnel.export.nbconvert import pdfcheck
from pilotfunnel.export.nbconvert.pdf import html_to_pdf, inline_svg_as_images

from ..conftest import FIXTURES, ROOT, pilotfunnel_command

SVG = FIXTURES / "svg"
NS = "{http://www.w3.org/2000/svg}"


def _image(html: str) -> tuple[str, ElementTree.Element]:
    image = r'<img alt="([^"]*)" src="data:image/svg\+xml;base64,([^"]+)">'
    match = re.fullmatch(f'<figure class="chart">{image}</figure>', html.strip())
    assert match, html[:200]
    return match.group(1), ElementTree.fromstring(base64.b64decode(match.group(2)))


def test_a_chart_becomes_an_image_with_svg_names_restored():
    alt, svg = _image(inline_svg_as_images((SVG / "lowercased.html").read_text("utf-8")))
    assert alt == "A bar &amp; a hatch"
    assert svg.get("viewBox") == "0 0 144 72" and svg.get("viewbox") is None
    assert svg.find(f"{NS}defs/{NS}clipPath") is not None
    assert svg.find(f"{NS}defs/{NS}pattern").get("patternUnits") == "userSpaceOnUse"
    # Words inside text and attribute values are content, not names: left as they were.
    assert svg.find(f"{NS}text").text == 'Value < 5 viewbox="x"'


def test_an_svg_that_is_not_well_formed_stays_inline():
    page = (SVG / "malformed.html").read_text("utf-8")
    assert inline_svg_as_images(page) == page


def test_a_nested_svg_stays_inline():
    page = (SVG / "nested.html").read_text("utf-8")
    assert inline_svg_as_images(page) == page


def test_a_page_without_svg_is_unchanged():
    page = "<p>No charts <b>here</b>.</p>"
    assert inline_svg_as_images(page) == page


def test_briefs_leave_no_font_files_behind(tmp_path):
    # WeasyPrint copies the brand's fonts to a temporary folder that lives as long as the
    # font configuration, which the PDF step keeps for the process's life; batch workers
    # leave by os._exit, past atexit.
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp), PILOTFUNNEL_HOME=str(ROOT))
    out = tmp_path / "out"
    options = ["--out", str(out), "--date", "2026-11-25", "--draws", "500"]
    for command in (["brief", "data/clients/demo.yaml"], ["briefs", "data/clients", "-j", "2"]):
        done = subprocess.run(
            [pilotfunnel_command(), *command, *options],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert "Exception ignored" not in done.stderr
        assert not list(temp.glob("weasyprint-*")), command
    assert len(list(out.glob("*.pdf"))) == len(list((ROOT / "data" / "clients").glob("*.yaml")))


# --- the last check on the file itself ------------------------------------------------------
def every_byte(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream decompressed too (object streams hold the
    dictionaries, so a path or a URL in a link is only visible there)."""
    parts = [pdf]
    for match in re.finditer(rb"/Length (\d+)(?!\d)[^>]*>>\s*stream\r?\n", pdf):
        data = pdf[match.end() : match.end() + int(match.group(1))]
        with contextlib.suppress(zlib.error):  # a stream stored as it is
            parts.append(zlib.decompress(data))
    return b"\n".join(parts)


def links_in(pdf: bytes) -> list[str]:
    """Each link annotation's target: its URI, or '#' for a place in the document."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            action = action.get_object() if action is not None else {}
            found.append(str(action.get("/URI")) if action.get("/S") == "/URI" else "#")
    return found


def _pdf(body: str, folder) -> bytes:
    return html_to_pdf(f"<html lang='en'><title>t</title><body>{body}</body></html>", folder)


ATTACHMENTS = [
    '<a rel="noopener attachment" href="x.txt">a</a>',
    '<a REL=ATTACHMENT href="x.txt">a</a>',
    "<a rel=' attachment ' href='x.txt'>a</a>",
    '<link rel="attachment" href="x.txt">',
    '<link REL="Noopener ATTACHMENT" href="x.txt">',
    '<a rel="attachment" href="data:text/plain,hello">a</a>',
]


def test_a_pdf_with_an_attachment_under_any_spelling_is_refused(tmp_path):
    # What the sanitiser keeps off the page, should any reach WeasyPrint another way.
    (tmp_path / "x.txt").write_text("the client's notes")
    for body in ATTACHMENTS:
        with pytest.raises(ExportError, match=r"(embedded|attached) file"):
            _pdf(body, tmp_path)


def test_a_pdf_with_a_script_or_local_link_is_refused_and_web_links_pass(tmp_path):
    for href in ("javascript:app.alert(1)", "other.ipynb", "file:///etc/passwd", "/etc/hosts"):
        with pytest.raises(ExportError, match="not to the web or email"):
            _pdf(f'<a href="{href}">x</a>', tmp_path)
    pdf = _pdf(
        '<a href="https://example.com/a">w</a> <a href="mailto:x@example.com">m</a> '
        '<a href="#here">h</a><p id="here">p</p>',
        tmp_path,
    )
    assert links_in(pdf) == ["https://example.com/a", "mailto:x@example.com", "#"]
    assert str(tmp_path).encode() not in every_byte(pdf)


def test_the_quick_scan_and_pypdf_agree(tmp_path, monkeypatch):
    # check_pdf clears an ordinary file by a scan of its dictionaries and reads anything else
    # with pypdf: the scan must never clear what pypdf would refuse.
    (tmp_path / "x.txt").write_text("notes")
    made = []
    monkeypatch.setattr(pdf_module, "check_pdf", made.append)  # what WeasyPrint made, unchecked
    for body in [*ATTACHMENTS, '<a href="javascript:x">j</a>', '<a href="y">r</a>']:
        _pdf(body, tmp_path)
    _pdf('<a href="https://example.com/">fine</a>', tmp_path)
    monkeypatch.undo()
    for pdf in made:
        problems = pdfcheck._pdf_problems(PdfReader(io.BytesIO(pdf)))
        assert pdfcheck._plainly_inert(pdf) == (not problems), problems
    assert pdfcheck._plainly_inert(made[-1])
