"""An error is one line per problem and never turns a whole hostile value into text."""

import pytest

from pilotfunnel.core.errors import (
    MAX_LISTED_PROBLEMS,
    InputError,
    Problem,
    display_path,
    one_line,
    shown,
    shown_key,
)


def test_a_long_text_is_cut_to_80_characters_in_quotes():
    text = shown("x" * 10_000)
    assert len(text) == 80 and text.startswith("'xxx") and text.endswith("...")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120k", "'120k'"),
        (-3, "-3"),
        (14.5, "14.5"),
        (float("inf"), "inf"),
        (float("nan"), "nan"),
        (None, "None"),
        (True, "True"),
        (10**400, "a whole number of about 401 digits"),
        ("a\nb\x07\u202e", "'a\\nb\\x07\\u202e'"),  # escaped: one line, nothing reordered
    ],
)
def test_values_are_shown_as_written_and_escaped(value, expected):
    assert shown(value) == expected


def test_an_alias_bomb_is_shown_without_building_its_text():
    # Nine levels of nine shared references: 9**9 strings if it were ever turned into text.
    bomb: object = ["lol"] * 9
    for _ in range(9):
        bomb = [bomb] * 9
    text = shown(bomb)
    assert len(text) <= 80 and text.startswith("[[")


def test_a_value_nested_past_the_recursion_limit_is_shown():
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    assert shown(deep) == "[[[...]]]"


def test_a_number_past_pythons_digit_limit_is_described_not_converted():
    # str() of a 5,000-digit int raises ValueError since Python 3.11.
    assert shown([10**5000]) == "[a whole number of about 5,001 digits]"


def test_a_value_whose_repr_fails_is_named_by_its_type():
    class Hostile:
        def __repr__(self):
            raise RuntimeError("no")

    assert shown(Hostile()).startswith("<Hostile instance")


def test_a_problem_is_one_line_whatever_its_file_place_and_value_hold():
    problem = Problem(
        "clients/\x1b[2Jacme\n.yaml", "field 'a\nb'", "is bad", "line one\nline two" * 100
    )
    text = str(problem)
    assert "\n" not in text and "\x1b" not in text
    assert text.startswith("clients/\\x1b[2Jacme\\n.yaml: field 'a\\nb': is bad (got 'line one")
    assert len(text) < 400


def test_a_long_path_keeps_its_file_name():
    text = one_line("/very" * 100 + "/acme.yaml", 120, keep_end=True)
    assert len(text) == 120 and text.endswith("/acme.yaml") and "..." in text


def test_a_key_is_shown_unquoted_cut_and_escaped():
    assert shown_key("pocs_per_yeer") == "pocs_per_yeer"
    assert shown_key("k" * 100) == "k" * 37 + "..."
    assert shown_key("a\nb") == "a\\nb"
    assert shown_key(10**500) == "a whole number of about 501 digits"


def test_an_error_lists_at_most_50_problems_and_counts_the_rest():
    problems = [Problem("x.yaml", f"field 'k{n}'", "is not a known key") for n in range(500)]
    error = InputError(problems=problems)
    lines = str(error).splitlines()
    assert len(lines) == MAX_LISTED_PROBLEMS + 1
    assert lines[-1] == "... and 450 more problems"
    assert len(error.problems) == 500  # every problem is kept for a view that lists them


def test_display_path_of_a_symlink_loop_is_the_path(tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    assert display_path(tmp_path / "a.yaml").endswith("a.yaml")
