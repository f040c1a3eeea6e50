"""A real JupyterLab server on 127.0.0.1: the exporters in its API and its download route."""

import io
import json
import shutil
import urllib.error
import urllib.request

import psutil
import pytest
from pypdf import PdfReader

from ..conftest import FIXTURES
from ..servers import jupyter_lab

pytestmark = [pytest.mark.server, pytest.mark.slow]
TOKEN = "pilotfunnel-test-token"


def get(url: str, timeout: float = 120) -> tuple[int, bytes, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), ""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(FIXTURES / "notebooks" / "small.ipynb", root / "small.ipynb")
    shutil.copy(FIXTURES / "notebooks" / "any" / "failed_cells.ipynb", root / "failed.ipynb")
    shutil.copytree(FIXTURES / "notebooks" / "untrusted", root / "untrusted")
    with jupyter_lab(root, TOKEN) as base:
        yield base


def test_lab_is_a_real_jupyterlab(lab):
    status, body, _ = get(f"{lab}/lab")
    assert status == 200 and b"JupyterLab" in body


def test_api_lists_the_exporters_for_the_export_menu(lab):
    status, body, _ = get(f"{lab}/api/nbconvert")
    assert status == 200
    exporters = json.loads(body)
    assert exporters["pilotfunnel_pdf"]["output_mimetype"] == "application/pdf"
    assert exporters["pilotfunnel_html"]["output_mimetype"] == "text/html"
    assert exporters["pilotfunnel_pptx"]["output_mimetype"].endswith("presentationml.presentation")
    assert {"pilotfunnel-pdf", "pilotfunnel-html", "pilotfunnel-pptx"} <= set(exporters)


def test_menu_export_route_returns_a_pdf(lab):
    status, body, content_type = get(f"{lab}/nbconvert/pilotfunnel_pdf/small.ipynb?download=true")
    assert status == 200, body[:500]
    assert body.startswith(b"%PDF-") and "application/pdf" in content_type


def test_menu_export_route_returns_html(lab):
    status, body, _ = get(f"{lab}/nbconvert/pilotfunnel_html/small.ipynb?download=true")
    assert status == 200 and b"hello from the kernel" in body and b"print(" not in body


def test_hyphenated_names_cannot_be_routed_by_the_server(lab):
    # Why the menu entries use underscores: the server's route only matches \w+ formats.
    assert get(f"{lab}/nbconvert/pilotfunnel-pdf/small.ipynb")[0] == 404


def test_a_stopped_server_leaves_no_kernel_behind(tmp_path):
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with jupyter_lab(tmp_path, TOKEN) as base:
        request = urllib.request.Request(
            f"{base}/api/kernels",
            data=b"{}",
            method="POST",
            headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            assert response.status == 201
        started = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
        assert any("ipykernel" in _command(p) for p in started)
    _, alive = psutil.wait_procs(started, timeout=30)
    assert alive == []


def _command(process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:  # a child of an earlier test that has exited but not been reaped
        return ""


def test_menu_export_of_a_notebook_with_failed_cells_shows_why(lab):
    """JupyterLab's menu shows the server's error message; it names the failed cells."""
    status, body, _ = get(f"{lab}/nbconvert/pilotfunnel_pdf/failed.ipynb?download=true")
    assert status == 500
    text = body.decode("utf-8", "replace")
    assert "cell 2 (import pandas_missing as pd): ModuleNotFoundError" in text
    assert "cell 3 (ratio = 4 / 0): ZeroDivisionError" in text


def test_menu_export_of_an_untrusted_notebook_reads_nothing_of_the_server(lab):
    status, body, _ = get(
        f"{lab}/nbconvert/pilotfunnel_pdf/untrusted/untrusted.ipynb?download=true"
    )
    assert status == 200 and body.startswith(b"%PDF-")
    assert PdfReader(io.BytesIO(body)).attachments == {}  # no /etc/hostname, no /etc/passwd
