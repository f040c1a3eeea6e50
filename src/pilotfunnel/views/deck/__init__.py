"""The brief as a PowerPoint deck: native, editable charts and tables, real text, speaker notes.

Built with python-pptx from the same ``BriefContext`` as the PDF and HTML brief, so every number
is the model's and every cited figure carries its source into the slide's notes. Charts are
PowerPoint charts whose data sheet holds the model's numbers ("Edit Data" works); each has alt
text. The same inputs and date give the same bytes: the zip and the charts' embedded workbooks
are written with fixed timestamps.

One concern a module, as nbconvert splits its exporters:

- ``template``: the template the deck is made on (the kit's, themed with the brand, or a
  firm's ``pptx_template``, checked before it is opened), ``open_template``.
- ``parts``: titled slides, text runs, native charts and tables, footnotes, speaker notes.
- ``slides``: one function per slide.
- ``packaging``: ``reproducible``, the same bytes for the same inputs.
- ``build``: ``build_deck(ctx)``, the slides in order on the template.
- ``text``: ``xml_text``, the text a slide can hold.

This module re-exports the names the rest of the kit imports. The deck of an executed brief
notebook (its recorded run modelled again) is ``export.recorded.deck_from_brief``: views import
nothing from export.
"""

from __future__ import annotations

from pilotfunnel.views.deck.build import build_deck
from pilotfunnel.views.deck.packaging import reproducible
from pilotfunnel.views.deck.template import (
    TEMPLATE_MAX_ENTRIES,
    TEMPLATE_MAX_ENTRY_BYTES,
    TEMPLATE_MAX_TOTAL_BYTES,
    Deck,
    check_template_archive,
    open_template,
)

__all__ = [
    "TEMPLATE_MAX_ENTRIES",
    "TEMPLATE_MAX_ENTRY_BYTES",
    "TEMPLATE_MAX_TOTAL_BYTES",
    "Deck",
    "build_deck",
    "check_template_archive",
    "open_template",
    "reproducible",
]
