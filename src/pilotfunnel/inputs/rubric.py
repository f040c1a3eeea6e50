"""The readiness rubric (data/rubric.yaml): the questions behind each driver's 0-4 score.

Each driver has three to six questions a client can answer, each saying what counts as
evidence. An answer is yes, partly, no or unknown; unknown scores as no. The scoring rule (the
points each answer earns, and how a driver's points become its score) is a labelled
assumption, with its rationale, so the appendix can show it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pilotfunnel.core.errors import Problem, Problems, RubricError, display_path
from pilotfunnel.core.files import read_yaml_mapping, unknown_key_problems
from pilotfunnel.inputs.assumptions import (
    DRIVERS,
    LEVELS,
    MAX_LABEL_CHARS,
    MAX_LINE_CHARS,
    MAX_RATIONALE_CHARS,
)
from pilotfunnel.inputs.fields import is_number, text_field

ANSWERS = ("yes", "partly", "no", "unknown")
SCORED_ANSWERS = ("yes", "partly", "no")  # unknown earns what no earns, by rule
TOWARDS_YES = {"unknown": 0, "no": 0, "partly": 1, "yes": 2}  # the order answers improve in
TOP_KEYS = ("scoring", "drivers")
SCORING_KEYS = ("label", "points", "rationale")
QUESTION_KEYS = ("id", "question", "evidence")
MIN_QUESTIONS, MAX_QUESTIONS = 3, 6
MAX_QUESTION_ID_CHARS = 40
QUESTION_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")  # matched whole: no "id\n"
# The largest rubric file read: a few KB in practice.
MAX_RUBRIC_BYTES = 256 * 1024


@dataclass(frozen=True)
class Question:
    """One question of the rubric: the driver it scores, and what counts as evidence."""

    id: str
    driver: str
    question: str
    evidence: str


@dataclass(frozen=True)
class Scoring:
    """The rule from answers to a driver's score: a labelled assumption.

    A driver's score is ``LEVELS - 1`` times the share of its questions' points earned,
    rounded to the nearest level, halves up. ``points`` gives yes, partly and no; unknown
    earns what no earns.
    """

    label: str
    points: dict[str, float]  # yes, partly, no
    rationale: str

    def earned(self, answer: str) -> float:
        return self.points["no" if answer == "unknown" else answer]

    def score(self, answers: list[str] | tuple[str, ...]) -> int:
        """The 0-4 score of one driver's answers (each yes, partly, no or unknown)."""
        return round_half_up((LEVELS - 1) * self.share(answers))

    def share(self, answers: list[str] | tuple[str, ...]) -> float:
        """The share of the points possible that ``answers`` earn, from 0 to 1."""
        possible = len(answers) * self.points["yes"]
        return sum(self.earned(a) for a in answers) / possible if possible else 0.0


def round_half_up(value: float) -> int:
    """``value`` to the nearest whole number, halves up (2.5 is 3), kept within 0-4; a tiny
    allowance absorbs the float error of sums such as 0.1 + 0.2."""
    return max(0, min(LEVELS - 1, math.floor(value + 0.5 + 1e-9)))


@dataclass(frozen=True)
class Rubric:
    """The questions of every driver, in the file's order, and the scoring rule."""

    path: Path
    scoring: Scoring
    questions: tuple[Question, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {q.id: q for q in self.questions})

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    def __getitem__(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def of(self, driver: str) -> tuple[Question, ...]:
        """The questions of one driver, in the file's order."""
        return tuple(q for q in self.questions if q.driver == driver)

    def scores(self, answers: Mapping[str, str]) -> dict[str, int]:
        """Each driver's 0-4 score, from answers by question id (a missing answer is unknown)."""
        return {
            driver: self.scoring.score([answers.get(q.id, "unknown") for q in self.of(driver)])
            for driver in DRIVERS
        }

    def shares(self, answers: Mapping[str, str]) -> dict[str, float]:
        """Each driver's share of its points earned (0 to 1): the score before rounding."""
        return {
            driver: self.scoring.share([answers.get(q.id, "unknown") for q in self.of(driver)])
            for driver in DRIVERS
        }


def load_rubric(path: str | Path) -> Rubric:
    """Read and validate a rubric; each problem is one line naming the file, the question id
    (or field) and the value found."""
    path = Path(path)
    data = read_yaml_mapping(path, RubricError, MAX_RUBRIC_BYTES)
    return rubric_from_dict(data, display_path(path), path)


def rubric_from_dict(data: object, name: str = "<rubric>", path: Path | None = None) -> Rubric:
    """Validate a rubric given as a mapping (from a file, or built by a test or a form)."""
    if not isinstance(data, dict):
        message = "must be a mapping with scoring and drivers"
        raise RubricError(problems=[Problem(name, "", message, type(data).__name__)])
    problems = Problems(name)
    fail = problems.field
    problems += unknown_key_problems(name, "", data, TOP_KEYS)
    for key in TOP_KEYS:
        if key not in data:
            fail(key, "is missing")
    if problems:
        raise RubricError(problems=problems)
    scoring = _scoring(data["scoring"], name, problems, fail)
    questions = _questions(data["drivers"], name, problems, fail)
    if problems or scoring is None:
        raise RubricError(problems=problems)
    return Rubric(path or Path(name), scoring, tuple(questions))


def answer_problem(value: object) -> str | None:
    """Why ``value`` is not an answer, or None when it is one of ``ANSWERS``."""
    if isinstance(value, str) and value in ANSWERS:
        return None
    return "must be one of " + ", ".join(ANSWERS)


def _scoring(raw: object, name: str, problems: Problems, fail) -> Scoring | None:
    if not isinstance(raw, dict):
        fail("scoring", "must have label, points and rationale", raw)
        return None
    problems += unknown_key_problems(name, "scoring", raw, SCORING_KEYS)
    label = text_field(raw.get("label"), "scoring.label", MAX_LABEL_CHARS, fail)
    rationale = raw.get("rationale")
    if not isinstance(rationale, str) or not rationale.strip():
        fail("scoring.rationale", "is missing; the scoring rule is an assumption and must say why")
        rationale = None
    else:
        rationale = text_field(rationale, "scoring.rationale", MAX_RATIONALE_CHARS, fail, True)
    points = _points(raw.get("points"), name, problems, fail)
    if label is None or rationale is None or points is None:
        return None
    return Scoring(label, points, rationale.strip())


def _points(raw: object, name: str, problems: Problems, fail) -> dict[str, float] | None:
    where = "scoring.points"
    allowed = "yes, partly and no, each a number from 0 to 1"
    if not isinstance(raw, dict):
        fail(where, f"must give the points of {allowed}", raw)
        return None
    extra = {k: v for k, v in raw.items() if k != "unknown"}
    if "unknown" in raw:
        fail(f"{where}.unknown", "is not allowed: unknown always earns what no earns")
    # YAML 1.1 reads a bare yes or no as true or false; either spelling names the answer.
    named = {_answer_key(k): v for k, v in extra.items()}
    problems += unknown_key_problems(name, where, named, SCORED_ANSWERS)
    points = {}
    for answer in SCORED_ANSWERS:
        value = named.get(answer)
        if not is_number(value) or not 0 <= value <= 1:
            fail(f"{where}.{answer}", f"must be a number from 0 to 1 ({allowed})", value)
            continue
        points[answer] = float(value)
    if len(points) < len(SCORED_ANSWERS):
        return None
    if not points["yes"] >= points["partly"] >= points["no"] or points["yes"] <= points["no"]:
        fail(
            where,
            "must give yes more points than no, and partly from no's points to yes's: "
            "a better answer never scores lower",
            f"yes {points['yes']:g}, partly {points['partly']:g}, no {points['no']:g}",
        )
        return None
    return points


def _answer_key(key: object) -> object:
    if key is True:
        return "yes"
    if key is False:
        return "no"
    return key


def _questions(raw: object, name: str, problems: Problems, fail) -> list[Question]:
    questions: list[Question] = []
    if not isinstance(raw, dict):
        fail("drivers", f"must map each driver ({', '.join(DRIVERS)}) to its questions", raw)
        return questions
    problems += unknown_key_problems(name, "drivers", raw, DRIVERS)
    seen: set[str] = set()
    for driver in DRIVERS:
        where = f"drivers.{driver}"
        items = raw.get(driver)
        if items is None:
            fail(where, f"is missing; give {MIN_QUESTIONS} to {MAX_QUESTIONS} questions")
            continue
        if not isinstance(items, list) or not MIN_QUESTIONS <= len(items) <= MAX_QUESTIONS:
            count = len(items) if isinstance(items, list) else type(items).__name__
            fail(where, f"must list {MIN_QUESTIONS} to {MAX_QUESTIONS} questions", count)
            continue
        for index, item in enumerate(items):
            question = _question(item, driver, f"{where}[{index}]", name, problems, fail, seen)
            if question is not None:
                questions.append(question)
    return questions


def _question(
    item: object, driver: str, where: str, name: str, problems: Problems, fail, seen: set[str]
) -> Question | None:
    if not isinstance(item, dict):
        fail(where, "must be a mapping with id, question and evidence", item)
        return None
    question_id = item.get("id")
    if (
        not isinstance(question_id, str)
        or len(question_id) > MAX_QUESTION_ID_CHARS
        or not QUESTION_ID.fullmatch(question_id)
    ):
        fail(
            f"{where}.id",
            f"must be an id of lower-case letters, digits and hyphens, at most "
            f"{MAX_QUESTION_ID_CHARS} characters, such as outcome-metric",
            question_id,
        )
        return None

    def fail_here(key: str, message: str, value: object = None) -> None:
        problems.append(
            Problem(name, f"question '{question_id}', field '{key}'", message, value, column=key)
        )

    if question_id in seen:
        fail_here("id", "is the id of an earlier question; question ids must be unique")
        return None
    seen.add(question_id)
    problems += unknown_key_problems(name, where, item, QUESTION_KEYS)
    texts = {}
    for key in ("question", "evidence"):
        value = item.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            fail_here(
                key, "is missing; every question says what it asks and what counts as evidence"
            )
            continue
        texts[key] = text_field(value, key, MAX_LINE_CHARS, fail_here)
    if len(texts) < 2 or None in texts.values():
        return None
    return Question(question_id, driver, texts["question"].strip(), texts["evidence"].strip())
