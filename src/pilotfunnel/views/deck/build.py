"""The brief's deck from its view model: the slides on the template, then packaged."""

from __future__ import annotations

from pilotfunnel.views import messages as msg
from pilotfunnel.views.context import BriefContext
from pilotfunnel.views.deck.packaging import dated, reproducible
from pilotfunnel.views.deck.slides import (
    evidence_slide,
    funnel_slide,
    numbers_slide,
    practices_slide,
    record_slide,
    sources_slide,
    stalling_slide,
    start_slide,
    title_slide,
)
from pilotfunnel.views.deck.template import open_template
from pilotfunnel.views.deck.text import xml_text


def build_deck(ctx: BriefContext) -> bytes:
    """The brief's deck, as .pptx bytes: 8 slides, 9 with the client's record."""
    deck = open_template(ctx.brand)
    title_slide(deck, ctx)
    numbers_slide(deck, ctx)
    evidence_slide(deck, ctx)
    funnel_slide(deck, ctx)
    if ctx.calibrated:
        record_slide(deck, ctx)
    stalling_slide(deck, ctx)
    practices_slide(deck, ctx)
    start_slide(deck, ctx)
    sources_slide(deck, ctx)
    properties = deck.prs.core_properties
    properties.title = xml_text(msg.TITLE.format(client=ctx.client))
    properties.author = xml_text(ctx.prepared_by)
    properties.subject = msg.SUBJECT
    dated(properties, ctx.as_of)
    properties.last_modified_by = xml_text(ctx.prepared_by)
    if not deck.kit:
        # A firm's template may be an old client's deck saved as a template: its free-text
        # properties are not carried into the next client's deck.
        for field in ("category", "comments", "content_status", "identifier", "keywords"):
            setattr(properties, field, "")
    properties.revision = 1
    return reproducible(deck.prs, ctx.as_of)
