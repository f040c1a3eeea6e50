"""A git clean filter for the kit's notebooks: git stores notebooks/*.ipynb without outputs,
execution counts or a session's metadata (pilotfunnel.ui.notebook_clean says what goes), so
JupyterLab's saves never show as changes. The working file keeps what it holds.

Git pipes a notebook in (``git add``, ``git diff``, ``git status``) and stores what comes out.
``make env`` (and ``make lab``) declare it, through scripts/nbclean.sh, which picks the Python;
.gitattributes applies it to notebooks/*.ipynb. Text that is not a notebook (a merge in
progress, a half-written file) passes through unchanged with a warning: a failing filter would
stop ``git add``.

    sh scripts/nbclean.sh < notebooks/01-evidence.ipynb   # what git stores
"""

from __future__ import annotations

import sys
from pathlib import Path

# This tree's code, not the one an editable install points at: in a linked worktree the
# launcher may run the main checkout's .venv.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> int:
    """Filter stdin to stdout, as git's clean filter runs it."""
    raw = sys.stdin.buffer.read()
    try:
        from pilotfunnel.ui.notebook_clean import clean_text

        cleaned = clean_text(raw.decode("utf-8")).encode("utf-8")
    except Exception as error:  # never stop a git add: store the file as it is
        print(f"nbclean: not a notebook, stored as it is ({type(error).__name__})", file=sys.stderr)
        cleaned = raw
    sys.stdout.buffer.write(cleaned)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
