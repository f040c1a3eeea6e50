"""Plain-text views of a brief's view model (the CLI) and the record's words it shares."""

from __future__ import annotations

from collections.abc import Callable

from pilotfunnel.model.funnel import Range
from pilotfunnel.views import messages as msg
from pilotfunnel.views.context import BriefContext
from pilotfunnel.views.formatting import count, money, multiple
from pilotfunnel.views.messages import cli as cli_msg
from pilotfunnel.views.tables import TableView

# The record's words, named here too for the explorer, which reads them from this module.

# The rows are the view model's (views/tables), named here for the explorer and the tests.


def formatter(kind: str, currency: str = "USD") -> Callable[[float], str]:
    """How a figure of this kind is written for people."""
    return {"count": count, "money": lambda v: money(v, currency), "roi": multiple}[kind]


def format_range(figure: Range, kind: str, currency: str = "USD") -> tuple[str, str]:
    """The central figure and its 'P10-P90' range, each formatted for people."""
    show = formatter(kind, currency)
    return show(figure.expected), msg.RANGE.format(low=show(figure.p10), high=show(figure.p90))


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
