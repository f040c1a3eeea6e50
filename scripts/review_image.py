"""The README's picture of the analyst's review: a copy of the project with one bad date,
its styled review rendered in Debian's Chromium at 1280 px wide (`make readme-images`)."""

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from pilotfunnel.ui import analyst

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img" / "analyst-review.png"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copytree(ROOT / "data", project / "data")
        sources = project / "data" / "sources.csv"
        text = sources.read_text("utf-8").replace("2025-03-25", "2025-02-30", 1)
        sources.write_text(text, "utf-8")
        page_html = (
            "<html><body style='font-family: sans-serif; font-size: 13px; margin: 16px'>"
            + analyst.review(project).to_html()
            + "</body></html>"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.set_content(page_html)
        page.locator("table").screenshot(path=str(OUT))
        browser.close()
    print(OUT.relative_to(ROOT), file=sys.stdout)


if __name__ == "__main__":
    main()
