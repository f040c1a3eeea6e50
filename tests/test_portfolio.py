"""Many scenarios modelled at once: the analyst's DataFrame, the Excel workbook, safe cells."""

import openpyxl
import pytest

from pilotfunnel import portfolio

from .conftest import FIXTURES, ROOT

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
    table = portfolio.frame(rows)
    assert len(table) == 4 and list(table.columns) == list(portfolio.COLUMNS)
    assert str(table["as_is_production"].dtype) == "float64"
    assert table.loc[0, "client"] == "Northwind Logistics"
    assert table.loc[3, "error"].startswith("tests/fixtures/scenarios/not_yaml.yaml")
    assert table["as_is_production"].isna().tolist() == [False, False, False, True]


def test_workbook_has_units_formats_a_frozen_header_and_the_inputs(rows, tmp_path):
    path = portfolio.write_xlsx(rows, FILES, tmp_path / "summary.xlsx")
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
    path = portfolio.write_xlsx(rows, FILES, tmp_path / "summary.xlsx")
    cell = openpyxl.load_workbook(path)["Results"]["B4"]
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"
