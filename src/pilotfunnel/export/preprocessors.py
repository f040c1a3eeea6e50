"""nbconvert preprocessors that make any notebook fit to hand to a client."""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor

HIDDEN_TAGS = {"parameters", "injected-parameters", "remove-cell", "hide"}


class ClientReadyPreprocessor(Preprocessor):
    """Drop parameter cells, stderr, errors and widget-only outputs; keep what a reader sees.

    Tag-based hiding in nbconvert depends on each exporter's configuration and fails silently
    when it is not set (nbconvert#1300, #2159); this preprocessor always runs in our
    exporters, so parameters injected by a batch run never leak into a brief (papermill#253).
    """

    def preprocess(self, nb, resources):
        kept = []
        for cell in nb.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if tags & HIDDEN_TAGS:
                continue
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.get("outputs", []) if _shown(o)]
                cell.execution_count = None
                if not cell.outputs:
                    continue
            kept.append(cell)
        nb.cells = kept
        return nb, resources


def _shown(output) -> bool:
    if output.get("output_type") == "error":
        return False
    if output.get("output_type") == "stream":
        return output.get("name") == "stdout" and bool(output.get("text", "").strip())
    data = output.get("data", {})
    if any(mimetype.startswith("application/vnd.pilotfunnel.") for mimetype in data):
        return False
    visible = set(data) - {"application/vnd.jupyter.widget-view+json", "application/javascript"}
    # A widget's text/plain fallback ("VBox(children=...)") means nothing on paper.
    return bool(visible) and not (
        "application/vnd.jupyter.widget-view+json" in data and visible == {"text/plain"}
    )
