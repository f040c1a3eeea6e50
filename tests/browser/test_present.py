"""Present mode in a real browser: Voila started by `pilotfunnel present`, driven by keyboard."""

import json
import os
import re
import subprocess

import pytest
import yaml
from pypdf import PdfReader

from pilotfunnel.formatting import count

from ..conftest import pilotfunnel_command
from ..servers import free_port, stop, wait_for_http
from .conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]


@pytest.fixture
def present(kit_copy):
    port = free_port()
    env = {**os.environ, "PILOTFUNNEL_HOME": str(kit_copy)}
    process = subprocess.Popen(
        [pilotfunnel_command(), "present", "--port", str(port)],
        cwd=kit_copy,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, process)
        yield url, kit_copy
    finally:
        stop(process)


def modelled_production(kit_copy, scenario: dict) -> str:
    """What `pilotfunnel model` reports for a scenario, formatted as the explorer shows it."""
    path = kit_copy / "probe.yaml"
    path.write_text(yaml.safe_dump(scenario), encoding="utf-8")
    done = subprocess.run(
        [pilotfunnel_command(), "model", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PILOTFUNNEL_HOME": str(kit_copy)},
    )
    return count(json.loads(done.stdout)["as_is"]["production"]["expected"])


def test_present_mode_end_to_end(present, offline_page):
    url, kit = present
    page = offline_page.page
    page.goto(url, timeout=120_000)
    as_is = page.locator(".pf-asis-production")
    as_is.wait_for(timeout=120_000)
    demo = yaml.safe_load((kit / "data" / "clients" / "demo.yaml").read_text())
    assert as_is.inner_text() == modelled_production(kit, demo)
    assert "import" not in page.inner_text("body")  # no code on screen

    # Move the as-is integration slider one step right with the keyboard.
    handle = page.locator(".pf-as_is-integration .noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    demo["readiness"]["as_is"]["integration"] += 1
    expected = modelled_production(kit, demo)
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector)?.innerText === text",
        arg=[".pf-asis-production", expected],
        timeout=30_000,
    )

    # An invalid entry is explained in words next to the field, never as a traceback.
    pocs = page.locator(".pf-pocs input")
    pocs.fill("twelve")
    pocs.press("Tab")
    error = page.locator(".pf-error").first
    error.wait_for(timeout=30_000)
    assert "whole number" in error.inner_text()
    assert "Traceback" not in page.inner_text("body")
    pocs.fill("24")
    pocs.press("Tab")
    as_is.wait_for(timeout=30_000)

    # Export the brief: the files exist and are valid.
    page.get_by_role("button", name=re.compile("Export brief")).click()
    page.locator(".pf-export-pdf").wait_for(timeout=180_000)
    pdfs = list((kit / "exports").glob("*.pdf"))
    htmls = list((kit / "exports").glob("*.html"))
    assert len(pdfs) == 1 and len(htmls) == 1
    reader = PdfReader(pdfs[0])
    assert len(reader.pages) >= 8 and "Northwind Logistics" in reader.pages[0].extract_text()
    assert "Northwind Logistics" in htmls[0].read_text("utf-8")

    # Nothing but this machine was asked for anything.
    assert offline_page.blocked == []
    assert not [e for e in offline_page.errors if "pilotfunnel" in e.lower()]


def test_port_in_use_gets_a_clear_message(present):
    url, kit = present
    port = url.rsplit(":", 1)[1].strip("/")
    done = subprocess.run(
        [pilotfunnel_command(), "present", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PILOTFUNNEL_HOME": str(kit)},
    )
    assert done.returncode == 2
    assert f"127.0.0.1:{port} is already in use" in done.stderr and "--port" in done.stderr


def test_present_mode_passes_axe_core_and_asks_nothing_of_the_network(present, offline_page):
    url, _ = present
    page = offline_page.page
    page.goto(url, timeout=120_000)
    page.locator(".pf-asis-production").wait_for(timeout=120_000)
    page.wait_for_load_state("networkidle")
    assert serious_accessibility_violations(page) == []
    assert offline_page.blocked == []
