"""The brief's own sentences: what the page alone shows (views/templates/sections.html.j2).

The template writes ``{{ say(msg.brief.NAME, value=...) }}``: the sentence's own markup
(``<strong>``) is kept, and every value filled in (a client's name, a figure) is escaped.
The headings, tables and headline numbers the brief shares with the other surfaces live in
the package's ``__init__`` and come through ``BriefContext``. Each sentence speaks to the
client; what the consultant does next is ``BriefContext.consultant_note``, never on the page.
"""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

# --- the exported file's metadata and the notebook's note -----------------------------------
# The page's <meta name="keywords"> (export/nbconvert's template), and so the PDF's keywords.
KEYWORDS = _("AI pilots, proof of concept, production, readiness")
# The notebook's note once the brief is made.
READY = _("Brief for {client} ({date}) is ready to export.")

# --- the cover ------------------------------------------------------------------------------
KICKER = _("AI pilot funnel brief")
# The cover's title (COVER_TITLE), "Client" and "Prepared by" are shared with the deck and the
# explorer (the package's __init__).
DATE = _("Date")
COVER_NOTE = _(
    "Cited figures come from published research (sources appendix). Figures about {client} "
    "are modelled from the client's inputs and labelled assumptions (assumptions appendix)."
)

# --- the summary ----------------------------------------------------------------------------
SUMMARY_HEADING = _("Summary: three numbers that matter")
# {cite} is the footnote's mark.
SUMMARY_RESEARCH = _(
    "{publisher} found that for every {denominator} AI proofs of concept only {numerator} "
    "reached production{cite}."
)
# Follows SUMMARY_RESEARCH with a record, after a space.
SUMMARY_CALIBRATED = _(
    "Calibrated to {client}'s own record ({reached} of {started} reached production), the "
    "model expects {rate} of proofs of concept to reach production, against {prior} from "
    "{client}'s readiness alone and {baseline} at industry-typical readiness."
)
# SUMMARY_CALIBRATED's variants (record.summary_rates), so that no two rates the page writes
# alike are set against each other: the calibrated rate written as the readiness-based one...
SUMMARY_CALIBRATED_AS_READINESS = _(
    "Calibrated to {client}'s own record ({reached} of {started} reached production), the "
    "model expects {rate} of proofs of concept to reach production, as {client}'s readiness "
    "alone does, against {baseline} at industry-typical readiness."
)
# ...the readiness-based rate written as the industry-typical one...
SUMMARY_CALIBRATED_READINESS_TYPICAL = _(
    "Calibrated to {client}'s own record ({reached} of {started} reached production), the "
    "model expects {rate} of proofs of concept to reach production, against {prior} from "
    "{client}'s readiness alone, which is also the rate at industry-typical readiness."
)
# ...the calibrated rate written as the industry-typical one...
SUMMARY_CALIBRATED_AS_TYPICAL = _(
    "Calibrated to {client}'s own record ({reached} of {started} reached production), the "
    "model expects {rate} of proofs of concept to reach production, as at industry-typical "
    "readiness, against {prior} from {client}'s readiness alone."
)
# ...all three written alike.
SUMMARY_CALIBRATED_ALL_ALIKE = _(
    "Calibrated to {client}'s own record ({reached} of {started} reached production), the "
    "model expects {rate} of proofs of concept to reach production, as {client}'s readiness "
    "alone and industry-typical readiness do."
)
# Follows SUMMARY_RESEARCH without a record, after a space.
SUMMARY_READINESS = _(
    "At {client}'s readiness today the model expects {rate} of proofs of concept to reach "
    "production, against {baseline} at industry-typical readiness."
)
# In place of SUMMARY_READINESS when the two rates are written alike.
SUMMARY_READINESS_TYPICAL = _(
    "At {client}'s readiness today the model expects {rate} of proofs of concept to reach "
    "production, as at industry-typical readiness."
)
SUMMARY_TOP = _(
    "The single change worth most is <strong>{label}</strong> (from {from_level} to "
    "{to_level}): {net} net value after its cost, and +{gain} use cases in production."
)
# In place of SUMMARY_TOP when no practice the target raises pays for its cost alone.
SUMMARY_NONE_PAYS = _(
    "At {client}'s inputs no single practice pays for its cost on its own within the horizon."
)
# "Where to start": one item per practice.
START_ITEM = _(
    "<strong>{label}</strong> ({from_level} to {to_level}): {net} net value after its cost of "
    "{change}; +{production} in production."
)
# {calibrated} is SUMMARY_MODELLED_RECORD with a record, or nothing.
SUMMARY_MODELLED = _(
    "All figures about {client} are modelled from the client's inputs and the labelled "
    "assumptions in the appendix{calibrated}."
)
SUMMARY_MODELLED_RECORD = _(
    ", with the rates calibrated to {client}'s record of {pocs} proofs of concept"
)

# --- the evidence ---------------------------------------------------------------------------
UNVERIFIED = _("Unverified")
SECONDARY = _("Secondary report")
# After the source's publisher and year.
SAMPLE = _("Sample: {sample}")
EVIDENCE_CAUSES = _(
    "The causes are rarely the model. Pilots stall for five reasons: they never touched real "
    "systems, the data was not ready, there was no defined outcome, no one owned them, or they "
    "broke at volume. The next pages score {client} on each."
)

# --- the record -----------------------------------------------------------------------------
# {period} is RECORD_PERIOD or nothing; {impact} one of RECORD_IMPACT_* or nothing; {cite}
# the footnote's mark.
RECORD_INTRO = _(
    "{client} has started {started} proofs of concept{period}, and {reached} reached "
    "production{impact}: {observed} of proofs of concept reached production. {publisher} found "
    "{numerator} of {denominator} ({baseline}){cite} across the industry, and at {client}'s "
    "readiness the research expects {prior} (modelled)."
)
RECORD_PERIOD = _(" ({period})")
RECORD_IMPACT_ONE = _("; {impact} shows measurable impact")
RECORD_IMPACT_MANY = _("; {impact} show measurable impact")
RECORD_NOTE = _(
    "Calibrated: the readiness-based rate counts as {strength} of {client}'s own proofs of "
    "concept (an assumption, appendix B), and the record adds its own. Every modelled figure "
    "from here on uses the calibrated rates."
)

# --- the funnel -----------------------------------------------------------------------------
FUNNEL_NOTE_RECORD = _(
    "Modelled, calibrated to {client}'s record. Ranges combine the uncertainty of the cited "
    "baseline (4 of 33 is a small sample), how far {client} may differ from it, what its record "
    "of {started} proofs of concept says, and chance variation in a programme of {pocs} proofs "
    "of concept."
)
FUNNEL_NOTE = _(
    "Modelled. Ranges combine the uncertainty of the cited baseline (4 of 33 is a small "
    "sample) with chance variation in a programme of {pocs} proofs of concept."
)

# --- what stalling costs --------------------------------------------------------------------
# {calibrated} is STALLING_NOTE_RECORD with a record, or nothing.
STALLING_NOTE = _(
    "Modelled from the client's inputs: {cost} per proof of concept, {to_production} to take "
    "one to production, {value} a year from a use case with measurable impact{calibrated}. "
    "Money is in {basis}. Return on spend is net value over spend and the cost of the change."
)
STALLING_NOTE_RECORD = _("; rates calibrated to {client}'s record")

# --- the five practices ---------------------------------------------------------------------
PRACTICE_AT_TARGET = _("<strong>{label}</strong>: already at target ({level}).")
PRACTICE_RAISED = _(
    "<strong>{label}</strong>, {from_level} to {to_level}: {net} net value: {value} value, "
    "less {spend} extra spend and {change} to put it in place; +{production} use cases in "
    "production ({modelled})."
)
# Raised alone, a practice can cost more than it returns: the five work together.
PRACTICES_TOGETHER = _(
    "Raised alone, a practice gains less than its share of the five together, because each "
    "multiplies the others: together they gain {net} net value."
)
PRACTICE_LEVELS = _("Today: {today} Target: {target}")

# --- next steps -----------------------------------------------------------------------------
# The section's heading (the deck and present mode head theirs WHERE_TO_START).
NEXT_STEPS_HEADING = _("Next steps")

# --- appendix A: the sources ----------------------------------------------------------------
SOURCES_APPENDIX = _("Appendix A: sources")
STATISTIC = _("Statistic:")
SAMPLE_LABEL = _("Sample:")
SAMPLE_NOT_STATED = _("not stated by the source")
CAVEATS = _("Caveats:")
EVIDENCE = _("Evidence:")
ACCESSED = _("Accessed:")

# --- appendix B: the assumptions ------------------------------------------------------------
ASSUMPTIONS_APPENDIX = _("Appendix B: assumptions")
# The method in plain words, closing the appendix: the one place the technical names are
# given, each once and in passing. {calibrated} is METHOD_RECORD with a record, or nothing.
METHOD_HEADING = _("How the model works")
METHOD = _(
    "The model follows {client}'s proofs of concept step by step to production. Each step "
    "starts from the rate the research finds at industry-typical readiness (the first table "
    "above), and {client}'s readiness moves it: each level above or below 2 raises or lowers "
    "the step's odds by a set amount, the effect per level in the second table (measured in "
    "log-odds). "
    "{calibrated}No one knows the rates exactly, so the model is run many times (a Monte "
    "Carlo simulation), each time with rates drawn as widely as the research's sample sizes "
    "allow (a Beta posterior with a Jeffreys prior); each range shows the middle 80% of the "
    "outcomes, from P10 to P90."
)
METHOD_RECORD = _(
    "Where {client}'s own record is known, the model combines it with the readiness-based "
    "rate, and the more proofs of concept the record holds, the more it counts. "
)
BASELINES_HEADING = _("Stage rates at industry-typical readiness")
STEP = _("Step")
RATE = _("Rate")
BASIS = _("Basis")
CITED = _("Cited")
ASSUMPTION = _("Assumption")
# After ASSUMPTION, before the rationale.
WEIGHTED_AS = _(" (weighted as {trials} observations): ")
EFFECTS_HEADING = _("How readiness moves each step: the effect per level away from 2")
DRIVER = _("Driver")
EFFECT = _("Effect")
RATIONALE = _("Rationale (assumption)")
ECONOMICS_HEADING = _("Economics")
ASSUMPTION_LABEL = _("Assumption:")
PRIOR_STRENGTH = _(
    "the readiness-based rate is worth {strength} of the client's own proofs of concept when "
    "it is combined with the client's record."
)
TIME_TO_PRODUCTION = _(
    "a use case delivers value from go-live, {months} months after its proof of concept starts."
)
DISCOUNT_RATE = _(
    "money is discounted at {rate} a year: every figure is a present value over the horizon, "
    "and value after the horizon is not counted."
)
CHANGE_COST = _(
    "raising a practice by one level costs a multiple of one proof of concept ({cost}), "
    "rising with the level:"
)
CHANGE_COST_LEVELS = _("{label}: {levels} proofs of concept for levels 0-1, 1-2, 2-3 and 3-4.")
CHANGE_COST_CLIENT = _("{label}: {cost} from {from_level} to {to_level}, {client}'s own figure.")
CLIENT_INPUTS = _(
    "Client inputs: {pocs_per_year} proofs of concept a year for {years} years; {cost} per "
    "proof of concept; {to_production} to production; {value} a year per use case with impact."
)

# --- notes the export puts on the page in place of a cell's output (export/nbconvert) -------
# A cell that raised, exported anyway; {error} is the error's name (escaped).
CELL_FAILED = _("<strong>This cell failed</strong> ({error}); its output is not shown.")
# An interactive control (ipywidgets) with no saved state, then the heading over its saved
# state, one item per control.
WIDGET_NOT_SHOWN = _("An interactive control is here in the notebook; it is not shown in print.")
WIDGET_AS_SAVED = _("Interactive control, as saved:")
