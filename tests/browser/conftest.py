"""Real browser, real servers: Debian's Chromium driven by Playwright, servers on 127.0.0.1.

In CI (CI=true) a missing Chromium fails these tests; elsewhere they skip and say how to
install it. Every request that would leave the machine is blocked and recorded.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ..conftest import ROOT, in_ci

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def chromium_path() -> str | None:
    found = os.environ.get("PILOTFUNNEL_CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    return next((c for c in CHROMIUM_CANDIDATES if Path(c).exists()), None)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        message = (
            "Debian's Chromium is needed for the browser tests: "
            "sudo apt-get install -y chromium (CI's .ci/run installs it)"
        )
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


class OfflinePage:
    """A page whose requests may only go to this machine; the rest are aborted and listed."""

    def __init__(self, browser, viewport: dict | None = None) -> None:
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 1600})
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route) -> None:
        url = route.request.url
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:", "file:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline_page(browser):
    page = OfflinePage(browser)
    yield page
    page.close()


@pytest.fixture
def kit_copy(tmp_path: Path) -> Path:
    """A copy of the kit's data and notebooks, so saving and exporting touch nothing real."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    (tmp_path / "exports").mkdir()
    return tmp_path


def serious_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each (offline: the
    axe script ships inside the axe-playwright-python package)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])} element(s), e.g. "
        f"{v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
