"""nbconvert preprocessors that make any notebook fit to hand to a client."""

from __future__ import annotations

import html
import re

from nbconvert.preprocessors import Preprocessor

from pilotfunnel.views.messages import brief as words

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
KIT_MIMETYPES = "application/vnd.pilotfunnel."

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
    """Whether a reader sees anything in this output on a page or on paper."""
    if output.get("output_type") == "error":
        return False
    if output.get("output_type") == "stream":
        return output.get("name") == "stdout" and bool(output.get("text", "").strip())
    data = output.get("data", {})
    # The kit's own outputs for the exporters (the brief's metadata), never for a reader.
    if any(mimetype.startswith(KIT_MIMETYPES) for mimetype in data):
        return False
    visible = set(data) - {WIDGET_VIEW, "application/javascript"}
    # A widget's text/plain fallback ("VBox(children=...)") means nothing on paper.
    return bool(visible) and not (WIDGET_VIEW in data and visible == {"text/plain"})


class StaticWidgetsPreprocessor(Preprocessor):
    """Each widget output as a labelled, static rendition of its saved value; never nothing.

    The value comes from the widget state JupyterLab saves in the notebook's metadata
    (Settings > Save Widget State Automatically). Without it, a note says an interactive
    control was here. Static exports otherwise drop widgets without a trace (ipywidgets#3713,
    nbconvert#923).
    """

    def preprocess(self, nb, resources):
        saved = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
        for cell in nb.cells:
            for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
                view = output.get("data", {}).get(WIDGET_VIEW)
                if view is not None:
                    lines = _describe(view.get("model_id", ""), saved, depth=0)
                    output["data"] = {"text/html": _widget_html(lines)}
        return nb, resources


def _describe(model_id: str, saved: dict, depth: int) -> list[str]:
    state = saved.get(model_id, {}).get("state")
    if state is None or depth > 6:
        return []
    lines = []
    label = str(state.get("description") or "").strip()
    if "value" in state and not isinstance(state["value"], (dict, list)):
        value = state["value"]
        if state.get("options") is not None and isinstance(value, int) and "index" in state:
            value = state.get("_options_labels", [value])[state["index"]]
        bounds = ""
        if "min" in state and "max" in state:
            bounds = f" (from {state['min']} to {state['max']})"
        lines.append(f"{label or 'Value'}: {value}{bounds}")
    elif label:
        lines.append(label)
    for child in state.get("children", []):
        lines += _describe(str(child).removeprefix("IPY_MODEL_"), saved, depth + 1)
    return lines


def _widget_html(lines: list[str]) -> str:
    if not lines:
        return f'<p class="pf-widget" role="note">{words.WIDGET_NOT_SHOWN}</p>'
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (
        f'<div class="pf-widget" role="note"><p>{words.WIDGET_AS_SAVED}</p><ul>{items}</ul></div>'
    )


_SCOPED_STYLE = re.compile(r"<style scoped>.*?</style>", re.DOTALL)
_TABLE_BORDER = re.compile(r'(<table\b[^>]*?)\s+border="1"')


class DataFrameTablesPreprocessor(Preprocessor):
    """pandas' HTML tables without pandas' own styling, so the brand's table style applies.

    A DataFrame's HTML carries a ``<style scoped>`` block (which browsers apply to the whole
    page) and ``border="1"``; both go. The brand's CSS then right-aligns numbers in tabular
    figures, repeats the header on each printed page and shrinks a wide table to fit.
    """

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
                table = output.get("data", {}).get("text/html")
                if isinstance(table, str) and 'class="dataframe' in table:
                    table = _TABLE_BORDER.sub(r"\1", _SCOPED_STYLE.sub("", table))
                    columns = table.count("<th", 0, table.find("</tr>"))
                    kind = "pf-frame pf-wide" if columns > 8 else "pf-frame"
                    # A table wider than the screen scrolls sideways; the keyboard must reach it.
                    output["data"]["text/html"] = (
                        f'<div class="{kind}" tabindex="0" role="region" aria-label="Table">'
                        f"{table}</div>"
                    )
        return nb, resources
