import ast
import csv
import datetime as dt
import io
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotfunnel.batch import fingerprint
from pilotfunnel.core.errors import SourceError
from pilotfunnel.inputs.sources.check import read_table
from pilotfunnel.inputs.sources.load import MAX_TABLE_BYTES, check_sources, frame, load_sources
from pilotfunnel.inputs.sources.read import split_table

from ..conftest import FIXTURE_TODAY, FIXTURES, ROOT, assert_one_line_error

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
        assert source.caveats and source.quote
        # The primary's own address, or (known only through a report) the report's name.
        assert source.url.startswith("https://") or source.reported_by, source.id


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
    (problem,) = [
        p
        for p in check_sources(fixtures / "sources" / "bad_date.csv", today=FIXTURE_TODAY)
        if p.severity == "error"
    ]
    assert (problem.row, problem.column) == (2, "published")
    assert problem.row_id  # the row's id, not parsed out of the message


def test_frame_types_every_column_of_a_valid_table():
    table = frame(ROOT / "data" / "sources.csv")
    assert table.index.name == "row" and table.index[0] == 2
    assert str(table["value"].dtype) == "float64"
    assert str(table["numerator"].dtype) == "Int64"
    assert str(table["published"].dtype).startswith("datetime64")
    assert str(table["evidence"].dtype) == "category"
    assert table.loc[3, "numerator"] == 4 and table.loc[3, "denominator"] == 33


def test_frame_keeps_a_bad_cell_as_text_and_flags_it(fixtures):
    table = frame(fixtures / "sources" / "bad_date.csv", today=FIXTURE_TODAY)
    assert table.loc[2, "published"] == "2025-02-30"
    problems = table.attrs["problems"]
    assert list(problems.columns) == ["row", "row_id", "column", "severity", "message", "value"]
    errors = problems[problems["severity"] == "error"]
    assert errors[["row", "column"]].values.tolist() == [[2, "published"]]


def test_frame_of_an_unreadable_table_is_empty_with_the_reason(fixtures):
    table = frame(fixtures / "sources" / "windows_1252.csv", today=FIXTURE_TODAY)
    assert table.empty
    assert "is not UTF-8 text" in table.attrs["problems"]["message"].iloc[0]


def test_a_row_edited_in_excel_and_saved_as_csv_utf8_with_semicolons_loads(tmp_path):
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


# --- hostile tables (tests/fixtures/hostile/sources/): one line each, the frame flags the cell --
HOSTILE = FIXTURES / "hostile" / "sources"
IDC = "row 2 (idc-2025-poc-to-production)"
HOSTILE_CASES = [
    ("inf_value", f"{IDC}, column 'value': must be a finite number (not inf or nan) (got 'inf')"),
    ("nan_value", f"{IDC}, column 'value': must be a finite number (not inf or nan) (got 'nan')"),
    ("overflow_value", f"{IDC}, column 'value': must be a finite number (not inf or nan)"),
    (
        "negative_infinity_sample",
        "row 3 (mit-nanda-2025-no-pnl-return), column 'sample_size': must be a finite number",
    ),
    ("nan_numerator", f"{IDC}, column 'numerator': must be a finite number"),
    (
        "huge_denominator",
        f"{IDC}, column 'denominator': must be at most 1,000,000,000,000 (got '1e15')",
    ),
    ("count_too_large", f"{IDC}, column 'value': must be at most 1,000,000,000,000 (got '5e13')"),
    ("control_char_quote", f"{IDC}, column 'quote': holds U+0007 at character 21"),
    ("bidi_publisher", f"{IDC}, column 'publisher': holds U+202E at character 5"),
    ("nul_in_title", f"{IDC}, column 'title': holds U+0000 at character 4"),
    ("line_break_in_url", f"{IDC}, column 'url': holds U+000A at character 22: a line break"),
    ("cell_too_long", f"{IDC}, column 'caveats': must be at most 5,000 characters (it has 5,599)"),
    ("id_too_long", "column 'id': must be at most 80 characters (it has 304)"),
    ("open_ipv6_url", f"{IDC}, column 'url': must be a full web address starting with https://"),
    ("duplicate_column", "row 1: has the column 'value' more than once; keep one"),
    ("too_many_columns", "row 1: has 217 columns; a sources table has at most 100"),
]


@pytest.mark.parametrize(("name", "expected"), HOSTILE_CASES)
def test_a_hostile_table_is_one_line_naming_row_column_and_value(name, expected):
    with pytest.raises(SourceError) as caught:
        load_sources(HOSTILE / f"{name}.csv", today=FIXTURE_TODAY)
    assert_one_line_error(caught.value, f"tests/fixtures/hostile/sources/{name}.csv: ", expected)


def test_every_hostile_table_fixture_is_tested():
    tested = {name for name, _ in HOSTILE_CASES} | {"long_unknown_column"}
    assert tested == {p.stem for p in HOSTILE.glob("*.csv")}


def test_a_long_unknown_column_is_a_short_warning():
    table = load_sources(HOSTILE / "long_unknown_column.csv", today=FIXTURE_TODAY)
    [warning] = table.warnings
    assert str(warning).endswith(
        "column 'note note note note note note note no...': is not a known column; it is ignored"
    )


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("inf_value", "value"),
        ("nan_value", "value"),
        ("overflow_value", "value"),
        ("nan_numerator", "numerator"),
        ("huge_denominator", "denominator"),
        ("control_char_quote", "quote"),
    ],
)
def test_the_frame_keeps_a_hostile_cell_as_text_and_flags_it(name, column):
    table = frame(HOSTILE / f"{name}.csv", today=FIXTURE_TODAY)
    errors = table.attrs["problems"].query("severity == 'error'")
    assert errors[["row", "column"]].values.tolist() == [[2, column]]
    assert isinstance(table.loc[2, column], str)  # kept as the analyst typed it
    assert table.loc[3, "value"] == 95  # the other rows are still numbers
    assert "inf" not in table["value"].map(str).tolist()[1:]


def test_the_frame_of_a_row_refused_whole_never_holds_infinity(tmp_path):
    # A row with too many fields is refused as a whole, with no cell named: the frame must
    # still not read its 'inf' as a number, nor 1.5 as a whole number.
    text = (SOURCES / "valid.csv").read_text().splitlines()
    header = text[0].split(",")
    cells = next(csv.reader([text[1]]))
    cells[header.index("value")] = "inf"
    cells[header.index("numerator")] = "1.5"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([*cells, "extra"])
    path = tmp_path / "sources.csv"
    path.write_text("\n".join([text[0], out.getvalue().strip(), *text[2:]]) + "\n")
    table = frame(path, today=FIXTURE_TODAY)
    assert table.loc[2, "value"] == "inf" and table.loc[2, "numerator"] == "1.5"
    assert str(table["denominator"].dtype) == "Int64"


def test_the_frame_gives_repeated_headings_their_own_columns():
    table = frame(HOSTILE / "duplicate_column.csv", today=FIXTURE_TODAY)
    assert "value (column 18)" in table.columns
    assert table.loc[2, "value (column 18)"] == "99"


def test_a_cell_past_csvs_field_limit_is_one_line(tmp_path):
    path = tmp_path / "sources.csv"
    valid = (SOURCES / "valid.csv").read_text()
    path.write_text(valid + 'x,"' + "a" * 200_000 + '"\n')
    with pytest.raises(SourceError) as caught:
        load_sources(path, today=FIXTURE_TODAY)
    text = str(caught.value)
    assert text.endswith(
        "sources.csv: line 5: has a cell of more than 131,072 characters (a quote left open?); "
        "a cell may hold at most 5,000"
    )
    assert frame(path, today=FIXTURE_TODAY).index.tolist() == [2, 3, 4]


def test_a_table_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_bytes((SOURCES / "valid.csv").read_bytes() + b"\n" * MAX_TABLE_BYTES)
    with pytest.raises(SourceError, match=r"sources\.csv: is larger than 4 MiB, the most"):
        load_sources(path, today=FIXTURE_TODAY)
    assert frame(path, today=FIXTURE_TODAY).empty


def test_a_fifo_named_as_the_table_is_refused_without_blocking(tmp_path):
    path = tmp_path / "sources.csv"
    os.mkfifo(path)
    with pytest.raises(SourceError, match=r"is a FIFO \(named pipe\), not a regular file"):
        load_sources(path, today=FIXTURE_TODAY)
    assert frame(path, today=FIXTURE_TODAY).empty


# --- the one reader: the loader, the frame and the manifest read the same rows ----------------


def _valid_lines() -> list[str]:
    return (SOURCES / "valid.csv").read_text(encoding="utf-8").splitlines()


def test_the_reader_splits_what_excel_saves_into_a_header_and_numbered_rows():
    text = '\ufeffid;value;quote\r\na; 12,5 ;"two\r\nlines"\r\n\r\n ; ;\r\nb;3;x\r\n'
    table = split_table(text.removeprefix("\ufeff"))
    assert (table.delimiter, table.decimal_comma) == (";", True)
    assert table.header == ("id", "value", "quote")
    # A cell with a line break is one row; a blank line and a row of blanks are rows too.
    assert [row.number for row in table.rows] == [2, 5]
    assert table.rows[0].cells == ["a", " 12,5 ", "two\r\nlines"]  # as written, for hashing
    assert table.number(table.rows[0].cells[1]) == 12.5
    assert split_table("id,value\na,12,5\n").number("12,5") is None  # commas separate here
    assert split_table(" \r\n \n").empty


def test_a_row_after_blank_lines_has_the_same_number_for_the_loader_and_the_frame(tmp_path):
    lines = _valid_lines()
    bad = lines[3].replace("percent", "pct", 1)
    path = tmp_path / "sources.csv"
    path.write_text("\n".join([*lines[:3], "", "", bad, *lines[4:]]) + "\n", encoding="utf-8")
    [problem] = check_sources(path, today=FIXTURE_TODAY)
    assert problem.row == 6 and problem.where.startswith("row 6 ")  # as a spreadsheet shows it
    table = frame(path, today=FIXTURE_TODAY)
    assert table.loc[6, "unit"] == "pct"
    assert table.attrs["problems"]["row"].tolist() == [6]


def test_text_past_the_last_column_is_a_row_with_too_many_fields_not_a_blank_row(tmp_path):
    lines = _valid_lines()
    width = len(lines[0].split(","))
    path = tmp_path / "sources.csv"
    path.write_text("\n".join([*lines, "," * width + "stray"]) + "\n", encoding="utf-8")
    [problem] = check_sources(path, today=FIXTURE_TODAY)
    assert problem.row == len(lines) + 1
    assert f"has {width + 1} fields but the header has {width}" in problem.message


def test_the_loader_refuses_bytes_that_are_not_utf8_and_the_manifest_still_hashes_them(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_bytes((SOURCES / "valid.csv").read_bytes().replace(b"IDC", b"ID\xc7", 1))
    [problem] = check_sources(path, today=FIXTURE_TODAY)
    assert problem.where.startswith("byte ") and "is not UTF-8 text" in problem.message
    assert frame(path, today=FIXTURE_TODAY).empty
    rows = fingerprint.source_rows(path)
    assert len(rows.hashes) == len(_valid_lines()) - 1


def test_where_csv_breaks_the_loader_names_the_line_the_frame_keeps_what_came_before(tmp_path):
    lines = _valid_lines()
    path = tmp_path / "sources.csv"
    path.write_text(
        "\n".join([*lines[:3], 'broken,"' + "a" * (csv.field_size_limit() + 1)]),
        encoding="utf-8",
    )
    problems = check_sources(path, today=FIXTURE_TODAY)
    assert [p.where for p in problems] == ["line 4"]
    assert "a cell may hold at most" in problems[0].message
    assert frame(path, today=FIXTURE_TODAY).index.tolist() == [2, 3]
    with pytest.raises(SourceError, match="cannot be read as CSV"):
        fingerprint.source_rows(path)


def test_the_sources_modules_import_each_other_only_at_the_top_and_without_a_cycle():
    package = ROOT / "src" / "pilotfunnel" / "inputs" / "sources"
    prefix = "pilotfunnel.inputs.sources."
    graph: dict[str, set[str]] = {}
    modules = sorted(package.glob("*.py"))
    assert {p.stem for p in modules} >= {"load", "read", "check", "frame", "schema"}
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {
            node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module
        }
        graph[path.stem] = {name.removeprefix(prefix) for name in top if name.startswith(prefix)}
        local = [
            node.module
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef)
            for node in ast.walk(function)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(prefix)
        ]
        # The one exception: the loader imports the frame (and so pandas) when an analyst asks.
        assert local == ([prefix + "frame"] if path.stem == "load" else []), path.name

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(
            step == goal or (step not in seen and reaches(step, goal, seen | {step}))
            for step in graph.get(start, ())
        )

    assert not [name for name in graph if reaches(name, name)]


# --- the analyst's working notes: an optional column, the analyst's alone ------------------
def _with_notes(tmp_path, notes: str):
    """valid.csv with an ``analyst_notes`` column, its first row holding ``notes``."""
    rows = list(csv.reader(io.StringIO((SOURCES / "valid.csv").read_text(), newline="")))
    rows = [[*rows[0], "analyst_notes"], [*rows[1], notes], *([*r, ""] for r in rows[2:])]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / "sources.csv"
    path.write_text(out.getvalue())
    return path


def test_a_table_without_analyst_notes_still_loads_with_none():
    assert "analyst_notes" not in (SOURCES / "valid.csv").read_text().splitlines()[0]
    table = load("valid.csv")
    assert table.warnings == []  # not an unknown column, not missing
    assert all(s.analyst_notes == "" for s in table)
    assert "analyst_notes" not in frame(SOURCES / "valid.csv", today=FIXTURE_TODAY).columns


def test_analyst_notes_are_read_apart_from_the_caveats(tmp_path):
    notes = "Wording traced via a blog summary;\nthe original URL could not be located."
    path = _with_notes(tmp_path, notes)
    table = load_sources(path, today=FIXTURE_TODAY)
    idc = table["idc-2025-poc-to-production"]
    assert idc.analyst_notes == notes  # a prose column: its line break is kept
    assert notes not in idc.caveats and table.warnings == []
    assert frame(path, today=FIXTURE_TODAY).loc[2, "analyst_notes"] == notes


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        ("x" * 5001, "column 'analyst_notes': must be at most 5,000 characters (it has 5,001)"),
        ("bell\x07", "column 'analyst_notes': holds U+0007 at character 5"),
    ],
)
def test_analyst_notes_have_the_limits_of_any_prose_cell(tmp_path, notes, expected):
    with pytest.raises(SourceError) as caught:
        load_sources(_with_notes(tmp_path, notes), today=FIXTURE_TODAY)
    assert expected in str(caught.value)


def test_the_shipped_caveats_are_for_a_client_and_the_working_notes_apart():
    """The working notes (how a quote was traced, what could not be found, row ids) are in
    analyst_notes; the caveats a client reads hold none of them."""
    table = load_sources(ROOT / "data" / "sources.csv")
    ids = set(table.sources)
    working = ("could not be located", "traced via", "AIDOOS", "URL slug", "do not cite")
    for source in table:
        assert source.analyst_notes, source.id
        for words in working:
            assert words.lower() not in source.caveats.lower(), (source.id, words)
            assert words.lower() not in source.title.lower(), (source.id, words)
        assert not any(i in source.caveats for i in ids), source.id  # no row id


# --- what a share counts, and the report a source is known through: optional columns --------
def _with_columns(tmp_path, **cells: str):
    """valid.csv with the given columns added, its first row (IDC) holding the given cells;
    a cell named ``url`` replaces that row's address instead."""
    rows = list(csv.reader(io.StringIO((SOURCES / "valid.csv").read_text(), newline="")))
    header, first = rows[0], rows[1]
    if "url" in cells:
        first[header.index("url")] = cells.pop("url")
    added = list(cells)
    rows = [
        [*header, *added],
        [*first, *cells.values()],
        *([*r, *[""] * len(added)] for r in rows[2:]),
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / "sources.csv"
    path.write_text(out.getvalue())
    return path


def test_a_table_without_kind_or_reported_by_still_loads_with_them_empty():
    header = (SOURCES / "valid.csv").read_text().splitlines()[0]
    assert "kind" not in header and "reported_by" not in header
    table = load("valid.csv")
    assert table.warnings == []
    assert all((s.kind, s.reported_by, s.reported_url) == ("", "", "") for s in table)


def test_kind_and_the_report_are_read_and_typed_in_the_frame(tmp_path):
    report = "https://www.cio.com/article/3850763/88-of-ai-pilots.html"
    path = _with_columns(
        tmp_path, url="", kind="reached", reported_by="CIO.com", reported_url=report
    )
    table = load_sources(path, today=FIXTURE_TODAY)
    idc = table["idc-2025-poc-to-production"]
    assert (idc.kind, idc.reported_by, idc.reported_url, idc.url) == (
        "reached",
        "CIO.com",
        report,
        "",
    )
    assert table.warnings == []
    typed = frame(path, today=FIXTURE_TODAY)
    assert str(typed["kind"].dtype) == "category"
    assert list(typed["kind"].cat.categories) == ["reached", "failed", "other"]
    assert typed.loc[2, "kind"] == "reached" and typed.loc[3, "kind"] is not None


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"kind": "success"},
            "column 'kind': must be one of reached, failed, other (or empty) (got 'success')",
        ),
        (
            {"reported_by": "CIO.com", "reported_url": "www.cio.com/a"},
            "column 'reported_url': must be a full web address starting with https://",
        ),
        (
            {"reported_url": "https://www.cio.com/a"},
            "column 'reported_url': needs reported_by: name the report at this address",
        ),
        (
            {"url": "", "reported_by": ""},
            "column 'url': is empty; a value is required unless reported_by names the report",
        ),
        ({"reported_by": "CIO.com\nblog"}, "column 'reported_by': holds U+000A"),
    ],
)
def test_a_bad_kind_or_report_is_one_located_line(tmp_path, cells, expected):
    with pytest.raises(SourceError) as caught:
        load_sources(_with_columns(tmp_path, **cells), today=FIXTURE_TODAY)
    assert_one_line_error(caught.value, "", "row 2 (idc-2025-poc-to-production), " + expected)


# Any one-line word: a carriage return is the reader's line-end business, tested above.
_WORDS = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
    min_size=1,
    max_size=12,
)


@given(
    st.one_of(st.sampled_from(["reached", "failed", "other", "Reached"]), _WORDS)
    .map(str.strip)
    .filter(bool)
)
def test_kind_accepts_exactly_the_three_words(tmp_path_factory, word):
    path = _with_columns(tmp_path_factory.mktemp("kind"), kind=word)
    sources, problems = read_table(path, today=FIXTURE_TODAY)
    errors = [p for p in problems if p.severity == "error"]
    if word in ("reached", "failed", "other"):
        assert errors == [] and sources["idc-2025-poc-to-production"].kind == word
    else:
        assert [p.column for p in errors] == ["kind"]


def test_the_shipped_kinds_and_reports_are_as_the_research_reads():
    """Each kind checked against the row's own statistic and quote (shared/research); a report
    named only where the row's address or notes show it."""
    table = load_sources(ROOT / "data" / "sources.csv")
    kinds = {s.id: s.kind for s in table}
    assert kinds == {
        "mit-nanda-2025-no-pnl-return": "failed",
        "idc-2025-poc-to-production": "reached",
        "idc-2024-poc-to-production": "reached",
        "gartner-2024-genai-poc-abandonment-forecast": "failed",
        "gartner-2024-ai-projects-to-production": "reached",
        "sp-global-2025-abandoned-most-ai-initiatives": "failed",
        "sp-global-2025-pocs-scrapped": "failed",
        "rand-2024-ai-projects-fail": "failed",
        "deloitte-2024-genai-experiments-to-production": "failed",
    }
    reported = {s.id: s.reported_by for s in table if s.reported_by}
    assert reported == {
        "mit-nanda-2025-no-pnl-return": "Fortune",
        "idc-2025-poc-to-production": "CIO.com",
        "idc-2024-poc-to-production": "CIO.com",
    }
    for source in table:
        # The publisher is the primary's; the report is its own column, never in the name.
        assert "reported by" not in source.publisher.lower(), source.id
        for address in (source.url, source.reported_url):
            assert "aidoos" not in address.lower() and "/blog" not in address.lower(), source.id
    assert "fortune.com" in table["mit-nanda-2025-no-pnl-return"].reported_url
    assert "cio.com" in table["idc-2025-poc-to-production"].reported_url
    # The blog a quote was traced through is the analyst's lead, kept in the working notes.
    assert "aidoos.com/blog" in table["idc-2024-poc-to-production"].analyst_notes
