"""Money over the horizon: spend, value, the cost of the change, net present value and payback.

Proofs of concept start evenly through the horizon of ``H`` years. One that reaches production
goes live ``T`` years after its start and costs ``cost_to_production`` then; one with measurable
impact delivers its yearly value from go-live to the end of the horizon. Money is discounted
continuously at ``rho = ln(1 + r)`` for a yearly rate ``r``, and only what is paid or earned
within the horizon counts. Averaged over the start times, with ``L = max(H - T, 0)``:

- a proof of concept's cost is weighted by ``A(rho H)``, where ``A(y) = (1 - e^-y) / y``;
- a go-live's cost by ``(L / H) e^(-rho T) A(rho L)``;
- a use case with impact delivers ``V (L^2 / H) e^(-rho T) G(rho L)`` over the horizon, where
  ``G(x) = (1 - e^-x (1 + x)) / x^2``.

``A(0) = 1`` and ``G(0) = 1/2``, so with no discounting and no time to production a use case is
worth half the horizon's years of value: the model before these terms, exactly. The cost of the
change is paid once, at the start. docs/model.md derives each factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilotfunnel.inputs.assumptions import DRIVERS, EconomicAssumptions
from pilotfunnel.inputs.scenario import Scenario

MONTHS_PER_YEAR = 12
# Below this, the factors' closed forms lose digits to cancellation: their series take over.
_SMALL = 1e-4
# Payback is found on this many steps of the horizon, then interpolated within the step.
PAYBACK_STEPS = 1200


@dataclass(frozen=True)
class Terms:
    """A scenario's money terms: its costs and value, with the economics that apply to it.

    Fields may be arrays (one scenario per element), as the portfolio computes many at once.
    """

    cost_per_poc: float | np.ndarray
    cost_to_production: float | np.ndarray
    annual_value_per_use_case: float | np.ndarray
    horizon_years: float | np.ndarray
    time_to_production_years: float | np.ndarray = 0.0
    discount_rate: float | np.ndarray = 0.0  # yearly

    @property
    def rho(self) -> np.ndarray:
        """The continuous discount rate equivalent to the yearly one."""
        return np.log1p(np.asarray(self.discount_rate, dtype=float))

    @property
    def live_years(self) -> np.ndarray:
        """``L``: how much of the horizon is left after the first use case can go live."""
        return np.maximum(np.asarray(self.horizon_years, float) - self.time_to_production_years, 0)

    @property
    def poc_factor(self) -> np.ndarray:
        """What one proof of concept's cost is worth today, averaged over its start."""
        return _a(self.rho * self.horizon_years)

    @property
    def production_factor(self) -> np.ndarray:
        """What one go-live's cost is worth today, averaged over its start (zero if after H)."""
        live, delay = self.live_years, np.exp(-self.rho * self.time_to_production_years)
        return live / np.asarray(self.horizon_years, float) * delay * _a(self.rho * live)

    @property
    def value_years(self) -> np.ndarray:
        """Years of yearly value one use case with impact delivers, discounted, on average."""
        live, h = self.live_years, np.asarray(self.horizon_years, float)
        delay = np.exp(-self.rho * self.time_to_production_years)
        return live**2 / h * delay * _g(self.rho * live)


def _a(y: np.ndarray) -> np.ndarray:
    """(1 - e^-y) / y, with A(0) = 1."""
    y = np.asarray(y, dtype=float)
    safe = np.where(y < _SMALL, 1.0, y)
    return np.where(y < _SMALL, 1 - y / 2 + y**2 / 6, -np.expm1(-safe) / safe)


def _g(x: np.ndarray) -> np.ndarray:
    """(1 - e^-x (1 + x)) / x^2, with G(0) = 1/2."""
    x = np.asarray(x, dtype=float)
    safe = np.where(x < _SMALL, 1.0, x)
    closed = (-np.expm1(-safe) - safe * np.exp(-safe)) / safe**2
    return np.where(x < _SMALL, 0.5 - x / 3 + x**2 / 8, closed)


def terms_for(scenario: Scenario, economics: EconomicAssumptions) -> Terms:
    """The scenario's money terms: its own economics where it gives them, else the file's."""
    months = scenario.time_to_production_months
    rate = scenario.discount_rate
    if months is None:
        months = economics.time_to_production_months.value
    if rate is None:
        rate = economics.discount_rate.value
    return Terms(
        cost_per_poc=scenario.cost_per_poc,
        cost_to_production=scenario.cost_to_production,
        annual_value_per_use_case=scenario.annual_value_per_use_case,
        horizon_years=scenario.horizon_years,
        time_to_production_years=months / MONTHS_PER_YEAR,
        discount_rate=rate,
    )


def driver_change_cost(scenario: Scenario, economics: EconomicAssumptions, driver: str) -> float:
    """What raising one driver from as-is to target costs: the client's price where it gives
    one, else the assumed multiples of one proof of concept's cost."""
    if driver in scenario.change_costs:
        return scenario.change_costs[driver]
    levels = economics.change_cost.multiple(driver, scenario.as_is[driver], scenario.target[driver])
    return levels * scenario.cost_per_poc


def change_cost(scenario: Scenario, economics: EconomicAssumptions) -> float:
    """What putting the target readiness in place costs, over every driver."""
    return float(sum(driver_change_cost(scenario, economics, d) for d in DRIVERS))


def money(counts: np.ndarray, terms: Terms, change: float = 0.0) -> dict[str, np.ndarray]:
    """Money over the horizon, in present value, for counts at each stage (..., stages)."""
    pocs, production, impact = counts[..., 0], counts[..., 1], counts[..., -1]
    poc_cost = terms.cost_per_poc * terms.poc_factor
    spend = pocs * poc_cost + production * terms.cost_to_production * terms.production_factor
    value = impact * terms.annual_value_per_use_case * terms.value_years
    net = value - spend - change
    # Scenarios guarantee a POC costs at least 1, so spend is above 0 and the ratio defined.
    roi = net / np.maximum(spend + change, 1e-9)
    return {
        "pocs": pocs,
        "production": production,
        "impact": impact,
        "spend": spend,
        "stalled_spend": (pocs - production) * poc_cost,
        "value": value,
        "change_cost": np.broadcast_to(np.asarray(change, dtype=float), np.shape(pocs)),
        "net_value": net,
        "roi": roi,
    }


def cumulative_gain(
    terms: Terms, production_gain: float, impact_gain: float, change: float, t: np.ndarray
) -> np.ndarray:
    """The discounted money the change has returned by time ``t`` (years), net of its cost.

    Proofs of concept are the same with or without the change, so only go-lives (their cost)
    and use cases with impact (their value) differ. At ``t = H`` this is the net gain.
    """
    t = np.minimum(np.asarray(t, dtype=float), terms.horizon_years)
    h, rho, delay_years = (
        float(terms.horizon_years),
        float(terms.rho),
        terms.time_to_production_years,
    )
    since = np.clip(t - delay_years, 0.0, None)  # years since the first go-live could happen
    delay = np.exp(-rho * delay_years)
    paid = production_gain * terms.cost_to_production * delay * since / h * _a(rho * since)
    earned = impact_gain * terms.annual_value_per_use_case / h * delay * since**2 * _g(rho * since)
    return earned - paid - change


def payback_years(
    terms: Terms, production_gain: float, impact_gain: float, change: float
) -> float | None:
    """The time after which the change has paid for itself for good, in years from the start.

    0 when it is never behind; None when it has not paid back by the end of the horizon.
    """
    t = np.linspace(0.0, float(terms.horizon_years), PAYBACK_STEPS + 1)
    return _payback_on(t, cumulative_gain(terms, production_gain, impact_gain, change, t))


def _payback_on(t: np.ndarray, cum: np.ndarray) -> float | None:
    """The time on grid ``t`` after which ``cum`` stays at or above 0, interpolated."""
    if cum[-1] < 0:
        return None
    behind = np.nonzero(cum < 0)[0]
    if behind.size == 0:
        return 0.0
    k = int(behind[-1])  # the last step still behind; the next is not
    low, high = cum[k], cum[k + 1]
    return float(t[k] + (t[k + 1] - t[k]) * (-low) / (high - low))


# --- one use case started now (a job, model/assess.py) ------------------------------------------
# A programme starts its proofs of concept evenly through the horizon; one job starts its proof
# of concept now. The same terms apply: it goes live T years later, paying its go-live cost
# then, and delivers its yearly value from go-live to the end of the horizon, discounted at rho.


def started_now(terms: Terms) -> tuple[float, float]:
    """For one use case whose proof of concept starts now: what one unit of go-live cost is
    worth today (0 when go-live falls after the horizon), and the discounted years of value it
    delivers by the horizon's end, ``e^(-rho T) L A(rho L)``."""
    live = float(terms.live_years)
    delay = float(np.exp(-terms.rho * terms.time_to_production_years))
    production = delay if live > 0 else 0.0
    return production, delay * live * float(_a(terms.rho * live))


def started_now_cumulative(
    terms: Terms, p_production: float, p_impact: float, upfront: float, t: np.ndarray
) -> np.ndarray:
    """The expected discounted money one use case started now has returned by time ``t``
    (years): ``upfront`` (its proof of concept and any fixes) paid at once, its go-live cost
    at T with the chance it goes live, and its value from T with the chance it has impact."""
    t = np.minimum(np.asarray(t, dtype=float), terms.horizon_years)
    rho, delay_years = float(terms.rho), float(terms.time_to_production_years)
    delay = np.exp(-rho * delay_years)
    since = np.clip(t - delay_years, 0.0, None)
    live = (t >= delay_years) & (delay_years < float(terms.horizon_years))
    paid = np.where(live, p_production * terms.cost_to_production * delay, 0.0)
    earned = p_impact * terms.annual_value_per_use_case * delay * since * _a(rho * since)
    return earned - paid - upfront


def started_now_payback_years(
    terms: Terms, p_production: float, p_impact: float, upfront: float
) -> float | None:
    """When one use case started now has paid for itself for good, in years from its start;
    None when it has not by the end of the horizon."""
    t = np.linspace(0.0, float(terms.horizon_years), PAYBACK_STEPS + 1)
    return _payback_on(t, started_now_cumulative(terms, p_production, p_impact, upfront, t))
