"""Benchmark the explorer's responsiveness: a slider change to an updated figure.

Run by hand (`make bench`); results go to docs/benchmarks.md. Two measurements:
1. In Python: model + chart redraw per slider change (what the kernel does).
2. In a real browser: Voila started by `pilotfunnel present`, Debian's Chromium driven by
   Playwright; from the key press on a slider to the new chart image on screen.
Also compares against the naive path: a fresh run and a 150 dpi chart. Both model with the
brief's draws (funnel.DEFAULT_DRAWS), as the explorer does.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from pilotfunnel.core import paths
from pilotfunnel.inputs.project import Project
from pilotfunnel.model import funnel
from pilotfunnel.ui.present.screen import Presentation
from pilotfunnel.views import charts

CHANGES = 30


def python_side() -> tuple[float, float]:
    project = Project.load()
    shown = Presentation.from_file(project, project.clients_dir / "demo.yaml")
    shown.widget  # noqa: B018 - lays out the present mode, as Voila shows it
    slider = shown.explorer.form.sliders["as_is"]["integration"]
    samples = []
    for i in range(CHANGES):
        start = time.perf_counter()
        slider.value = 1 + (i % 3)
        samples.append(time.perf_counter() - start)
    naive = []
    for i in range(10):
        scenario = shown.scenario.replace(as_is={**shown.scenario.as_is, "data": i % 4})
        start = time.perf_counter()
        result = funnel.run(scenario, funnel.model_of(project))
        chart = charts.funnel_chart(result, shown.brand)
        chart.png(dpi=150)
        naive.append(time.perf_counter() - start)
    return statistics.median(samples), statistics.median(naive)


def browser_side() -> list[float]:
    # Late: only the browser half needs Playwright, so the Python half runs without it.
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = Path(tempfile.mkdtemp())
    shutil.copytree(paths.data_dir(), home / "data")
    shutil.copytree(paths.notebooks_dir(), home / "notebooks")
    command = [str(Path(sys.executable).with_name("pilotfunnel")), "present", "--port", str(port)]
    server = subprocess.Popen(
        command,
        env={**os.environ, "PILOTFUNNEL_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page()
            page.goto(url, timeout=120_000)
            page.get_by_test_id("key-numbers").wait_for(timeout=120_000)
            page.get_by_role("button", name="Inputs").click()  # the sliders are in the drawer
            handle = page.locator(".pf-as_is-integration .noUi-handle")
            handle.wait_for(state="visible")
            samples = []
            for i in range(CHANGES):
                before = page.eval_on_selector(".pf-chart img", "img => img.src")
                handle.focus()
                start = time.perf_counter()
                page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
                page.wait_for_function(
                    "before => document.querySelector('.pf-chart img').src !== before", arg=before
                )
                samples.append(time.perf_counter() - start)
            browser.close()
        return samples
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    kernel, naive = python_side()
    draws = f"{funnel.DEFAULT_DRAWS // 1000}k draws"
    print(f"explorer update in Python (model {draws} + chart PNG 100 dpi): {kernel * 1000:.0f} ms")
    print(
        f"naive update ({draws} + chart PNG 150 dpi): {naive * 1000:.0f} ms, "
        f"ratio {naive / kernel:.1f}x"
    )
    samples = browser_side()
    print(
        f"browser, key press to new chart on screen: median {statistics.median(samples) * 1000:.0f}"
        f" ms, p90 {sorted(samples)[int(len(samples) * 0.9)] * 1000:.0f} ms, n={len(samples)}"
    )


if __name__ == "__main__":
    main()
