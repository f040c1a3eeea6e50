"""The economics: the properties docs/model.md promises, over generated scenarios."""

from __future__ import annotations

import math

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotfunnel.core.errors import AssumptionError, ScenarioError
from pilotfunnel.inputs.assumptions import DRIVERS, load_assumptions
from pilotfunnel.inputs.scenario import scenario_from_dict
from pilotfunnel.model import economics, funnel

from ..conftest import ROOT, assert_one_line_error

FEW = 300  # draws per example: enough for the properties, which hold draw by draw
levels = st.integers(0, 4)
rates = st.floats(0, 0.5, allow_nan=False)
months = st.floats(0, 48, allow_nan=False)
amounts = st.floats(1, 5e6, allow_nan=False)


@st.composite
def scenarios(draw, demo):
    as_is = {d: draw(levels) for d in DRIVERS}
    target = {d: draw(st.integers(as_is[d], 4)) for d in DRIVERS}
    return demo.replace(
        as_is=as_is,
        target=target,
        pocs_per_year=draw(st.integers(1, 60)),
        horizon_years=draw(st.integers(1, 6)),
        cost_per_poc=draw(amounts),
        cost_to_production=draw(st.floats(0, 5e6)),
        annual_value_per_use_case=draw(st.floats(0, 1e7)),
        discount_rate=draw(rates),
        time_to_production_months=draw(months),
        record=None,
    )


@settings(max_examples=40, deadline=None)
@given(data=st.data(), factor=st.floats(1.0, 10.0))
def test_a_higher_cost_of_change_never_raises_the_net_gain(demo, model, data, factor):
    scenario = data.draw(scenarios(demo))
    base = funnel.run(scenario, model, draws=FEW, seed=3)
    priced = {d: economics.driver_change_cost(scenario, model.economics, d) for d in DRIVERS}
    dearer = scenario.replace(change_costs={d: v * factor + 1 for d, v in priced.items()})
    higher = funnel.run(dearer, model, draws=FEW, seed=3)
    assert higher.gain.change_cost >= base.gain.change_cost
    for q in ("expected", "p10", "p50", "p90"):
        assert getattr(higher.gain.net, q) <= getattr(base.gain.net, q) + 1e-6
    # By driver: the sensitivity list is ranked, and a dearer change may reorder it.
    dearer_by_driver = {e.driver: e for e in funnel.sensitivity(model, dearer)}
    assert set(dearer_by_driver) == {e.driver for e in base.sensitivity}
    for a in base.sensitivity:
        assert dearer_by_driver[a.driver].change_cost >= a.change_cost


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_no_discounting_and_no_delay_reproduce_the_undiscounted_value(demo, model, data):
    """At r = 0 and T = 0 a use case delivers half the horizon's years: the model before."""
    scenario = data.draw(scenarios(demo)).replace(discount_rate=0.0, time_to_production_months=0)
    result = funnel.run(scenario, model, draws=FEW, seed=5)
    pocs = scenario.pocs_per_year * scenario.horizon_years
    for outcome in (result.as_is, result.target):
        impact, production = outcome["impact"], outcome["production"]
        for q in ("expected", "p10", "p50", "p90"):
            years = scenario.annual_value_per_use_case * scenario.horizon_years * 0.5
            assert getattr(outcome["value"], q) == pytest.approx(getattr(impact, q) * years)
        spend = pocs * scenario.cost_per_poc + production.expected * scenario.cost_to_production
        assert outcome["spend"].expected == pytest.approx(spend)


@settings(max_examples=60, deadline=None)
@given(
    horizon=st.integers(1, 10),
    rate=rates,
    delay=months,
    production=st.floats(0, 50),
    impact=st.floats(0.01, 50),
    change=st.floats(0, 1e7),
    value=st.floats(1e3, 1e7),
    more=st.floats(1.01, 5),
)
def test_payback_falls_as_value_rises(
    horizon, rate, delay, production, impact, change, value, more
):
    def payback(yearly):
        terms = economics.Terms(1e5, 4e5, yearly, horizon, delay / 12, rate)
        return economics.payback_years(terms, production, impact, change)

    low, high = payback(value), payback(value * more)
    if low is not None:
        assert high is not None and high <= low + 1e-9
    for years in (low, high):
        assert years is None or 0 <= years <= horizon


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_the_cumulative_gain_at_the_horizon_is_the_net_gain(demo, model, data):
    scenario = data.draw(scenarios(demo))
    result = funnel.run(scenario, model, draws=FEW, seed=9)
    gain = result.gain
    at_end = economics.cumulative_gain(
        result.terms,
        gain.production.expected,
        gain.impact.expected,
        gain.change_cost,
        np.array(float(scenario.horizon_years)),
    )
    assert float(at_end) == pytest.approx(
        gain.net.expected, abs=1e-6 * (1 + abs(gain.net.expected))
    )
    assert gain.net.expected == pytest.approx(
        gain.value.expected - gain.spend.expected - gain.change_cost, rel=1e-9, abs=1e-6
    )
    if result.payback_years is None:
        assert gain.net.expected < 0
    else:
        assert gain.net.expected >= -1e-6


def test_the_demo_pays_back_within_its_horizon_and_discounting_costs_value(demo, model):
    result = funnel.run(demo, model, draws=2000)
    plain = funnel.run(demo.replace(discount_rate=0.0, time_to_production_months=0), model, 2000)
    assert 0 < result.payback_years < demo.horizon_years
    assert result.target["value"].expected < plain.target["value"].expected
    assert result.gain.change_cost == pytest.approx(
        sum(economics.driver_change_cost(demo, model.economics, d) for d in DRIVERS)
    )
    # integration 1 -> 3 costs 3 + 4 proofs of concept (data/assumptions.yaml)
    assert economics.driver_change_cost(demo, model.economics, "integration") == 7 * 120_000


def test_a_client_price_replaces_the_assumed_one(demo, model):
    priced = demo.replace(change_costs={"integration": 50_000.0})
    assert economics.driver_change_cost(priced, model.economics, "integration") == 50_000
    assert (
        funnel.run(priced, model, FEW).gain.change_cost
        < funnel.run(demo, model, FEW).gain.change_cost
    )


def test_factors_are_smooth_at_zero():
    """The series near zero meet the closed forms: no jump where one takes over."""
    for x in (0.0, 1e-6, 9.9e-5, 1.01e-4, 1e-3):
        assert economics._a(np.array(x)) == pytest.approx(-math.expm1(-x) / x if x else 1.0)
        closed = (1 - math.exp(-x) * (1 + x)) / x**2 if x > 1e-3 else 0.5 - x / 3
        assert economics._g(np.array(x)) == pytest.approx(closed, rel=1e-6)


# --- hostile economics -------------------------------------------------------------------


def _assumptions_with(tmp_path, change):
    data = yaml.safe_load((ROOT / "data" / "assumptions.yaml").read_text())
    change(data["economics"])
    path = tmp_path / "assumptions.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


bad_values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda v: not 0 <= v <= 1),
    st.text(max_size=5),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=30, deadline=None)
@given(value=bad_values, key=st.sampled_from(["discount_rate", "time_to_production_months"]))
def test_a_bad_economic_assumption_is_a_located_error(tmp_path_factory, project, value, key):
    if key == "time_to_production_months" and isinstance(value, float) and 0 <= value <= 60:
        return
    path = _assumptions_with(tmp_path_factory.mktemp("a"), lambda e: e[key].update(value=value))
    with pytest.raises(AssumptionError) as caught:
        load_assumptions(path, project.sources)
    assert f"economics.{key}.value" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda e: e["change_cost"]["per_level"].update(data=[1, 2, 3]), "per_level.data"),
        (lambda e: e["change_cost"]["per_level"].update(volume=[1, 2, -3, 4]), "per_level.volume"),
        (lambda e: e["change_cost"]["per_level"].update(speed=[1, 1, 1, 1]), "per_level.speed"),
        (lambda e: e["change_cost"].pop("rationale"), "change_cost.rationale"),
        (lambda e: e.pop("discount_rate"), "economics.discount_rate"),
        (lambda e: e.update(value_share_of_horizon={"value": 0.5}), "value_share_of_horizon"),
    ],
)
def test_a_bad_change_cost_is_a_located_error(tmp_path, project, change, where):
    path = _assumptions_with(tmp_path, change)
    with pytest.raises(AssumptionError) as caught:
        load_assumptions(path, project.sources)
    assert where in str(caught.value)


@pytest.mark.parametrize(
    ("patch", "starts"),
    [
        ({"economics": {"discount_rate": 2}}, "economics.discount_rate"),
        ({"economics": {"discount_rate": "8%"}}, "economics.discount_rate"),
        ({"economics": {"time_to_production_months": -1}}, "economics.time_to_production_months"),
        ({"economics": {"payback": 1}}, "economics.payback"),
        ({"economics": [1]}, "economics"),
        (
            {"costs": {"per_poc": 1, "to_production": 1, "change": {"integration": -5}}},
            "costs.change.integration",
        ),
        (
            {"costs": {"per_poc": 1, "to_production": 1, "change": {"speed": 5}}},
            "costs.change.speed",
        ),
        ({"costs": {"per_poc": 1, "to_production": 1, "change": 5}}, "costs.change"),
    ],
)
def test_a_scenario_bad_economics_is_a_one_line_error(demo, patch, starts):
    data = {**demo.to_dict(), **patch}
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(data, "acme.yaml")
    assert_one_line_error(caught.value, "acme.yaml", starts)


def test_a_scenario_economics_round_trips(demo):
    data = {
        **demo.to_dict(),
        "economics": {"discount_rate": 0.1, "time_to_production_months": 6},
        "costs": {"per_poc": 1, "to_production": 2, "change": {"data": 300_000}},
    }
    scenario = scenario_from_dict(data, "acme.yaml")
    assert (scenario.discount_rate, scenario.time_to_production_months) == (0.1, 6.0)
    assert scenario.change_costs == {"data": 300_000.0}
    assert scenario_from_dict(scenario.to_dict(), "again.yaml") == scenario
