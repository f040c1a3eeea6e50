"""The catalogue of sentences a reader sees on more than one surface: one home for each.

The brief (templates/sections.html.j2), the deck, the present mode, the explorer, the charts
and the command line's tables name a message here instead of typing it, so a heading reads the
same everywhere and a wording change is made once. ``tests/test_messages.py`` checks that no
other source file spells a catalogue sentence out again.

Shaped for gettext, which a later issue adds:

- Every message is written as ``_("...")`` with a literal argument, so Babel's extractor
  (``pybabel extract``, the ``python`` method) finds it. ``_`` is the identity today; it becomes
  a ``gettext`` lookup then. Because the constants are evaluated at import, a per-brief locale
  will need them looked up at render time (``gettext_noop`` here, ``_()`` where they are shown);
  the names stay, so the surfaces do not change.
- A sentence with numbers in it keeps named ``{placeholders}`` that the surface fills with
  ``str.format`` after formatting the numbers (``formatting``), so a translator can move the
  numbers within the sentence.
- The Jinja template receives this module as the global ``msg`` (``brief._ENV``) and writes
  ``{{ msg.FIVE_PRACTICES }}``; with translation it gets Jinja's ``i18n`` extension and Babel's
  Jinja extractor, or keeps ``msg`` backed by translated strings.

This module imports only ``catalogue`` (which imports nothing), so every view and face can import
it without a cycle.
Wording that differs between surfaces today is kept as separate messages (unifying it is a
deliberate change for a later issue, not a side effect of moving it).
"""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

# --- the two cases the model compares ----------------------------------------------------
AS_IS = _("As is")
TARGET = _("Target")
# Column headings in the brief's tables and the explorer's key numbers.
FIVE_PRACTICES = _("Five practices")
# Chart legends, the deck's series and categories.
FIVE_PRACTICES_IN_PLACE = _("Five practices in place")
# The stalling chart's category label, broken over two lines to fit beside the bars.
FIVE_PRACTICES_IN_PLACE_WRAPPED = _("Five practices\nin place")
P10_TO_P90 = _("P10 to P90")

# --- who the brief is for and by: the brief's cover and the explorer's fields --------------
CLIENT = _("Client")
PREPARED_BY = _("Prepared by")

# --- the brief's title: the exported files' metadata (views/brief.brief_metadata, the deck's
# core properties) and the cover's heading (the brief's cover, the deck's title slide) -------
TITLE = _("AI pilot funnel brief: {client}")
SUBJECT = _("Why AI pilots stall before production, and what it takes to ship them")
COVER_TITLE = _("Why {client}'s AI pilots stall, and what it takes to ship them")
# A cited source that does not state its sample: the evidence notebook's table, the deck's
# evidence notes.
NOT_STATED = _("not stated")
# A source as a client reads it (views/citation.citation): its primary publisher and year, and
# the secondary report it is known through when there is one.
CITATION = _("{publisher}, {year}")
CITATION_REPORTED = _("{publisher}, {year}, reported by {report}")
# Before the report's address, so that it reads as the report's and never as the source's.
REPORTED_AT = _("Reported by {report}:")

# --- section headings: the brief, the deck, the present mode and the charts --------------
EVIDENCE_HEADING = _("The evidence: most pilots stall before they pay")
RECORD_HEADING = _("Your record against the research")
# Filled with the number of proofs of concept and the horizon in years.
FUNNEL_HEADING = _("Your funnel: {pocs} proofs of concept over {years} years")
STALLING_HEADING = _("What stalling costs")
PRACTICES_HEADING = _("What changes with the five practices")
WHERE_TO_START = _("Where to start")
AT_A_GLANCE_HEADING = _("At a glance: as is and with the five practices in place")

# --- the three headline numbers' words (BriefContext.headline, on every surface) ----------
# One wording everywhere; the third number is the gain in net value (issue 22), never gross.
HEADLINE_PRODUCTION = _(
    "proofs of concept expected to reach production over {years} years as things stand"
)
HEADLINE_NET = _(
    "more net value with the five practices in place: value gained, less the extra spend and "
    "the cost of the change"
)
# The third number's label when the practices cost more than they return over the horizon.
HEADLINE_NET_LOSS = _(
    "change in net value with the five practices in place: their extra spend and cost exceed "
    "the value they add over the horizon"
)
# The first number's range line ends with what it comes to with the practices in place.
WITH_FIVE_PRACTICES_PRODUCTION = _("With the five practices: {production}.")

# --- money rows: the tables (every surface), the stalling chart's legend, the deck's series --
SPEND_NEVER_SHIPS = _("Spend on POCs that never ship")
VALUE_DELIVERED = _("Value delivered")

# --- alt text and notes that name the five practices ---------------------------------------
FUNNEL_ALT_TARGET = _(
    "With the five practices in place, about {production} reach production and {impact} "
    "show impact."
)
STALLING_ALT_TARGET = _("With the five practices, {stalled} stalls and value delivered is {value}.")

# --- the headline numbers, one wording on every surface (BriefContext.headline) -------------
# The value of the first: the number reaching production of the number started.
HEADLINE_OF_TOTAL = _("{value} of {total}")
# The second number's label, with the horizon.
HEADLINE_STALLED = _("spent on proofs of concept that never ship, over {years} years")
# The range lines under the numbers.
HEADLINE_RANGE = _("{modelled}; P10 to P90: {range}.")
# The net gain's range line: its range, then its gross parts, which add up to it.
HEADLINE_NET_RANGE = _(
    "{modelled}; P10 to P90: {range}. Value {value}, spend {spend}, cost of the change "
    "{change}; {basis}."
)
# How every money figure is measured: present values, value from go-live.
MONEY_BASIS = _("present values at {rate} a year, value from go-live {months} after the start")
MONEY_BASIS_UNDISCOUNTED = _("value from go-live {months} after the start, not discounted")
MONTHS = _("{months} months")
# The payback of the change, after the headline's range line; or that it does not pay back.
PAYBACK = _("In present value, after its extra spend, the change pays for itself in {years} years.")
PAYBACK_NOW = _("The change pays for itself from the start.")
NO_PAYBACK = _("The change does not pay for itself within {years} years.")

# --- the tables every surface draws (BriefContext's TableViews) ----------------------------
# "At a glance": the first column's heading, with the horizon, then how it was modelled.
OVER_YEARS = _("Over {years} years")
GLANCE_CORNER = _("Over {years} years ({modelled})")
GLANCE_MODELLED = _("modelled")
GLANCE_MODELLED_CALIBRATED = _("modelled, calibrated to the record")
CHANGE = _("Change")
# A change, in a table's cell or a sentence, when the two figures are written alike
# (formatting.change): what the page can show, not "+0" or "+0.1 points".
NO_MATERIAL_CHANGE = _("no material change")
# The key numbers' row labels (tables.KEY_NUMBERS, MONEY_ROWS).
PRODUCTION_ROW = _("Proofs of concept reaching production")
IMPACT_ROW = _("Use cases with measurable impact")
RETURN_ROW = _("Return on spend")
SPEND_ROW = _("Total spend")
NET_VALUE_ROW = _("Net value (value less spend and the cost of the change)")
CHANGE_COST_ROW = _("Cost of the change")
PAYBACK_ROW = _("Payback of the change")
# A cell with a number and its share: "13 (13%)".
WITH_SHARE = _("{value} ({share})")
# A range cell: "9 to 18".
RANGE = _("{low} to {high}")
# In place of a range for a figure with none: the cost of the change is an assumption.
NO_RANGE = _("fixed")
# The record table (the brief's record section and the CLI).
RECORD_STEP = _("Step, as is")
RECORD_YOURS = _("Your record")
RECORD_RESEARCH = _("Research at your readiness (P10 to P90)")
RECORD_CALIBRATED = _("Calibrated (P10 to P90)")
RECORD_WEIGHT = _("Share from your record")
# Where the record anchors the rates (a calibrated result): why raising today's readiness score
# can lower the target's result. The brief's record section and the explorer's results.
ANCHORED = _(
    "{client}'s own record fixes today's rate. Were today's readiness scored higher, the same "
    "record would mean {client} converts less well than its readiness suggests, so the five "
    "practices would start from a lower base: a higher score today can lower the result with "
    "the practices in place."
)
NOT_RECORDED = _("not recorded")
RECORD_SEEN = _("{successes} of {trials} ({rate})")
RATE_WITH_RANGE = _("{rate} ({low} to {high})")
# The practices table (sensitivity): each practice raised alone from as is to target.
PRACTICE = _("Practice")
IN_PRODUCTION = _("In production")
VALUE = _("Value")
EXTRA_SPEND = _("Extra spend")
NET_VALUE = _("Net value")
ALREADY_AT_TARGET = _("already at target")
# The funnel's stage table and the readiness table (the brief's funnel section and the CLI).
STAGE = _("Stage")
READINESS_SCALE = _("Readiness (0 absent, 2 typical, 4 in place)")

# --- next steps: the brief, the deck and the present mode (BriefContext.next_steps) ---------
# A practice to start with: its label and the levels it moves between.
START_STEP = _("{label}: from {from_level} to {to_level}.")
# The first next step when no practice pays for its cost alone: said, not papered over.
NONE_PAYS_TITLE = _("Price the change before committing to it.")
NONE_PAYS_TEXT = _(
    "At {client}'s inputs none of the practices pays for its cost on its own within the "
    "horizon: check the cost of the change and the value of a use case with {client}'s finance "
    "team first."
)
PILOT_STEP_TITLE = _("Pick one pilot and wire it to production.")
PILOT_STEP_TEXT = _(
    "Choose the pilot with the clearest outcome, name its owner, and set a go-live date."
)
SHARE_NEXT_TITLE = _("Share how the next pilots finish.")
# {period} is " (2024-01 to 2025-12)" or nothing.
SHARE_NEXT_TEXT = _(
    "This brief is calibrated to {reached} of {started} proofs of concept reaching "
    "production{period}. Each pilot you add to that record sharpens the next brief's figures."
)
SHARE_RECORD_TITLE = _("Share your record of pilots.")
SHARE_RECORD_TEXT = _(
    "How many proofs of concept {client} has started, how many reached production and how "
    "many made a measurable impact: with these, the next brief is calibrated to {client}'s "
    "own pilots as well as the research."
)

# --- what the record can say: the brief's record section, the explorer and the CLI ----------
# A record smaller than the research's weight; {strength} is that weight in pilots.
RECORD_SMALL = _(
    "A record of {pocs} proofs of concept is too small to say much: it weighs less than the "
    "research (worth {strength} pilots in this model), so the calibrated rate stays close to "
    "the readiness-based one. Add pilots as they finish."
)
RECORD_SMALL_ONE = _(
    "A record of {pocs} proof of concept is too small to say much: it weighs less than the "
    "research (worth {strength} pilots in this model), so the calibrated rate stays close to "
    "the readiness-based one. Add pilots as they finish."
)
RECORD_OUTWEIGHS = _(
    "A record of {pocs} proofs of concept outweighs the research (worth {strength} pilots in "
    "this model): it carries {weight} of the calibrated rate."
)
RECORD_SHIFT = _(
    "The record moves the production rate from {prior} (readiness-based) to {calibrated} "
    "(calibrated), {points} points."
)
# In place of RECORD_SHIFT when the two rates are written alike.
RECORD_NO_SHIFT = _(
    "The record makes no material change to the production rate: {rate}, readiness-based and "
    "calibrated."
)
# To the consultant only (BriefContext.consultant_note): the explorer, the CLI, speaker notes.
KEEP_RECORD_CURRENT = _(
    "Keep the record current: update the scenario's record block when the next pilots finish, "
    "and re-run."
)
ADD_A_RECORD = _(
    "No record yet: add a record block to the scenario (proofs of concept started, reached "
    "production, with measurable impact) and re-run to calibrate the rates to the client's own "
    "pilots."
)

# --- a scenario's inputs: the explorer's fields and the portfolio workbook's columns --------
CURRENCY = _("Currency")
HORIZON = _("Horizon (years)")
ANNUAL_VALUE = _("Yearly value of a use case with impact")
# Present mode's drawer button, and the portfolio workbook's second sheet.
INPUTS = _("Inputs")

# --- what a modelled figure is: the brief's "Modelled" line, every chart's note ----------------
MODELLED = _("Modelled")
# Added after MODELLED when the rates were calibrated to the client's record.
CALIBRATED = _("calibrated to the client's record")
