import pytest

from pilotfunnel.assumptions import DRIVERS, load_assumptions
from pilotfunnel.errors import AssumptionError

from .conftest import FIXTURES, ROOT

ASSUMPTIONS = FIXTURES / "assumptions"


def test_project_assumptions_are_labelled(fixture_sources):
    from pilotfunnel.sources import load_sources

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
