"""The funnel model: pure functions over numpy arrays.

A stage's rate is its baseline moved in log-odds by readiness:
``logit(rate) = logit(baseline) + sum_d effect[stage, d] * (level_d - 2)``, so every driver at 2
reproduces the baseline exactly, rates stay in (0, 1), and no effect is negative, so raising a
driver never lowers a stage.

Uncertainty comes from two places: baselines measured on small samples (a Beta posterior from
numerator and denominator, Jeffreys prior) and the client's own chance variation (binomial
counts). Both are drawn with common random numbers, so two readiness profiles evaluated with
the same seed differ only through readiness: a higher profile never shows a lower quantile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import expit, gammaln, logit

from pilotfunnel.inputs.assumptions import (
    DRIVERS,
    NEUTRAL_ECONOMICS,
    TYPICAL_LEVEL,
    Assumptions,
    EconomicAssumptions,
)
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import Scenario
from pilotfunnel.model import calibration
from pilotfunnel.model.calibration import StepCalibration
from pilotfunnel.model.economics import Terms, change_cost, driver_change_cost, money, terms_for
from pilotfunnel.model.economics import payback_years as _payback_years
from pilotfunnel.model.result import (  # what run returns
    DriverEffect,
    Gain,
    Outcome,
    Range,
    Result,
)

DEFAULT_DRAWS = 20_000
MAX_DRAWS = 1_000_000  # about 2 s and 320 MB of Monte Carlo: the most any surface runs
DEFAULT_SEED = 20250818
QUANTILES = (10, 50, 90)
# Below mean - 8 sd a binomial's cumulative mass is < 1e-15: start the inverse-CDF walk there.
_START_SD = 8.0


@dataclass(frozen=True)
class FunnelModel:
    """The assumptions as arrays: one row per step down the funnel."""

    stage_ids: tuple[str, ...]
    stage_labels: tuple[str, ...]
    driver_labels: tuple[str, ...]  # in DRIVERS order
    base_rate: np.ndarray  # (steps,)
    base_successes: np.ndarray  # (steps,)
    base_trials: np.ndarray  # (steps,)
    effects: np.ndarray  # (steps, drivers)
    economics: EconomicAssumptions = NEUTRAL_ECONOMICS
    prior_strength: float = 10.0  # how many client pilots the readiness-based rate is worth

    @classmethod
    def from_assumptions(cls, assumptions: Assumptions) -> FunnelModel:
        steps = assumptions.stages[1:]
        return cls(
            stage_ids=tuple(s.id for s in assumptions.stages),
            stage_labels=tuple(s.label for s in assumptions.stages),
            driver_labels=tuple(assumptions.drivers[d].label for d in DRIVERS),
            base_rate=np.array([s.baseline.rate for s in steps]),
            base_successes=np.array([s.baseline.successes for s in steps]),
            base_trials=np.array([s.baseline.trials for s in steps]),
            effects=np.array([[assumptions.effect(s.id, d) for d in DRIVERS] for s in steps]),
            economics=assumptions.economics,
            prior_strength=assumptions.prior_strength.value,
        )


def model_of(project: Project) -> FunnelModel:
    """The funnel model of a project's assumptions: built once per project and kept with it,
    so every brief of a long-lived process reuses it (the model layer owns its derivation; the
    project, an input, knows nothing of the model)."""
    return project.cached(FunnelModel, lambda: FunnelModel.from_assumptions(project.assumptions))


def readiness_vector(levels: dict[str, int]) -> np.ndarray:
    return np.array([levels[d] for d in DRIVERS], dtype=float)


def stage_rates(
    model: FunnelModel, readiness: np.ndarray, base_rate: np.ndarray | None = None
) -> np.ndarray:
    """Rate of each step for readiness of shape (..., drivers); returns (..., steps)."""
    base = model.base_rate if base_rate is None else base_rate
    shift = (np.asarray(readiness, dtype=float) - TYPICAL_LEVEL) @ model.effects.T
    return expit(logit(base) + shift)


def readiness_shift(model: FunnelModel, readiness: np.ndarray) -> np.ndarray:
    """How far readiness moves each step's rate from its baseline, in log-odds."""
    return (np.asarray(readiness, dtype=float) - TYPICAL_LEVEL) @ model.effects.T


def expected_counts(
    model: FunnelModel,
    pocs: np.ndarray | float,
    readiness: np.ndarray,
    base_rate: np.ndarray | None = None,
) -> np.ndarray:
    """Expected count at each stage (..., stages) for POCs started and readiness (..., drivers)."""
    rates = stage_rates(model, readiness, base_rate)
    pocs = np.broadcast_to(np.asarray(pocs, dtype=float)[..., None], (*rates.shape[:-1], 1))
    return np.concatenate([pocs, pocs * np.cumprod(rates, axis=-1)], axis=-1)


def binomial_quantile(u: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Inverse CDF of Binomial(n, p) at u, element-wise: monotone in u, n and p.

    numpy's sampler is faster but not monotone in p for a fixed stream, so two readiness
    profiles could cross; walking the CDF up from far below the mean keeps them ordered.
    """
    u, n, p = np.broadcast_arrays(np.asarray(u, float), np.asarray(n, float), np.asarray(p, float))
    shape = u.shape
    u, n, p = u.ravel(), n.ravel(), np.clip(p.ravel(), 1e-12, 1 - 1e-12)
    sd = np.sqrt(n * p * (1 - p))
    k = np.floor(np.maximum(n * p - _START_SD * sd - 1, 0.0))
    log_pmf = k * np.log(p) + (n - k) * np.log1p(-p)
    if k.any():
        log_pmf += gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)
    pmf = np.exp(log_pmf)
    cdf = pmf.copy()
    ratio = p / (1 - p)
    walking = (cdf < u).astype(float)
    factor, denominator = np.empty_like(pmf), np.empty_like(pmf)
    # Dense, in-place steps while many draws are still walking; then only the stragglers.
    # A draw whose sum rounds short of 1 can step past n here; it is clipped back below.
    with np.errstate(over="ignore", invalid="ignore"):
        while np.count_nonzero(walking) > u.size // 8:
            np.subtract(n, k, out=factor)
            np.add(k, 1.0, out=denominator)
            factor /= denominator
            factor *= ratio
            pmf *= factor
            cdf += pmf
            k += walking
            walking *= cdf < u
    np.minimum(k, n, out=k)
    active = (walking > 0) & (k < n)
    idx = np.nonzero(active)[0]
    kk, pmf, cdf, u, n, ratio = k[idx], pmf[idx], cdf[idx], u[idx], n[idx], ratio[idx]
    while idx.size:
        pmf *= (n - kk) / (kk + 1) * ratio
        cdf += pmf
        kk += 1
        k[idx] = kk
        walking = (cdf < u) & (kk < n)
        if not walking.all():
            idx, kk, pmf, cdf = idx[walking], kk[walking], pmf[walking], cdf[walking]
            u, n, ratio = u[walking], n[walking], ratio[walking]
    return k.reshape(shape)


def simulate_counts(
    model: FunnelModel, pocs: int, readiness: np.ndarray, draws: int, seed: int
) -> np.ndarray:
    """Monte Carlo counts at each stage, reproducible with ``seed``.

    ``readiness`` of shape (drivers,) gives (draws, stages); a stack of profiles (profiles,
    drivers) gives (profiles, draws, stages), all sharing the same draws, so they compare
    like for like and the Beta draws are paid once.
    """
    base, chance = draw_uncertainty(model, draws, seed)
    return counts_for(model, pocs, readiness, base, chance)


def draw_uncertainty(model: FunnelModel, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The baselines' draws (Beta posteriors) and the uniforms that set chance variation."""
    rng = np.random.default_rng(seed)
    a = model.base_successes + 0.5
    b = model.base_trials - model.base_successes + 0.5
    base = rng.beta(a, b, size=(draws, a.size))
    chance = rng.random((draws, a.size))
    return base, chance


def counts_for(
    model: FunnelModel, pocs: int, readiness: np.ndarray, base: np.ndarray, chance: np.ndarray
) -> np.ndarray:
    """Counts at each stage for given baseline draws and chance uniforms (draws, steps)."""
    draws, steps = base.shape
    readiness = np.asarray(readiness, dtype=float)
    profiles = readiness.reshape(-1, 1, readiness.shape[-1])
    rates = stage_rates(model, profiles, base)  # (profiles, draws, steps)
    counts = np.empty((profiles.shape[0], draws, steps + 1))
    counts[..., 0] = pocs
    # One profile at a time: each walks only as far as its own counts reach.
    for profile in range(profiles.shape[0]):
        for step in range(steps):
            counts[profile, :, step + 1] = binomial_quantile(
                chance[:, step], counts[profile, :, step], rates[profile, :, step]
            )
    return counts[0] if readiness.ndim == 1 else counts


STAGE_METRICS = ("pocs", "production", "impact")  # one count per stage, top of the funnel down
METRICS = (
    *STAGE_METRICS,
    "spend",
    "stalled_spend",
    "value",
    "change_cost",
    "net_value",
    "roi",
)


def _quantiles(values: np.ndarray) -> np.ndarray:
    return np.percentile(values, QUANTILES, axis=0)


def _outcome(
    model: FunnelModel,
    scenario: Scenario,
    levels: dict[str, int],
    simulated: dict[str, np.ndarray],
    base_rate: np.ndarray,
    terms: Terms,
    change: float,
) -> Outcome:
    readiness = readiness_vector(levels)
    pocs = scenario.pocs_per_year * scenario.horizon_years
    point = money(expected_counts(model, pocs, readiness, base_rate), terms, change)
    # Spend, stalled spend and value are affine in one count each, and linear-interpolated
    # percentiles commute with affine maps (reversed for a decreasing one), so only the
    # counts and the two mixed metrics need sorting: half the work of the naive way.
    sorted_metrics = ("production", "impact", "net_value", "roi")
    q = _quantiles(np.stack([simulated[m] for m in sorted_metrics], axis=1))
    by_metric = dict(zip(sorted_metrics, q.T, strict=True))
    quantile_counts = np.stack(
        [np.full(len(QUANTILES), float(pocs)), by_metric["production"], by_metric["impact"]],
        axis=1,
    )
    derived = money(quantile_counts, terms, change)
    by_metric["stalled_spend"] = money(quantile_counts[::-1].copy(), terms, change)["stalled_spend"]
    for metric in ("pocs", "spend", "value", "change_cost"):
        by_metric[metric] = derived[metric]
    figures = {m: Range(float(point[m]), *(float(v) for v in by_metric[m])) for m in METRICS}
    rates = stage_rates(model, readiness, base_rate)
    return Outcome(dict(levels), tuple(float(r) for r in rates), figures)


def _range(expected: float, draws: np.ndarray) -> Range:
    return Range(float(expected), *(float(v) for v in _quantiles(draws)))


def _gain(as_is: Outcome, target: Outcome, simulated: tuple[dict, dict], change: float) -> Gain:
    """What the five practices gain, draw by draw (both profiles share every draw)."""
    a, t = simulated

    def diff(metric: str) -> Range:
        expected = target[metric].expected - as_is[metric].expected
        return _range(expected, t[metric] - a[metric])

    return Gain(
        net=diff("net_value"),
        value=diff("value"),
        spend=diff("spend"),
        production=diff("production"),
        impact=diff("impact"),
        change_cost=change,
    )


def sensitivity(
    model: FunnelModel, scenario: Scenario, base_rate: np.ndarray | None = None
) -> tuple[DriverEffect, ...]:
    """Each driver raised alone from as-is to target, ranked by net value gained (net of the
    driver's cost of change), then by production gained."""
    pocs = scenario.pocs_per_year * scenario.horizon_years
    base = readiness_vector(scenario.as_is)
    raised = np.repeat(base[None, :], len(DRIVERS), axis=0)
    for i, driver in enumerate(DRIVERS):
        raised[i, i] = scenario.target[driver]
    counts = expected_counts(model, pocs, np.vstack([base, raised]), base_rate)
    figures = money(counts, terms_for(scenario, model.economics))
    value, spend = figures["value"], figures["spend"]
    effects = []
    for i, d in enumerate(DRIVERS):
        cost = driver_change_cost(scenario, model.economics, d)
        value_gain = float(value[i + 1] - value[0])
        spend_gain = float(spend[i + 1] - spend[0])
        effects.append(
            DriverEffect(
                d,
                scenario.as_is[d],
                scenario.target[d],
                float(counts[i + 1, 1] - counts[0, 1]),
                float(counts[i + 1, -1] - counts[0, -1]),
                value_gain,
                spend_gain,
                cost,
                value_gain - spend_gain - cost,
            )
        )
    return tuple(
        sorted(
            effects,
            # What the target raises first; those already at target (nothing to start) last.
            key=lambda e: (
                e.to_level <= e.from_level,
                -e.net_value_gain,
                -e.production_gain,
                DRIVERS.index(e.driver),
            ),
        )
    )


def run(
    scenario: Scenario,
    model: FunnelModel,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> Result:
    """Model a scenario as is and at target, with uncertainty and the driver ranking."""
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    profiles = np.stack([readiness_vector(scenario.as_is), readiness_vector(scenario.target)])
    pocs = scenario.pocs_per_year * scenario.horizon_years
    base, chance = draw_uncertainty(model, draws, seed)
    point_base, steps = model.base_rate, ()
    if scenario.record is not None:
        shift = readiness_shift(model, readiness_vector(scenario.as_is))
        base, point_base, steps = calibration.calibrate(model, scenario.record, shift, base, seed)
    counts = counts_for(model, pocs, profiles, base, chance)
    terms = terms_for(scenario, model.economics)
    change = change_cost(scenario, model.economics)
    simulated = (money(counts[0], terms), money(counts[1], terms, change))
    as_is = _outcome(model, scenario, scenario.as_is, simulated[0], point_base, terms, 0.0)
    target = _outcome(model, scenario, scenario.target, simulated[1], point_base, terms, change)
    gain = _gain(as_is, target, simulated, change)
    payback = _payback_years(terms, gain.production.expected, gain.impact.expected, change)
    return Result(
        scenario=scenario,
        as_is=as_is,
        target=target,
        sensitivity=sensitivity(model, scenario, point_base),
        terms=terms,
        gain=gain,
        payback_years=payback,
        draws=draws,
        seed=seed,
        stage_labels=model.stage_labels,
        driver_labels=model.driver_labels,
        calibration=steps,
        prior_strength=model.prior_strength if steps else 0.0,
    )


def calibrated_baseline(
    model: FunnelModel,
    scenario: Scenario,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> tuple[np.ndarray, tuple[StepCalibration, ...]]:
    """The point baseline ``run`` would use for this scenario, and each step's calibration."""
    if scenario.record is None:
        return model.base_rate, ()
    base, _ = draw_uncertainty(model, draws, seed)
    shift = readiness_shift(model, readiness_vector(scenario.as_is))
    _, point, steps = calibration.calibrate(model, scenario.record, shift, base, seed)
    return point, steps


def calibrated_baselines(
    model: FunnelModel,
    scenarios: Sequence[Scenario],
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> tuple[np.ndarray, list[tuple[StepCalibration, ...]]]:
    """``calibrated_baseline`` for many scenarios at once (``model --batch``), same numbers.

    One row of point baselines (scenarios, steps) and one tuple of step summaries per scenario;
    a scenario without a record has the model's baselines and no steps. The baselines' draws
    are made once for the batch and the calibration shares its work across scenarios
    (``calibration.calibrate_many``).
    """
    points = np.tile(model.base_rate, (len(scenarios), 1))
    steps: list[tuple[StepCalibration, ...]] = [() for _ in scenarios]
    recorded = [i for i, s in enumerate(scenarios) if s.record is not None]
    if not recorded:
        return points, steps
    base, _ = draw_uncertainty(model, draws, seed)
    shifts = np.array(
        [readiness_shift(model, readiness_vector(scenarios[i].as_is)) for i in recorded]
    )
    records = [scenarios[i].record for i in recorded]
    calibrated, summaries = calibration.calibrate_many(model, records, shifts, base, seed)
    for row, i in enumerate(recorded):
        points[i] = calibrated[row]
        steps[i] = summaries[row]
    return points, steps
