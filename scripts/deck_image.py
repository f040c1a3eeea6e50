"""The README's picture of the deck: two slides of the demo client's deck, rendered by
LibreOffice with the brand's fonts, side by side (`make readme-images`)."""

import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from pilotfunnel.core import paths
from pilotfunnel.inputs.project import Project
from pilotfunnel.views import brief, deck

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img" / "deck-slides.png"
SLIDES = (4, 5)  # the funnel, and the client's record against the research
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def main() -> None:
    project = Project.load(ROOT)
    ctx = brief.prepare(project, paths.clients_dir(ROOT) / "demo.yaml", "2026-11-25")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "demo.pptx").write_bytes(deck.build_deck(ctx))
        # LibreOffice finds the brand's fonts as a PowerPoint user would have them installed.
        fonts = project.brand.font_files[0].path.parent
        conf = work / "fonts.conf"
        conf.write_text(FONTS_CONF.format(fonts=fonts, cache=work / "cache"))
        env = {"FONTCONFIG_FILE": str(conf), "HOME": str(work), "PATH": "/usr/bin:/bin"}
        subprocess.run(
            [
                *("soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}"),
                *("--headless", "--convert-to", "pdf", "--outdir", str(work), "demo.pptx"),
            ],
            cwd=work,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        pages = []
        for number in SLIDES:
            stem = work / f"slide-{number}"
            pdftoppm = ("pdftoppm", "-png", "-r", "48", "-singlefile", "-f", str(number))
            subprocess.run(
                [*pdftoppm, "-l", str(number), str(work / "demo.pdf"), str(stem)],
                check=True,
                timeout=120,
            )
            pages.append(Image.open(f"{stem}.png").convert("RGB"))
        gap = 16
        sheet = Image.new(
            "RGB", (sum(p.width for p in pages) + gap, max(p.height for p in pages)), "#E8EEF2"
        )
        sheet.paste(pages[0], (0, 0))
        sheet.paste(pages[1], (pages[0].width + gap, 0))
        OUT.parent.mkdir(parents=True, exist_ok=True)
        sheet.save(OUT, optimize=True)
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
