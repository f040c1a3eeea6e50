"""axe-core, offline in Debian's Chromium: the HTML brief has no serious or critical violation."""

import datetime as dt

import pytest

from ..conftest import FIXTURES, run_nbconvert, run_pilotfunnel
from .conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    done = run_pilotfunnel(
        *("brief", "data/clients/demo.yaml", "--format", "html"),
        *("--out", out, "--date", AS_OF.isoformat()),
    )
    assert done.returncode == 0, done.stderr
    return out / f"northwind-logistics-{AS_OF.isoformat()}.html"


@pytest.mark.parametrize("width", [1280, 390])  # a projector, and a phone opening the email
def test_the_html_brief_passes_axe_core(demo_html, browser, width):
    from .conftest import OfflinePage

    offline = OfflinePage(browser, viewport={"width": width, "height": 800})
    try:
        offline.page.goto(demo_html.as_uri())
        assert serious_accessibility_violations(offline.page) == []
        assert offline.blocked == []  # the brief asks nothing of the network
    finally:
        offline.close()


ANY = FIXTURES / "notebooks" / "any"


@pytest.mark.parametrize(
    "name", ["math", "dataframes", "widget_saved", "widget_unsaved", "titled", "failed_cells"]
)
def test_any_notebook_exported_as_html_passes_axe_core_offline(name, browser, tmp_path):
    """The fixture bank's notebooks, exported by the menu's HTML exporter, read well."""
    from .conftest import OfflinePage

    done = run_nbconvert(
        ANY / f"{name}.ipynb",
        "pilotfunnel-html",
        tmp_path,
        "--BriefHTMLExporter.allow_failed_cells=True",
    )
    assert done.returncode == 0, done.stderr
    offline = OfflinePage(browser, viewport={"width": 1280, "height": 800})
    try:
        offline.page.goto((tmp_path / f"{name}.html").as_uri())
        assert serious_accessibility_violations(offline.page) == []
        assert offline.blocked == []
    finally:
        offline.close()
