"""Calibrate the funnel's rates to the client's own record of pilots (docs/model.md).

For each step the record covers (k successes in n trials), the client's as-is rate ``c`` has a
Beta prior centred on the readiness-adjusted industry rate ``m`` with strength ``s`` (a labelled
assumption: how many of the client's own pilots the research is worth):
``c | m ~ Beta(s m, s (1 - m))``. ``m`` is itself uncertain (the cited baseline's Beta, moved by
readiness) and stands here as 2,048 equal-weight quantile nodes. The record is binomial
evidence, so each node is weighted by how likely the record is under it (the beta-binomial
likelihood) and, given ``m``, ``c | m, k, n ~ Beta(s m + k, s (1 - m) + n - k)``.

Everything is drawn by inverse CDF from uniforms fixed by the seed, so a record with one more
success moves every draw up, never down: the result is monotone in the record.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy.special import betaincinv, betaln, expit, logit, ndtr, ndtri

from pilotfunnel.inputs.scenario import Record

# Quantiles of the record-free Jeffreys posterior shown for the observed rate.
_RATE_QUANTILES = (10, 90)
_SMALLEST_RATE = 1e-12  # rates stay strictly inside (0, 1), so log-odds stay finite
PRIOR_DRAWS = 4000
_NODES = 2048
# The quantile grid: log-odds of the centre by normal score of u, over the middle 99.98% of u;
# the few draws beyond it are computed exactly.
_GRID_M, _GRID_Z, _Z_EDGE = 21, 41, 3.7
_Z_NODES = np.linspace(-_Z_EDGE, _Z_EDGE, _GRID_Z)
_Z_NODES.flags.writeable = False
# The record's uniforms come from their own stream, so a scenario without a record draws
# exactly what it drew before records existed.
_RECORD_STREAM = 0x7EC0D


class Baselines(Protocol):
    """What calibration reads of the funnel model (``funnel.FunnelModel`` has it all)."""

    stage_ids: tuple[str, ...]
    stage_labels: tuple[str, ...]
    base_rate: np.ndarray
    base_successes: np.ndarray
    base_trials: np.ndarray
    prior_strength: float


@dataclass(frozen=True)
class RateRange:
    """A rate's mean and its P10 and P90."""

    mean: float
    p10: float
    p90: float

    def to_dict(self) -> dict:
        return {"mean": self.mean, "p10": self.p10, "p90": self.p90}


@dataclass(frozen=True)
class StepCalibration:
    """One step of the funnel: the research's rate, the client's record and the two combined."""

    stage: str  # the stage this step leads to
    label: str
    successes: int | None  # the record for this step; None where the record is silent
    trials: int | None
    prior_rate: float  # the readiness-based rate, before the record
    prior: RateRange  # the client's rate before the record (research, readiness, spread)
    observed: RateRange | None  # the record alone (Jeffreys posterior), when there is one
    calibrated: RateRange
    record_weight: float  # share of the calibrated mean that comes from the record, 0 to 1

    @property
    def observed_rate(self) -> float | None:
        return None if self.trials is None else self.successes / self.trials

    def to_dict(self) -> dict:
        return {
            "stage": self.stage,
            "label": self.label,
            "successes": self.successes,
            "trials": self.trials,
            "prior_rate": self.prior_rate,
            "prior": self.prior.to_dict(),
            "observed_rate": self.observed_rate,
            "observed": self.observed.to_dict() if self.observed else None,
            "calibrated": self.calibrated.to_dict(),
            "record_weight": self.record_weight,
        }


def industry_nodes(baseline: tuple[float, float], shift: float) -> np.ndarray:
    """The readiness-adjusted rate ``m`` at 2,048 equal-weight quantiles, in ascending order.

    The baseline is Beta(a, b); readiness moves it by ``shift`` in log-odds. These nodes stand
    for the distribution of ``m`` in the calibration: sorted already, and few enough that
    weighting them by the record costs little at any number of draws.
    """
    m = expit(logit(_baseline_nodes(*baseline)) + shift)
    return np.clip(m, _SMALLEST_RATE, 1 - _SMALLEST_RATE)


def record_weights(nodes: np.ndarray, evidence: tuple[int, int], strength: float) -> np.ndarray:
    """How likely the record is under each node's ``m`` (beta-binomial), summing to 1."""
    successes, trials = evidence
    alpha, beta = strength * nodes, strength * (1 - nodes)
    log_likelihood = betaln(alpha + successes, beta + trials - successes) - betaln(alpha, beta)
    weights = np.exp(log_likelihood - log_likelihood.max())
    return weights / weights.sum()


def posterior_rates(
    nodes: np.ndarray,
    evidence: tuple[int, int],
    strength: float,
    pick: np.ndarray,
    spread: np.ndarray,
) -> np.ndarray:
    """Draws of the client's rate for one step, one per pair of uniforms.

    ``pick`` chooses a node of ``m`` by the inverse of its record-weighted distribution;
    ``spread`` places the client's rate within Beta(s m + k, s (1 - m) + n - k).
    """
    successes, trials = evidence
    cumulative = np.cumsum(record_weights(nodes, evidence, strength))
    chosen = nodes[np.minimum(np.searchsorted(cumulative, pick), nodes.size - 1)]
    return beta_quantiles(chosen, spread, strength, successes, trials, nodes[0], nodes[-1])


def posterior_mean(nodes: np.ndarray, evidence: tuple[int, int], strength: float) -> float:
    """The calibrated rate's mean, by quadrature over the nodes of ``m``.

    Not simulated, so the central estimate is the same at any number of draws or seed, as it
    is without a record.
    """
    successes, trials = evidence
    means = (strength * nodes + successes) / (strength + trials)
    return float(np.sum(record_weights(nodes, evidence, strength) * means))


@functools.lru_cache(maxsize=16)
def _baseline_nodes(a: float, b: float) -> np.ndarray:
    """Equal-weight quadrature nodes of Beta(a, b): its quantiles at the midpoints of 2,048 bins."""
    nodes = betaincinv(a, b, (np.arange(_NODES) + 0.5) / _NODES)
    nodes.flags.writeable = False
    return nodes


def prior_rates(industry: np.ndarray, strength: float, spread: np.ndarray) -> np.ndarray:
    """Draws of the client's rate before its record: research, readiness and client spread.

    Shown, not used by the model, so a few thousand draws are enough to place its P10 and P90
    (within about a percentage point) and keep a slider change in the explorer quick.
    """
    industry, spread = industry[:PRIOR_DRAWS], spread[:PRIOR_DRAWS]
    m = np.clip(industry, _SMALLEST_RATE, 1 - _SMALLEST_RATE)
    return beta_quantiles(m, spread, strength, 0, 0, m.min(), m.max())


def beta_quantiles(
    centre: np.ndarray,
    u: np.ndarray,
    strength: float,
    successes: int,
    trials: int,
    low: float,
    high: float,
) -> np.ndarray:
    """Quantile ``u`` of Beta(s m + k, s (1 - m) + n - k) for each draw's centre ``m``.

    The exact inverse costs about a microsecond a draw, a large share of a slider change in
    the explorer. The quantile is smooth in log-odds of ``m`` and in the normal
    score of ``u``, so it is computed exactly on a fixed grid over [low, high] and read off
    bilinearly (within 1e-3 of the exact rate; tests/test_calibration.py checks). The grid
    depends only on the range of ``m``, not on the record, and bilinear reading keeps the
    grid's order, so the draws stay monotone in the record.
    """
    if centre.size <= 4 * _GRID_M * _GRID_Z or not high > low:
        return _exact_quantiles(centre, u, strength, successes, trials)
    x_nodes, table = _quantile_table(strength, successes, trials, low, high)
    z = ndtri(np.clip(u, _SMALLEST_RATE, 1 - _SMALLEST_RATE))
    rows, row_share = _cells(logit(centre), x_nodes)
    cols, col_share = _cells(z, _Z_NODES)
    rates = _read_table(table, rows, row_share, cols, 1 - col_share, col_share)
    tails = np.abs(z) > _Z_EDGE
    rates[tails] = _exact_quantiles(centre[tails], u[tails], strength, successes, trials)
    return rates


def _exact_quantiles(
    centre: np.ndarray, u: np.ndarray, strength: float, successes: int, trials: int
) -> np.ndarray:
    """``beta_quantiles`` without the grid: the exact inverse, draw by draw."""
    a, b = strength * centre + successes, strength * (1 - centre) + trials - successes
    return np.clip(betaincinv(a, b, u), _SMALLEST_RATE, 1 - _SMALLEST_RATE)


def _quantile_table(
    strength: float, successes: int, trials: int, low: float, high: float
) -> tuple[np.ndarray, np.ndarray]:
    """``beta_quantiles``' grid: its log-odds of the centre, and the quantiles' log-odds there.

    The table is flattened (row by row of the centre, ``_GRID_Z`` normal scores a row), as
    ``_read_table`` reads it.
    """
    x_nodes = np.linspace(logit(low), logit(high), _GRID_M)
    m_nodes = expit(x_nodes)[:, None]
    table = betaincinv(
        strength * m_nodes + successes,
        strength * (1 - m_nodes) + trials - successes,
        ndtr(_Z_NODES)[None, :],
    )
    return x_nodes, logit(np.clip(table, _SMALLEST_RATE, 1 - _SMALLEST_RATE)).ravel()


def _read_table(
    table: np.ndarray,
    rows: np.ndarray,
    row_share: np.ndarray,
    cols: np.ndarray,
    col_keep: np.ndarray,
    col_share: np.ndarray,
) -> np.ndarray:
    """Rates read off ``_quantile_table``'s table bilinearly, one per draw's cell.

    ``col_keep`` is ``1 - col_share``, passed in so a batch computes it once for its uniforms.
    """
    cell = rows * _GRID_Z + cols  # table[rows, cols], flattened
    top = table.take(cell) * col_keep + table.take(cell + 1) * col_share
    bottom = table.take(cell + _GRID_Z) * col_keep + table.take(cell + _GRID_Z + 1) * col_share
    return expit(top * (1 - row_share) + bottom * row_share)


def _cells(values: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each value, the grid cell it falls in and how far across it, on an even grid."""
    step = nodes[1] - nodes[0]
    position = np.clip((values - nodes[0]) / step, 0.0, nodes.size - 1.0)
    cell = np.minimum(position.astype(np.intp), nodes.size - 2)
    return cell, position - cell


def summarise(draws: np.ndarray) -> RateRange:
    p10, p90 = np.percentile(draws, _RATE_QUANTILES)
    return RateRange(float(draws.mean()), float(p10), float(p90))


def jeffreys(successes: int, trials: int) -> RateRange:
    """The record on its own: the Jeffreys posterior of k in n, as the cited baselines use."""
    a, b = successes + 0.5, trials - successes + 0.5
    p10, p90 = betaincinv(a, b, np.array(_RATE_QUANTILES) / 100)
    return RateRange(successes / trials, float(p10), float(p90))


def shift_back(rates: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """The baseline that, moved by ``shift`` in log-odds, gives ``rates``."""
    return expit(logit(rates) - shift)


def calibrate(
    model: Baselines, record: Record, shift: np.ndarray, base: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray, tuple[StepCalibration, ...]]:
    """Baselines calibrated to the client's record: draws, point rates and each step's summary.

    The record is about the client as it is, so it calibrates the as-is rates; a calibrated
    baseline is the one that, moved by the as-is readiness, gives the calibrated as-is rate.
    The target then keeps the readiness effects: target minus as-is, in log-odds. ``shift`` is
    how far the as-is readiness moves each step, in log-odds; ``base``, the baselines' draws.
    """
    industry = expit(logit(base) + shift)  # (draws, steps): readiness-adjusted industry rates
    point_industry = expit(logit(model.base_rate) + shift)
    rng = np.random.default_rng([seed, _RECORD_STREAM])
    pick, spread = rng.random(base.shape), rng.random(base.shape)
    strength = model.prior_strength
    client = np.empty_like(industry)
    point = point_industry.copy()
    steps = []
    for step, evidence in enumerate(record.evidence()):
        if evidence is None:
            client[:, step] = industry[:, step]
            calibrated = summarise(client[:, step])
            prior, observed, weight, k, n = calibrated, None, 0.0, None, None
        else:
            k, n = evidence
            successes = model.base_successes[step]
            baseline = (successes + 0.5, model.base_trials[step] - successes + 0.5)
            nodes = industry_nodes(baseline, shift[step])
            client[:, step] = posterior_rates(
                nodes, evidence, strength, pick[:, step], spread[:, step]
            )
            point[step] = posterior_mean(nodes, evidence, strength)
            spread_of_client = summarise(client[:, step])
            calibrated = RateRange(point[step], spread_of_client.p10, spread_of_client.p90)
            prior_draws = prior_rates(industry[:, step], strength, spread[:, step])
            prior = summarise(prior_draws)
            observed, weight = jeffreys(k, n), n / (n + strength)
        steps.append(
            StepCalibration(
                stage=model.stage_ids[step + 1],
                label=model.stage_labels[step + 1],
                successes=k,
                trials=n,
                prior_rate=float(point_industry[step]),
                prior=prior,
                observed=observed,
                calibrated=calibrated,
                record_weight=weight,
            )
        )
    return (
        shift_back(client, shift),
        shift_back(point, shift),
        tuple(steps),
    )


# Per step, evidence and readiness shift: the step's summary and its point rate.
_StepCache = dict[tuple[int, tuple[int, int] | None, float], tuple[StepCalibration, float]]
# Per step, readiness shift and whether the step has evidence: the nodes of ``m`` and their
# ``betaln`` (with evidence only), and the client's rate before the record.
_PriorCache = dict[tuple[int, float, bool], tuple[np.ndarray | None, np.ndarray | None, RateRange]]


def calibrate_many(
    model: Baselines,
    records: Sequence[Record],
    shifts: np.ndarray,
    base: np.ndarray,
    seed: int,
) -> tuple[np.ndarray, list[tuple[StepCalibration, ...]]]:
    """``calibrate``'s point rates and step summaries for many scenarios at once, bit for bit.

    For ``model --batch``: one record and one row of ``shifts`` (as-is readiness, in log-odds)
    per scenario, all sharing ``base`` and ``seed`` as a batch does. Every result equals what
    ``calibrate`` gives for that scenario alone (tests/model/test_calibration.py checks), but
    what does not depend on the scenario is computed once: the record stream's uniforms, their
    normal scores and grid cells, the order of the picks, the baselines' log-odds; and what
    depends only on the readiness of a step (its prior, its nodes' normalising ``betaln``) or
    on the step's readiness and evidence together (its whole calibration) once per distinct
    value. The calibrated draws themselves are not returned (a batch row shows summaries).
    """
    shifts = np.asarray(shifts, dtype=float)
    shared = _Shared.of(base, seed)
    steps_cache: _StepCache = {}
    prior_cache: _PriorCache = {}
    points = np.empty((len(records), base.shape[1]))
    summaries = []
    for row, (record, shift) in enumerate(zip(records, shifts, strict=True)):
        point_industry = expit(logit(model.base_rate) + shift)
        point = point_industry.copy()
        steps = []
        for step, evidence in enumerate(record.evidence()):
            key = (step, evidence, float(shift[step]))
            if key not in steps_cache:
                steps_cache[key] = _calibrate_step(
                    model,
                    shared,
                    prior_cache,
                    step,
                    evidence,
                    float(shift[step]),
                    float(point_industry[step]),
                )
            summary, point_rate = steps_cache[key]
            if evidence is not None:
                point[step] = point_rate
            steps.append(summary)
        points[row] = shift_back(point, shift)
        summaries.append(tuple(steps))
    return points, summaries


@dataclass(frozen=True)
class _Shared:
    """What every scenario of a batch shares: the uniforms of ``seed`` and what follows.

    Per step, the pairs of uniforms are kept in the order that sorts the picks: a step's
    summary is a mean and percentiles, which do not depend on the order of the draws, and in
    that order the node each draw picks is found by one search per node instead of per draw.
    """

    base_logit: np.ndarray  # logit of the baselines' draws (draws, steps)
    spread: np.ndarray  # as drawn (the prior reads its first draws)
    sorted_pick: tuple[np.ndarray, ...]  # per step, ascending
    sorted_spread: tuple[np.ndarray, ...]  # per step, paired with sorted_pick
    z_cells: tuple[tuple[np.ndarray, ...], ...]  # per step: column, 1 - share, share, tails

    @classmethod
    def of(cls, base: np.ndarray, seed: int) -> _Shared:
        rng = np.random.default_rng([seed, _RECORD_STREAM])
        pick, spread = rng.random(base.shape), rng.random(base.shape)
        sorted_pick, sorted_spread, z_cells = [], [], []
        for step in range(base.shape[1]):
            order = np.argsort(pick[:, step], kind="stable")
            u = spread[order, step]
            z = ndtri(np.clip(u, _SMALLEST_RATE, 1 - _SMALLEST_RATE))
            cols, col_share = _cells(z, _Z_NODES)
            sorted_pick.append(pick[order, step])
            sorted_spread.append(u)
            z_cells.append((cols, 1 - col_share, col_share, np.abs(z) > _Z_EDGE))
        return cls(logit(base), spread, tuple(sorted_pick), tuple(sorted_spread), tuple(z_cells))


def _calibrate_step(
    model: Baselines,
    shared: _Shared,
    prior_cache: _PriorCache,
    step: int,
    evidence: tuple[int, int] | None,
    shift: float,
    prior_rate: float,
) -> tuple[StepCalibration, float]:
    """One step of ``calibrate`` for one readiness shift and evidence: its summary and point."""
    strength = model.prior_strength
    # The prior differs with and without evidence: the readiness-based draws alone, or the
    # client's spread around them.
    key = (step, shift, evidence is None)
    if key not in prior_cache:
        industry = expit(shared.base_logit[:, step] + shift)
        if evidence is None:
            prior_cache[key] = (None, None, summarise(industry))
        else:
            successes = model.base_successes[step]
            nodes = industry_nodes(
                (successes + 0.5, model.base_trials[step] - successes + 0.5), shift
            )
            prior = summarise(prior_rates(industry, strength, shared.spread[:, step]))
            prior_cache[key] = (nodes, betaln(strength * nodes, strength * (1 - nodes)), prior)
    nodes, prior_betaln, prior = prior_cache[key]
    if evidence is None:
        point, calibrated, observed, weight, k, n = prior_rate, prior, None, 0.0, None, None
    else:
        k, n = evidence
        alpha, beta = strength * nodes, strength * (1 - nodes)
        log_likelihood = betaln(alpha + k, beta + n - k) - prior_betaln
        weights = np.exp(log_likelihood - log_likelihood.max())
        weights = weights / weights.sum()
        means = (strength * nodes + k) / (strength + n)
        point = float(np.sum(weights * means))
        draws = _posterior_draws(shared, step, nodes, weights, strength, k, n)
        p10, p90 = np.percentile(draws, _RATE_QUANTILES)
        calibrated = RateRange(point, float(p10), float(p90))
        observed, weight = jeffreys(k, n), n / (n + strength)
    summary = StepCalibration(
        stage=model.stage_ids[step + 1],
        label=model.stage_labels[step + 1],
        successes=k,
        trials=n,
        prior_rate=prior_rate,
        prior=prior,
        observed=observed,
        calibrated=calibrated,
        record_weight=weight,
    )
    return summary, point


def _posterior_draws(
    shared: _Shared,
    step: int,
    nodes: np.ndarray,
    weights: np.ndarray,
    strength: float,
    successes: int,
    trials: int,
) -> np.ndarray:
    """``posterior_rates`` for one step, in the order of the sorted picks (the same numbers)."""
    pick, spread = shared.sorted_pick[step], shared.sorted_spread[step]
    # The node a pick chooses is how many cumulative weights lie below it: with the picks
    # sorted, count for each node how many picks lie at or below its cumulative weight.
    below = np.searchsorted(pick, np.cumsum(weights), side="right")
    chosen = np.cumsum(np.bincount(below, minlength=pick.size + 1)[: pick.size])
    np.minimum(chosen, nodes.size - 1, out=chosen)
    low, high = nodes[0], nodes[-1]
    if chosen.size <= 4 * _GRID_M * _GRID_Z or not high > low:
        return beta_quantiles(nodes[chosen], spread, strength, successes, trials, low, high)
    # beta_quantiles' grid path, element for element, with the uniforms' part done once.
    x_nodes, table = _quantile_table(strength, successes, trials, low, high)
    node_rows, node_share = _cells(logit(nodes), x_nodes)  # per node, then per draw
    cols, col_keep, col_share, tails = shared.z_cells[step]
    rates = _read_table(table, node_rows[chosen], node_share[chosen], cols, col_keep, col_share)
    if tails.any():
        centre = nodes[chosen[tails]]
        rates[tails] = _exact_quantiles(centre, spread[tails], strength, successes, trials)
    return rates
