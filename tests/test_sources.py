import datetime as dt

import pytest

from pilotfunnel.errors import SourceError
from pilotfunnel.sources import check_sources, load_sources

from .conftest import FIXTURE_TODAY, FIXTURES, ROOT

SOURCES = FIXTURES / "sources"


def load(name: str):
    return load_sources(SOURCES / name, today=FIXTURE_TODAY)


def error_text(name: str) -> str:
    with pytest.raises(SourceError) as caught:
        load(name)
    return str(caught.value)


def test_project_sources_validate_with_headline_figures():
    table = load_sources(ROOT / "data" / "sources.csv")
    idc = table["idc-2025-poc-to-production"]
    assert (idc.numerator, idc.denominator) == (4, 33)
    assert idc.evidence == "verified"
    mit = table["mit-nanda-2025-no-pnl-return"]
    assert mit.value == 95
    assert "organi" in mit.statistic.lower()  # counts organisations, not pilots
    assert "pilots fail" not in mit.statistic.lower()
    assert len(table) >= 6
    for source in table:
        assert source.caveats and source.quote and source.url.startswith("https://")


def test_valid_fixture_loads_with_parsed_fields():
    table = load("valid.csv")
    idc = table["idc-2025-poc-to-production"]
    assert idc.proportion == pytest.approx(4 / 33)
    assert idc.published == dt.date(2025, 3, 25)
    assert idc.row == 2
    assert table.warnings == []


def test_bom_and_crlf_from_excel_are_accepted():
    assert set(load("bom_crlf.csv").sources) == set(load("valid.csv").sources)


def test_semicolon_file_with_decimal_comma_is_read_correctly():
    table = load("semicolon_decimal_comma.csv")
    assert table["idc-2025-poc-to-production"].value == pytest.approx(12.1)
    assert len(table) == 3


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing_column.csv", ["row 1", "missing required column 'caveats'"]),
        ("bad_date.csv", ["row 2", "column 'published'", "not a real date", "2025-02-30"]),
        ("future_date.csv", ["row 2", "column 'accessed'", "in the future", "2099-01-01"]),
        ("numerator_over_denominator.csv", ["column 'numerator'", "greater than", "40"]),
        ("value_mismatch.csv", ["column 'value'", "4/33", "12.1%", "'25'"]),
        ("percent_out_of_range.csv", ["column 'value'", "between 0 and 100", "120"]),
        ("bad_url.csv", ["column 'url'", "https://", "www.cio.com/article"]),
        ("bad_evidence.csv", ["column 'evidence'", "verified, secondary, unverified"]),
        ("wrong_type.csv", ["column 'value'", "not a number", "twelve"]),
        ("negative_count.csv", ["column 'sample_size'", "whole number of 0 or more", "-5"]),
        ("duplicate_id.csv", ["row 3", "duplicates the id of row 2"]),
        ("empty.csv", ["empty.csv", "is empty"]),
        ("not_csv.csv", ["not_csv.csv", "not UTF-8", "CSV UTF-8"]),
        ("prose.csv", ["row 1", "not a comma- or semicolon-separated table"]),
        ("windows_1252.csv", ["not UTF-8"]),
        ("header_only.csv", ["no sources"]),
    ],
)
def test_each_failure_names_the_place_and_the_problem(name, expected):
    text = error_text(name)
    assert name in text
    for fragment in expected:
        assert fragment in text


def test_row_errors_name_the_source_id():
    assert "row 2 (idc-2025-poc-to-production)" in error_text("bad_date.csv")


def test_stale_access_is_a_warning_not_an_error():
    table = load("stale_access.csv")
    assert len(table) == 3
    [warning] = table.warnings
    assert warning.severity == "warning"
    assert "more than 12 months ago" in str(warning)
    assert "2025-05-01" in str(warning)


def test_check_sources_reports_without_raising():
    problems = check_sources(SOURCES / "bad_date.csv", today=FIXTURE_TODAY)
    assert [p.severity for p in problems] == ["error"]


def test_interval_is_wide_for_small_samples_and_contains_the_estimate():
    idc = load("valid.csv")["idc-2025-poc-to-production"]
    low, high = idc.interval(0.8)
    assert low < 4 / 33 < high
    assert high - low > 0.08  # 4 of 33 is uncertain; the interval must show it


# --- for analysts: problems located by field, the table as a DataFrame ----------------------
def test_a_problem_names_its_row_id_and_column_as_fields(fixtures):
    from pilotfunnel.sources import check_sources

    (problem,) = [
        p
        for p in check_sources(fixtures / "sources" / "bad_date.csv", today=FIXTURE_TODAY)
        if p.severity == "error"
    ]
    assert (problem.row, problem.column) == (2, "published")
    assert problem.row_id  # the row's id, not parsed out of the message


def test_frame_types_every_column_of_a_valid_table():
    from pilotfunnel.sources import frame

    table = frame(ROOT / "data" / "sources.csv")
    assert table.index.name == "row" and table.index[0] == 2
    assert str(table["value"].dtype) == "float64"
    assert str(table["numerator"].dtype) == "Int64"
    assert str(table["published"].dtype).startswith("datetime64")
    assert str(table["evidence"].dtype) == "category"
    assert table.loc[3, "numerator"] == 4 and table.loc[3, "denominator"] == 33


def test_frame_keeps_a_bad_cell_as_text_and_flags_it(fixtures):
    from pilotfunnel.sources import frame

    table = frame(fixtures / "sources" / "bad_date.csv", today=FIXTURE_TODAY)
    assert table.loc[2, "published"] == "2025-02-30"
    problems = table.attrs["problems"]
    assert list(problems.columns) == ["row", "row_id", "column", "severity", "message", "value"]
    errors = problems[problems["severity"] == "error"]
    assert errors[["row", "column"]].values.tolist() == [[2, "published"]]


def test_frame_of_an_unreadable_table_is_empty_with_the_reason(fixtures):
    from pilotfunnel.sources import frame

    table = frame(fixtures / "sources" / "windows_1252.csv", today=FIXTURE_TODAY)
    assert table.empty
    assert "is not UTF-8 text" in table.attrs["problems"]["message"].iloc[0]


def test_a_row_edited_in_excel_and_saved_as_csv_utf8_with_semicolons_loads(tmp_path):
    import csv
    import io

    from pilotfunnel.sources import frame, load_sources

    # What Excel writes in a locale with decimal commas: BOM, CRLF, ';', "12,1".
    rows = list(csv.reader(io.StringIO((ROOT / "data" / "sources.csv").read_text("utf-8-sig"))))
    header = rows[0]
    copied = list(rows[2])
    copied[header.index("id")] = "idc-2025-poc-to-production-copy"
    copied[header.index("value")] = "12.1"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in [*rows, copied]:
        value_at = header.index("value")
        writer.writerow([c.replace(".", ",") if i == value_at else c for i, c in enumerate(row)])
    path = tmp_path / "sources.csv"
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    table = load_sources(path, today=FIXTURE_TODAY)
    assert table["idc-2025-poc-to-production-copy"].value == pytest.approx(12.1)
    assert frame(path, today=FIXTURE_TODAY).loc[len(rows) + 1, "value"] == pytest.approx(12.1)
