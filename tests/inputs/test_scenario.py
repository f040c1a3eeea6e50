import pytest

from pilotfunnel.core.errors import ScenarioError
from pilotfunnel.inputs.scenario import Record, load_scenario, save_scenario, scenario_from_dict

from ..conftest import FIXTURES, ROOT, assert_one_line_error

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
        ("wrong_type", ["field 'costs.per_poc'", "a number, or text such as 450k", "[120000]"]),
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
        ("money_ambiguous_comma", ["field 'costs.per_poc'", "reads two ways", "got '1,5'"]),
        (
            "money_mixed_marks",
            ["field 'annual_value_per_use_case'", "reads two ways", "got '1.200,5'"],
        ),
        ("money_unknown_suffix", ["field 'costs.per_poc'", "not a known unit", "got '450x'"]),
        ("money_negative_text", ["field 'costs.to_production'", "is negative", "'-450k'"]),
        (
            "money_dollar_in_eur",
            ["field 'costs.per_poc'", "is in $, but the scenario's currency is EUR", "'$120k'"],
        ),
        (
            "money_euro_in_usd",
            ["'annual_value_per_use_case'", "is in €, but the scenario's currency is USD"],
        ),
        ("money_too_long_text", ["field 'costs.per_poc'", "is longer than 40 characters"]),
        (
            "money_change_wrong_currency",
            ["field 'costs.change.data'", "currency is GBP", "with £ or GBP", "'$50k'"],
        ),
    ],
)
def test_each_failure_names_the_file_and_field(name, expected):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(SCENARIOS / f"{name}.yaml")
    text = str(caught.value)
    assert f"{name}.yaml" in text
    for fragment in expected:
        assert fragment in text


def test_every_money_fixture_is_tested():
    marks = test_each_failure_names_the_file_and_field.pytestmark
    cases = {name for name, _ in marks[0].args[1]}
    money = {p.stem for p in SCENARIOS.glob("money_*.yaml")} - {"money_as_text"}
    assert money <= cases


def test_money_written_as_text_reads_as_the_numbers_and_saves_as_numbers(tmp_path):
    # 120k, $450,000, 1.5M and "50 000 USD": the same scenario as valid.yaml's plain numbers.
    as_text = load_scenario(SCENARIOS / "money_as_text.yaml")
    plain = load_scenario(SCENARIOS / "valid.yaml").replace(change_costs={"data": 50_000.0})
    assert as_text == plain
    assert (as_text.cost_per_poc, as_text.cost_to_production) == (120_000.0, 450_000.0)
    written = save_scenario(as_text, tmp_path / "text.yaml").read_bytes()
    assert written == save_scenario(plain, tmp_path / "plain.yaml").read_bytes()
    assert b"120000.0" in written and b"120k" not in written and b"$" not in written


def test_plain_yaml_money_reads_exactly_as_before(tmp_path):
    # A file of plain numbers gives the floats float() gives, and saving it changes no byte.
    original = load_scenario(SCENARIOS / "valid.yaml")
    assert original.cost_per_poc == 120_000.0 and type(original.cost_per_poc) is float
    first = save_scenario(original, tmp_path / "a.yaml").read_bytes()
    again = save_scenario(load_scenario(tmp_path / "a.yaml"), tmp_path / "b.yaml").read_bytes()
    assert first == again


def test_a_free_proof_of_concept_is_rejected():
    data = load_scenario(SCENARIOS / "valid.yaml").to_dict()
    data["costs"]["per_poc"] = 0
    with pytest.raises(ScenarioError, match=r"costs\.per_poc.*at least 1"):
        scenario_from_dict(data, "acme.yaml")


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenario(tmp_path / "nope.yaml")


def test_a_record_is_optional_and_survives_a_save(tmp_path):
    assert load_scenario(SCENARIOS / "valid.yaml").record is None
    scenario = load_scenario(SCENARIOS / "record_valid.yaml")
    assert scenario.record == Record(14, 2, 1, "2024-01 to 2025-12")
    assert scenario.record.evidence() == ((2, 14), (1, 2))
    assert load_scenario(save_scenario(scenario, tmp_path / "c.yaml")).record == scenario.record


def test_a_record_without_production_says_nothing_about_impact():
    assert Record(5, 0, 0).evidence() == ((0, 5), None)
    assert Record(5, 2).evidence() == ((2, 5), None)


# --- hostile scenarios (tests/fixtures/hostile/scenarios/): one line each, never a traceback ---
HOSTILE = FIXTURES / "hostile" / "scenarios"
HOSTILE_CASES = [
    (
        "inf_whole_number",
        "field 'pocs_per_year': must be a whole number from 1 to 10,000 (got inf)",
    ),
    (
        "negative_inf_whole_number",
        "field 'horizon_years': must be a whole number from 1 to 10 (got -inf)",
    ),
    (
        "nan_readiness",
        "field 'readiness.as_is.data': must be a whole number from 0 (absent) to 4 (in place) "
        "(got nan)",
    ),
    (
        "overflow_float",
        "field 'pocs_per_year': must be a whole number from 1 to 10,000 (got inf)",
    ),
    (
        "exponent_without_dot",
        "field 'horizon_years': must be a whole number from 1 to 10 (got '1e400')",
    ),
    (
        "huge_integer",
        "line 5, column 16: is not valid YAML: found a number of more than 64 characters",
    ),
    (
        "sexagesimal_number",
        "line 5, column 16: is not valid YAML: found a number of more than 64 characters",
    ),
    (
        "money_too_large",
        "field 'costs.per_poc': must be an amount of 0 or more, at most 1,000,000,000,000",
    ),
    (
        "money_nan",
        "field 'annual_value_per_use_case': must be an amount of 0 or more, at most "
        "1,000,000,000,000: a number, or text such as 450k, 1.2M, $1,200,000 or 1 200 000 "
        "(got nan)",
    ),
    (
        "money_inf",
        "field 'costs.to_production': must be an amount of 0 or more, at most 1,000,000,000,000: "
        "a number, or text such as 450k, 1.2M, $1,200,000 or 1 200 000 (got inf)",
    ),
    (
        "control_char_client",
        "field 'client': holds U+0007 at character 10: a control character; only tab and "
        "line feed are allowed",
    ),
    ("nul_in_notes", "field 'notes': holds U+0000 at character 10: a control character"),
    (
        "bidi_override_client",
        "field 'client': holds U+202E at character 11: a bidirectional override",
    ),
    (
        "line_break_prepared_by",
        "field 'prepared_by': holds U+000A at character 12: a line break; this field is one line",
    ),
    ("c1_control_period", "field 'record.period': holds U+0085 at character 5"),
    ("client_too_long", "field 'client': must be at most 120 characters (it has 4,999)"),
    (
        "client_not_text",
        "field 'client': must be the client's name as text "
        "(got {'name': ['Northwind', 'Logistics']})",
    ),
    (
        "currency_a_list",
        "field 'currency': must be one of USD, EUR, GBP, CHF, AUD, CAD (got ['USD', 'EUR'])",
    ),
    ("binary_client", "field 'client': must be the client's name as text (got b'Northwind')"),
    (
        "python_tag",
        "line 2, column 9: is not valid YAML: could not determine a constructor for the tag",
    ),
    ("deep_nesting", "is not valid YAML: exceeded maximum nesting depth"),
    ("two_documents", "is not valid YAML: but found another document"),
    (
        "long_unknown_key",
        "field 'secret-secret-secret-secret-secret-se...': is not a known key",
    ),
    ("alias_bomb", "line 2, column 6: uses a YAML anchor or alias (&name or *name)"),
    ("merge_key_alias", "line 12, column 10: uses a YAML anchor or alias"),
    ("not_a_scenario", "must be a YAML mapping of keys to values (got 'str')"),
    (
        "impossible_date",
        "line 25, column 11: is not valid YAML: found a value that is not a valid timestamp "
        "(day is out of range for month)",
    ),
    (
        "bad_bool_tag",
        "line 4, column 29: is not valid YAML: found a value that is not a valid bool",
    ),
    (
        "secret_values",
        "field 'client': must be the client's name as text (got {'password': 'hunter2-",
    ),
]


@pytest.mark.parametrize(("name", "expected"), HOSTILE_CASES)
def test_a_hostile_scenario_is_one_line_naming_file_field_and_value(name, expected):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(HOSTILE / f"{name}.yaml")
    assert_one_line_error(caught.value, f"tests/fixtures/hostile/scenarios/{name}.yaml: ", expected)


def test_every_hostile_scenario_fixture_is_tested():
    assert {name for name, _ in HOSTILE_CASES} == {p.stem for p in HOSTILE.glob("*.yaml")}


def test_no_message_shows_more_than_80_characters_of_a_value():
    for path in HOSTILE.glob("*.yaml"):
        with pytest.raises(ScenarioError) as caught:
            load_scenario(path)
        for secret in ("hunter2-" * 11, "secret-" * 12, "s3cr3t" * 14, "Northwind " * 9):
            assert secret not in str(caught.value), path.name


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("pocs_per_year", float("inf"), "got inf"),
        ("pocs_per_year", float("nan"), "got nan"),
        ("pocs_per_year", 10**400, "got a whole number of about 401 digits"),
        pytest.param(
            "horizon_years",
            -(10**5000),
            "got a whole number of about 5,001 digits",
            id="horizon_years-5000-digits",
        ),
        ("annual_value_per_use_case", 10**400, "got a whole number of about 401 digits"),
        ("annual_value_per_use_case", 1e13, "at most 1,000,000,000,000"),
        ("client", "Acme\ud800", "U+D800"),
        ("client", "Acme\ufeff\uffff", "U+FFFF"),
        ("prepared_by", "Acme\u2028Co", "U+2028 at character 5: a line break"),
        ("notes", "x" * 4001, "must be at most 4,000 characters"),
        ("currency", {"USD": 1}, "must be one of"),
        ("include_unverified_sources", "yes", "must be true or false"),
    ],
)
def test_python_values_from_a_notebook_are_refused_the_same_way(field, value, expected):
    data = load_scenario(SCENARIOS / "valid.yaml").to_dict()
    data[field] = value
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(data, "explorer")
    assert_one_line_error(caught.value, f"explorer: field '{field}'", expected)


def test_a_scenario_that_is_not_a_mapping_is_refused_by_name():
    with pytest.raises(ScenarioError, match=r"^explorer: must be a mapping .* \(got 'list'\)$"):
        scenario_from_dict(["client", "Acme"], "explorer")  # type: ignore[arg-type]


def test_a_year_as_the_record_period_is_kept_as_text():
    data = load_scenario(SCENARIOS / "record_valid.yaml").to_dict()
    data["record"]["period"] = 2025
    assert scenario_from_dict(data).record.period == "2025"
