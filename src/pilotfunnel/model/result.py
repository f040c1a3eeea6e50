"""What a model run returns: the figures of each readiness profile and the driver ranking.

Records only, no modelling: ``funnel.run`` fills them, and the views, the explorer and the
command line read them (``to_dict`` is the JSON the command line writes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pilotfunnel.inputs.assumptions import DRIVERS
from pilotfunnel.inputs.scenario import Scenario
from pilotfunnel.model.calibration import StepCalibration
from pilotfunnel.model.economics import Terms


@dataclass(frozen=True)
class Range:
    """A modelled figure: its central estimate and P10/P50/P90 over the Monte Carlo draws."""

    expected: float
    p10: float
    p50: float
    p90: float

    def to_dict(self) -> dict:
        return {"expected": self.expected, "p10": self.p10, "p50": self.p50, "p90": self.p90}


@dataclass(frozen=True)
class Outcome:
    """The funnel for one readiness profile over the horizon."""

    readiness: dict[str, int]
    rates: tuple[float, ...]  # point estimate of each step's rate
    figures: dict[str, Range]

    def __getitem__(self, metric: str) -> Range:
        return self.figures[metric]

    def to_dict(self) -> dict:
        return {
            "readiness": dict(self.readiness),
            "rates": list(self.rates),
            **{k: v.to_dict() for k, v in self.figures.items()},
        }


@dataclass(frozen=True)
class DriverEffect:
    """What raising one driver from as-is to target (others as-is) changes."""

    driver: str
    from_level: int
    to_level: int
    production_gain: float
    impact_gain: float
    value_gain: float  # present value of what it delivers more
    spend_gain: float = 0.0  # present value of what it spends more (more go-lives)
    change_cost: float = 0.0  # what raising it costs
    net_value_gain: float = 0.0  # value_gain - spend_gain - change_cost: the ranking's key


@dataclass(frozen=True)
class Gain:
    """What the five practices change, as is to target, each range over the same draws.

    ``net`` is the headline: value gained, less the extra spend and the cost of the change.
    """

    net: Range
    value: Range
    spend: Range
    production: Range
    impact: Range
    change_cost: float

    def to_dict(self) -> dict:
        return {
            "net_value": self.net.to_dict(),
            "value": self.value.to_dict(),
            "spend": self.spend.to_dict(),
            "production": self.production.to_dict(),
            "impact": self.impact.to_dict(),
            "change_cost": self.change_cost,
        }


@dataclass(frozen=True)
class Result:
    """Everything the brief, the explorer and the CLI show for one scenario."""

    scenario: Scenario
    as_is: Outcome
    target: Outcome
    sensitivity: tuple[DriverEffect, ...]  # most net value gained first
    draws: int
    seed: int
    terms: Terms | None = None
    gain: Gain | None = None
    payback_years: float | None = None  # None: not paid back within the horizon
    stage_labels: tuple[str, ...] = field(default=())
    driver_labels: tuple[str, ...] = field(default=())
    calibration: tuple[StepCalibration, ...] = field(default=())  # empty without a record
    prior_strength: float = 0.0

    @property
    def calibrated(self) -> bool:
        """Whether the rates were calibrated to the client's own record."""
        return bool(self.calibration)

    def driver_label(self, driver: str) -> str:
        """The driver's label from the assumptions (its id if the result carries none)."""
        return self.driver_labels[DRIVERS.index(driver)] if self.driver_labels else driver

    def to_dict(self) -> dict:
        return {
            "client": self.scenario.client,
            "horizon_years": self.scenario.horizon_years,
            "currency": self.scenario.currency,
            "draws": self.draws,
            "seed": self.seed,
            "stages": list(self.stage_labels),
            "as_is": self.as_is.to_dict(),
            "target": self.target.to_dict(),
            "sensitivity": [vars(e) for e in self.sensitivity],
            "gain": self.gain.to_dict() if self.gain else None,
            "payback_years": self.payback_years,
            "economics": self._economics_dict(),
            "record": self._record_dict(),
        }

    def _economics_dict(self) -> dict | None:
        if self.terms is None:
            return None
        return {
            "discount_rate": float(self.terms.discount_rate),
            "time_to_production_years": float(self.terms.time_to_production_years),
        }

    def _record_dict(self) -> dict | None:
        record = self.scenario.record
        if record is None:
            return None
        return {
            "period": record.period,
            "pocs_started": record.pocs_started,
            "reached_production": record.reached_production,
            "with_measurable_impact": record.with_measurable_impact,
            "prior_strength": self.prior_strength,
            "steps": [step.to_dict() for step in self.calibration],
        }
