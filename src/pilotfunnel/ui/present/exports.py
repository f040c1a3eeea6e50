"""Which exported briefs the present server hands out, and the links to them.

Kept apart from the server (voila_app) so the page's kernel can write a link without loading
Voila: the route is ``/exports/NAME``, a brief Export wrote into the exports folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from pilotfunnel.export.formats import DEFAULT_FORMATS, FORMATS

EXPORTS_ROUTE = "/exports/"
# A brief's file name as the kit writes it (core.naming.brief_stem: a slug and a date, then a
# format's suffix): letters, digits, dots, hyphens and underscores, no separator, no leading dot.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# What Export writes, by suffix: the media type each is served with.
SERVED = {FORMATS[name].suffix: FORMATS[name].mimetype for name in DEFAULT_FORMATS}


def exported_file(folder: Path, name: str) -> Path | None:
    """The exported brief ``name`` in ``folder``, or None for anything else.

    None for a name with a path in it ("../", "a/b", an absolute path, once the URL is
    decoded), for a suffix Export does not write, for a symlink (it may lead anywhere) and
    for anything that is not a regular file directly inside the folder.
    """
    if not _NAME.fullmatch(name) or Path(name).suffix not in SERVED:
        return None
    path = folder / name
    try:
        if path.is_symlink() or not path.is_file():
            return None
        if path.resolve().parent != folder.resolve():  # a symlinked folder on the way
            return None
    except OSError:  # a name too long, a loop: not a brief the kit wrote
        return None
    return path


def export_url(path: Path) -> str:
    """The present server's link to an exported brief (its name alone: the route knows where)."""
    return EXPORTS_ROUTE + path.name
