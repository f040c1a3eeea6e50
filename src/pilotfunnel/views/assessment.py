"""One job's assessment as people read it: the view model of ``pilotfunnel assess``.

Built once from a ``model.assess.Assessment``: every figure the words need is written here,
by views/formatting, and every sentence comes from views/messages/assess.py, so the command
line (and a later job brief) prints these and computes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pilotfunnel.inputs.assumptions import DRIVERS, Assumptions
from pilotfunnel.model.assess import (
    DO_NOT_START,
    DOES_NOT_PAY,
    GO,
    NO_NUMBER,
    OWNER_GATE,
    Assessment,
    Change,
    JobMoney,
)
from pilotfunnel.model.result import Range
from pilotfunnel.views import formatting as fmt
from pilotfunnel.views import messages as msg
from pilotfunnel.views.messages import assess as words
from pilotfunnel.views.messages import cli as cli_msg


@dataclass(frozen=True)
class Chance:
    """A chance as written: its central figure and its P10 and P90."""

    chance: str
    low: str
    high: str


@dataclass(frozen=True)
class DriverView:
    """A driver's label, its 0-4 score and one written line per question behind it."""

    label: str
    score: int
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class AssessmentView:
    """The assessment's lines, grouped as the text shows them."""

    title: str
    job: str
    number: str
    owner: str
    chances: tuple[str, ...]
    modelled: tuple[str, ...]
    verdict: tuple[str, ...]
    drivers: tuple[DriverView, ...]
    what_it_takes_heading: str
    what_it_takes: tuple[str, ...]
    value_heading: str
    value: tuple[str, ...]

    def lines(self) -> list[str]:
        """The whole assessment as plain-text lines, headings followed by their items."""
        out = [self.title, self.job, self.number, self.owner, "", *self.chances, *self.modelled]
        out += ["", *self.verdict, "", words.DRIVERS_HEADING]
        for driver in self.drivers:
            out.append(words.DRIVER_SCORE.format(driver=driver.label, score=driver.score))
            out += [f"  {line}" for line in driver.evidence]
        out += ["", self.what_it_takes_heading, *(f"  {line}" for line in self.what_it_takes)]
        out += ["", self.value_heading, *(f"  {line}" for line in self.value)]
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def build(assessment: Assessment, assumptions: Assumptions) -> AssessmentView:
    """The view of one assessment; ``assumptions`` gives the drivers' labels."""
    job = assessment.job
    labels = {d: assumptions.drivers[d].label for d in DRIVERS}
    currency = job.currency
    title = words.TITLE.format(client=job.client) if job.client else words.TITLE_NO_CLIENT
    return AssessmentView(
        title=title,
        job=words.JOB.format(job=job.job),
        number=_number(assessment),
        owner=words.OWNER.format(owner=job.owner) if job.owner else words.NO_OWNER,
        chances=(
            words.CHANCE_PRODUCTION.format(**vars(_chance(assessment.chance_production))),
            words.CHANCE_IMPACT.format(**vars(_chance(assessment.chance_impact))),
        ),
        modelled=_modelled(assessment),
        verdict=_verdict(assessment, labels),
        drivers=_drivers(assessment, labels),
        what_it_takes_heading=words.WHAT_IT_TAKES_HEADING.format(
            chance=fmt.rate(assessment.chance_impact.expected)
        ),
        what_it_takes=_what_it_takes(assessment, labels) or (words.NOTHING_TAKES,),
        value_heading=words.VALUE_HEADING.format(years=fmt.count(assessment.terms.horizon_years)),
        value=_value(assessment, currency),
    )


def measure(value: float) -> str:
    """A metric's baseline or target as the job file gave it (the client's own measure, not a
    modelled figure, so nothing is rounded away): 35, 12.5, 1,200."""
    return f"{value:,.15g}"


def date_text(day: dt.date) -> str:
    """A date as the brief writes it: 30 September 2027."""
    return f"{day.day} {day:%B %Y}"


def _chance(figure: Range) -> Chance:
    return Chance(fmt.rate(figure.expected), fmt.rate(figure.p10), fmt.rate(figure.p90))


def _number(assessment: Assessment) -> str:
    number = assessment.job.number
    if number is None:
        return words.NO_NUMBER
    return words.NUMBER.format(
        metric=number.metric,
        baseline=measure(number.baseline),
        target=measure(number.target),
        unit=number.unit,
        by=date_text(number.by),
        value=fmt.money(number.yearly_value, assessment.job.currency),
    )


def _modelled(assessment: Assessment) -> tuple[str, ...]:
    lines = [cli_msg.CLI_MODELLED.format(draws=f"{assessment.draws:,}", seed=assessment.seed)]
    scenario = assessment.job.scenario
    if assessment.calibration and scenario is not None and scenario.record is not None:
        lines.append(cli_msg.CLI_CALIBRATED.format(pocs=scenario.record.pocs_started))
    return tuple(lines)


def _answer(answer: str) -> str:
    return words.UNKNOWN_AS_NO if answer == "unknown" else answer


def _blocking(change: Change, labels: dict[str, str]) -> str:
    return words.BLOCKING_ANSWER.format(
        question=change.question, driver=labels[change.driver], answer=_answer(change.answer)
    )


def _verdict(assessment: Assessment, labels: dict[str, str]) -> tuple[str, ...]:
    limits = assessment.thresholds
    go_chance = fmt.rate(limits.go_chance.value)
    min_return = fmt.multiple(limits.go_min_return.value)
    if assessment.verdict == GO:
        line = words.VERDICT_GO.format(
            chance=fmt.rate(assessment.chance_impact.expected),
            go_chance=go_chance,
            roi=fmt.multiple(assessment.money.own_roi),
            min_return=min_return,
        )
        return (line,)
    if assessment.verdict == DO_NOT_START:
        if assessment.reason == NO_NUMBER:
            reason = words.REASON_NO_NUMBER
        elif assessment.reason == DOES_NOT_PAY:
            reason = words.REASON_DOES_NOT_PAY.format(go_chance=go_chance, min_return=min_return)
        else:
            reason = words.REASON_STAYS_LOW.format(
                go_chance=go_chance, max_fixes=fmt.count(limits.max_fixes.value)
            )
        return (words.VERDICT_DO_NOT_START.format(reason=reason),)
    steps = []
    if assessment.fixes:
        answers = ", ".join(_blocking(change, labels) for change in assessment.fixes)
        steps.append(words.FIX_ANSWERS.format(answers=answers))
    if OWNER_GATE in assessment.gates:
        steps.append(words.FIX_OWNER)
    lines = [words.VERDICT_FIX_FIRST.format(steps="; ".join(steps))]
    if assessment.fixed_chance_impact is not None:
        lines.append(words.FIXED.format(**vars(_chance(assessment.fixed_chance_impact))))
    return tuple(lines)


def _drivers(assessment: Assessment, labels: dict[str, str]) -> tuple[DriverView, ...]:
    job = assessment.job
    found = []
    for driver in DRIVERS:
        lines = []
        for question in job.rubric.of(driver):
            given = job.answers[question.id]
            if not given.given:
                evidence = words.NOT_ANSWERED
            else:
                evidence = given.evidence or words.NO_EVIDENCE
            lines.append(
                words.EVIDENCE.format(
                    question=question.id, evidence=evidence, answer=_answer(given.answer)
                )
            )
        found.append(DriverView(labels[driver], assessment.scores[driver], tuple(lines)))
    return tuple(found)


def _gain(before: float, after: float) -> str:
    change = fmt.change(before, after, "rate")
    return change if change == msg.NO_MATERIAL_CHANGE else words.GAIN_POINTS.format(gain=change)


def _what_it_takes(assessment: Assessment, labels: dict[str, str]) -> tuple[str, ...]:
    before = assessment.chance_impact.expected
    currency = assessment.job.currency
    return tuple(
        words.CHANGE.format(
            question=change.question,
            driver=labels[change.driver],
            answer=_answer(change.answer),
            chance=fmt.rate(change.chance),
            gain=_gain(before, change.chance),
            from_score=change.from_score,
            to_score=change.to_score,
            cost=fmt.money(change.change_cost, currency),
        )
        for change in assessment.what_it_takes
    )


def _net(money: JobMoney, currency: str) -> dict[str, str]:
    """The net value as written beside its parts, and its P10 and P90."""
    net = fmt.net_as_written(money.value, money.spend, money.change_cost, currency)
    return {
        "net": fmt.money(net, currency),
        "low": fmt.money(money.net_value.p10, currency),
        "high": fmt.money(money.net_value.p90, currency),
    }


def _value(assessment: Assessment, currency: str) -> tuple[str, ...]:
    money, years = assessment.money, fmt.count(assessment.terms.horizon_years)
    lines = [
        words.VALUE.format(
            value=fmt.money(money.value, currency),
            spend=fmt.money(money.spend, currency),
            **_net(money, currency),
        ),
        _return(money, years),
    ]
    fixed = assessment.fixed_money
    if fixed is not None:
        lines.append(
            words.FIXED_VALUE.format(
                cost=fmt.money(fixed.change_cost, currency),
                value=fmt.money(fixed.value, currency),
                **_net(fixed, currency),
            )
        )
        lines.append(_return(fixed, years))
    return tuple(lines)


def _return(money: JobMoney, years: str) -> str:
    roi = fmt.multiple(money.roi)
    if money.payback_years is None:
        return words.NOT_PAID_BACK.format(roi=roi, years=years)
    return words.RETURN.format(roi=roi, payback=fmt.count(money.payback_years))
