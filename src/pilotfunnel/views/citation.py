"""How a cited source is named for a client: one citation, and the addresses a client may follow.

A source seen only through a secondary report is named by its primary publisher first, then
"reported by" the report (``reported_by`` in data/sources.csv); the report's address is shown
as the report's, never as the source's, and a blog a quote was traced through (an analyst's
lead, kept in ``analyst_notes``) is never shown. Every surface that names a source for a client
(the brief's evidence and sources appendix, the deck, the present mode, the charts' alt text,
the evidence notebook) takes the name from ``citation`` here; ``views.evidence`` re-exports it.
This module imports only the catalogue, so a chart can use it without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from pilotfunnel.inputs.sources.schema import Source
from pilotfunnel.views import messages as msg


def citation(source: Source) -> str:
    """The source as a client reads it: "IDC, 2025", or "IDC, 2025, reported by CIO.com"."""
    if source.reported_by:
        return msg.CITATION_REPORTED.format(
            publisher=source.publisher, year=source.published.year, report=source.reported_by
        )
    return msg.CITATION.format(publisher=source.publisher, year=source.published.year)


@dataclass(frozen=True)
class Link:
    """An address a client may follow, with what it is: "" for the source's own, or
    "Reported by CIO.com:" for the report's."""

    label: str
    url: str


def links(source: Source) -> tuple[Link, ...]:
    """The source's own address (when it has one), then the report's, named as the report's."""
    found = []
    if source.url:
        found.append(Link("", source.url))
    if source.reported_url:
        found.append(Link(msg.REPORTED_AT.format(report=source.reported_by), source.reported_url))
    return tuple(found)
