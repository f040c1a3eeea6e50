"""The explorer's own sentences (ui/explorer): its fields, headings, buttons and notes.

The key numbers' labels and headings are the view model's, shared with the brief (the
package's ``__init__``); what the consultant alone reads in the explorer lives here. Present
mode's inputs drawer shows the same fields, so it names these too.
"""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

# --- the fields' labels (the client's and the consultant's names are the package's
# msg.CLIENT and msg.PREPARED_BY, shared with the brief's cover) ------------------------------
CLIENT_FILE = _("Client file")
# The picker's last option, and the client name a new scenario starts with.
NEW_CLIENT = _("New client")
POCS_PER_YEAR = _("Proofs of concept a year")
COST_PER_POC = _("Cost per proof of concept")
COST_TO_PRODUCTION = _("Cost to take one to production")
RECORD_PERIOD = _("Period (free text)")
RECORD_STARTED = _("Proofs of concept started")
RECORD_REACHED = _("Of those, reached production")
RECORD_IMPACT = _("Of those, with measurable impact")
# The placeholder in a field that may be left empty.
OPTIONAL = _("optional")

# --- headings and notes --------------------------------------------------------------------
EXPLORER_HEADING = _("Client explorer")
READINESS_HEADING = _("Readiness: 0 absent, 2 industry typical, 4 fully in place")
# The readiness column over the target sliders.
TARGET_FIVE_PRACTICES = _("Target (five practices)")
# Over the record's fields, here and in present mode's drawer.
RECORD_SO_FAR = _("The client's record so far (optional)")
RECORD_HELP = _(
    "Pilots already run: the model calibrates its rates to them. Leave the counts empty to "
    "model from readiness alone."
)
# Under the key numbers: how they were modelled. {calibrated} is CALIBRATED_CLAUSE or empty.
MODELLED_NOTE = _(
    "Modelled{calibrated} over {years} years, {pocs} proofs of concept; {draws} draws, "
    "seed {seed}. Assumptions: data/assumptions.yaml."
)
CALIBRATED_CLAUSE = _(", calibrated to the client's record,")
# Over the results, greyed out, while an entry is invalid.
FIX_TO_SEE = _(
    "Fix the entries marked in red to see the results: those greyed out below are of the "
    "last valid entries."
)
RANKING_HEADING = _("Which practice is worth most, net of its cost (each raised alone)")
# One practice in the ranking: its levels, then what raising it alone gains.
RANKING_ITEM = _(
    "{from_level} to {to_level}: {net} net value after its cost; +{production} in production"
)
# The ranking when the target raises no practice.
NO_PRACTICE_RAISED = _("Target equals as is.")

# --- buttons and status lines ----------------------------------------------------------------
SAVE = _("Save scenario")
CONFIRM_OVERWRITE = _("Confirm overwrite")
EXPORT = _("Export brief")
EXPORTING = _("Exporting the brief (PDF and HTML)…")
EXPORT_DECK = _("Export deck")
EXPORTING_DECK = _("Exporting the deck (PPTX)…")
# After a save, with the file's path; after an export, with the folder and a link per file.
SAVED = _("Saved {path}.")
# A save or export refused while an entry is invalid.
NOTHING_SAVED = _("Nothing saved: fix the entries marked in red.")
NOTHING_EXPORTED = _("Nothing exported: fix the entries marked in red.")
# A save over an existing file waits for the second button; {name} is the file's name,
# {confirm} that button's label (CONFIRM_OVERWRITE).
ALREADY_EXISTS = _("{name} already exists. Click '{confirm}' to replace it.")
EXPORTED = _("Exported to {folder}: {links}")
EXPORT_FAILED = _("Export failed: {error}")
# Export over a brief already in the folder waits for the second button. {names} are the
# files there, {inputs} FROM_SAVED or FROM_UNSAVED, {confirm} that button (CONFIRM_EXPORT).
BRIEF_EXISTS = _(
    "Today's brief is already in the exports folder ({names}). The new one would be made "
    "{inputs} Click '{confirm}' to replace it."
)
CONFIRM_EXPORT = _("Replace the brief")
# As BRIEF_EXISTS, for Export deck; {confirm} is CONFIRM_EXPORT_DECK.
DECK_EXISTS = _(
    "Today's deck is already in the exports folder ({names}). The new one would be made "
    "{inputs} Click '{confirm}' to replace it."
)
CONFIRM_EXPORT_DECK = _("Replace the deck")
# With BRIEF_EXISTS when the entries are not the file's; {save} is SAVE_AND_EXPORT.
OFFER_SAVE = _("Or click '{save}' to save them to the client's file first.")
SAVE_AND_EXPORT = _("Save, then export")
# Which inputs an export uses, in its question and after it; {name} is the file's name.
FROM_SAVED = _("from the saved file {name}.")
FROM_UNSAVED = _("from unsaved edits, not in the client's file.")
# After an export, before FROM_SAVED or FROM_UNSAVED.
MADE = _("Made")
