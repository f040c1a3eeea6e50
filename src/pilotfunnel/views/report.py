"""Plain-text views of a brief's view model (the CLI) and the record's words it shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pilotfunnel.model.funnel import Range, Result
from pilotfunnel.views import messages as msg
from pilotfunnel.views import tables
from pilotfunnel.views.formatting import count, money, multiple, percent, rate
from pilotfunnel.views.messages import cli as cli_msg
from pilotfunnel.views.tables import TableView

if TYPE_CHECKING:  # the context imports this module for the record's words; the type only
    from pilotfunnel.views.context import BriefContext

# The rows are the view model's (views/tables), named here for the explorer and the tests.
KEY_NUMBERS = tables.KEY_NUMBERS
MONEY_ROWS = tables.MONEY_ROWS


def formatter(kind: str, currency: str = "USD") -> Callable[[float], str]:
    """How a figure of this kind is written for people."""
    return {"count": count, "money": lambda v: money(v, currency), "roi": multiple}[kind]


def format_range(figure: Range, kind: str, currency: str = "USD") -> tuple[str, str]:
    """The central figure and its 'P10-P90' range, each formatted for people."""
    show = formatter(kind, currency)
    return show(figure.expected), f"{show(figure.p10)} to {show(figure.p90)}"


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


def table_lines(table: TableView) -> list[str]:
    """A view-model table as aligned text: its caption, the headings, then a line per row.

    The first column (the rows' labels) is left-aligned, the figures right-aligned, each
    column as wide as its widest cell.
    """
    grid = [table.columns, *table.rows]
    widths = [max(len(line[i]) for line in grid) for i in range(len(table.columns))]

    def line(cells: tuple[str, ...]) -> str:
        first, *rest = cells
        shown = [
            first.ljust(widths[0]),
            *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)),
        ]
        return "  ".join(shown).rstrip()

    lines = [table.caption] if table.caption else []
    lines += [line(cells) for cells in grid]
    return [*lines, table.note] if table.note else lines


def headline_lines(ctx: BriefContext) -> list[str]:
    """The three headline numbers as the brief words them, one line each with its range."""
    return [f"{h.value} {h.label}. {h.detail}" for h in ctx.headline]


def text_table(ctx: BriefContext) -> str:
    """The CLI's readable view of one scenario: the brief's numbers and tables, as text."""
    s, result = ctx.scenario, ctx.result
    lines = [
        cli_msg.CLI_TITLE.format(
            client=s.client, pocs=ctx.pocs_total, years=ctx.years, per_year=s.pocs_per_year
        ),
        cli_msg.CLI_MODELLED.format(draws=f"{result.draws:,}", seed=result.seed),
        *(
            [cli_msg.CLI_CALIBRATED.format(pocs=s.record.pocs_started)]
            if ctx.calibrated and s.record is not None
            else []
        ),
        "",
        *headline_lines(ctx),
        "",
        *table_lines(ctx.at_a_glance),
        "",
    ]
    if ctx.record_table is not None:
        lines += [*table_lines(ctx.record_table), ctx.record_verdict, ctx.record_shift, ""]
    for table in (ctx.funnel_table, ctx.money_table, ctx.readiness_table, ctx.practices_table):
        lines += [*table_lines(table), ""]
    lines.append(ctx.consultant_note)
    return "\n".join(lines)
