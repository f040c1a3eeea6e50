"""The sentences of one job's assessment (``pilotfunnel assess``, views/assessment.py).

Each keeps named ``{placeholders}`` that views/assessment.py fills with figures written by
views/formatting, so a translator can move them within the sentence.
"""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

# --- the command's help (ui/cli.py) -----------------------------------------------------------
HELP_ASSESS = _("assess one job: its chance of production and impact, what it takes, a verdict")
HELP_JOB = _("a job file, e.g. data/jobs/demo-claims-triage.yaml")

# --- the job and its number -------------------------------------------------------------------
TITLE = _("Job assessment: {client}")
TITLE_NO_CLIENT = _("Job assessment")
JOB = _("The job: {job}")
# {by}: a date as "30 September 2027"; {value}: money a year.
NUMBER = _("Its number: {metric}, from {baseline} to {target} {unit} by {by}, worth {value} a year")
NO_NUMBER = _("Its number: none attached (no metric with a baseline, a target and a date)")
OWNER = _("Owner: {owner}")
NO_OWNER = _("Owner: none named")

# --- the chances ------------------------------------------------------------------------------
CHANCE_PRODUCTION = _("Chance of reaching production: {chance} (P10 to P90: {low} to {high})")
CHANCE_IMPACT = _("Chance of measurable impact: {chance} (P10 to P90: {low} to {high})")

# --- the verdict ------------------------------------------------------------------------------
VERDICT_GO = _(
    "Verdict: go. The chance of measurable impact ({chance}) is at least {go_chance}, the "
    "expected return on the job's own cost ({roi}) at least {min_return}, and it has a number "
    "and an owner."
)
VERDICT_FIX_FIRST = _("Verdict: fix first. Before starting: {steps}.")
# The steps of "fix first", joined by "; ".
FIX_ANSWERS = _("change to yes {answers}")
FIX_OWNER = _("name the job's owner")
# One blocking answer, joined by ", ".
BLOCKING_ANSWER = _("{question} ({driver}, now {answer})")
FIXED = _("With those fixed: chance of measurable impact {chance} (P10 to P90: {low} to {high}).")
VERDICT_DO_NOT_START = _("Verdict: do not start. {reason}")
REASON_NO_NUMBER = _(
    "No number is attached to the job: without a metric, a measured baseline and a target, "
    "nobody can show that it worked."
)
REASON_STAYS_LOW = _(
    "The chance of measurable impact stays below {go_chance} even with the {max_fixes} "
    "answers that raise it most changed to yes."
)
REASON_DOES_NOT_PAY = _(
    "The chance of measurable impact can reach {go_chance} once fixed, but the expected "
    "return on the job's own cost stays below {min_return}."
)

# --- each driver's score and its evidence -----------------------------------------------------
DRIVERS_HEADING = _("Each driver's score (0 to 4), with the evidence behind it")
DRIVER_SCORE = _("{driver}: {score}")
# One question's answer under its driver's score.
EVIDENCE = _("{question} — {evidence} ({answer})")
NO_EVIDENCE = _("no evidence recorded")
NOT_ANSWERED = _("not answered")
UNKNOWN_AS_NO = _("unknown, scored as no")

# --- what it takes ----------------------------------------------------------------------------
WHAT_IT_TAKES_HEADING = _(
    "What it takes: each answer changed to yes on its own, and the chance of measurable impact "
    "it gives (now {chance})"
)
# {gain}: "+4.1 points", or "no material change".
CHANGE = _(
    "{question} ({driver}, now {answer}): {chance}, {gain}; {driver} from {from_score} to "
    "{to_score}, for about {cost}"
)
GAIN_POINTS = _("{gain} points")
NOTHING_TAKES = _("Nothing: no single answer changed to yes raises the chance.")

# --- value and cost ---------------------------------------------------------------------------
VALUE_HEADING = _("Value and cost over {years} years, in present value")
VALUE = _(
    "Expected value delivered {value}, less the proof of concept and going live {spend}: "
    "expected net value {net} (P10 to P90: {low} to {high})"
)
RETURN = _("Return on spend {roi}; pays back in {payback} years")
NOT_PAID_BACK = _("Return on spend {roi}; not paid back within {years} years")
FIXED_VALUE = _(
    "With the fixes made and their {cost} paid: expected value {value}, net value {net} "
    "(P10 to P90: {low} to {high})"
)
