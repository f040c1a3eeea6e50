"""One job, assessed: its chance of production and of measurable impact, its money, what it
takes, and a verdict (go, fix first, do not start).

The same funnel model, assumptions and economics as the company view: the rubric's answers
give the five readiness scores; ``funnel.stage_rates`` turns them into each step's rate, from
the cited baselines (calibrated by the client's record when the job links a scenario that has
one, as ``funnel.run`` does); the baselines' uncertainty (their Beta draws, with the same seed)
gives the P10 to P90. A job is one proof of concept started now, so its money uses
``economics.started_now``: the same time to production, discounting and cost of change as a
programme, without averaging over start dates.

"The chance" is the chance of measurable impact: the job reaches production and its number
moves. "What it takes" changes each answer that is not yes to yes, alone, and ranks those that
raise the chance. The verdict's thresholds are labelled assumptions (data/assumptions.yaml,
``assessment``); a job with no number attached, or no owner, is never go.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilotfunnel.core.errors import AssumptionError, Problem
from pilotfunnel.inputs.assumptions import DRIVERS, LEVELS, AssessmentAssumptions, Assumptions
from pilotfunnel.inputs.job import Job
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.rubric import Question
from pilotfunnel.inputs.scenario import Scenario
from pilotfunnel.model import calibration
from pilotfunnel.model.calibration import StepCalibration
from pilotfunnel.model.economics import (
    MONTHS_PER_YEAR,
    Terms,
    started_now,
    started_now_payback_years,
)
from pilotfunnel.model.funnel import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    QUANTILES,
    FunnelModel,
    draw_uncertainty,
    model_of,
    readiness_shift,
    readiness_vector,
    stage_rates,
)
from pilotfunnel.model.result import Range

GO, FIX_FIRST, DO_NOT_START = "go", "fix_first", "do_not_start"
VERDICTS = (GO, FIX_FIRST, DO_NOT_START)
# Why the verdict is what it is.
READY = "ready"  # go: the chance and the return clear their thresholds, owner and number there
FIXABLE = "fixable"  # fix first: the fixes named (and an owner, if none) make it go
NO_NUMBER = "no_number"  # do not start: no number attached
STAYS_LOW = "stays_low"  # do not start: the chance stays below go even with max_fixes fixed
DOES_NOT_PAY = "does_not_pay"  # do not start: the chance can clear go, the return cannot
# Gates outside the rubric: fields of the job file without which it is never go.
NUMBER_GATE, OWNER_GATE = "number", "owner"


@dataclass(frozen=True)
class Change:
    """One answer changed to yes: the driver's score and the chance it gives.

    In ``what_it_takes`` each change is alone, from the job as it is; in ``fixes`` each adds
    to those before it, so its chance is that of all of them made.
    """

    question: str
    driver: str
    answer: str  # the answer now
    from_score: int
    to_score: int
    chance: float  # of measurable impact, with the change made
    chance_production: float
    gain: float  # chance - the chance before the change
    change_cost: float  # what raising the driver's score costs (assumed multiples of a POC)

    def to_dict(self) -> dict:
        return dict(vars(self))


@dataclass(frozen=True)
class JobMoney:
    """One job's expected money over the horizon, in present value."""

    value: float  # expected value delivered: chance of impact x yearly value x value-years
    spend: float  # the proof of concept, and going live with the chance it does
    change_cost: float  # the fixes', where made first
    net_value: Range  # value - spend - change cost, P10-P90 from the baselines' uncertainty
    roi: float  # net value / (spend + change cost)
    payback_years: float | None  # None: not paid back by the horizon's end
    own_roi: float = 0.0  # (value - spend) / spend: the return on the job's own cost

    # The verdict reads ``own_roi``: a fix puts a practice in place that serves the firm's
    # other jobs too (the company view pays for it once, for all of them), so its cost is
    # shown beside the job's money, not charged to the one job.

    def to_dict(self) -> dict:
        return {**vars(self), "net_value": self.net_value.to_dict()}


@dataclass(frozen=True)
class Assessment:
    """One job's assessment: chances, money, what it takes and the verdict."""

    job: Job
    scores: dict[str, int]
    chance_production: Range  # expected (point) and P10/P50/P90
    chance_impact: Range
    money: JobMoney  # as it is
    what_it_takes: tuple[Change, ...]  # single changes to yes, the largest gain first
    verdict: str  # GO, FIX_FIRST or DO_NOT_START
    reason: str  # READY, FIXABLE, NO_NUMBER, STAYS_LOW or DOES_NOT_PAY
    gates: tuple[str, ...]  # NUMBER_GATE, OWNER_GATE: what outside the rubric blocks go
    fixes: tuple[Change, ...]  # fix first: the blocking answers, in order, cumulative
    fixed_money: JobMoney | None  # the money once the fixes are made (their cost included)
    fixed_chance_impact: Range | None  # the chance once the fixes are made, with P10-P90
    thresholds: AssessmentAssumptions
    terms: Terms
    calibration: tuple[StepCalibration, ...]
    draws: int
    seed: int

    @property
    def fixed_chance(self) -> float:
        """The chance once every fix is made (the chance as it is when there are none)."""
        return self.fixes[-1].chance if self.fixes else self.chance_impact.expected

    @property
    def blocking(self) -> tuple[str, ...]:
        """The question ids to change to yes before the job may go."""
        return tuple(change.question for change in self.fixes)

    def to_dict(self) -> dict:
        return {
            "job": self.job.job,
            "client": self.job.client,
            "scores": dict(self.scores),
            "chance_production": self.chance_production.to_dict(),
            "chance_impact": self.chance_impact.to_dict(),
            "money": self.money.to_dict(),
            "what_it_takes": [c.to_dict() for c in self.what_it_takes],
            "verdict": self.verdict,
            "reason": self.reason,
            "gates": list(self.gates),
            "fixes": [c.to_dict() for c in self.fixes],
            "fixed_money": self.fixed_money.to_dict() if self.fixed_money else None,
            "fixed_chance_impact": (
                self.fixed_chance_impact.to_dict() if self.fixed_chance_impact else None
            ),
            "calibration": [s.to_dict() for s in self.calibration],
            "draws": self.draws,
            "seed": self.seed,
        }


def assess_job(
    job: Job, project: Project, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> Assessment:
    """``assess`` with the project's funnel model and assessment thresholds."""
    return assess(job, model_of(project), thresholds_of(project.assumptions), draws, seed)


def thresholds_of(assumptions: Assumptions) -> AssessmentAssumptions:
    """The assumptions' verdict thresholds; a located error when the file has none."""
    if assumptions.assessment is None:
        message = "has no assessment block: the thresholds a job's verdict needs"
        raise AssumptionError(problems=[Problem(str(assumptions.path), "", message)])
    return assumptions.assessment


def terms_of(job: Job, model: FunnelModel, thresholds: AssessmentAssumptions) -> Terms:
    """The job's money terms: its own costs and value; the horizon and economics of its
    scenario where it links one and gives them, else the assumptions'."""
    scenario = job.scenario
    horizon = job.horizon_years or (scenario.horizon_years if scenario else None)
    months = scenario.time_to_production_months if scenario else None
    rate = scenario.discount_rate if scenario else None
    return Terms(
        cost_per_poc=job.cost_poc,
        cost_to_production=job.cost_to_production,
        annual_value_per_use_case=job.number.yearly_value if job.number else 0.0,
        horizon_years=float(horizon or thresholds.horizon_years.value),
        time_to_production_years=(
            months if months is not None else model.economics.time_to_production_months.value
        )
        / MONTHS_PER_YEAR,
        discount_rate=rate if rate is not None else model.economics.discount_rate.value,
    )


def assess(
    job: Job,
    model: FunnelModel,
    thresholds: AssessmentAssumptions,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> Assessment:
    """Assess one job: chances with P10-P90, money, what it takes and the verdict."""
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    base, point_base, steps = baselines(model, job.scenario, draws, seed)
    terms = terms_of(job, model, thresholds)
    judge = _Judge(job, model, point_base, terms, thresholds)

    answers = job.answer_values()
    scores = job.scores()
    readiness = readiness_vector(scores)
    drawn = stage_rates(model, readiness, base)  # (draws, steps)
    production_draws, impact_draws = drawn[:, 0], drawn[:, 0] * drawn[:, 1]
    p_production, p_impact = judge.chances(readiness[None, :])
    money = judge.money(
        float(p_production[0]), float(p_impact[0]), 0.0, production_draws, impact_draws
    )
    what = judge.single_changes(answers, scores)

    gates = ((NUMBER_GATE,) if job.number is None else ()) + (
        (OWNER_GATE,) if job.owner is None else ()
    )
    fixes: tuple[Change, ...] = ()
    fixed_money = None
    if job.number is None:
        verdict, reason = DO_NOT_START, NO_NUMBER
    elif judge.clears(float(p_impact[0]), money.own_roi):
        verdict, reason = (FIX_FIRST, FIXABLE) if gates else (GO, READY)
    else:
        fixes, cleared = judge.fixes(answers, scores, float(p_impact[0]))
        if cleared:
            verdict, reason = FIX_FIRST, FIXABLE
        else:
            best = fixes[-1].chance if fixes else float(p_impact[0])
            chance_cleared = best >= thresholds.go_chance.value
            verdict, reason = DO_NOT_START, DOES_NOT_PAY if chance_cleared else STAYS_LOW
            fixes = ()
    fixed_chance = None
    if fixes:
        last = fixes[-1]
        fixed = job.rubric.scores({**answers, **{c.question: "yes" for c in fixes}})
        fixed_draws = stage_rates(model, readiness_vector(fixed), base)
        fixed_production, fixed_impact = fixed_draws[:, 0], fixed_draws[:, 0] * fixed_draws[:, 1]
        fixed_money = judge.money(
            last.chance_production,
            last.chance,
            sum(c.change_cost for c in fixes),
            fixed_production,
            fixed_impact,
        )
        fixed_chance = _range(last.chance, fixed_impact)
    return Assessment(
        job=job,
        scores=scores,
        chance_production=_range(float(p_production[0]), production_draws),
        chance_impact=_range(float(p_impact[0]), impact_draws),
        money=money,
        what_it_takes=what,
        verdict=verdict,
        reason=reason,
        gates=gates,
        fixes=fixes,
        fixed_money=fixed_money,
        fixed_chance_impact=fixed_chance,
        thresholds=thresholds,
        terms=terms,
        calibration=steps,
        draws=draws,
        seed=seed,
    )


# The baselines' draws of the last few (model, scenario record, draws, seed): they do not depend
# on the job's answers, so a form changing answers reuses them (calibration is most of the time).
_BASELINES: dict[tuple, tuple] = {}
_KEEP_BASELINES = 4


def baselines(
    model: FunnelModel, scenario: Scenario | None, draws: int, seed: int
) -> tuple[np.ndarray, np.ndarray, tuple[StepCalibration, ...]]:
    """The baselines' draws, their point values and each step's calibration: the model's
    cited baselines, calibrated by the scenario's record as ``funnel.run`` calibrates them
    (the record is about the client as it is, so its as-is readiness sets the shift)."""
    record = scenario.record if scenario is not None else None
    as_is = tuple(sorted(scenario.as_is.items())) if record is not None else ()
    key = (id(model), record, as_is, draws, seed)
    kept = _BASELINES.get(key)
    if kept is not None and kept[0] is model:  # the same model, not one at a reused address
        return kept[1]
    base, _ = draw_uncertainty(model, draws, seed)
    point_base, steps = model.base_rate, ()
    if record is not None:
        shift = readiness_shift(model, readiness_vector(scenario.as_is))
        base, point_base, steps = calibration.calibrate(model, record, shift, base, seed)
    base.flags.writeable = False
    if len(_BASELINES) >= _KEEP_BASELINES:
        _BASELINES.pop(next(iter(_BASELINES)))
    _BASELINES[key] = (model, (base, point_base, steps))
    return base, point_base, steps


def _range(expected: float, draws: np.ndarray) -> Range:
    return Range(expected, *(float(v) for v in np.percentile(draws, QUANTILES)))


class _Judge:
    """The job's chances, money and changes at its point rates: what the verdict reads."""

    def __init__(
        self,
        job: Job,
        model: FunnelModel,
        point_base: np.ndarray,
        terms: Terms,
        thresholds: AssessmentAssumptions,
    ) -> None:
        self.job, self.model, self.point_base = job, model, point_base
        self.terms, self.thresholds = terms, thresholds
        self.production_factor, self.value_years = started_now(terms)
        self.order = {q.id: n for n, q in enumerate(job.rubric.questions)}

    def chances(self, profiles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The chance of production and of measurable impact for readiness (k, drivers)."""
        rates = stage_rates(self.model, profiles, self.point_base)
        return rates[:, 0], rates[:, 0] * rates[:, 1]

    def money(
        self,
        p_production: float,
        p_impact: float,
        change: float,
        production_draws: np.ndarray | None = None,
        impact_draws: np.ndarray | None = None,
    ) -> JobMoney:
        """The job's expected money at these chances, with ``change`` paid for fixes first;
        with draws of the chances, the net value's P10-P90 too."""
        terms = self.terms
        value = p_impact * terms.annual_value_per_use_case * self.value_years
        spend = (
            terms.cost_per_poc + p_production * terms.cost_to_production * self.production_factor
        )
        net = value - spend - change
        if production_draws is None:
            net_range = Range(net, net, net, net)
        else:
            drawn = (
                impact_draws * terms.annual_value_per_use_case * self.value_years
                - terms.cost_per_poc
                - production_draws * terms.cost_to_production * self.production_factor
                - change
            )
            net_range = _range(net, drawn)
        payback = started_now_payback_years(
            terms, p_production, p_impact, spend_upfront(terms, change)
        )
        return JobMoney(
            float(value),
            float(spend),
            float(change),
            net_range,
            float(net / (spend + change)),
            payback,
            float((value - spend) / spend),
        )

    def clears(self, chance: float, roi: float) -> bool:
        """Whether a chance and a return clear the go thresholds."""
        return (
            chance >= self.thresholds.go_chance.value and roi >= self.thresholds.go_min_return.value
        )

    def candidates(
        self, answers: dict[str, str], scores: dict[str, int]
    ) -> list[tuple[Question, dict[str, str], dict[str, int], np.ndarray]]:
        """Each answer not yet yes changed to yes, alone: (question, new scores, lookahead
        readiness), where the lookahead is the driver's score before rounding, which ranks
        changes the rounding hides."""
        rubric = self.job.rubric
        found = []
        for question in rubric.questions:
            if answers[question.id] == "yes":
                continue
            changed = {**answers, question.id: "yes"}
            driver = question.driver
            new = dict(scores)
            new[driver] = rubric.scoring.score([changed[q.id] for q in rubric.of(driver)])
            share = rubric.scoring.share([changed[q.id] for q in rubric.of(driver)])
            ahead = readiness_vector(scores)
            ahead[DRIVERS.index(driver)] = (LEVELS - 1) * share
            found.append((question, changed, new, ahead))
        return found

    def evaluate(
        self, answers: dict[str, str], scores: dict[str, int], chance_before: float
    ) -> list[tuple[Change, float, dict[str, str], dict[str, int]]]:
        """Every single change to yes, with its chances and cost, and the lookahead chance."""
        found = self.candidates(answers, scores)
        if not found:
            return []
        profiles = np.array([readiness_vector(new) for _, _, new, _ in found])
        ahead = np.array([a for *_, a in found])
        production, impact = self.chances(np.vstack([profiles, ahead]))
        count = len(found)
        changes = []
        for n, (question, changed, new, _) in enumerate(found):
            driver = question.driver
            steps = self.model.economics.change_cost.multiple(driver, scores[driver], new[driver])
            change = Change(
                question=question.id,
                driver=driver,
                answer=answers[question.id],
                from_score=scores[driver],
                to_score=new[driver],
                chance=float(impact[n]),
                chance_production=float(production[n]),
                gain=float(impact[n] - chance_before),
                change_cost=float(steps * self.job.cost_poc),
            )
            changes.append((change, float(impact[count + n]), changed, new))
        changes.sort(key=lambda c: (-c[0].chance, -c[1], self.order[c[0].question]))
        return changes

    def single_changes(self, answers: dict[str, str], scores: dict[str, int]) -> tuple[Change, ...]:
        """What it takes: each answer changed to yes alone, those that raise the chance."""
        before = float(self.chances(readiness_vector(scores)[None, :])[1][0])
        return tuple(c for c, *_ in self.evaluate(answers, scores, before) if c.gain > 0)

    def fixes(
        self, answers: dict[str, str], scores: dict[str, int], chance: float
    ) -> tuple[tuple[Change, ...], bool]:
        """The fewest answers, chosen greedily (the largest chance first), whose change to yes
        makes the job clear go, up to ``max_fixes``; and whether they do."""
        fixes: list[Change] = []
        cost = 0.0
        for _ in range(int(self.thresholds.max_fixes.value)):
            ranked = self.evaluate(answers, scores, chance)
            if not ranked:
                break
            best, _, answers, scores = ranked[0]
            chance = best.chance
            cost += best.change_cost
            fixes.append(best)
            money = self.money(best.chance_production, best.chance, cost)
            if self.clears(best.chance, money.own_roi):
                return tuple(fixes), True
        return tuple(fixes), False


def spend_upfront(terms: Terms, change: float) -> float:
    """What a job pays at its start: its proof of concept, and the fixes made first."""
    return float(terms.cost_per_poc) + change
