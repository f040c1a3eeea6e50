"""The analyst's notebook's own sentences (ui/analyst.py): what changed, what is stale."""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

# ``changes_view`` when no source changed.
NO_SOURCE_CHANGED = _("No source has changed since the briefs were built.")
# ``stale_view`` when nothing is stale.
ALL_UP_TO_DATE = _("Every brief in the exports folder is up to date with sources.csv.")
# The rebuild button's status, after what it rebuilt, or alone.
NOTHING_ELSE = _("Nothing else to rebuild.")
NOTHING_TO_REBUILD = _("Nothing to rebuild: every brief is up to date with sources.csv.")
# The rebuild button, its progress bar's label, and its status lines.
REBUILD = _("Rebuild out-of-date briefs")
BRIEFS = _("Briefs")
NOT_REBUILT = _(
    "Not rebuilt: {briefs} brief(s) whose scenario the manifest names outside the project."
)
REBUILT = _("Built {built}, up to date {up_to_date}, failed {failed}.")
