"""The readiness rubric (data/rubric.yaml): loaded, validated, and scored as its rule says."""

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotfunnel.core.errors import RubricError, display_path
from pilotfunnel.core.text import text_problem
from pilotfunnel.inputs.assumptions import DRIVERS, load_assumptions
from pilotfunnel.inputs.rubric import (
    ANSWERS,
    MAX_QUESTIONS,
    MIN_QUESTIONS,
    load_rubric,
    rubric_from_dict,
)
from pilotfunnel.inputs.sources.load import load_sources

from ..conftest import FIXTURES, ROOT, assert_one_line_error
from .test_hostile_inputs import SETTINGS, _strings, assert_one_line_each, mutated

RUBRICS = FIXTURES / "rubric"
RUBRIC = load_rubric(ROOT / "data" / "rubric.yaml")
answer = st.sampled_from(ANSWERS)


def test_the_shipped_rubric_asks_three_to_six_questions_per_driver():
    for driver in DRIVERS:
        questions = RUBRIC.of(driver)
        assert MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS, driver
        assert all(q.question.endswith("?") and q.evidence for q in questions)
    assert len({q.id for q in RUBRIC.questions}) == len(RUBRIC.questions)
    # The rule is a labelled assumption: a label and a rationale the appendix can show.
    assert RUBRIC.scoring.label and "unknown" in RUBRIC.scoring.rationale.lower()


def test_the_rubric_scores_the_drivers_data_assumptions_yaml_defines():
    assumptions = load_assumptions(
        ROOT / "data" / "assumptions.yaml", load_sources(ROOT / "data" / "sources.csv")
    )
    assert {q.driver for q in RUBRIC.questions} == set(assumptions.drivers)


def test_all_yes_all_partly_and_all_no_are_the_ends_and_the_typical_level():
    ids = [q.id for q in RUBRIC.questions]
    for word, level in (("yes", 4), ("partly", 2), ("no", 0), ("unknown", 0)):
        assert RUBRIC.scores(dict.fromkeys(ids, word)) == dict.fromkeys(DRIVERS, level)
    assert RUBRIC.scores({}) == dict.fromkeys(DRIVERS, 0)  # unanswered is unknown


def test_the_valid_fixture_loads():
    rubric = load_rubric(RUBRICS / "valid.yaml")
    assert [len(rubric.of(d)) for d in DRIVERS] == [3] * 5
    assert rubric.scoring.points == {"yes": 1.0, "partly": 0.5, "no": 0.0}
    assert "outcome-metric" in rubric and rubric["outcome-metric"].driver == "outcome"


@pytest.mark.parametrize(
    ("name", "starts", "says"),
    [
        ("bad_id", "field 'drivers.data[1].id'", "lower-case letters, digits and hyphens"),
        ("duplicate_id", "question 'data-available', field 'id'", "ids must be unique"),
        ("empty", "", "is empty"),
        ("missing_evidence", "question 'integration-access', field 'evidence'", "is missing"),
        ("missing_rationale", "field 'scoring.rationale'", "must say why"),
        ("not_yaml", "line 2, column 1", "is not valid YAML"),
        ("points_inverted", "field 'scoring.points'", "never scores lower (got 'yes 1, part"),
        ("points_unordered", "field 'scoring.points.partly'", "from 0 to 1 (yes, partly"),
        ("points_unknown", "field 'scoring.points.unknown'", "unknown always earns what no"),
        ("question_line_break", "question 'outcome-metric', field 'question'", "line break"),
        ("too_few_questions", "field 'drivers.volume'", "3 to 6 questions (got 2)"),
    ],
)
def test_each_bad_rubric_is_one_line_naming_the_file_the_question_and_the_value(name, starts, says):
    with pytest.raises(RubricError) as caught:
        load_rubric(RUBRICS / f"{name}.yaml")
    file = display_path(RUBRICS / f"{name}.yaml")
    prefix = f"{file}: {starts}" if starts else file
    assert_one_line_error(caught.value, prefix, says)


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("unknown_driver", ["'drivers.volumes': is not a known key; did you mean 'volume'?"]),
        ("unknown_key", ["'scorng': is not a known key; did you mean 'scoring'?"]),
    ],
)
def test_a_misspelt_key_is_named_with_a_guess(name, lines):
    with pytest.raises(RubricError) as caught:
        load_rubric(RUBRICS / f"{name}.yaml")
    for line in lines:
        assert line in str(caught.value)


def test_every_fixture_is_tested():
    marks = [
        m.args[1]
        for test in (
            test_each_bad_rubric_is_one_line_naming_the_file_the_question_and_the_value,
            test_a_misspelt_key_is_named_with_a_guess,
        )
        for m in test.pytestmark
    ]
    tested = {case[0] for cases in marks for case in cases} | {"valid"}
    assert {p.stem for p in RUBRICS.glob("*.yaml")} == tested


# --- the scoring rule's properties -------------------------------------------------------------
def _driver_answers(driver: str):
    return st.lists(answer, min_size=len(RUBRIC.of(driver)), max_size=len(RUBRIC.of(driver)))


@settings(max_examples=200, deadline=None)
@given(data=st.data(), driver=st.sampled_from(DRIVERS))
def test_a_better_answer_never_scores_lower(data, driver):
    # yes never below partly, partly never below no, on any one question, whatever the others.
    answers = data.draw(_driver_answers(driver))
    at = data.draw(st.integers(0, len(answers) - 1))
    score = {
        word: RUBRIC.scoring.score([*answers[:at], word, *answers[at + 1 :]])
        for word in ("yes", "partly", "no")
    }
    assert score["yes"] >= score["partly"] >= score["no"]
    assert score["no"] >= 0 and score["yes"] <= 4


@settings(max_examples=200, deadline=None)
@given(data=st.data(), driver=st.sampled_from(DRIVERS))
def test_unknown_scores_as_no(data, driver):
    answers = data.draw(_driver_answers(driver))
    as_no = ["no" if a == "unknown" else a for a in answers]
    assert RUBRIC.scoring.score(answers) == RUBRIC.scoring.score(as_no)


# --- generated hostile rubrics -----------------------------------------------------------------
VALID_RUBRIC = yaml.safe_load((RUBRICS / "valid.yaml").read_text())


@SETTINGS
@given(data=mutated(VALID_RUBRIC))
def test_generated_rubric_mappings_load_or_fail_in_one_line(data):
    try:
        rubric = rubric_from_dict(data, "hostile.yaml")
    except RubricError as error:
        assert_one_line_each(error, RubricError, _strings(data))
    else:
        for question in rubric.questions:
            assert text_problem(question.question, 300) is None
            assert text_problem(question.evidence, 300) is None
        points = rubric.scoring.points
        assert 0 <= points["no"] <= points["partly"] <= points["yes"] <= 1
        assert all(MIN_QUESTIONS <= len(rubric.of(d)) <= MAX_QUESTIONS for d in DRIVERS)


def test_a_question_given_as_a_huge_number_is_refused_in_one_line():
    # Found by the generated test: str() of a 5,000-digit int raises past Python's limit.
    data = yaml.safe_load((RUBRICS / "valid.yaml").read_text())
    data["drivers"]["data"][2]["question"] = 10**5000
    with pytest.raises(RubricError) as caught:
        rubric_from_dict(data, "hostile.yaml")
    assert_one_line_error(
        caught.value, "hostile.yaml: question 'data-permission', field 'question'", "must be text"
    )
    assert "about 5,001 digits" in str(caught.value)


@pytest.mark.parametrize("bad", ["data-quality\n", "data--quality", "-data", "data_quality", ""])
def test_a_question_id_is_matched_whole(bad):
    data = yaml.safe_load((RUBRICS / "valid.yaml").read_text())
    data["drivers"]["data"][1]["id"] = bad
    with pytest.raises(RubricError, match=r"field 'drivers\.data\[1\]\.id'"):
        rubric_from_dict(data, "hostile.yaml")
