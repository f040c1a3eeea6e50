"""The PDF step: charts handed to WeasyPrint as images, fonts kept between documents."""

import base64
import os
import re
import subprocess
from xml.etree import ElementTree

from pilotfunnel.export.pdf import inline_svg_as_images

from .conftest import FIXTURES, ROOT, pilotfunnel_command

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
