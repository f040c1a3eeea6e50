"""Plain-text and tabular views of a model result (CLI, logs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .assumptions import DRIVERS
from .formatting import count, money, multiple
from .funnel import Range, Result


class Row(NamedTuple):
    """A modelled figure as every view names and formats it."""

    metric: str  # the key in a result's as_is and target outcomes
    label: str
    kind: str  # "count", "money" or "roi"


# The key numbers, in one place: the CLI's table, the explorer and the brief's "at a glance".
KEY_NUMBERS = (
    Row("production", "Proofs of concept reaching production", "count"),
    Row("impact", "Use cases with measurable impact", "count"),
    Row("stalled_spend", "Spend on POCs that never ship", "money"),
    Row("value", "Value delivered", "money"),
    Row("roi", "Return on spend", "roi"),
)
# The money figures of the brief's "what stalling costs" table.
MONEY_ROWS = (
    Row("spend", "Total spend", "money"),
    Row("stalled_spend", "Spend on POCs that never ship", "money"),
    Row("value", "Value delivered", "money"),
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


def text_table(result: Result) -> str:
    """The CLI's readable table: as is against target, with P10-P90, and the driver ranking."""
    s = result.scenario
    pocs = s.pocs_per_year * s.horizon_years
    lines = [
        f"{s.client}: {pocs} proofs of concept over {s.horizon_years} years "
        f"({s.pocs_per_year} a year)",
        f"Modelled: central estimate, with P10 to P90 over {result.draws:,} draws (seed "
        f"{result.seed}). Assumptions: data/assumptions.yaml",
        "",
        f"{'':{LABEL_WIDTH}}{'As is':>12}  {'P10 to P90':<20}{'Target':>12}  {'P10 to P90':<20}",
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
    return "\n".join(lines)
