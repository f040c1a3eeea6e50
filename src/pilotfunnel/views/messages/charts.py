"""The charts' own sentences: titles, axis labels, legends, notes, bar labels and alt text.

Shown in the charts wherever they are drawn (the HTML and PDF briefs, the explorer, the deck's
chart slides); the alt text is the HTML figures' description. Sentences other surfaces print
too (the section headings, "As is", the legends' money rows) are the package's shared ones.
Numbers are formatted (``views.formatting``) before they fill a ``{placeholder}``.
"""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

# --- every chart ---------------------------------------------------------------------------
# The start of a modelled chart's note, and what it says when the rates were calibrated; the
# brief's "Modelled, calibrated ..." labels read the second too.

# --- the funnel: POCs -> production -> impact ------------------------------------------------
# The stage names when the model gives none.
FUNNEL_STAGE_POCS = _("POCs started")
FUNNEL_STAGE_PRODUCTION = _("Reached production")
FUNNEL_STAGE_IMPACT = _("Impact")
FUNNEL_TITLE = _("{client}: where the pilots go")  # above the axes
FUNNEL_NAME = _("Where the pilots go")  # the chart's title where a page captions it
FUNNEL_X_LABEL = _("Use cases over {years} years (modelled)")
MODELLED_NOTE = _("Modelled: central estimate; whiskers show P10 to P90. Assumptions: appendix.")
FUNNEL_ALT = _(
    "Bar chart of {client}'s modelled funnel over {years} years. Of {pocs} proofs of concept, "
    "about {production} reach production as is (P10 {p10} to P90 {p90}) and {impact} show "
    "measurable impact. "
)

# --- what stalling costs ---------------------------------------------------------------------
STALLING_SHIPPED = _("Spend on POCs that ship")  # legend
STALLING_BAR_LABEL = _("stalled {stalled}, value {value}")  # beside each bar
# Beside a bar with a cost of the change (the five practices').
STALLING_BAR_LABEL_CHANGE = _("stalled {stalled}, change {change}, value {value}")
STALLING_X_LABEL = _("{currency} over {years} years, present value (modelled)")
STALLING_NOTE = _("Modelled from the client's costs and value per use case; central estimates.")
STALLING_ALT = _(
    "Stacked bar chart of spend over {years} years. As is, {stalled} of {spend} goes to proofs "
    "of concept that never ship and value delivered is {value}. "
)

# --- which practice is worth most, net of its cost (the sensitivity tornado) ------------------
PRACTICES_TITLE = _("Which practice is worth most, net of its cost")
PRACTICES_DRIVER = _("{driver} ({from_level}→{to_level})")  # each bar's label
# Beside each bar.
PRACTICES_GAIN = _("{net} net, +{production} in production")
PRACTICES_X_LABEL = _("Net value gained, after the practice's cost (modelled, present value)")
PRACTICES_NOTE = _("Modelled: each driver raised alone from as is to target, the others as is.")
PRACTICES_ALT_ITEM = _("{driver} {net}")  # one driver in the alt text's list
PRACTICES_ALT = _(
    "Bar chart ranking the five readiness drivers by net value gained after their cost: {ranked}."
)

# --- what the research says (the cited shares) -----------------------------------------------
EVIDENCE_TITLE = _("What the research says")
EVIDENCE_X_LABEL = _("Share, as each source defines it (%)")
# The groups' headings: what each group's shares count (opposite kinds, never one scale).
EVIDENCE_KIND_SUCCEEDING = _("Share that reached production")
EVIDENCE_KIND_FAILING = _("Share that failed, was abandoned or saw no return")
EVIDENCE_KIND_OTHER = _("Other shares")
EVIDENCE_NOTE = _(
    "Sources: appendix. Filled mark: verified wording; open mark: secondary or unverified. "
    "Bars: 80% interval from the sample size, where the source gives one."
)
EVIDENCE_ALT_ITEM = _("{citation}: {statistic}")
EVIDENCE_ALT_GROUP = _("{heading}: {listed}")  # one group in the alt text, named first
EVIDENCE_ALT = _("Dot chart of cited statistics, grouped by what each share counts. {groups}.")

# --- your record against the research ---------------------------------------------------------
# The four rows, each on two lines beside its dot.
RECORD_INDUSTRY = _("{publisher}: {numerator} of {denominator}\n(industry, cited)")
RECORD_PRIOR = _("The research at your readiness\n(modelled, before your record)")
RECORD_OBSERVED = _("Your record: {reached} of {started}\n(your own pilots{period})")
RECORD_CALIBRATED = _("Calibrated to your record\n(modelled: the rate the brief uses)")
RECORD_X_LABEL = _("Proofs of concept reaching production (%)")
RECORD_NOTE = _(
    "Cited: sources appendix. Bars: P10 to P90 (for the record and IDC, an 80% interval "
    "from the sample size). Modelled rates: assumptions appendix."
)
RECORD_ALT = _(
    "Dot chart of the share of proofs of concept reaching production. {publisher} found "
    "{numerator} of {denominator} ({industry_rate}). At {client}'s readiness the research "
    "expects {prior} (P10 {prior_p10} to P90 {prior_p90}). {client}'s own record is {reached} "
    "of {started} ({observed}). Calibrated to the record, the model uses {calibrated} (P10 "
    "{calibrated_p10} to P90 {calibrated_p90})."
)
