#!/bin/sh
# Git's clean filter for notebooks/*.ipynb (`make nbfilter` declares it; .gitattributes applies
# it). Git runs a filter at the top of the work tree it is working on, which may be a linked
# worktree (`git worktree add`) with no .venv of its own: so the launcher takes this tree's
# .venv, else the main checkout's, else python3. Without the kit's dependencies nbclean.py
# passes the file through with a warning, so a git command never fails on the filter.
common=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null)
for py in ".venv/bin/python" "${common%/.git}/.venv/bin/python"; do
  if [ -x "$py" ]; then exec "$py" scripts/nbclean.py; fi
done
exec python3 scripts/nbclean.py
