"""Pictures of present mode, step by step, at 1280 x 720 and 1440 x 900 (`make readme-images`).

`pilotfunnel present` on a copy of the kit's data and notebooks (so nothing real is touched),
each step of the story shot in Debian's Chromium into docs/img/issue-23/, and the first step at
1280 x 720 as the README's picture (docs/img/present-first-screen.png). The server is stopped,
kernels and all, however the shooting ends.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from pilotfunnel.core.processes import stop_tree

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img" / "issue-23"
README_PICTURE = ROOT / "docs" / "img" / "present-first-screen.png"
SIZES = ((1280, 720), (1440, 900))
STEPS = 5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"pilotfunnel present exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def shoot(url: str) -> list[Path]:
    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=["--no-sandbox"]
        )
        for width, height in SIZES:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url, timeout=120_000)
            page.get_by_test_id("key-numbers").wait_for(timeout=120_000)
            page.wait_for_load_state("networkidle")
            for step in range(1, STEPS + 1):
                if step > 1:
                    page.keyboard.press("PageDown")
                page.wait_for_function(
                    "n => document.querySelectorAll('.pf-step-nav button')[n]"
                    "?.classList.contains('mod-active')",
                    arg=step - 1,
                )
                page.wait_for_timeout(500)  # the step's chart is painted
                path = OUT / f"present-step-{step}-{width}x{height}.png"
                page.screenshot(path=str(path))
                shots.append(path)
            page.close()
        browser.close()
    return shots


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        kit = Path(folder)
        shutil.copytree(ROOT / "data", kit / "data")
        shutil.copytree(ROOT / "notebooks", kit / "notebooks")
        (kit / "exports").mkdir()
        port = free_port()
        command = Path(sys.executable).with_name("pilotfunnel")
        server = subprocess.Popen(
            [str(command), "present", "--port", str(port)],
            cwd=kit,
            env={**os.environ, "PILOTFUNNEL_HOME": str(kit)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_for(url, server)
            shots = shoot(url)
        finally:
            stop_tree(server.pid, grace=20)
            server.wait(timeout=20)
    shutil.copyfile(OUT / "present-step-1-1280x720.png", README_PICTURE)
    for path in [*shots, README_PICTURE]:
        print(path.relative_to(ROOT), file=sys.stdout)


if __name__ == "__main__":
    main()
