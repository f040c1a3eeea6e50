import pytest

from pilotfunnel.core.errors import AssumptionError
from pilotfunnel.inputs.assumptions import DRIVERS, load_assumptions
from pilotfunnel.inputs.sources.load import load_sources

from ..conftest import FIXTURES, ROOT, assert_one_line_error

ASSUMPTIONS = FIXTURES / "assumptions"


def test_project_assumptions_are_labelled(fixture_sources):
    a = load_assumptions(
        ROOT / "data" / "assumptions.yaml", load_sources(ROOT / "data" / "sources.csv")
    )
    production = a.stages[1].baseline
    assert production.source_id == "idc-2025-poc-to-production"
    assert production.rate == pytest.approx(4 / 33)
    impact = a.stages[2].baseline
    assert impact.is_assumption and impact.rationale
    assert set(a.drivers) == set(DRIVERS)
    assert all(e.rationale for e in a.effects)


def test_valid_fixture_against_fixture_sources(fixture_sources):
    a = load_assumptions(ASSUMPTIONS / "valid.yaml", fixture_sources)
    assert [s.id for s in a.stages] == ["poc", "production", "impact"]
    assert a.effect("production", "data") > 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("unknown_source_id", ["stages.production.baseline.source", "idc-2031-made-up"]),
        ("rate_out_of_range", ["stages.impact.baseline.assumption", "between 0 and 1", "1.4"]),
        ("missing_rationale", ["effects.impact.ownership.rationale", "is missing"]),
        ("negative_effect", ["effects.production.data.per_level", "-0.2"]),
        ("unknown_driver", ["effects.production.dataa", "is not a driver"]),
        ("unknown_key", ["field 'stage'", "did you mean 'stages'"]),
        ("empty", ["is empty"]),
        ("not_yaml", ["not valid YAML", "line"]),
    ],
)
def test_each_failure_names_the_key(fixture_sources, name, expected):
    with pytest.raises(AssumptionError) as caught:
        load_assumptions(ASSUMPTIONS / f"{name}.yaml", fixture_sources)
    text = str(caught.value)
    assert f"{name}.yaml" in text
    for fragment in expected:
        assert fragment in text


# --- hostile assumptions (tests/fixtures/hostile/assumptions/): one line each ----------------
HOSTILE = FIXTURES / "hostile" / "assumptions"
HOSTILE_CASES = [
    ("alias_bomb", "line 2, column 5: uses a YAML anchor or alias (&name or *name)"),
    (
        "inf_pseudo_sample",
        "field 'stages.impact.baseline.pseudo_sample': must be a number above 0 and at most "
        "1,000,000: how many observations the assumption is worth (got inf)",
    ),
    ("nan_rate", "field 'stages.impact.baseline.assumption': must be a rate strictly between"),
    ("nan_effect", "field 'effects.production.outcome.per_level': must be a number from 0 to 3"),
    ("huge_number", "is not valid YAML: found a number of more than 64 characters"),
    ("control_char_label", "field 'drivers.outcome.label': holds U+001B at character 8"),
    (
        "informed_by_unhashable",
        "field 'stages.impact.baseline.informed_by': names a source id that is not in "
        "sources.csv (got ['idc-2024-poc-to-production'])",
    ),
    (
        "informed_by_not_a_list",
        "field 'stages.impact.baseline.informed_by': must be a list of source ids",
    ),
    ("four_stages", "field 'stages': must list 3 stages in funnel order"),
]


@pytest.mark.parametrize(("name", "expected"), HOSTILE_CASES)
def test_a_hostile_assumptions_file_is_one_line(fixture_sources, name, expected):
    with pytest.raises(AssumptionError) as caught:
        load_assumptions(HOSTILE / f"{name}.yaml", fixture_sources)
    assert_one_line_error(
        caught.value, f"tests/fixtures/hostile/assumptions/{name}.yaml: ", expected
    )


def test_every_hostile_assumptions_fixture_is_tested():
    assert {name for name, _ in HOSTILE_CASES} == {p.stem for p in HOSTILE.glob("*.yaml")}


def test_a_repeated_stage_id_is_refused(fixture_sources, tmp_path):
    text = (ASSUMPTIONS / "valid.yaml").read_text().replace("- id: impact", "- id: production")
    path = tmp_path / "assumptions.yaml"
    path.write_text(text)
    with pytest.raises(AssumptionError, match="stage ids must be unique"):
        load_assumptions(path, fixture_sources)


# --- the verdict's thresholds (the optional assessment block, issue 24) ------------------------
ASSESSMENT = """
assessment:
  go_chance: {value: 0.3, rationale: a bar}
  go_min_return: {value: 0, rationale: pays back}
  max_fixes: {value: 4, rationale: a quarter's work}
  horizon_years: {value: 3, rationale: a planning period}
"""


def _with_assessment(tmp_path, block: str):
    path = tmp_path / "assumptions.yaml"
    path.write_text((ASSUMPTIONS / "valid.yaml").read_text() + block)
    return path


def test_the_assessment_block_is_optional_and_labelled(fixture_sources, tmp_path):
    assert load_assumptions(ASSUMPTIONS / "valid.yaml", fixture_sources).assessment is None
    found = load_assumptions(_with_assessment(tmp_path, ASSESSMENT), fixture_sources).assessment
    assert (found.go_chance.value, found.max_fixes.value) == (0.3, 4.0)
    assert found.horizon_years.rationale == "a planning period"


def test_the_projects_thresholds_are_labelled(project):
    found = project.assumptions.assessment
    for item in (found.go_chance, found.go_min_return, found.max_fixes, found.horizon_years):
        assert item.rationale
    assert 0 < found.go_chance.value < 1


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("value: 0.3,", "value: 1.3,", "field 'assessment.go_chance.value': must be a number"),
        ("value: 4,", "value: 2.5,", "'assessment.max_fixes.value': must be a whole number"),
        ("value: 3,", "value: 0,", "'assessment.horizon_years.value': must be a whole number"),
        ("rationale: a bar", "rationale: ''", "'assessment.go_chance.rationale': is missing"),
        ("  max_fixes:", "  max_fix:", "'assessment.max_fix': is not an assessment assumption"),
        ("go_min_return: {value: 0,", "go_min_return: {value: .nan,", "(got nan)"),
    ],
)
def test_a_bad_threshold_is_one_located_line(fixture_sources, tmp_path, old, new, says):
    path = _with_assessment(tmp_path, ASSESSMENT.replace(old, new))
    with pytest.raises(AssumptionError) as caught:
        load_assumptions(path, fixture_sources)
    assert says in str(caught.value)
    assert all(len(line) < 400 for line in str(caught.value).splitlines())
