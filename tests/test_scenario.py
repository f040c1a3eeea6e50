import pytest

from pilotfunnel.errors import ScenarioError
from pilotfunnel.scenario import load_scenario, save_scenario

from .conftest import FIXTURES, ROOT

SCENARIOS = FIXTURES / "scenarios"


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "clients").glob("*.yaml")))
def test_shipped_clients_load(path):
    scenario = load_scenario(path)
    assert scenario.client and scenario.pocs_per_year >= 1


def test_shipped_clients_differ_in_size_and_maturity():
    clients = [load_scenario(p) for p in sorted((ROOT / "data" / "clients").glob("*.yaml"))]
    assert len(clients) >= 3
    assert len({c.pocs_per_year for c in clients}) == len(clients)
    assert len({sum(c.as_is.values()) for c in clients}) == len(clients)


def test_save_then_load_gives_the_same_scenario(tmp_path):
    original = load_scenario(SCENARIOS / "hostile_name.yaml")
    path = save_scenario(original, tmp_path / "copy.yaml")
    assert load_scenario(path) == original


def test_save_never_overwrites_without_being_told(tmp_path):
    scenario = load_scenario(SCENARIOS / "valid.yaml")
    path = save_scenario(scenario, tmp_path / "c.yaml")
    with pytest.raises(ScenarioError, match="already exists"):
        save_scenario(scenario.replace(pocs_per_year=1), path)
    assert load_scenario(path).pocs_per_year == scenario.pocs_per_year
    save_scenario(scenario.replace(pocs_per_year=1), path, overwrite=True)
    assert load_scenario(path).pocs_per_year == 1
    assert [p.name for p in tmp_path.iterdir()] == ["c.yaml"]  # no temporary files left


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("unknown_key", ["field 'pocs_per_yeer'", "did you mean 'pocs_per_year'"]),
        ("readiness_5", ["field 'readiness.as_is.data'", "0 (absent) to 4", "got 5"]),
        ("negative_count", ["field 'pocs_per_year'", "from 1 to", "got -3"]),
        ("wrong_type", ["field 'costs.per_poc'", "a number", "'120k'"]),
        ("target_below_as_is", ["field 'readiness.target.data'", "below as-is (2)"]),
        ("missing_driver", ["field 'readiness.as_is.volume'", "is missing"]),
        ("misspelt_driver", ["readiness.as_is.volumes", "did you mean 'volume'"]),
        ("empty", ["is empty"]),
        ("not_yaml", ["not valid YAML", "line"]),
        ("a_list", ["must be a YAML mapping", "list"]),
        ("record_not_a_mapping", ["field 'record'", "must be a mapping", "'14 of 2'"]),
        ("record_no_pocs", ["field 'record.pocs_started'", "from 1 to", "got 0"]),
        ("record_fractional", ["field 'record.pocs_started'", "whole number", "14.5"]),
        (
            "record_reached_above_started",
            ["field 'record.reached_production'", "more than pocs_started (14)", "got 15"],
        ),
        (
            "record_impact_above_reached",
            ["field 'record.with_measurable_impact'", "reached_production (2)", "got 3"],
        ),
        ("record_misspelt_key", ["record.reached_prodution", "did you mean 'reached_production'"]),
        ("record_missing_reached", ["field 'record.reached_production'", "is missing"]),
        ("record_negative_impact", ["field 'record.with_measurable_impact'", "got -1"]),
        ("record_period_not_text", ["field 'record.period'", "must be text"]),
    ],
)
def test_each_failure_names_the_file_and_field(name, expected):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(SCENARIOS / f"{name}.yaml")
    text = str(caught.value)
    assert f"{name}.yaml" in text
    for fragment in expected:
        assert fragment in text


def test_a_free_proof_of_concept_is_rejected():
    from pilotfunnel.scenario import scenario_from_dict

    data = load_scenario(SCENARIOS / "valid.yaml").to_dict()
    data["costs"]["per_poc"] = 0
    with pytest.raises(ScenarioError, match=r"costs\.per_poc.*at least 1"):
        scenario_from_dict(data, "acme.yaml")


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenario(tmp_path / "nope.yaml")


def test_a_record_is_optional_and_survives_a_save(tmp_path):
    from pilotfunnel.scenario import Record

    assert load_scenario(SCENARIOS / "valid.yaml").record is None
    scenario = load_scenario(SCENARIOS / "record_valid.yaml")
    assert scenario.record == Record(14, 2, 1, "2024-01 to 2025-12")
    assert scenario.record.evidence() == ((2, 14), (1, 2))
    assert load_scenario(save_scenario(scenario, tmp_path / "c.yaml")).record == scenario.record


def test_a_record_without_production_says_nothing_about_impact():
    from pilotfunnel.scenario import Record

    assert Record(5, 0, 0).evidence() == ((0, 5), None)
    assert Record(5, 2).evidence() == ((2, 5), None)
