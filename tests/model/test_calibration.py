"""Calibration to the client's record: the properties docs/model.md promises."""

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import betaincinv

from pilotfunnel.inputs.assumptions import DRIVERS, NEUTRAL_ECONOMICS
from pilotfunnel.inputs.scenario import Record, scenario_from_dict
from pilotfunnel.model import calibration, funnel

from ..conftest import FIXTURES

levels = st.integers(min_value=0, max_value=4)
readiness = st.fixed_dictionaries({d: levels for d in DRIVERS})
FEW = 400  # draws per example: the exact quantile path, fast enough for hypothesis


def production(result):
    return result.calibration[0]


def with_record(demo, as_is, record):
    return demo.replace(as_is=as_is, target={d: 4 for d in DRIVERS}, record=record)


def test_without_a_record_results_are_those_from_before_records_existed(model):
    """The golden file was written by the model as it was before the record block existed, and
    before its economics: with neutral economics (no delay, no discounting, a free change) the
    model reproduces it, figure by figure, and each driver's gains (ranked since by net value)."""
    golden = json.loads((FIXTURES / "model" / "no_record_golden.json").read_text())
    assert len(golden) == 23
    neutral = dataclasses.replace(model, economics=NEUTRAL_ECONOMICS)
    for name, case in golden.items():
        scenario = scenario_from_dict(case["scenario"], name)
        result = funnel.run(scenario, neutral, draws=4000, seed=7)
        assert not result.calibrated
        data = result.to_dict()
        assert data.pop("record") is None
        old = case["result"]
        for which in ("as_is", "target"):
            assert {k: data[which][k] for k in old[which]} == old[which], (name, which)
        by_driver = {e["driver"]: e for e in data["sensitivity"]}
        for effect in old["sensitivity"]:
            now = by_driver[effect["driver"]]
            assert {k: now[k] for k in effect} == effect, (name, effect["driver"])
            assert now["net_value_gain"] == pytest.approx(now["value_gain"] - now["spend_gain"])


@settings(max_examples=40, deadline=None)
@given(as_is=readiness, trials=st.integers(8, 60), seed=st.integers(0, 2**32 - 1))
def test_a_record_that_matches_the_expectation_changes_little(demo, model, as_is, trials, seed):
    plain = funnel.run(with_record(demo, as_is, None), model, draws=2000, seed=seed)
    expected_rate = plain.as_is.rates[0]
    successes = round(expected_rate * trials)
    record = Record(trials, successes)
    calibrated = funnel.run(with_record(demo, as_is, record), model, draws=2000, seed=seed)
    step = production(calibrated)
    # The record's own rounding (k is whole) moves the rate by up to half a pilot in n.
    rounding = abs(successes / trials - expected_rate)
    assert abs(step.calibrated.mean - expected_rate) <= 0.6 * rounding + 0.02
    assert step.prior_rate == pytest.approx(expected_rate, rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    as_is=readiness,
    observed=st.sampled_from([0.0, 0.05, 0.2, 0.35, 0.6]),
    size=st.sampled_from([20, 40]),  # whole successes at every observed rate
    seed=st.integers(0, 2**32 - 1),
)
def test_a_larger_record_pulls_towards_the_observed_rate_and_narrows_the_range(
    demo, model, as_is, observed, size, seed
):
    def step(trials):
        record = Record(trials, round(observed * trials))
        return production(funnel.run(with_record(demo, as_is, record), model, FEW, seed))

    small, large = step(size), step(size * 8)
    # Where the research already expects the observed rate, both sit on it (within 0.1 point).
    assert abs(large.calibrated.mean - observed) < abs(small.calibrated.mean - observed) + 1e-3
    assert large.calibrated.p90 - large.calibrated.p10 < small.calibrated.p90 - small.calibrated.p10
    assert large.record_weight > small.record_weight


@settings(max_examples=25, deadline=None)
@given(as_is=readiness, trials=st.integers(1, 40), seed=st.integers(0, 2**32 - 1))
def test_results_are_monotone_in_reached_production(demo, model, as_is, trials, seed):
    previous = None
    for reached in range(trials + 1):
        result = funnel.run(with_record(demo, as_is, Record(trials, reached)), model, FEW, seed)
        figures = [
            production(result).calibrated.mean,
            *vars(production(result).calibrated).values(),
        ]
        for outcome in (result.as_is, result.target):
            figures += [outcome.rates[0]]
            for metric in ("production", "impact", "value"):
                figures += list(vars(outcome[metric]).values())
        if previous is not None:
            assert all(b >= a - 1e-9 for a, b in zip(previous, figures, strict=True)), reached
        previous = figures


def test_monotone_on_the_quantile_grid_too(demo, model):
    """At the default draws the Beta quantiles come from the grid; the order must survive it."""
    means, p90s = [], []
    for reached in range(0, 13):
        result = funnel.run(with_record(demo, demo.as_is, Record(12, reached)), model, seed=3)
        means.append(result.as_is["production"].expected)
        p90s.append(result.as_is["production"].p90)
    assert means == sorted(means) and p90s == sorted(p90s)
    assert means[-1] > means[0] * 3


@given(trials=st.integers(1, 5000), as_is=readiness)
@settings(max_examples=30, deadline=None)
def test_none_of_n_lowers_the_rate_but_never_to_zero(demo, model, trials, as_is):
    result = funnel.run(with_record(demo, as_is, Record(trials, 0)), model, FEW, 1)
    step = production(result)
    assert step.observed_rate == 0
    assert 0 < step.calibrated.mean < step.prior.mean
    assert 0 < result.as_is.rates[0] < 1 and 0 < result.target.rates[0] < 1
    assert result.target.rates[0] > result.as_is.rates[0] or as_is == {d: 4 for d in DRIVERS}


@settings(max_examples=30, deadline=None)
@given(
    as_is=readiness,
    trials=st.integers(1, 300),
    data=st.data(),
    seed=st.integers(0, 2**32 - 1),
)
def test_with_a_record_counts_never_grow_down_the_funnel(demo, model, as_is, trials, data, seed):
    reached = data.draw(st.integers(0, trials))
    impact = data.draw(st.none() | st.integers(0, reached))
    result = funnel.run(with_record(demo, as_is, Record(trials, reached, impact)), model, FEW, seed)
    for outcome in (result.as_is, result.target):
        assert all(0 < r < 1 for r in outcome.rates)
        for q in ("p10", "p50", "p90"):
            values = [getattr(outcome[m], q) for m in funnel.STAGE_METRICS]
            assert values == sorted(values, reverse=True)
    assert len(result.calibration) == 2
    impact_step = result.calibration[1]
    if impact is None or reached == 0:
        assert impact_step.trials is None and impact_step.record_weight == 0
    else:
        assert impact_step.observed_rate == impact / reached


def test_the_target_keeps_the_readiness_effects_in_log_odds(demo, model):
    result = funnel.run(demo.replace(record=Record(31, 3, 1)), model)
    shift = funnel.readiness_shift(model, funnel.readiness_vector(demo.target))
    shift -= funnel.readiness_shift(model, funnel.readiness_vector(demo.as_is))
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    moved = np.array(result.target.rates)
    assert logit(moved) - logit(np.array(result.as_is.rates)) == pytest.approx(shift)


def test_the_record_block_in_json(demo, model):
    data = funnel.run(demo.replace(record=Record(31, 3, 1, "2024-01 to 2025-12")), model).to_dict()
    record = data["record"]
    assert record["pocs_started"] == 31 and record["period"] == "2024-01 to 2025-12"
    assert record["prior_strength"] == 10
    first = record["steps"][0]
    assert first["observed_rate"] == pytest.approx(3 / 31)
    assert first["prior_rate"] < first["calibrated"]["mean"] < first["observed_rate"]
    assert data["as_is"]["rates"][0] == pytest.approx(first["calibrated"]["mean"])


@pytest.mark.parametrize(
    ("successes", "trials"), [(3, 31), (0, 300), (30, 100), (900, 1000), (1, 1)]
)
def test_grid_quantiles_are_within_a_thousandth_of_exact(successes, trials):
    rng = np.random.default_rng(5)
    centre = 0.01 + 0.4 * rng.random(20_000)
    u = rng.random(20_000)
    u[:2] = [1e-15, 1 - 1e-15]  # far tails are computed exactly
    fast = calibration.beta_quantiles(centre, u, 10, successes, trials, centre.min(), centre.max())
    exact = betaincinv(10 * centre + successes, 10 * (1 - centre) + trials - successes, u)
    assert np.abs(fast - np.clip(exact, 1e-12, 1 - 1e-12)).max() < 1e-3


def test_observed_range_is_the_jeffreys_posterior():
    observed = calibration.jeffreys(3, 31)
    assert observed.mean == pytest.approx(3 / 31)
    assert observed.p10 == pytest.approx(betaincinv(3.5, 28.5, 0.1))
    assert observed.p10 < observed.mean < observed.p90


@st.composite
def records(draw):
    trials = draw(st.integers(1, 5000))
    reached = draw(st.integers(0, trials))
    return Record(trials, reached, draw(st.none() | st.integers(0, reached)))


@settings(max_examples=25, deadline=None)
@given(
    batch=st.lists(st.tuples(records(), readiness), min_size=1, max_size=4),
    repeat=st.booleans(),
    draws=st.sampled_from([FEW, 5000, funnel.DEFAULT_DRAWS]),  # exact path, grid, the batch's
    seed=st.integers(0, 2**32 - 1),
)
def test_calibrate_many_is_calibrate_bit_for_bit(model, batch, repeat, draws, seed):
    """``model --batch`` calibrates all its scenarios at once: every point rate and every
    step's summary is exactly what one scenario alone gives, also when scenarios repeat a
    record or a readiness (what the batch computes once for them)."""
    if repeat:  # the first record again, and the first readiness with the last record
        batch = [*batch, batch[0], (batch[-1][0], batch[0][1])]
    base, _ = funnel.draw_uncertainty(model, draws, seed)
    shifts = np.array(
        [funnel.readiness_shift(model, funnel.readiness_vector(levels)) for _, levels in batch]
    )
    points, steps = calibration.calibrate_many(model, [r for r, _ in batch], shifts, base, seed)
    assert len(steps) == len(batch)
    for row, (record, _) in enumerate(batch):
        _, point, alone = calibration.calibrate(model, record, shifts[row], base, seed)
        assert points[row].tobytes() == point.tobytes()
        assert steps[row] == alone


@settings(max_examples=25, deadline=None)
@given(
    record=records(),
    levels=readiness,
    draws=st.sampled_from([FEW, 5000]),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_batchs_draws_are_one_scenarios_in_the_order_of_its_picks(
    model, record, levels, draws, seed
):
    """A batch shows only a step's mean and percentiles, so it may draw in another order; the
    draws themselves, the rare ones beyond the quantile grid included, are the same numbers."""
    base, _ = funnel.draw_uncertainty(model, draws, seed)
    shift = funnel.readiness_shift(model, funnel.readiness_vector(levels))
    shared = calibration._Shared.of(base, seed)
    rng = np.random.default_rng([seed, calibration._RECORD_STREAM])
    pick, spread = rng.random(base.shape), rng.random(base.shape)
    strength = model.prior_strength
    for step, evidence in enumerate(record.evidence()):
        if evidence is None:
            continue
        k = model.base_successes[step]
        nodes = calibration.industry_nodes(
            (k + 0.5, model.base_trials[step] - k + 0.5), shift[step]
        )
        alone = calibration.posterior_rates(
            nodes, evidence, strength, pick[:, step], spread[:, step]
        )
        weights = calibration.record_weights(nodes, evidence, strength)
        batch = calibration._posterior_draws(shared, step, nodes, weights, strength, *evidence)
        order = np.argsort(pick[:, step], kind="stable")
        assert batch.tobytes() == alone[order].tobytes()


def test_calibrated_baselines_match_one_scenario_at_a_time(demo, model):
    scenarios = [
        demo,
        demo.replace(record=None),
        demo.replace(record=Record(12, 0)),  # the record silent on impact
        demo.replace(record=Record(40, 9, 4), as_is={d: 1 for d in DRIVERS}),
        demo,
    ]
    points, steps = funnel.calibrated_baselines(model, scenarios, draws=6000, seed=11)
    assert points.shape == (5, 2) and steps[1] == ()
    for row, scenario in enumerate(scenarios):
        point, alone = funnel.calibrated_baseline(model, scenario, draws=6000, seed=11)
        assert points[row].tobytes() == np.asarray(point).tobytes() and steps[row] == alone
    no_records, none = funnel.calibrated_baselines(model, [demo.replace(record=None)] * 2)
    assert none == [(), ()] and (no_records == model.base_rate).all()
    empty, nothing = funnel.calibrated_baselines(model, [])
    assert empty.shape == (0, 2) and nothing == []
