"""The CLI's plain-text view of a model result: ranges and the table."""

import dataclasses
import re

import pytest

from pilotfunnel.inputs.assumptions import DRIVERS
from pilotfunnel.inputs.project import Project
from pilotfunnel.model import funnel
from pilotfunnel.model.funnel import Range
from pilotfunnel.views import brief, record, report, tables
from pilotfunnel.views import messages as msg
from pilotfunnel.views.tables import TableView

from ..conftest import ROOT


@pytest.fixture(scope="module")
def project_model():
    return funnel.model_of(Project.load(ROOT))


@pytest.fixture(scope="module")
def demo_ctx(demo):
    return brief.prepare(Project.load(ROOT), demo, draws=2000, seed=1)


@pytest.fixture(scope="module")
def demo_table(demo_ctx):
    return report.text_table(demo_ctx)


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


def _block(table: str, caption: str) -> list[str]:
    """The lines of one table: from its caption to the blank line that ends it."""
    return table.split("\n" + caption + "\n")[1].split("\n\n")[0].splitlines()


def test_the_cli_prints_the_view_models_tables_row_for_row(demo_ctx, demo_table):
    # The CLI computes nothing: each table is the brief's, its cells the brief's cells.
    for view in (demo_ctx.at_a_glance, demo_ctx.money_table, demo_ctx.practices_table):
        lines = _block(demo_table, view.caption)
        assert len(lines) == 1 + len(view.rows) + (1 if view.note else 0)
        for line, row in zip(lines[1:], view.rows, strict=False):
            assert line.startswith(row[0]) and line.split() == " ".join(row).split(), line


def test_table_columns_line_up(demo_ctx, demo_table):
    lines = _block(demo_table, demo_ctx.money_table.caption)
    ends = {len(line) for line in lines}
    assert len(ends) == 1, lines  # right-aligned figures end in the same column


def test_the_headline_numbers_read_as_in_the_brief(demo_ctx, demo_table):
    for h in demo_ctx.headline:
        assert f"\n{h.value} {h.label}. {h.detail}\n" in demo_table


def test_table_lines_of_a_small_table():
    view = TableView("Caption", ("", "A", "Bee"), (("one", "1", "22"), ("three", "333", "")), "n")
    assert report.table_lines(view) == [
        "Caption",
        "         A  Bee",
        "one      1   22",
        "three  333",
        "n",
    ]


def test_table_shows_readiness_as_is_and_at_target(demo, demo_ctx, demo_table):
    lines = demo_table.split(msg.READINESS_SCALE)[1].split("\n\n")[0].splitlines()[1:]
    labels = [d.label for d in demo_ctx.drivers]
    for line, d, label in zip(lines, DRIVERS, labels, strict=True):
        assert line.startswith(label) and line.split()[-2:] == [
            str(demo.as_is[d]),
            str(demo.target[d]),
        ]


def test_table_says_when_a_practice_is_already_at_target(demo):
    scenario = dataclasses.replace(demo, target={**demo.target, "data": demo.as_is["data"]})
    ctx = brief.prepare(Project.load(ROOT), scenario, draws=2000, seed=1)
    lines = _block(report.text_table(ctx), msg.PRACTICES_HEADING)[1:-1]
    at_target = [line for line in lines if msg.ALREADY_AT_TARGET in line]
    assert len(lines) == len(DRIVERS) and len(at_target) == 1


def test_the_key_numbers_read_the_same_in_the_cli_the_explorer_and_the_brief(demo, project):
    from pilotfunnel.ui.explorer.explorer import Explorer

    ctx = brief.prepare(project, demo, draws=500)
    table = report.text_table(ctx)
    summary = brief.summary(ctx).html
    shown = Explorer(project, demo, draws=500).form.numbers.value
    glance = "\n".join(_block(table, ctx.at_a_glance.caption))
    for row in tables.KEY_NUMBERS:
        assert glance.count(f"\n{row.label} ") == 1, row.label
        assert f'<th scope="row">{row.label}</th>' in summary, row.label
        assert f"<th>{row.label}</th>" in shown and f'class="pf-asis-{row.metric}"' in shown


def test_the_table_tells_the_consultant_what_to_do_about_the_record(demo, project):
    """The instruction to keep or add the record is the consultant's: the CLI ends with it."""
    ctx = brief.prepare(project, demo, draws=500, seed=1)
    calibrated = report.text_table(ctx)
    assert calibrated.endswith("\n\n" + record.record_advice(ctx.result))
    last = calibrated.splitlines()[-1]
    assert last.startswith("Keep the record current") and "re-run" in last
    bare = brief.prepare(project, dataclasses.replace(demo, record=None), draws=500, seed=1)
    without = report.text_table(bare)
    last = without.splitlines()[-1]
    assert last.startswith("No record yet: add a record block") and "re-run" in last
    assert "Keep the record current" not in without
    assert msg.RECORD_HEADING not in without and msg.RECORD_HEADING in calibrated
