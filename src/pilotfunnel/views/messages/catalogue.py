"""The marker every catalogue module uses for its sentences: one ``_`` for the whole package.

Each surface keeps its own sentences in a module of ``pilotfunnel.views.messages`` (``deck``,
``charts``, ``present``, ``explorer``, ``brief``, ``cli``) and the shared ones in the package's
``__init__``; all of them write ``_("...")`` with a literal argument so Babel's extractor finds
them. This module imports nothing, so any catalogue module can import it without a cycle.
"""

from __future__ import annotations


def _(text: str) -> str:
    """Mark ``text`` as a message to translate; the identity until gettext is added."""
    return text
