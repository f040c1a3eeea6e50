"""The JupyterLab extension that names the exporters in the export menu (labextension/)."""

import re
import subprocess
import sys
from pathlib import Path

from nbconvert.exporters import get_export_names, get_exporter

from ..conftest import ROOT

SOURCE = ROOT / "labextension" / "index.js"
BUILT = ROOT / "src" / "pilotfunnel" / "share" / "labextensions" / "pilotfunnel-export-menu"


def labels() -> dict[str, str]:
    block = SOURCE.read_text("utf-8").split("export const LABELS = {", 1)[1].split("};", 1)[0]
    return dict(re.findall(r"(\w+): '([^']+)'", block))


def test_the_menu_names_are_the_exporters_own():
    named = labels()
    routable = {n for n in get_export_names() if n.startswith("pilotfunnel") and "-" not in n}
    assert set(named) == routable == {"pilotfunnel_html", "pilotfunnel_pdf", "pilotfunnel_pptx"}
    for name, label in named.items():
        assert get_exporter(name).export_from_notebook == label


def test_the_built_extension_is_the_source_built():
    # A change to index.js must be rebuilt (make labextension) and committed with it.
    built = "".join(p.read_text("utf-8") for p in (BUILT / "static").glob("*.js"))
    for label in labels().values():
        assert label in built, f"{label!r} is not in the built extension; run make labextension"
    package = (BUILT / "package.json").read_text("utf-8")
    assert '"name": "pilotfunnel-export-menu"' in package


def test_the_extension_requires_nothing_a_page_without_the_menu_lacks():
    # Voila (the present mode) has no IMainMenu: a required token fails the page's plugins
    # ("No provider for IMainMenu"). The source and the built bundle both ask for nothing.
    assert "requires: []," in SOURCE.read_text("utf-8")
    built = "".join(p.read_text("utf-8") for p in (BUILT / "static").glob("*.js"))
    assert re.search(r"requires:\[\],optional:\[[^\]]*IMainMenu", built)


def test_jupyterlab_finds_the_extension_enabled():
    jupyter = Path(sys.executable).with_name("jupyter")
    done = subprocess.run(
        [str(jupyter), "labextension", "list"], capture_output=True, text=True, timeout=120
    )
    listing = done.stdout + done.stderr
    line = next((li for li in listing.splitlines() if "pilotfunnel-export-menu" in li), "")
    assert "enabled" in line and "OK" in line, listing
