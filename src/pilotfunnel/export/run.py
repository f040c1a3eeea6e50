"""Export one client's brief: validate, execute the brief notebook, write HTML and PDF."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..files import atomic_write_bytes, atomic_write_text
from ..naming import brief_stem
from ..scenario import load_scenario
from .execute import brief_notebook_path, brief_parameters, execute_notebook, parameterize
from .exporters import BriefHTMLExporter, BriefPDFExporter, page_html_for_pdf

FORMATS = ("pdf", "html")


@dataclass(frozen=True)
class BriefFiles:
    """What one export wrote."""

    scenario: Path
    client: str
    files: dict[str, Path]  # format -> path


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
    """Render an executed brief notebook to each format with the registered exporters.

    Both formats come from one template rendering: the PDF exporter's page is the HTML page
    with the fonts linked instead of embedded (tested to give the same bytes as exporting each
    format on its own).
    """
    resources = {"metadata": {"name": "brief"}}
    outputs: dict[str, bytes | str] = {}
    html, _ = _exporter(BriefHTMLExporter).from_notebook_node(executed, resources=resources)
    if "pdf" in formats:
        page = page_html_for_pdf(html)
        if page is None:
            outputs["pdf"], _ = _exporter(BriefPDFExporter).from_notebook_node(
                executed, resources=resources
            )
        else:
            outputs["pdf"] = BriefPDFExporter.from_page_html(page)
    if "html" in formats:
        outputs["html"] = html
    return outputs


_exporters = threading.local()


def _exporter(kind: type[BriefHTMLExporter]) -> BriefHTMLExporter:
    # An exporter compiles its templates on first use; a batch worker keeps one per kind (as
    # `jupyter nbconvert` does for many notebooks). Per thread: exporters are not thread-safe.
    cache = _exporters.__dict__.setdefault("by_kind", {})
    if kind not in cache:
        cache[kind] = kind()
    return cache[kind]


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
