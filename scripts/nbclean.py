"""A git clean filter for the kit's notebooks: what git stores is the notebook without what a
session adds to it, so JupyterLab's autosave never shows as a change.

Git pipes a notebook in (``git add``, ``git status``, ``git diff``) and stores what comes out:
the cells' outputs and execution counts emptied, the per-run metadata a session writes
(execution timings, collapsed or scrolled views, the widgets' saved state, the kernel's
version details) removed, and the JSON written as Jupyter writes it (one-space indent, sorted
keys, a final newline), so a notebook committed clean reads back byte for byte. The working
file keeps its outputs. ``make env`` (and ``make lab``) declare it with
``git config filter.nbclean.clean``; .gitattributes applies it to notebooks/*.ipynb.

Text that is not a notebook (a merge in progress, a half-written file) is passed through
unchanged with a warning: a filter that fails would stop ``git add``.

    python scripts/nbclean.py < notebooks/01-evidence.ipynb   # what git stores
"""

from __future__ import annotations

import sys

import nbformat

# Cell metadata a session writes about itself, not about the notebook (nbstripout's defaults).
SESSION_CELL_KEYS = ("collapsed", "scrolled", "execution", "ExecuteTime", "heading_collapsed")
# Notebook metadata likewise: the widgets' saved state, a trust signature.
SESSION_NOTEBOOK_KEYS = ("widgets", "signature")


def clean(text: str) -> str:
    """The notebook ``text`` as git stores it: no outputs, no execution counts, no session
    metadata; the same text for the same notebook, however often it was run."""
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    for key in SESSION_NOTEBOOK_KEYS:
        notebook.metadata.pop(key, None)
    language = notebook.metadata.get("language_info")
    if isinstance(language, dict) and "name" in language:
        # The kernel adds its version, lexer and MIME type on every run: keep only the language.
        notebook.metadata["language_info"] = {"name": language["name"]}
    for cell in notebook.cells:
        for key in SESSION_CELL_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nbformat.writes(notebook) + "\n"


def main() -> int:
    """Filter stdin to stdout, as git's clean filter runs it."""
    raw = sys.stdin.buffer.read()
    try:
        sys.stdout.write(clean(raw.decode("utf-8")))
    except Exception as error:  # noqa: BLE001 - never stop a git add: store the file as it is
        print(f"nbclean: not a notebook, stored as it is ({type(error).__name__})", file=sys.stderr)
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    raise SystemExit(main())
