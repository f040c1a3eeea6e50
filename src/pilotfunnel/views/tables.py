"""The view model's shared shapes: the headline numbers, the tables and the evidence items.

``BriefContext`` (whose base, ``Views``, is here) builds each of these once from its result,
every cell already formatted, and
every surface (the brief's template, the deck, the present mode, the explorer, the command
line) draws them without computing or wording anything of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from pilotfunnel.views import messages as msg
from pilotfunnel.views.citation import citation
from pilotfunnel.views.formatting import net_as_written, written_value


@dataclass(frozen=True)
class Headline:
    """One of the three headline numbers, worded the same on every surface."""

    key: str  # "production" | "stalled_spend" | "net_gain"
    value: str  # formatted: "13 of 100", "£110M", "+£40M"
    label: str  # the sentence under the number
    detail: str  # the range line, e.g. "Modelled; P10 to P90: 9 to 18."
    tone: str  # "neutral" | "danger" | "success"
    unit: str = ""  # the end of ``value`` set smaller on the page ("of 100"), or nothing

    @property
    def figure(self) -> str:
        """The number itself, without its unit: what a surface sets large."""
        return self.value[: -len(self.unit)].rstrip() if self.unit else self.value


@dataclass(frozen=True)
class TableView:
    """A table any surface can draw: every cell already formatted; the first column heads rows."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class EvidenceItem:
    """One cited statistic as the evidence section shows it, with its footnote number."""

    value: str  # "4 of 33"
    claim: str  # the statistic, in the source's words
    source: str  # "IDC, 2025, reported by CIO.com": views.citation.citation
    footnote: int
    source_id: str = ""  # the anchor of its entry in the sources appendix
    level: str = "verified"  # "verified" | "secondary" | "unverified"
    sample: str = ""


class Row(NamedTuple):
    """A modelled figure as every view names and formats it."""

    metric: str  # the key in a result's as_is and target outcomes
    label: str
    kind: str  # "count", "money" or "roi"


# The key numbers, in one place: "at a glance" on every surface.
# The money rows run value, spend, cost of the change, then net value: the last is the
# first less the next two, on the page as in the model.
KEY_NUMBERS = (
    Row("production", msg.PRODUCTION_ROW, "count"),
    Row("impact", msg.IMPACT_ROW, "count"),
    Row("value", msg.VALUE_DELIVERED, "money"),
    Row("spend", msg.SPEND_ROW, "money"),
    Row("change_cost", msg.CHANGE_COST_ROW, "money"),
    Row("net_value", msg.NET_VALUE_ROW, "money"),
)
# The money figures of "what stalling costs".
MONEY_ROWS = (
    Row("stalled_spend", msg.SPEND_NEVER_SHIPS, "money"),
    Row("value", msg.VALUE_DELIVERED, "money"),
    Row("spend", msg.SPEND_ROW, "money"),
    Row("change_cost", msg.CHANGE_COST_ROW, "money"),
    Row("net_value", msg.NET_VALUE_ROW, "money"),
    Row("roi", msg.RETURN_ROW, "roi"),
)


def headline(ctx: Views) -> tuple[Headline, Headline, Headline]:
    """The three numbers that matter: production as is, spend that stalls, net value gained
    (with its range, its gross parts and the payback)."""
    a, t = ctx.as_is, ctx.target
    total = msg.HEADLINE_OF_TOTAL.format(value="", total=ctx.pocs_total).strip()
    production_detail = msg.HEADLINE_RANGE.format(
        modelled=ctx.modelled, range=ctx.n_range(a["production"])
    )
    with_practices = msg.WITH_FIVE_PRACTICES_PRODUCTION.format(production=ctx.n(t["production"]))
    return (
        Headline(
            "production",
            msg.HEADLINE_OF_TOTAL.format(value=ctx.n(a["production"]), total=ctx.pocs_total),
            msg.HEADLINE_PRODUCTION.format(years=ctx.years),
            f"{production_detail} {with_practices}",
            "neutral",
            unit=total,
        ),
        Headline(
            "stalled_spend",
            ctx.m(a["stalled_spend"]),
            msg.HEADLINE_STALLED.format(years=ctx.years),
            msg.HEADLINE_RANGE.format(modelled=ctx.modelled, range=ctx.m_range(a["stalled_spend"])),
            "danger",
        ),
        Headline(
            "net_gain",
            ctx.net_gain_text,
            msg.HEADLINE_NET if ctx.gain.net.expected >= 0 else msg.HEADLINE_NET_LOSS,
            msg.HEADLINE_NET_RANGE.format(
                modelled=ctx.modelled,
                range=ctx.m_range(ctx.gain.net),
                value=_shown_change(ctx, "value"),
                spend=_shown_change(ctx, "spend"),
                change=ctx.money(ctx.gain.change_cost),
                basis=ctx.money_basis,
            )
            + " "
            + ctx.payback_text,
            "success" if ctx.gain.net.expected > 0 else "danger",
        ),
    )


# Net value is value less spend less the cost of the change: on the page as in the model.
NET_PARTS = ("value", "spend", "change_cost")


def shown_amount(ctx: Views, outcome, metric: str) -> float:
    """The amount the page writes for one money figure of an outcome.

    Net value is the written value less the written spend and cost of the change, at the
    coarsest precision of the three, so a column adds up on the page as a row does (the
    model's own net differs from it by less than that precision). Every other figure is the
    model's, as :func:`formatting.money` writes it.
    """
    if metric != "net_value":
        return float(written_value(ctx.money(outcome[metric].expected)))
    parts = (outcome[part].expected for part in NET_PARTS)
    return net_as_written(*parts, ctx.scenario.currency)


def _shown_change(ctx: Views, metric: str) -> str:
    """A money figure's change as the at-a-glance table writes it, so the headline and the
    table agree; a change too small to show is written as nothing gained ("$0")."""
    a, t = (shown_amount(ctx, outcome, metric) for outcome in (ctx.as_is, ctx.target))
    moved = ctx.change(a, t, "money")
    return ctx.money(0) if moved == msg.NO_MATERIAL_CHANGE else moved


def _glance_row(ctx: Views, row: Row) -> tuple[str, ...]:
    """A key number's row: as is, with the five practices, and the change between the two as
    written (``formatting.change``), so the three add up on the page."""
    a, t = ctx.as_is[row.metric], ctx.target[row.metric]
    if row.kind == "roi":
        return row.label, ctx.fmt(a, row.kind), ctx.fmt(t, row.kind), ""
    moved = ctx.change(a.expected, t.expected, row.kind)
    if row.metric == "production":
        return (
            row.label,
            msg.WITH_SHARE.format(value=ctx.n(a), share=ctx.pct(ctx.as_is_rate)),
            msg.WITH_SHARE.format(value=ctx.n(t), share=ctx.pct(ctx.target.rates[0])),
            moved,
        )
    if row.kind == "count":
        return row.label, ctx.n(a), ctx.n(t), moved
    a_shown, t_shown = (shown_amount(ctx, o, row.metric) for o in (ctx.as_is, ctx.target))
    moved = ctx.change(a_shown, t_shown, "money")
    return row.label, ctx.money(a_shown), ctx.money(t_shown), moved


def at_a_glance(ctx: Views) -> TableView:
    """The key numbers as is and with the five practices, and the change."""
    modelled = msg.GLANCE_MODELLED_CALIBRATED if ctx.calibrated else msg.GLANCE_MODELLED
    corner = msg.GLANCE_CORNER.format(years=ctx.years, modelled=modelled)
    return TableView(
        msg.AT_A_GLANCE_HEADING,
        (corner, msg.AS_IS, msg.FIVE_PRACTICES, msg.CHANGE),
        tuple(_glance_row(ctx, row) for row in KEY_NUMBERS),
    )


def _rate_range(ctx: Views, central: float, low: float, high: float) -> str:
    return msg.RATE_WITH_RANGE.format(
        rate=ctx.rate(central), low=ctx.rate(low), high=ctx.rate(high)
    )


def record_table(ctx: Views) -> TableView | None:
    """Each step's rate: the client's record, the research at its readiness, the calibrated."""
    if not ctx.calibrated:
        return None
    rows = []
    for s in ctx.record_steps:
        if s.trials is None:
            seen = msg.NOT_RECORDED
        else:
            seen = msg.RECORD_SEEN.format(
                successes=s.successes, trials=s.trials, rate=ctx.rate(s.observed_rate)
            )
        rows.append(
            (
                s.label,
                seen,
                _rate_range(ctx, s.prior_rate, s.prior.p10, s.prior.p90),
                _rate_range(ctx, s.calibrated.mean, s.calibrated.p10, s.calibrated.p90),
                ctx.pct(s.record_weight),
            )
        )
    columns = (
        msg.RECORD_STEP,
        msg.RECORD_YOURS,
        msg.RECORD_RESEARCH,
        msg.RECORD_CALIBRATED,
        msg.RECORD_WEIGHT,
    )
    return TableView(msg.RECORD_HEADING, columns, tuple(rows))


def funnel_table(ctx: Views) -> TableView:
    """How many proofs of concept reach each stage, as is and with the five practices."""
    rows = tuple(
        (
            label,
            ctx.n(ctx.as_is[metric]),
            ctx.n_range(ctx.as_is[metric]),
            ctx.n(ctx.target[metric]),
            ctx.n_range(ctx.target[metric]),
        )
        for label, metric in ctx.stage_rows
    )
    columns = (msg.STAGE, msg.AS_IS, msg.P10_TO_P90, msg.FIVE_PRACTICES, msg.P10_TO_P90)
    caption = msg.FUNNEL_HEADING.format(pocs=ctx.pocs_total, years=ctx.years)
    return TableView(caption, columns, rows)


def readiness_table(ctx: Views) -> TableView:
    """Each practice's readiness level today and at the scenario's target."""
    s = ctx.scenario
    rows = tuple((d.label, str(s.as_is[d.id]), str(s.target[d.id])) for d in ctx.drivers)
    return TableView("", (msg.READINESS_SCALE, msg.AS_IS, msg.TARGET), rows)


def _range_cell(ctx: Views, figure, kind: str) -> str:
    """A figure's P10 to P90, or "fixed" for one without uncertainty (the cost of the change)."""
    return msg.NO_RANGE if figure.p10 == figure.p90 else ctx.fmt_range(figure, kind)


def money_table(ctx: Views) -> TableView:
    """What stalling costs: the money figures as is and with the five practices, with ranges."""
    rows = tuple(
        (
            row.label,
            ctx.figure_text(ctx.as_is, row),
            _range_cell(ctx, ctx.as_is[row.metric], row.kind),
            ctx.figure_text(ctx.target, row),
            _range_cell(ctx, ctx.target[row.metric], row.kind),
        )
        for row in MONEY_ROWS
    )
    columns = (
        msg.OVER_YEARS.format(years=ctx.years),
        msg.AS_IS,
        msg.P10_TO_P90,
        msg.FIVE_PRACTICES,
        msg.P10_TO_P90,
    )
    return TableView(msg.STALLING_HEADING, columns, rows)


def practices_table(ctx: Views) -> TableView:
    """What each practice gains raised alone from as is to target, in ranking order: net
    value first (the ranking's key), then its parts, then use cases in production."""
    rows = []
    for e in ctx.ranking:
        if e.raised:
            gains = (
                ctx.signed(e.net_shown),
                ctx.signed(e.value_gain),
                ctx.signed(e.spend_gain),
                ctx.money(e.change_cost),
                f"+{ctx.count(e.production_gain)}",
            )
        else:
            gains = (msg.ALREADY_AT_TARGET, "", "", "", "")
        rows.append((e.label, str(e.from_level), str(e.to_level), *gains))
    columns = (
        msg.PRACTICE,
        msg.AS_IS,
        msg.TARGET,
        msg.NET_VALUE,
        msg.VALUE,
        msg.EXTRA_SPEND,
        msg.CHANGE_COST_ROW,
        msg.IN_PRODUCTION,
    )
    note = f"{ctx.modelled}; {ctx.money_basis}"
    return TableView(msg.PRACTICES_HEADING, columns, tuple(rows), note=note)


def evidence(ctx: Views) -> tuple[EvidenceItem, ...]:
    """The cited statistics the evidence section shows, each with its footnote."""
    return tuple(
        EvidenceItem(
            ctx.source_value(s),
            s.statistic,
            citation(s),
            ctx.footnote(s.id),
            s.id,
            s.evidence,
            s.sample or "",
        )
        for s in ctx.evidence_sources
    )


class Views:
    """What every surface draws, built once per brief: the base of ``BriefContext``, whose
    figures and formatting helpers (``n``, ``m``, ``as_is``...) the builders above read."""

    @property
    def net_gain_text(self) -> str:
        """The gain in net value as every surface writes it: the headline's figure, the at-a-
        glance table's change, the practices section's and the present mode's sentence."""
        return _shown_change(self, "net_value")

    def money_text(self, outcome, metric: str) -> str:
        """A money figure of an outcome as every surface writes it (``shown_amount``)."""
        return self.money(shown_amount(self, outcome, metric))

    def figure_text(self, outcome, row: Row) -> str:
        """A key number's central figure as every surface writes it: a count, money (net
        value adding up from its parts) or a return on spend."""
        if row.kind == "count":
            return self.n(outcome[row.metric])
        if row.kind == "money":
            return self.money_text(outcome, row.metric)
        return self.fmt(outcome[row.metric], row.kind)

    @cached_property
    def headline(self) -> tuple[Headline, Headline, Headline]:
        """The three numbers that matter, worded the same on every surface."""
        return headline(self)

    @cached_property
    def at_a_glance(self) -> TableView:
        """The key numbers as is and with the five practices, and the change."""
        return at_a_glance(self)

    @cached_property
    def record_table(self) -> TableView | None:
        """The client's record against the research per step; None without a record."""
        return record_table(self)

    @cached_property
    def funnel_table(self) -> TableView:
        """How many proofs of concept reach each stage, as is and with the five practices."""
        return funnel_table(self)

    @cached_property
    def readiness_table(self) -> TableView:
        """Each practice's readiness today and at target."""
        return readiness_table(self)

    @cached_property
    def money_table(self) -> TableView:
        """What stalling costs, as is and with the five practices, with ranges."""
        return money_table(self)

    @cached_property
    def practices_table(self) -> TableView:
        """What each practice gains raised alone from as is to target."""
        return practices_table(self)

    @cached_property
    def evidence(self) -> tuple[EvidenceItem, ...]:
        """The cited statistics of the evidence section, with their footnotes."""
        return evidence(self)
