"""Many scenarios modelled at once: the analyst's DataFrame, the Excel workbook, safe cells."""

import openpyxl
import pytest

from pilotfunnel.model import portfolio
from pilotfunnel.views import summary

from ..conftest import FIXTURES, ROOT

FILES = [
    ROOT / "data" / "clients" / "demo.yaml",
    ROOT / "data" / "clients" / "fernhill-foods.yaml",
    FIXTURES / "scenarios" / "formula_name.yaml",
    FIXTURES / "scenarios" / "not_yaml.yaml",
]


@pytest.fixture(scope="module")
def rows(model):
    return portfolio.evaluate(FILES, model)


def test_frame_has_a_row_per_file_with_numbers_as_numbers(rows):
    table = summary.frame(rows)
    assert len(table) == 4 and list(table.columns) == list(portfolio.COLUMNS)
    assert str(table["as_is_production"].dtype) == "float64"
    assert table.loc[0, "client"] == "Northwind Logistics"
    assert table.loc[3, "error"].startswith("tests/fixtures/scenarios/not_yaml.yaml")
    assert table["as_is_production"].isna().tolist() == [False, False, False, True]


def test_workbook_has_units_formats_a_frozen_header_and_the_inputs(rows, tmp_path):
    path = summary.write_xlsx(rows, FILES, tmp_path / "summary.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Results", "Inputs"]
    results = book["Results"]
    headings = [c.value for c in results[1]]
    assert "As is: reaching production (use cases)" in headings
    assert "Target: return on spend (%)" in headings
    assert results.freeze_panes == "A2" and book["Inputs"].freeze_panes == "A2"
    roi = results.cell(row=2, column=headings.index("As is: return on spend (%)") + 1)
    assert roi.number_format == "0%" and isinstance(roi.value, float)
    spend = results.cell(row=2, column=headings.index("As is: total spend (currency)") + 1)
    assert spend.number_format == "#,##0"
    inputs = book["Inputs"]
    assert [c.value for c in inputs[1]][:3] == ["File", "Client", "Currency"]
    assert inputs.max_row == 4  # the three valid scenarios


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook(rows, tmp_path):
    path = summary.write_xlsx(rows, FILES, tmp_path / "summary.xlsx")
    cell = openpyxl.load_workbook(path)["Results"]["B4"]
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"


def test_a_non_finite_scenario_fails_alone_in_a_batch(model):
    hostile = FIXTURES / "hostile" / "scenarios"
    files = [FILES[0], hostile / "inf_whole_number.yaml", hostile / "alias_bomb.yaml", FILES[1]]
    rows = portfolio.evaluate(files, model)
    assert [bool(r["error"]) for r in rows] == [False, True, True, False]
    assert "field 'pocs_per_year': must be a whole number" in rows[1]["error"]
    assert "uses a YAML anchor or alias" in rows[2]["error"]


def test_the_workbook_holds_any_file_name_and_error(model, tmp_path):
    # A file name from a folder can hold what a workbook cannot (the loaders refuse such text
    # inside a file, not in its name): the writer drops those characters, never the workbook.
    odd = tmp_path / "acme\x07\x1b[2J.yaml"
    odd.write_text((ROOT / "data" / "clients" / "demo.yaml").read_text())
    bad = tmp_path / "bad\x01.yaml"
    bad.write_text("client: [unclosed\n")
    files = [odd, bad]
    rows = portfolio.evaluate(files, model)
    path = summary.write_xlsx(rows, files, tmp_path / "summary.xlsx")
    results = openpyxl.load_workbook(path)["Results"]
    assert results["A2"].value.endswith("acme[2J.yaml")
    assert results["A3"].value.endswith("bad.yaml")
    assert results["B2"].value == "Northwind Logistics"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Müller & Søn\ttab\nline", "Müller & Søn\ttab\nline"),
        ("bell\x07nul\x00esc\x1b", "bellnulesc"),
        ("lone\ud800surrogate\uffff", "lonesurrogate"),
        (12.5, 12.5),
    ],
)
def test_workbook_text_drops_what_a_workbook_cannot_hold(text, kept):
    assert summary.workbook_text(text) == kept
