"""The evidence notebook's own sentences (views/evidence.py): its table and its readings."""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

# The cited statistics' table: its column headings.
STATISTIC_AND_QUOTE = _("Statistic and quote")
PUBLISHER = _("Publisher")
PUBLISHED = _("Published")
SAMPLE = _("Sample")
EVIDENCE = _("Evidence")
CAVEATS = _("Caveats")
# Each reading's second line, before what the figure does not say.
DOES_NOT_SAY = _("What it does not say:")
