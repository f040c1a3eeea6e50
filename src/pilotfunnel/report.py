"""Plain-text and tabular views of a model result (CLI, logs)."""

from __future__ import annotations

from .assumptions import DRIVERS
from .formatting import count, money, multiple
from .funnel import Range, Result

# (metric, label, kind): the money figures as the brief's table and the CLI's name them.
MONEY_ROWS = (
    ("spend", "Total spend", "money"),
    ("stalled_spend", "Spend on POCs that never ship", "money"),
    ("value", "Value delivered", "money"),
    ("net_value", "Value less spend", "money"),
    ("roi", "Return on spend", "roi"),
)
ROWS = (
    ("production", "Reach production", "count"),
    ("impact", "Measurable impact", "count"),
    *(row for row in MONEY_ROWS if row[0] != "net_value"),  # the CLI's table stays narrow
)


def format_range(figure: Range, kind: str, currency: str = "USD") -> tuple[str, str]:
    """The central figure and its 'P10-P90' range, each formatted for people."""
    show = {"count": count, "money": lambda v: money(v, currency), "roi": multiple}[kind]
    return show(figure.expected), f"{show(figure.p10)} to {show(figure.p90)}"


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
        f"{'':32}{'As is':>12}  {'P10 to P90':<20}{'Target':>12}  {'P10 to P90':<20}",
    ]
    for metric, label, kind in ROWS:
        a, a_range = format_range(result.as_is[metric], kind, s.currency)
        t, t_range = format_range(result.target[metric], kind, s.currency)
        lines.append(f"{label:32}{a:>12}  {a_range:<20}{t:>12}  {t_range:<20}")
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
