"""The kit's notebooks without what a session adds to them: outputs, execution counts, timings,
widget state and the kernel's version details.

Two callers keep the committed notebooks clean: git's clean filter (scripts/nbclean.py, set up
by ``make env``), so what git stores never holds outputs, and JupyterLab's pre-save hook
(``make lab`` passes ``--ContentsManager.pre_save_hook``), so autosave never writes outputs
into ``notebooks/*.ipynb`` and ``git status`` stays clean after a session. The notebooks are
templates: their outputs live in the browser and in the exports, never in the repository.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import nbformat

# Cell metadata a session writes about itself, not about the notebook (nbstripout's defaults).
SESSION_CELL_KEYS = ("collapsed", "scrolled", "execution", "ExecuteTime", "heading_collapsed")
# Notebook metadata likewise: the widgets' saved state, a trust signature.
SESSION_NOTEBOOK_KEYS = ("widgets", "signature")
# The folder of the kit's template notebooks, from the project root (JupyterLab's API paths).
TEMPLATES_FOLDER = "notebooks"


def clean_notebook(notebook: dict) -> dict:
    """Strip ``notebook`` (a notebook's JSON as a dict) of a session's traces, in place."""
    metadata = notebook.setdefault("metadata", {})
    for key in SESSION_NOTEBOOK_KEYS:
        metadata.pop(key, None)
    language = metadata.get("language_info")
    if isinstance(language, dict) and "name" in language:
        # The kernel adds its version, lexer and MIME type on every run: keep only the language.
        metadata["language_info"] = {"name": language["name"]}
    for cell in notebook.get("cells", []):
        for key in SESSION_CELL_KEYS:
            cell.get("metadata", {}).pop(key, None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return notebook


def clean_text(text: str) -> str:
    """A notebook's text as git stores it: cleaned, and written as Jupyter writes it (one-space
    indent, sorted keys, a final newline), so a clean notebook reads back byte for byte."""
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    clean_notebook(notebook)
    return nbformat.writes(notebook) + "\n"


def pre_save_hook(model: dict, path: str, **kwargs: object) -> None:
    """Jupyter's pre-save hook: a kit template notebook is saved without a session's traces;
    any other file (a consultant's own notebook) is saved as it is."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    parts = PurePosixPath(path.lstrip("/")).parts
    if len(parts) == 2 and parts[0] == TEMPLATES_FOLDER and parts[1].endswith(".ipynb"):
        clean_notebook(model["content"])
