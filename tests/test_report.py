"""The CLI's plain-text view of a model result: ranges and the table."""

import dataclasses
import re

import pytest

from pilotfunnel.inputs.assumptions import DRIVERS
from pilotfunnel.inputs.project import Project
from pilotfunnel.model import funnel
from pilotfunnel.model.funnel import Range
from pilotfunnel.views import report

from .conftest import ROOT


@pytest.fixture(scope="module")
def project_model():
    return Project.load(ROOT).model


@pytest.fixture(scope="module")
def demo_result(demo, project_model):
    return funnel.run(demo, project_model, draws=2000, seed=1)


@pytest.fixture(scope="module")
def demo_table(demo_result):
    return report.text_table(demo_result)


def _number(shown: str) -> float:
    """A figure as the table prints it ('$10.6M', '-75%', '1,234') back to a number."""
    match = re.fullmatch(r"([+-]?)\$?([\d,.]+)([kMB%]?)", shown)
    assert match, f"not a printed figure: {shown!r}"
    sign, digits, unit = match.groups()
    scale = {"": 1, "k": 1e3, "M": 1e6, "B": 1e9, "%": 0.01}[unit]
    return (-1 if sign == "-" else 1) * float(digits.replace(",", "")) * scale


def test_format_range_of_a_count():
    figure = Range(expected=4.4, p10=1.0, p50=4.0, p90=9.0)
    assert report.format_range(figure, "count") == ("4.4", "1 to 9")


def test_format_range_of_money_in_the_scenarios_currency():
    figure = Range(expected=10.6e6, p10=9.1e6, p50=10.4e6, p90=12.7e6)
    assert report.format_range(figure, "money") == ("$10.6M", "$9.1M to $12.7M")
    assert report.format_range(figure, "money", "EUR") == ("€10.6M", "€9.1M to €12.7M")


def test_format_range_of_a_return_on_spend():
    figure = Range(expected=-0.75, p10=-1.0, p50=-0.77, p90=0.28)
    assert report.format_range(figure, "roi") == ("-75%", "-100% to +28%")


def test_format_range_of_an_unknown_kind_is_refused():
    with pytest.raises(KeyError):
        report.format_range(Range(1, 0, 1, 2), "percent")


def test_table_names_the_client_and_the_draws(demo_table):
    first, second = demo_table.splitlines()[:2]
    assert first == "Northwind Logistics: 72 proofs of concept over 3 years (24 a year)"
    assert "2,000 draws (seed 1)" in second


def test_table_has_a_line_for_each_row(demo_table):
    labels = [line[: report.LABEL_WIDTH].rstrip() for line in demo_table.splitlines()]
    for _, label, _ in report.KEY_NUMBERS:
        assert labels.count(label) == 1, label


def test_table_ranges_hold_the_central_figure_as_printed(demo_table):
    rows = {label: kind for _, label, kind in report.KEY_NUMBERS}
    checked = 0
    for line in demo_table.splitlines():
        if line[: report.LABEL_WIDTH].rstrip() not in rows:
            continue
        # label, then as is: central "P10 to P90", then target: central "P10 to P90"
        fields = line[report.LABEL_WIDTH :].split()
        for expected, p10, to, p90 in (fields[0:4], fields[4:8]):
            assert to == "to", line
            assert _number(p10) <= _number(expected) <= _number(p90), line
            checked += 1
    assert checked == 2 * len(report.KEY_NUMBERS)


def test_table_shows_readiness_as_is_and_at_target(demo, demo_table):
    lines = demo_table.splitlines()
    as_is = next(line for line in lines if line.startswith("  as is"))
    target = next(line for line in lines if line.startswith("  target"))
    assert as_is.split()[2:] == [str(demo.as_is[d]) for d in DRIVERS]
    assert target.split()[1:] == [str(demo.target[d]) for d in DRIVERS]


def _ranking(table: str) -> list[str]:
    """The table's ranking lines: from its heading to the blank line that ends it."""
    return table.split("Which driver matters most")[1].split("\n\n")[0].splitlines()[1:]


def test_table_ranks_every_driver_with_its_gains(demo_result, demo_table):
    ranking = _ranking(demo_table)
    effects = demo_result.sensitivity
    for rank, (line, effect) in enumerate(zip(ranking, effects, strict=True), start=1):
        assert line.startswith(
            f"  {rank}. {effect.driver} {effect.from_level}->{effect.to_level}: +"
        ), line
        assert line.endswith(" value") and "reaching production, +$" in line


def test_table_says_when_a_driver_is_already_at_target(demo, project_model):
    scenario = dataclasses.replace(demo, target={**demo.target, "data": demo.as_is["data"]})
    table = report.text_table(funnel.run(scenario, project_model, draws=2000, seed=1))
    ranking = _ranking(table)
    at_target = [line for line in ranking if "already at target" in line]
    assert len(ranking) == len(DRIVERS) and len(at_target) == 1
    assert re.fullmatch(rf"  \d\. data: already at target \({demo.as_is['data']}\)", at_target[0])


def test_the_key_numbers_read_the_same_in_the_cli_the_explorer_and_the_brief(demo, project):
    from pilotfunnel.ui.explorer.explorer import Explorer
    from pilotfunnel.views import brief

    table = report.text_table(funnel.run(demo, project.model, draws=500))
    summary = brief.summary(brief.prepare(project, demo, draws=500)).html
    shown = Explorer(project, demo, draws=500).numbers.value
    for row in report.KEY_NUMBERS:
        assert table.count(f"\n{row.label} ") == 1, row.label
        assert f'<th scope="row">{row.label}</th>' in summary, row.label
        assert f"<th>{row.label}</th>" in shown and f'class="pf-asis-{row.metric}"' in shown


def test_the_table_tells_the_consultant_what_to_do_about_the_record(demo, project_model):
    """The instruction to keep or add the record is the consultant's: the CLI ends with it."""
    result = funnel.run(demo, project_model, draws=500, seed=1)
    calibrated = report.text_table(result)
    assert calibrated.endswith("\n\n" + report.record_advice(result))
    last = calibrated.splitlines()[-1]
    assert last.startswith("Keep the record current") and "re-run" in last
    bare = dataclasses.replace(demo, record=None)
    without = report.text_table(funnel.run(bare, project_model, draws=500, seed=1))
    last = without.splitlines()[-1]
    assert last.startswith("No record yet: add a record block") and "re-run" in last
    assert "Keep the record current" not in without
