"""Plain-text and tabular views of a model result (CLI, logs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from pilotfunnel.inputs.assumptions import DRIVERS
from pilotfunnel.model.funnel import Range, Result
from pilotfunnel.views import messages as msg
from pilotfunnel.views.formatting import count, money, multiple, rate


class Row(NamedTuple):
    """A modelled figure as every view names and formats it."""

    metric: str  # the key in a result's as_is and target outcomes
    label: str
    kind: str  # "count", "money" or "roi"


# The key numbers, in one place: the CLI's table, the explorer and the brief's "at a glance".
KEY_NUMBERS = (
    Row("production", "Proofs of concept reaching production", "count"),
    Row("impact", "Use cases with measurable impact", "count"),
    Row("stalled_spend", msg.SPEND_NEVER_SHIPS, "money"),
    Row("value", msg.VALUE_DELIVERED, "money"),
    Row("roi", "Return on spend", "roi"),
)
# The money figures of the brief's "what stalling costs" table.
MONEY_ROWS = (
    Row("spend", "Total spend", "money"),
    Row("stalled_spend", msg.SPEND_NEVER_SHIPS, "money"),
    Row("value", msg.VALUE_DELIVERED, "money"),
    Row("net_value", "Value less spend", "money"),
    Row("roi", "Return on spend", "roi"),
)


def formatter(kind: str, currency: str = "USD") -> Callable[[float], str]:
    """How a figure of this kind is written for people."""
    return {"count": count, "money": lambda v: money(v, currency), "roi": multiple}[kind]


def format_range(figure: Range, kind: str, currency: str = "USD") -> tuple[str, str]:
    """The central figure and its 'P10-P90' range, each formatted for people."""
    show = formatter(kind, currency)
    return show(figure.expected), f"{show(figure.p10)} to {show(figure.p90)}"


LABEL_WIDTH = max(len(row.label) for row in KEY_NUMBERS) + 2


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
        return (
            f"A record of {n} proof{'s' if n != 1 else ''} of concept is too small to say much: "
            f"it weighs less than the research (worth {strength} pilots in this model), so the "
            "calibrated rate stays close to the readiness-based one. Add pilots as they finish."
        )
    return (
        f"A record of {n} proofs of concept outweighs the research (worth {strength} pilots in "
        f"this model): it carries {step.record_weight:.0%} of the calibrated rate."
    )


def record_advice(result: Result) -> str:
    """What the consultant does next about the client's record: the CLI, the explorer, notes.

    An instruction to the consultant; the brief itself asks the client to share the record
    (``BriefContext.next_steps``).
    """
    record = result.scenario.record
    if result.calibrated and record is not None:
        return (
            "Keep the record current: update the scenario's record block when the next pilots "
            "finish, and re-run."
        )
    return (
        "No record yet: add a record block to the scenario (proofs of concept started, reached "
        "production, with measurable impact) and re-run to calibrate the rates to the client's "
        "own pilots."
    )


def record_shift(result: Result) -> str:
    """One line on how far the record moved the production rate."""
    if not result.calibrated:
        return ""
    step = result.calibration[0]
    moved = (step.calibrated.mean - step.prior_rate) * 100
    return (
        f"The record moves the production rate from {rate(step.prior_rate)} (readiness-based) "
        f"to {rate(step.calibrated.mean)} (calibrated), {moved:+.1f} points."
    )


def record_lines(result: Result) -> list[str]:
    """The CLI's record block: record, readiness-based and calibrated rate per step."""
    record = result.scenario.record
    if record is None:
        return []
    period = f" ({record.period})" if record.period else ""
    lines = [
        f"The client's record{period} against the research: each step's rate as is, P10 to P90",
        f"{'':{LABEL_WIDTH}}{'Record':>16}  {'Readiness-based':<22}{'Calibrated':<22}Record weighs",
    ]
    for step in result.calibration:
        if step.trials is None:
            seen = "not recorded"
        else:
            seen = f"{step.successes} of {step.trials} ({rate(step.observed_rate)})"
        prior = f"{rate(step.prior_rate)} ({rate(step.prior.p10)}-{rate(step.prior.p90)})"
        calibrated = (
            f"{rate(step.calibrated.mean)} ({rate(step.calibrated.p10)}-"
            f"{rate(step.calibrated.p90)})"
        )
        lines.append(
            f"{step.label:{LABEL_WIDTH}}{seen:>16}  {prior:<22}{calibrated:<22}"
            f"{step.record_weight:.0%}"
        )
    lines += [record_verdict(result), record_shift(result), ""]
    return lines


def text_table(result: Result) -> str:
    """The CLI's readable table: as is against target, with P10-P90, and the driver ranking."""
    s = result.scenario
    pocs = s.pocs_per_year * s.horizon_years
    lines = [
        f"{s.client}: {pocs} proofs of concept over {s.horizon_years} years "
        f"({s.pocs_per_year} a year)",
        f"Modelled: central estimate, with P10 to P90 over {result.draws:,} draws (seed "
        f"{result.seed}). Assumptions: data/assumptions.yaml",
        *(
            [f"Calibrated to the client's record of {s.record.pocs_started} proofs of concept."]
            if result.calibrated
            else []
        ),
        "",
        *record_lines(result),
        f"{'':{LABEL_WIDTH}}{msg.AS_IS:>12}  {msg.P10_TO_P90:<20}"
        f"{msg.TARGET:>12}  {msg.P10_TO_P90:<20}",
    ]
    for metric, label, kind in KEY_NUMBERS:
        a, a_range = format_range(result.as_is[metric], kind, s.currency)
        t, t_range = format_range(result.target[metric], kind, s.currency)
        lines.append(f"{label:{LABEL_WIDTH}}{a:>12}  {a_range:<20}{t:>12}  {t_range:<20}")
    lines += ["", "Readiness (0-4)     " + "  ".join(f"{d:>11}" for d in DRIVERS)]
    lines.append("  as is             " + "  ".join(f"{s.as_is[d]:>11}" for d in DRIVERS))
    lines.append("  target            " + "  ".join(f"{s.target[d]:>11}" for d in DRIVERS))
    lines += ["", "Which driver matters most (raised alone from as is to target):"]
    for rank, effect in enumerate(result.sensitivity, start=1):
        if effect.to_level == effect.from_level:
            lines.append(f"  {rank}. {effect.driver}: already at target ({effect.from_level})")
            continue
        lines.append(
            f"  {rank}. {effect.driver} {effect.from_level}->{effect.to_level}: "
            f"+{count(effect.production_gain)} reaching production, "
            f"+{money(effect.value_gain, s.currency)} value"
        )
    lines += ["", record_advice(result)]
    return "\n".join(lines)
