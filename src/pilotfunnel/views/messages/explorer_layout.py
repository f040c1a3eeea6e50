"""The explorer's sentences added with its two-column layout (issue 23): kept apart from
``explorer`` so the layout's wording lands without touching the other surfaces' modules."""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

# Under the explorer's funnel chart: what the whiskers show. The brief's chart note ends
# "Assumptions: appendix.", but the explorer has no appendix; the note under its key numbers
# (explorer.MODELLED_NOTE) already names the file the assumptions are in, so the chart's
# caption says nothing more of them.
CHART_CAPTION = _("Modelled: central estimate; whiskers show P10 to P90.")
