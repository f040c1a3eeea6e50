"""What the client's record can say, in plain words: the brief, the explorer and the CLI.

The sentences are the catalogue's; this module picks and fills them from a model result.
"""

from __future__ import annotations

from pilotfunnel.model.funnel import Result
from pilotfunnel.views import messages as msg
from pilotfunnel.views.formatting import percent, rate


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
    """One line on how far the record moved the production rate."""
    if not result.calibrated:
        return ""
    step = result.calibration[0]
    moved = (step.calibrated.mean - step.prior_rate) * 100
    return msg.RECORD_SHIFT.format(
        prior=rate(step.prior_rate), calibrated=rate(step.calibrated.mean), points=f"{moved:+.1f}"
    )
