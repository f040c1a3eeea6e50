"""The present mode's own sentences (ui/present): its story's steps, drawer and notes.

Its headings, key numbers, tables and next steps are the view model's, shared with the brief
(the package's ``__init__`` and ``BriefContext``); only what the meeting screen alone shows
lives here. The inputs drawer's fields are the explorer's (``messages.explorer``).
"""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

# The story's five steps, on the step buttons, each after its number ("1 The evidence"); the
# last three are the brief's own headings (STALLING_HEADING, PRACTICES_HEADING, WHERE_TO_START).
# Each step's own heading, above its content, is the brief's section heading.
STEP_EVIDENCE = _("The evidence")
STEP_FUNNEL = _("Your funnel today")
# The step button's text: its number and its title.
STEP_TITLE = _("{number} {title}")
# The tooltip of the button that opens the inputs drawer (msg.INPUTS).
INPUTS_TOOLTIP = _("Show or hide the client's inputs")
# The drawer's client picker names each client file by its client; a second file for the
# same client is numbered ("Acme Freight (2)").
CLIENT_AGAIN = _("{name} ({n})")
# The drawer's heading, and the heading over each outcome's readiness sliders.
INPUTS_HEADING = _("The client's inputs")
READINESS_OF = _("Readiness {which}")
# Under the evidence cards: why pilots stall. (No pointer to the brief's appendix: the room
# has not got it.)
EVIDENCE_NOTE = _(
    "The causes are rarely the model: pilots never touch real systems, the data is not ready, "
    "no outcome is defined, no one owns them, or they break at volume."
)
# An evidence card's fold with the source's own words.
THEIR_WORDS = _("Their words")
# The practices step: what the five practices change, in one sentence.
PRACTICES_SUMMARY = _(
    "From {as_is} to {target} proofs of concept in production over {years} years, and {net} "
    "net value after the cost of the change (modelled)."
)
# PRACTICES_SUMMARY's variants (panels.practices_summary) when production is written alike
# either way, and when the net gain shows as nothing too.
PRACTICES_SUMMARY_SAME_PRODUCTION = _(
    "{as_is} proofs of concept in production over {years} years either way, and {net} net "
    "value after the cost of the change (modelled)."
)
PRACTICES_SUMMARY_NO_CHANGE = _(
    "The five practices make no material change over {years} years: {as_is} proofs of concept "
    "in production, and no material change in net value (modelled)."
)
# After Export brief, on the story's last step: what was made, each format a download link
# ({links}: "PDF, HTML"). No folder, no file name: the projector shows no path.
BRIEF_READY = _("The brief is ready: {links}")
# When Export fails: the projector says so; why (with its paths) goes to the drawer.
BRIEF_FAILED = _("The brief could not be made. The details are in the inputs drawer.")

# --- the page around the widgets (share/voila/templates/pilotfunnel), passed to it by
# ``ui.present.server.theme_resources`` ---------------------------------------------------------
# While the kernel starts, then while the notebook runs.
LOADING = _("Preparing the meeting view…")
STARTING = _("Starting the model and drawing the funnel…")
# When the kernel has died: a heading, what it means ({command} is the command, in code type),
# and the button.
KERNEL_LOST_HEADING = _("The model stopped")
KERNEL_LOST_TEXT = _(
    "The Python kernel behind this page is no longer running, so the numbers cannot update. "
    "Reload the page to start it again; if that fails, restart {command}."
)
RELOAD = _("Reload the page")
# The step buttons' group, as a screen reader names it.
STEPS_LABEL = _("Story steps")

# --- the console line `pilotfunnel present` prints as it starts (ui/present/server.py) -------
CONSOLE_OPEN = _("Present mode: open {url} and share that browser window. Stop with Ctrl-C.")

# --- the steps' charts (ui/present/figures.py): their captions where the brief's point to its
# appendix, which the room has not got -----------------------------------------------------------
# Under the funnel; "Modelled" gains "calibrated to the client's record" where it is so.
# Under the evidence step's chart: the statistics on its cards, each named by its publisher.
EVIDENCE_CHART_NOTE = _(
    "Cited: each share as its source defines it, in the source's words beside the chart. Bars: "
    "80% interval from the sample size, where the source gives one."
)
