"""The command line's own sentences (``pilotfunnel model``'s table, views/report.py).

The tables' headings and labels are the view model's, shared with the brief (the package's
``__init__``); only what the CLI alone prints lives here.
"""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

# The table's first line.
CLI_TITLE = _("{client}: {pocs} proofs of concept over {years} years ({per_year} a year)")
# The second: how the figures were modelled.
CLI_MODELLED = _(
    "Modelled: central estimate, with P10 to P90 over {draws} draws (seed {seed}). "
    "Assumptions: data/assumptions.yaml"
)
# With a record, the third.
CLI_CALIBRATED = _("Calibrated to the client's record of {pocs} proofs of concept.")
# The --seed and --draws options' help, on every command that models.
HELP_SEED = _("Monte Carlo seed")
HELP_DRAWS = _("Monte Carlo draws")
