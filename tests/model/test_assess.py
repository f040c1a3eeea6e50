"""One job, assessed (model/assess.py): the same funnel model and economics as the company
view, and the properties the issue names, tested over generated answers and thresholds."""

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotfunnel.core.errors import AssumptionError
from pilotfunnel.inputs.assumptions import DRIVERS, AssessmentAssumptions, Labelled
from pilotfunnel.inputs.job import Answer, load_job
from pilotfunnel.inputs.rubric import ANSWERS, TOWARDS_YES, load_rubric
from pilotfunnel.inputs.scenario import load_scenario
from pilotfunnel.model import assess as assess_module
from pilotfunnel.model.assess import (
    DO_NOT_START,
    DOES_NOT_PAY,
    FIX_FIRST,
    FIXABLE,
    GO,
    NO_NUMBER,
    NUMBER_GATE,
    OWNER_GATE,
    READY,
    STAYS_LOW,
    assess,
    assess_job,
    thresholds_of,
)
from pilotfunnel.model.economics import (
    Terms,
    started_now,
    started_now_cumulative,
    started_now_payback_years,
)
from pilotfunnel.model.funnel import model_of, readiness_vector, stage_rates

from ..conftest import ROOT

RUBRIC = load_rubric(ROOT / "data" / "rubric.yaml")
QUESTIONS = [q.id for q in RUBRIC.questions]
DEMO = ROOT / "data" / "jobs" / "demo-claims-triage.yaml"
DRAWS = 2000  # the properties hold at any number of draws; fewer keep them quick
PROPERTY = settings(max_examples=60, deadline=None)


@pytest.fixture(scope="module")
def model(project):
    return model_of(project)


@pytest.fixture(scope="module")
def thresholds(project):
    return thresholds_of(project.assumptions)


@pytest.fixture(scope="module")
def demo():
    return load_job(DEMO, RUBRIC, ROOT / "data" / "clients")


@pytest.fixture(scope="module")
def typical(demo):
    """The demo job without its client's record, at the demo scenario's industry-typical
    costs and value: a proof of concept 120k, going live 450k, 1.5M a year at target."""
    number = dataclasses.replace(demo.number, yearly_value=1_500_000.0)
    return dataclasses.replace(
        demo,
        scenario=None,
        scenario_path=None,
        cost_poc=120_000.0,
        cost_to_production=450_000.0,
        number=number,
    )


def with_answers(job, answers: dict[str, str]):
    return dataclasses.replace(
        job, answers={q: Answer(answers.get(q, "unknown"), "seen") for q in QUESTIONS}
    )


answer_sets = st.fixed_dictionaries({q: st.sampled_from(ANSWERS) for q in QUESTIONS})


# --- the demo -------------------------------------------------------------------------------
def test_the_demo_job_is_fix_first_naming_its_blocking_answers(project, demo):
    result = assess_job(demo, project)
    assert result.verdict == FIX_FIRST and result.reason == FIXABLE and result.gates == ()
    assert result.blocking and all(demo.answers[q].answer != "yes" for q in result.blocking)
    assert result.fixed_chance >= result.thresholds.go_chance.value > result.chance_impact.expected
    # The client's record calibrates the rates, as in the company view.
    assert [s.stage for s in result.calibration] == ["production", "impact"]
    assert result.what_it_takes and result.what_it_takes[0].gain > 0
    assert result.fixed_money.change_cost == sum(c.change_cost for c in result.fixes) > 0
    fixed = result.fixed_chance_impact
    assert fixed.expected == result.fixed_chance and fixed.p10 < fixed.expected < fixed.p90
    assert result.fixed_money.net_value.p10 < result.fixed_money.net_value.p90


def test_the_chance_is_the_funnel_models_rate_for_the_rubric_scores(model, thresholds, typical):
    result = assess(typical, model, thresholds, draws=DRAWS)
    rates = stage_rates(model, readiness_vector(typical.scores()))
    assert result.chance_production.expected == pytest.approx(rates[0])
    assert result.chance_impact.expected == pytest.approx(rates[0] * rates[1])
    for chance in (result.chance_production, result.chance_impact):
        assert 0 < chance.p10 <= chance.p50 <= chance.p90 < 1
    assert result.calibration == ()  # no scenario, no record


def test_the_same_job_and_seed_give_the_same_assessment(model, thresholds, demo):
    first = assess(demo, model, thresholds, draws=DRAWS, seed=7).to_dict()
    assess_module._BASELINES.clear()  # computed again, not read back
    again = assess(demo, model, thresholds, draws=DRAWS, seed=7).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)


def test_money_adds_up(model, thresholds, demo):
    result = assess(demo, model, thresholds, draws=DRAWS)
    for money in (result.money, result.fixed_money):
        net = money.value - money.spend - money.change_cost
        assert money.net_value.expected == pytest.approx(net)
        assert money.roi == pytest.approx(net / (money.spend + money.change_cost))
        assert money.own_roi == pytest.approx((money.value - money.spend) / money.spend)
    assert result.money.change_cost == 0.0


def test_each_single_change_is_the_chance_of_the_job_with_that_answer_yes(model, thresholds, demo):
    result = assess(demo, model, thresholds, draws=DRAWS)
    chances = [c.chance for c in result.what_it_takes]
    assert chances == sorted(chances, reverse=True)
    for change in result.what_it_takes[:4]:
        answers = {**demo.answer_values(), change.question: "yes"}
        again = assess(with_answers(demo, answers), model, thresholds, draws=DRAWS)
        assert again.chance_impact.expected == pytest.approx(change.chance)
        assert change.gain == pytest.approx(change.chance - result.chance_impact.expected)


def test_a_file_without_thresholds_is_refused_in_one_line(project):
    bare = dataclasses.replace(project.assumptions, assessment=None)
    with pytest.raises(AssumptionError) as caught:
        thresholds_of(bare)
    assert len(str(caught.value).splitlines()) == 1 and "assessment" in str(caught.value)


# --- the properties ---------------------------------------------------------------------------
@PROPERTY
@given(answers=answer_sets, question=st.sampled_from(QUESTIONS), data=st.data())
def test_changing_an_answer_towards_yes_never_lowers_the_chance(
    model, thresholds, typical, answers, question, data
):
    better = data.draw(
        st.sampled_from([a for a in ANSWERS if TOWARDS_YES[a] >= TOWARDS_YES[answers[question]]])
    )
    before = assess(with_answers(typical, answers), model, thresholds, draws=DRAWS)
    after = assess(
        with_answers(typical, {**answers, question: better}), model, thresholds, draws=DRAWS
    )
    for name in ("chance_production", "chance_impact"):
        low, high = getattr(before, name), getattr(after, name)
        for quantile in ("expected", "p10", "p50", "p90"):
            assert getattr(high, quantile) >= getattr(low, quantile) - 1e-12


def thresholds_strategy():
    def labelled(value):
        return Labelled(float(value), "generated")

    return st.builds(
        lambda chance, floor, fixes: AssessmentAssumptions(
            labelled(chance), labelled(floor), labelled(fixes), labelled(3)
        ),
        st.floats(0.0, 0.6),
        st.floats(0.0, 3.0),
        st.integers(0, 6),
    )


@PROPERTY
@given(
    answers=answer_sets,
    limits=thresholds_strategy(),
    owner=st.booleans(),
    number=st.booleans(),
)
def test_the_verdict_follows_its_thresholds(model, typical, answers, limits, owner, number):
    job = with_answers(typical, answers)
    job = dataclasses.replace(
        job, owner="Dana" if owner else None, number=job.number if number else None
    )
    result = assess(job, model, limits, draws=DRAWS)
    go_chance, floor = limits.go_chance.value, limits.go_min_return.value

    def clears(chance, money):
        return chance >= go_chance and money.own_roi >= floor

    assert (NUMBER_GATE in result.gates) == (not number)
    assert (OWNER_GATE in result.gates) == (not owner)
    if not number:
        assert (result.verdict, result.reason, result.fixes) == (DO_NOT_START, NO_NUMBER, ())
    elif result.verdict == GO:
        assert owner and result.reason == READY and result.fixes == ()
        assert clears(result.chance_impact.expected, result.money)
    elif result.verdict == FIX_FIRST:
        assert len(result.fixes) <= limits.max_fixes.value
        if result.fixes:
            assert clears(result.fixed_chance, result.fixed_money)
            assert not clears(result.chance_impact.expected, result.money)
            assert all(job.answers[q].answer != "yes" for q in result.blocking)
            chances = [c.chance for c in result.fixes]
            assert chances == sorted(chances)  # each fix adds to those before it
        else:  # the job clears go but nobody owns it
            assert not owner and clears(result.chance_impact.expected, result.money)
    else:
        assert result.verdict == DO_NOT_START and result.reason in (STAYS_LOW, DOES_NOT_PAY)
        assert not clears(result.chance_impact.expected, result.money)
        assert result.fixes == () and result.fixed_money is None
    if not (owner and number):
        assert result.verdict != GO


CLIENTS = sorted((ROOT / "data" / "clients").glob("*.yaml"))


@pytest.mark.parametrize("client", CLIENTS, ids=[p.stem for p in CLIENTS])
@pytest.mark.parametrize("with_record", [False, True])
def test_every_answer_yes_with_a_number_attached_is_go_at_industry_typical_costs(
    model, thresholds, typical, client, with_record
):
    # Each shipped client's costs and value a use case: small, mid-size and large firms.
    scenario = load_scenario(client)
    job = dataclasses.replace(
        with_answers(typical, dict.fromkeys(QUESTIONS, "yes")),
        number=dataclasses.replace(typical.number, yearly_value=scenario.annual_value_per_use_case),
        cost_poc=scenario.cost_per_poc,
        cost_to_production=scenario.cost_to_production,
        scenario=scenario if with_record else None,
        currency=scenario.currency,
    )
    result = assess(job, model, thresholds, draws=DRAWS)
    assert result.scores == dict.fromkeys(DRIVERS, 4)
    assert (result.verdict, result.reason) == (GO, READY)
    assert result.what_it_takes == () and result.money.payback_years is not None


def test_every_answer_yes_but_no_owner_or_no_number_is_never_go(model, thresholds, typical):
    job = with_answers(typical, dict.fromkeys(QUESTIONS, "yes"))
    nobody = assess(dataclasses.replace(job, owner=None), model, thresholds, draws=DRAWS)
    assert (nobody.verdict, nobody.gates, nobody.fixes) == (FIX_FIRST, (OWNER_GATE,), ())
    numberless = assess(dataclasses.replace(job, number=None), model, thresholds, draws=DRAWS)
    assert (numberless.verdict, numberless.reason) == (DO_NOT_START, NO_NUMBER)


def test_a_job_that_stays_low_even_when_fixed_is_do_not_start(model, thresholds, typical):
    job = with_answers(typical, {})  # every answer unknown: five fixes cannot reach 30%
    result = assess(job, model, thresholds, draws=DRAWS)
    assert (result.verdict, result.reason) == (DO_NOT_START, STAYS_LOW)
    assert result.what_it_takes  # what would help most is still said


# --- one use case started now: the same terms as a programme --------------------------------
def test_started_now_without_delay_or_discounting_is_the_whole_horizon():
    terms = Terms(100.0, 50.0, 10.0, 3.0)
    assert started_now(terms) == (1.0, pytest.approx(3.0))
    # 100 up front, 50 x 0.5 at once, then 10 x 0.4 a year: paid back after 125 / 4 years.
    assert started_now_payback_years(terms, 0.5, 0.4, 100.0) is None  # 12 earned in 3 years
    long = Terms(100.0, 50.0, 10.0, 40.0)
    assert started_now_payback_years(long, 0.5, 0.4, 100.0) == pytest.approx(125 / 4, abs=0.05)


def test_started_now_waits_for_go_live_and_discounts():
    terms = Terms(100.0, 50.0, 10.0, 3.0, time_to_production_years=1.0, discount_rate=0.1)
    production, value_years = started_now(terms)
    rho = np.log(1.1)
    assert production == pytest.approx(np.exp(-rho))
    assert value_years == pytest.approx(np.exp(-rho) * (1 - np.exp(-2 * rho)) / rho)
    cumulative = started_now_cumulative(terms, 1.0, 1.0, 100.0, np.array([0.5, 3.0]))
    assert cumulative[0] == -100.0  # nothing earned or paid before go-live
    assert cumulative[1] == pytest.approx(10 * value_years - 100 - 50 * production)
    late = Terms(100.0, 50.0, 10.0, 3.0, time_to_production_years=4.0)
    assert started_now(late) == (0.0, 0.0)  # live after the horizon: nothing paid or earned
