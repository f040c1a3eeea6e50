"""The explorer in a real JupyterLab: open it, run all cells, see the widgets and no errors."""

import pytest

from ..servers import jupyter_lab

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]
TOKEN = "pilotfunnel-browser-test"


@pytest.fixture
def lab(kit_copy):
    with jupyter_lab(kit_copy, TOKEN, {"PILOTFUNNEL_HOME": str(kit_copy)}) as base:
        yield base


def run_all_cells(page) -> None:
    # A kernel prompt, should one appear anyway, gets the answer a person would give.
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and dialog.first.is_visible():
        dialog.get_by_role("button", name="Select").click()
    # Run All acts on the notebook that has focus; right after loading, none may have it yet.
    page.locator(".jp-NotebookPanel .jp-Cell").first.click()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


def test_explorer_runs_in_jupyterlab_with_widgets_and_no_errors(lab, offline_page, tmp_path):
    page = offline_page.page
    page.goto(f"{lab}/lab/tree/notebooks/02-client-explorer.ipynb?token={TOKEN}", timeout=180_000)
    page.locator(".jp-NotebookPanel").first.wait_for(timeout=180_000)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=180_000
    )
    numbers = page.locator(".jp-OutputArea-output .pf-asis-production")
    try:
        run_all_cells(page)
        numbers.wait_for(state="attached", timeout=90_000)
    except Exception:
        # Seen once on a fresh machine: the first Run All ran nothing (the cell kept "[ ]").
        # A person would click again; a second failure is a real one. Keep a screenshot.
        page.screenshot(path=str(tmp_path / "lab-first-try.png"))
        run_all_cells(page)
        numbers.wait_for(state="attached", timeout=120_000)
    assert numbers.inner_text() == "4.4"
    assert page.locator(".jp-OutputArea-output .widget-slider").count() >= 10
    assert page.locator(".jp-OutputArea-output img").count() >= 1  # the funnel chart
    errors = page.locator("[data-mime-type='application/vnd.jupyter.stderr'], .jp-mod-error")
    assert errors.count() == 0, errors.all_inner_texts()
    assert offline_page.blocked == []
