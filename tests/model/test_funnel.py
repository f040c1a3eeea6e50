import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from pilotfunnel.inputs.assumptions import DRIVERS
from pilotfunnel.model import funnel

levels = st.integers(min_value=0, max_value=4)
readiness = st.fixed_dictionaries({d: levels for d in DRIVERS})
scenario_numbers = st.fixed_dictionaries(
    {
        "pocs_per_year": st.integers(1, 400),
        "horizon_years": st.integers(1, 10),
        "cost_per_poc": st.floats(1, 5e6),
        "cost_to_production": st.floats(0, 2e7),
        "annual_value_per_use_case": st.floats(0, 5e7),
    }
)
FEW = 400  # draws per example: enough to exercise the quantiles, fast enough for hypothesis


def make(demo, numbers, as_is, target=None):
    return demo.replace(**numbers, as_is=as_is, target=target or as_is)


def test_calibration_all_typical_reproduces_4_of_33(model):
    rates = funnel.stage_rates(model, np.full(len(DRIVERS), 2.0))
    assert rates[0] == pytest.approx(4 / 33, rel=1e-12)
    counts = funnel.expected_counts(model, 33, np.full(len(DRIVERS), 2.0))
    assert counts[1] == pytest.approx(4.0, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(numbers=scenario_numbers, as_is=readiness, seed=st.integers(0, 2**32 - 1))
def test_counts_never_grow_down_the_funnel_and_rates_stay_in_unit_interval(
    demo, model, numbers, as_is, seed
):
    scenario = make(demo, numbers, as_is)
    pocs = scenario.pocs_per_year * scenario.horizon_years
    r = funnel.readiness_vector(as_is)
    counts = funnel.simulate_counts(model, pocs, r, FEW, seed)
    assert (np.diff(counts, axis=1) <= 0).all()
    assert (counts >= 0).all() and (counts == np.round(counts)).all()
    rates = funnel.stage_rates(model, r)
    assert ((rates >= 0) & (rates <= 1)).all()
    result = funnel.run(scenario, model, draws=FEW, seed=seed)
    for outcome in (result.as_is, result.target):
        assert all(0 <= rate <= 1 for rate in outcome.rates)
        assert outcome["production"].expected <= outcome["pocs"].expected
        assert outcome["impact"].expected <= outcome["production"].expected


@settings(max_examples=60, deadline=None)
@given(
    numbers=scenario_numbers,
    as_is=readiness,
    driver=st.sampled_from(DRIVERS),
    seed=st.integers(0, 2**32 - 1),
)
def test_raising_a_driver_never_lowers_any_stage_or_the_value(
    demo, model, numbers, as_is, driver, seed
):
    if as_is[driver] == 4:
        as_is = {**as_is, driver: 3}
    raised = {**as_is, driver: as_is[driver] + 1}
    low = funnel.run(make(demo, numbers, as_is), model, draws=FEW, seed=seed).as_is
    high = funnel.run(make(demo, numbers, raised), model, draws=FEW, seed=seed).as_is
    for metric in ("production", "impact", "value"):
        for stat in ("expected", "p10", "p50", "p90"):
            assert getattr(high[metric], stat) >= getattr(low[metric], stat) - 1e-9, (
                metric,
                stat,
            )


@settings(max_examples=30, deadline=None)
@given(numbers=scenario_numbers, as_is=readiness, seed=st.integers(0, 2**32 - 1))
def test_same_seed_same_result_and_quantiles_ordered(demo, model, numbers, as_is, seed):
    scenario = make(demo, numbers, as_is, {d: 4 for d in DRIVERS})
    first = funnel.run(scenario, model, draws=FEW, seed=seed)
    assert funnel.run(scenario, model, draws=FEW, seed=seed) == first
    for outcome in (first.as_is, first.target):
        for figure in outcome.figures.values():
            assert figure.p10 <= figure.p50 <= figure.p90


def test_different_seeds_give_different_draws(demo, model):
    a = funnel.run(demo, model, draws=2000, seed=1).as_is["production"]
    b = funnel.run(demo, model, draws=2000, seed=2).as_is["production"]
    assert a.expected == b.expected  # the central estimate is not simulated
    r = funnel.readiness_vector(demo.as_is)
    first = funnel.simulate_counts(model, 72, r, 500, seed=1)
    assert not np.array_equal(first, funnel.simulate_counts(model, 72, r, 500, seed=2))
    assert np.array_equal(first, funnel.simulate_counts(model, 72, r, 500, seed=1))


def test_binomial_quantile_matches_scipy():
    rng = np.random.default_rng(7)
    u = rng.random(20_000)
    n = rng.integers(0, 3000, 20_000).astype(float)
    p = rng.random(20_000)
    expected = stats.binom.ppf(u, n, p)
    assert (funnel.binomial_quantile(u, n, p) == expected).mean() > 0.9999


def test_simulated_production_matches_its_distribution(model):
    counts = funnel.simulate_counts(model, 72, np.full(len(DRIVERS), 2.0), 50_000, 3)
    # Beta-binomial mean with the Jeffreys posterior of 4 of 33
    assert counts[:, 1].mean() == pytest.approx(72 * 4.5 / 34, rel=0.03)


def test_economics_of_the_demo(demo, model):
    """With no delay and no discounting, the money is today's plain arithmetic."""
    result = funnel.run(
        demo.replace(discount_rate=0.0, time_to_production_months=0.0), model, draws=2000
    )
    a = result.as_is
    pocs = demo.pocs_per_year * demo.horizon_years
    assert a["stalled_spend"].expected == pytest.approx(
        (pocs - a["production"].expected) * demo.cost_per_poc
    )
    assert a["value"].expected == pytest.approx(
        a["impact"].expected * demo.annual_value_per_use_case * demo.horizon_years * 0.5
    )
    assert result.target["value"].expected > a["value"].expected


def test_sensitivity_ranks_drivers_and_ignores_those_at_target(demo, model):
    scenario = demo.replace(target={**demo.as_is, "integration": 4})
    ranking = funnel.sensitivity(model, scenario)
    assert ranking[0].driver == "integration" and ranking[0].production_gain > 0
    assert all(e.production_gain == 0 for e in ranking[1:])
    ranked = funnel.sensitivity(model, demo)
    raised = [e for e in ranked if e.to_level > e.from_level]
    assert ranked[: len(raised)] == tuple(raised)  # what the target raises comes first
    gains = [e.net_value_gain for e in raised]
    assert gains == sorted(gains, reverse=True)  # ranked by net value, net of its cost
