"""What the client's record can say, in plain words: the brief, the explorer and the CLI.

The sentences are the catalogue's; this module picks and fills them from a model result.
"""

from __future__ import annotations

from pilotfunnel.model.funnel import Result
from pilotfunnel.views import messages as msg
from pilotfunnel.views.formatting import change, displays_alike, percent, rate
from pilotfunnel.views.messages import brief as words


def small_record(result: Result) -> bool:
    """Whether the record weighs less than the research it is combined with."""
    record = result.scenario.record
    return record is not None and record.pocs_started < result.prior_strength


def record_verdict(result: Result) -> str:
    """How much the record can say, in plain words (the brief, the explorer, the CLI)."""
    record = result.scenario.record
    if record is None:
        return ""
    step = result.calibration[0]
    n, strength = record.pocs_started, f"{result.prior_strength:g}"
    if small_record(result):
        text = msg.RECORD_SMALL_ONE if n == 1 else msg.RECORD_SMALL
        return text.format(pocs=n, strength=strength)
    return msg.RECORD_OUTWEIGHS.format(
        pocs=n, strength=strength, weight=percent(step.record_weight)
    )


def record_advice(result: Result) -> str:
    """What the consultant does next about the client's record: the CLI, the explorer, notes.

    An instruction to the consultant; the brief itself asks the client to share the record
    (``BriefContext.next_steps``).
    """
    record = result.scenario.record
    if result.calibrated and record is not None:
        return msg.KEEP_RECORD_CURRENT
    return msg.ADD_A_RECORD


def record_shift(result: Result) -> str:
    """One line on how far the record moved the production rate, in the points the page shows
    (the two rates as written, subtracted); "no material change" when they are written alike."""
    if not result.calibrated:
        return ""
    step = result.calibration[0]
    prior, calibrated = step.prior_rate, step.calibrated.mean
    if displays_alike(prior, calibrated, "rate"):
        return msg.RECORD_NO_SHIFT.format(rate=rate(calibrated))
    return msg.RECORD_SHIFT.format(
        prior=rate(prior), calibrated=rate(calibrated), points=change(prior, calibrated, "rate")
    )


def summary_rates(result: Result, baseline: float) -> tuple[str, dict[str, object]]:
    """The summary's sentence on the production rate (a catalogue message) and its values.

    It sets the client's rate against the industry-typical ``baseline`` and, with a record,
    against the readiness-based rate: only figures the page writes differently are set against
    each other; two written alike are said to agree. The brief's template fills the message
    (``brief.say``), which escapes the values.
    """
    # The client's rates as the summary has always written them: the calibrated and the
    # readiness-based ones as rates (one decimal below 10%), the as-is rate and the industry's
    # baseline in whole percents.
    client = result.scenario.client
    record = result.scenario.record
    typical = percent(baseline)
    if not result.calibrated or record is None:
        today = percent(result.as_is.rates[0])
        text = words.SUMMARY_READINESS_TYPICAL if today == typical else words.SUMMARY_READINESS
        return text, {"client": client, "rate": today, "baseline": typical}
    calibrated, prior = rate(result.as_is.rates[0]), rate(result.calibration[0].prior_rate)
    as_readiness, prior_typical, as_typical = (
        calibrated == prior,
        prior == typical,
        calibrated == typical,
    )
    if as_readiness and prior_typical:
        text = words.SUMMARY_CALIBRATED_ALL_ALIKE
    elif as_readiness:
        text = words.SUMMARY_CALIBRATED_AS_READINESS
    elif prior_typical:
        text = words.SUMMARY_CALIBRATED_READINESS_TYPICAL
    elif as_typical:
        text = words.SUMMARY_CALIBRATED_AS_TYPICAL
    else:
        text = words.SUMMARY_CALIBRATED
    values = {
        "client": client,
        "reached": record.reached_production,
        "started": record.pocs_started,
        "rate": calibrated,
        "prior": prior,
        "baseline": typical,
    }
    return text, values
