"""What one brief shows, computed once and shared by its sections: ``BriefContext``.

The sections' templates read figures and formatted text from here; the charts are drawn once
per brief (the evidence chart once per project, as it is the same for every client).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from types import SimpleNamespace

from pilotfunnel.inputs.assumptions import DRIVERS, Assumptions
from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import Scenario
from pilotfunnel.inputs.sources.load import Source, SourceTable
from pilotfunnel.model import funnel
from pilotfunnel.model.funnel import Range, Result
from pilotfunnel.views import chartviews, tables
from pilotfunnel.views import messages as msg
from pilotfunnel.views import record as record_words
from pilotfunnel.views.chartviews import ChartView, evidence_view
from pilotfunnel.views.formatting import (
    change,
    count,
    money,
    multiple,
    net_as_written,
    percent,
    rate,
    signed_money,
)
from pilotfunnel.views.tables import EvidenceItem, Headline, TableView
from pilotfunnel.views.theme import css

__all__ = [
    "BriefContext",
    "ChartView",
    "EvidenceItem",
    "Headline",
    "NextStep",
    "Ranked",
    "TableView",
    "evidence_view",
]


def headline_source_id(assumptions: Assumptions) -> str:
    """The source the brief's headline rate cites: the one data/assumptions.yaml names for the
    step to production (IDC's 4 of 33 today), not a second copy of its id here."""
    baseline = assumptions.stages[1].baseline
    if baseline is None or baseline.source_id is None:
        raise ValueError("the step to production has no cited source in assumptions.yaml")
    return baseline.source_id


@dataclass
class Ranked:
    """One practice in the ranking: its levels, what raising it alone gains, and the words."""

    label: str
    from_level: int
    to_level: int
    production_gain: float
    value_gain: float
    from_text: str
    to_text: str
    spend_gain: float = 0.0
    change_cost: float = 0.0
    net_value_gain: float = 0.0  # the ranking's key: value less extra spend and its cost
    net_shown: float = 0.0  # the same as the page writes it: its written parts subtracted

    @property
    def raised(self) -> bool:
        """Whether the scenario's target raises this practice above where it is today."""
        return self.to_level > self.from_level


@dataclass(frozen=True)
class NextStep:
    """One next step as the client reads it: a short title, then what it means (plain text)."""

    title: str
    text: str


# The next steps' sentences are the catalogue's; every surface renders
# ``BriefContext.next_steps``. They speak to the client: what to keep, re-run or edit is the
# consultant's, in ``record_words.record_advice``.
PILOT_STEP = NextStep(msg.PILOT_STEP_TITLE, msg.PILOT_STEP_TEXT)


@dataclass
class BriefContext(tables.Views):
    """Everything one brief shows, computed once and shared by the sections; what every
    surface draws (headline, tables, evidence) comes from ``tables.Views``."""

    scenario: Scenario
    result: Result
    sources: SourceTable
    assumptions: Assumptions
    brand: Brand
    as_of: dt.date
    project: Project

    # --- what the sections read ----------------------------------------------------
    @property
    def client(self) -> str:
        return self.scenario.client

    @property
    def logo(self) -> str:
        """The brand's logo as a data: URI, for the cover."""
        return css.logo_data_uri(self.brand)

    @property
    def prepared_by(self) -> str:
        return self.scenario.prepared_by or self.brand.name

    @property
    def date_text(self) -> str:
        return f"{self.as_of.day} {self.as_of:%B %Y}"

    @property
    def years(self) -> int:
        return self.scenario.horizon_years

    @property
    def pocs_total(self) -> int:
        return self.scenario.pocs_per_year * self.scenario.horizon_years

    @property
    def as_is(self):
        return self.result.as_is

    @property
    def target(self):
        return self.result.target

    @property
    def gain(self):
        """What the five practices change (``Result.gain``): net value first, then its parts."""
        return self.result.gain

    @property
    def money_basis(self) -> str:
        """How every money figure is measured, in words: present value, value from go-live."""
        terms = self.result.terms
        months = msg.MONTHS.format(months=f"{terms.time_to_production_years * 12:g}")
        if not terms.discount_rate:
            return msg.MONEY_BASIS_UNDISCOUNTED.format(months=months)
        return msg.MONEY_BASIS.format(rate=percent(terms.discount_rate, 0), months=months)

    @property
    def change_cost_lines(self) -> list[str]:
        """The cost of the change per practice, as the assumptions appendix lists it."""
        lines = []
        per_level = self.assumptions.economics.change_cost.per_level
        for d in self.drivers:
            if d.id in self.scenario.change_costs:
                lines.append(
                    msg.brief.CHANGE_COST_CLIENT.format(
                        label=d.label,
                        cost=self.money(self.scenario.change_costs[d.id]),
                        from_level=self.scenario.as_is[d.id],
                        to_level=self.scenario.target[d.id],
                        client=self.client,
                    )
                )
            elif d.id in per_level:
                levels = ", ".join(f"{v:g}" for v in per_level[d.id])
                lines.append(msg.brief.CHANGE_COST_LEVELS.format(label=d.label, levels=levels))
        return lines

    @property
    def together_pays_more(self) -> bool:
        """Whether the five together gain more net value than the sum of each raised alone:
        the practices multiply one another (the page says so only when it is so)."""
        alone = sum(e.net_value_gain for e in self.raised)
        return self.gain.net.expected > max(alone, 0.0)

    @property
    def payback_text(self) -> str:
        """When the change pays for itself, in one sentence."""
        years = self.result.payback_years
        if years is None:
            return msg.NO_PAYBACK.format(years=self.years)
        if years == 0:
            return msg.PAYBACK_NOW
        return msg.PAYBACK.format(years=f"{years:.1f}")

    @property
    def as_is_rate(self) -> float:
        return self.as_is.rates[0]

    @property
    def baseline_rate(self) -> float:
        return self.assumptions.stages[1].baseline.rate

    @property
    def headline_source(self) -> Source:
        return self.sources[headline_source_id(self.assumptions)]

    @property
    def drivers(self):
        return [self.assumptions.drivers[d] for d in DRIVERS]

    @cached_property
    def ranking(self) -> list[Ranked]:
        ranked = []
        for effect in self.result.sensitivity:
            driver = self.assumptions.drivers[effect.driver]
            ranked.append(
                Ranked(
                    driver.label,
                    effect.from_level,
                    effect.to_level,
                    effect.production_gain,
                    effect.value_gain,
                    driver.levels[effect.from_level],
                    driver.levels[effect.to_level],
                    effect.spend_gain,
                    effect.change_cost,
                    effect.net_value_gain,
                    net_as_written(
                        effect.value_gain,
                        effect.spend_gain,
                        effect.change_cost,
                        self.scenario.currency,
                    ),
                )
            )
        return ranked

    @property
    def top(self) -> Ranked:
        return self.ranking[0]

    @property
    def raised(self) -> list[Ranked]:
        """The practices the target raises, in ranking order."""
        return [e for e in self.ranking if e.raised]

    @property
    def where_to_start(self) -> list[Ranked]:
        """The practices to start with: of the top three the target raises, those that gain
        net value after their cost; none when no practice pays for itself alone."""
        return [e for e in self.raised[:3] if e.net_value_gain > 0]

    @cached_property
    def next_steps(self) -> list[NextStep]:
        """The brief's next steps, for the client: the page, the deck and the present mode."""
        steps = [
            NextStep(
                msg.START_STEP.format(label=e.label, from_level=e.from_level, to_level=e.to_level),
                e.to_text,
            )
            for e in self.where_to_start
        ]
        if not steps and self.raised:  # the target raises practices, none pays alone
            steps.append(
                NextStep(msg.NONE_PAYS_TITLE, msg.NONE_PAYS_TEXT.format(client=self.client))
            )
        steps.append(PILOT_STEP)
        record = self.record
        if self.calibrated and record is not None:
            period = f" ({record.period})" if record.period else ""
            text = msg.SHARE_NEXT_TEXT.format(
                reached=record.reached_production, started=record.pocs_started, period=period
            )
            steps.append(NextStep(msg.SHARE_NEXT_TITLE, text))
        else:
            text = msg.SHARE_RECORD_TEXT.format(client=self.client)
            steps.append(NextStep(msg.SHARE_RECORD_TITLE, text))
        return steps

    @property
    def consultant_note(self) -> str:
        """What the consultant does next about the record (the deck's notes, not the page)."""
        return record_words.record_advice(self.result)

    @cached_property
    def evidence_sources(self) -> list[Source]:
        """Sources shown in the evidence section: unverified ones only when the scenario asks."""
        allowed = [
            s
            for s in self.sources
            if s.evidence != "unverified" or self.scenario.include_unverified_sources
        ]
        return allowed

    @cached_property
    def cited_sources(self) -> list[Source]:
        """Every source the brief cites, in footnote order: the evidence, then the model's."""
        ids = [s.id for s in self.evidence_sources]
        ids += sorted(self.assumptions.cited_source_ids() - set(ids))
        return [self.sources[i] for i in ids]

    def footnote(self, source_id: str) -> int:
        return [s.id for s in self.cited_sources].index(source_id) + 1

    @cached_property
    def charts(self) -> SimpleNamespace:
        """The brief's charts, drawn once: evidence, funnel, stalling, sensitivity, record."""
        return chartviews.drawn_charts(self)

    # --- the client's record ---------------------------------------------------------
    @property
    def record(self):
        return self.scenario.record

    @property
    def calibrated(self) -> bool:
        return self.result.calibrated

    @property
    def modelled(self) -> str:
        """How a figure about the client is labelled: modelled, and calibrated when it is."""
        return f"{msg.MODELLED}, {msg.CALIBRATED}" if self.calibrated else msg.MODELLED

    @property
    def record_verdict(self) -> str:
        return record_words.record_verdict(self.result)

    @property
    def record_shift(self) -> str:
        return record_words.record_shift(self.result)

    @property
    def summary_rates(self) -> tuple[str, dict[str, object]]:
        """The summary's sentence on the production rate, and the values it is filled with:
        never comparing two rates the page writes alike (``record_words.summary_rates``)."""
        return record_words.summary_rates(self.result, self.baseline_rate)

    @property
    def anchoring(self) -> str:
        """Why raising today's score can lower the target, where the record anchors the rates
        (a calibrated result); empty otherwise. The model's own behaviour, tested so that the
        sentence stays true (tests/views/test_anchoring.py)."""
        return msg.ANCHORED.format(client=self.client) if self.calibrated else ""

    @property
    def record_steps(self):
        return self.result.calibration

    @property
    def prior_strength(self) -> str:
        return f"{self.assumptions.prior_strength.value:g}"

    @property
    def stage_rows(self) -> tuple[tuple[str, str], ...]:
        """(label, metric) per stage; labels from the assumptions, as the funnel chart's."""
        labels = (stage.label for stage in self.assumptions.stages)
        return tuple(zip(labels, funnel.STAGE_METRICS, strict=True))

    money_rows = tables.MONEY_ROWS
    key_numbers = tables.KEY_NUMBERS

    # --- formatting helpers the templates call -------------------------------------
    def n(self, figure: Range) -> str:
        return count(figure.expected)

    def n_range(self, figure: Range) -> str:
        return msg.RANGE.format(low=count(figure.p10), high=count(figure.p90))

    def m(self, figure: Range) -> str:
        return money(figure.expected, self.scenario.currency)

    def m_range(self, figure: Range) -> str:
        c = self.scenario.currency
        return msg.RANGE.format(low=money(figure.p10, c), high=money(figure.p90, c))

    def money(self, amount: float) -> str:
        return money(amount, self.scenario.currency)

    def signed(self, amount: float) -> str:
        """Money with its sign: +$2.0M, -$19k (a gain or a loss, never a bare amount)."""
        return signed_money(amount, self.scenario.currency)

    def fmt(self, figure: Range, kind: str) -> str:
        return multiple(figure.expected) if kind == "roi" else self.m(figure)

    def fmt_range(self, figure: Range, kind: str) -> str:
        if kind == "roi":
            return msg.RANGE.format(low=multiple(figure.p10), high=multiple(figure.p90))
        return self.m_range(figure)

    def pct(self, share: float, digits: int = 0) -> str:
        return percent(share, digits)

    def rate(self, share: float) -> str:
        return rate(share)

    def count(self, value: float) -> str:
        return count(value)

    def change(self, a: float, b: float, kind: str) -> str:
        """b - a as the page can show it: the difference of the two figures as written, or
        "no material change" when they are written alike (``formatting.change``); ``kind`` is
        "count", "money", "rate", "percent" or "roi" (the last three in points)."""
        return change(a, b, kind, self.scenario.currency)

    def source_value(self, source: Source) -> str:
        return source.value_text

    def stage_label(self, stage_id: str) -> str:
        return next(s.label for s in self.assumptions.stages if s.id == stage_id)

    def driver_label(self, driver_id: str) -> str:
        return self.assumptions.drivers[driver_id].label
