"""The deck's own sentences (views/deck): slide titles, chart words, footnotes, speaker notes.

The headings, headline numbers, tables and next steps the deck shares with the brief are in the
package's ``__init__``; the title and the document properties are the brief's (``brief``). The
notes are the consultant's: what to say, where each figure comes from, what to do next.
"""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

# --- the title slide ----------------------------------------------------------------------
# Under the title: who prepared the brief, and its date.
BYLINE = _("{prepared_by} · {date}")
TITLE_NOTES = _(
    "Cited figures come from published research (sources slide). Figures about {client} are "
    "modelled from the client's inputs and labelled assumptions."
)

# --- the three numbers --------------------------------------------------------------------
NUMBERS_HEADING = _("Three numbers that matter")
NUMBERS_FOOTNOTE = _("{modelled}. Assumptions: the brief's appendix B.")
NUMBERS_NOTES = _(
    "Modelled for {client} from the client's inputs ({pocs_per_year} proofs of concept a year "
    "for {years} years, {cost_per_poc} each) and the labelled assumptions; each range is P10 "
    "to P90, the middle 80% of outcomes."
)

# --- the evidence -------------------------------------------------------------------------
# Notes, one paragraph per figure shown.
EVIDENCE_NOTE = _("{citation}, {title}: “{quote}” Sample: {sample}. Caveats: {caveats}")

# --- the funnel ---------------------------------------------------------------------------
FUNNEL_ALT = _("Bar chart of {client}'s modelled funnel over {years} years.")
FUNNEL_FOOTNOTE = _("{modelled}: central estimates. P10 to P90 in the notes.")
# {stages} are the FUNNEL_NOTE_STAGE lines, joined by semicolons.
FUNNEL_NOTES = _("Modelled. {stages}.")
# One stage's line in the funnel's notes: the stage table's cells (ctx.funnel_table).
FUNNEL_NOTE_STAGE = _(
    "{stage}: as is {as_is} ({as_is_range}), with the five practices {target} ({target_range})"
)
FUNNEL_NOTES_NEXT = _("The next slide sets the client's record beside the research.")

# --- the record ---------------------------------------------------------------------------
# The record chart's four bars.
RECORD_BAR_INDUSTRY = _("{publisher}: {numerator} of {denominator} (industry, cited)")
RECORD_BAR_RESEARCH = _("The research at your readiness (modelled)")
RECORD_BAR_YOURS = _("Your record: {reached} of {started}")
RECORD_BAR_CALIBRATED = _("Calibrated to your record (modelled)")
RECORD_SERIES = _("Share of proofs of concept reaching production")
RECORD_ALT = _("Bar chart of the rate from proof of concept to production.")
# After the record's verdict.
RANGES_ARE = _("Ranges are P10 to P90.")
# {period} is " (2024-01 to 2025-12)" or nothing.
RECORD_NOTES = _(
    "Cited: {citation}, {title}: “{quote}” Caveats: {caveats}\n\n"
    "The client's record{period}: {reached} of {started} proofs of concept reached production "
    "({observed}). Modelled: the research at the client's readiness expects {prior}; combined "
    "with the record, {calibrated} (P10 {low} to P90 {high}), the rate every other slide uses. "
    "{shift}"
)

# --- what stalling costs ------------------------------------------------------------------
STALLING_ALT = _("Column chart of spend that stalls and value delivered, {years} years.")
STALLING_FOOTNOTE = _("{modelled} from the client's costs and value per use case.")
STALLING_NOTES = _(
    "Modelled from the client's inputs: {cost_per_poc} per proof of concept, "
    "{cost_to_production} to take one to production, {value_per_use_case} a year per use case "
    "with measurable impact."
)

# --- what changes with the practices ------------------------------------------------------
# A bar's label: the practice and the levels it is raised between.
PRACTICE_LEVELS = _("{label} ({from_level} to {to_level})")
PRACTICES_SERIES = _("Net value gained, after the practice's cost")
PRACTICES_ALT = _("Bar chart ranking the practices by net value gained, after their cost.")
PRACTICES_FOOTNOTE = _("{modelled}: each practice raised alone, the others as is.")
PRACTICES_NOTES = _(
    "Modelled: each driver raised alone from as is to target; how much each level of "
    "readiness moves a step is a labelled assumption (the brief's appendix B)."
)

# --- where to start -----------------------------------------------------------------------
# The notes carry what the consultant does next (BriefContext.consultant_note).
START_NOTES = _(
    "The first steps are the practices worth most net of their cost, raised alone (modelled). "
    "For you, not the client: {advice}"
)

# --- sources ------------------------------------------------------------------------------
# The slide's title (the brief's appendix is SOURCES_APPENDIX).
SOURCES_HEADING = _("Sources")
SOURCES_PUBLISHER = _("Source")
SOURCES_TITLE = _("Title")
SOURCES_URL = _("URL")
SOURCES_NOTES = _("Each source's exact quote, sample and caveats are in the brief's appendix A.")

# --- every slide with a modelled figure: its notes end with the calibration ---------------
CALIBRATED_NOTE = _(
    "Calibrated to {client}'s record of {pocs} proofs of concept; the research's rate counts "
    "as much as {strength} of {client}'s own (an assumption)."
)
