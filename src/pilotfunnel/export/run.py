"""Export one client's brief: validate, execute the brief notebook, write HTML and PDF."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..files import atomic_write_bytes, atomic_write_text
from ..scenario import Scenario, load_scenario
from .execute import brief_notebook_path, brief_parameters, execute_notebook, parameterize
from .exporters import BriefHTMLExporter, BriefPDFExporter

FORMATS = ("pdf", "html")
# Letters NFKD does not take apart into a base letter and an accent.
_TRANSLITERATE = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
    }
)


@dataclass(frozen=True)
class BriefFiles:
    """What one export wrote."""

    scenario: Path
    client: str
    files: dict[str, Path]  # format -> path


def slugify(text: str, limit: int = 60) -> str:
    """A file-name-safe slug: ASCII letters, digits and hyphens only, never empty."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "client"


def brief_stem(scenario: Scenario, as_of: dt.date) -> str:
    return f"{slugify(scenario.client)}-{as_of.isoformat()}"


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown format {', '.join(unknown) or '(none)'}; use pdf, html or both")
    return formats


def execute_brief(
    scenario_path: Path,
    as_of: dt.date,
    draws: int | None = None,
    seed: int | None = None,
    timeout: int = 120,
) -> nbformat.NotebookNode:
    """Execute the brief notebook for a scenario in a fresh kernel."""
    parameters = brief_parameters(scenario_path, as_of.isoformat(), draws, seed)
    nb = nbformat.read(brief_notebook_path(), as_version=4)
    return execute_notebook(parameterize(nb, parameters), timeout=timeout)


def convert(executed: nbformat.NotebookNode, formats: tuple[str, ...]) -> dict[str, bytes | str]:
    """Render an executed brief notebook to each format with the registered exporters."""
    resources = {"metadata": {"name": "brief"}}
    outputs: dict[str, bytes | str] = {}
    if "pdf" in formats:
        outputs["pdf"], _ = BriefPDFExporter().from_notebook_node(executed, resources=resources)
    if "html" in formats:
        outputs["html"], _ = BriefHTMLExporter().from_notebook_node(executed, resources=resources)
    return outputs


def export_brief(
    scenario_path: str | Path,
    out_dir: str | Path,
    formats: tuple[str, ...] = FORMATS,
    as_of: dt.date | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> BriefFiles:
    """Validate the scenario, then write its brief; nothing is written if anything fails."""
    scenario_path = Path(scenario_path)
    scenario = load_scenario(scenario_path)  # raises ScenarioError before any work
    as_of = as_of or dt.date.today()
    executed = execute_brief(scenario_path, as_of, draws=draws, seed=seed)
    outputs = convert(executed, formats)
    out_dir = Path(out_dir)
    stem = brief_stem(scenario, as_of)
    written = {}
    for fmt, content in outputs.items():
        path = out_dir / f"{stem}.{fmt}"
        if isinstance(content, bytes):
            written[fmt] = atomic_write_bytes(path, content)
        else:
            written[fmt] = atomic_write_text(path, content)
    return BriefFiles(scenario_path, scenario.client, written)
