"""Hostile inputs, generated: every loader succeeds or refuses with the kit's own one-line error.

Scenarios, sources tables and assumptions files are built by hypothesis from the valid
fixtures with hostile values put anywhere (control characters, bidi overrides, lone
surrogates, huge and non-finite numbers, nested structures, wrong types, random keys) and as
YAML text (aliases, tags, deep nesting, long numbers). Two outcomes are allowed: success, with
nothing in the result that a document cannot hold; or the loader's InputError subclass, one
line per problem, each short, none showing more than 80 characters of any value. Any other
exception fails. Sizes are bounded (max_examples, short texts) so all of it runs in seconds.
Also here: scenario folders holding a symlink loop, a FIFO or a device name, and the
evidence notes' loader.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import logging
import math
import os
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotfunnel.batch import find_scenarios
from pilotfunnel.core.errors import (
    MAX_LISTED_PROBLEMS,
    AssumptionError,
    InputError,
    ScenarioError,
    SourceError,
)
from pilotfunnel.core.text import text_problem
from pilotfunnel.inputs.assumptions import load_assumptions
from pilotfunnel.inputs.scenario import load_scenario, scenario_from_dict
from pilotfunnel.inputs.sources.load import MAX_NUMBER, frame, load_sources
from pilotfunnel.ui.cli import main
from pilotfunnel.views.evidence import load_notes

from ..conftest import FIXTURE_TODAY, FIXTURES, ROOT

# 50 examples a test in `make test`; set HOSTILE_EXAMPLES=5000 to search longer by hand.
SETTINGS = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MAX_LINE = 400
MAX_VALUE_SHOWN = 80

# --- what hostile values are made of ----------------------------------------------------------
NASTY_CHARACTERS = (
    "\x00\x07\x08\x0b\x0c\x0d\x1b\x1f\x7f\x85\x9b\u2028\u2029\u202a\u202e\u2066\u2069"
    "\ud800\udfff\ufffe\uffff\ufeff\u200f\u0301"
)
characters = st.one_of(
    st.characters(exclude_categories=()),  # every code point, surrogates included
    st.sampled_from(NASTY_CHARACTERS),
    st.sampled_from("&*!|>-:[]{}#%@`'\",\\ \t\n"),  # YAML and CSV syntax
)
hostile_text = st.one_of(
    st.text(characters, max_size=40),
    st.builds(
        lambda c, n: c * n, st.text(characters, min_size=1, max_size=3), st.integers(1, 3000)
    ),
    st.sampled_from(["inf", "-inf", "nan", "1e400", "-0", "0x10", "1_000", "=cmd|' /C calc'!A0"]),
)
hostile_number = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**30), 10**30),
    st.sampled_from([2**63, 1e12, 1e12 + 1, -1, 0, 0.5, 5, 4.0]),
    # Past Python's 4,300-digit str() limit: built, so hypothesis never has to write it out.
    st.builds(
        lambda sign, digits: sign * 10**digits,
        st.sampled_from([1, -1]),
        st.sampled_from([400, 5000]),
    ),
)
hostile_scalar = st.one_of(
    hostile_text,
    hostile_number,
    st.booleans(),
    st.none(),
    st.dates(),
    st.binary(max_size=8),
)
hostile_key = st.one_of(st.text(characters, max_size=12), st.integers(), st.booleans())
hostile_value = st.recursive(
    hostile_scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(hostile_key, children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(data: object, prefix: tuple = ()) -> list[tuple]:
    """Every key path into a nested mapping or list, the top included."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated(draw, base: dict) -> dict:
    """``base`` with a few places replaced by hostile values, or given hostile keys."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        holder = data
        for step in path[:-1]:
            holder = holder[step]
        value = draw(hostile_value)
        if not path:
            if isinstance(value, dict):
                data.update(value)  # random keys at the top
            continue
        if draw(st.booleans()) and isinstance(holder, dict):
            holder[draw(hostile_key)] = value  # a random key beside the real ones
        else:
            holder[path[-1]] = value
    return data


def _strings(value: object) -> list[str]:
    """Every text in a nested value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def assert_one_line_each(error: InputError, kind: type[InputError], sources: list[str]) -> None:
    """The kit's own error: one short line per problem, never 81 characters of an input."""
    assert isinstance(error, kind), type(error)
    lines = str(error).splitlines()
    listed = min(len(error.problems), MAX_LISTED_PROBLEMS)
    assert len(lines) == listed + (len(error.problems) > MAX_LISTED_PROBLEMS) or (
        not error.problems and lines == ["invalid input"]
    )
    for line in lines:
        assert len(line) < MAX_LINE, line
    text = str(error)
    for value in sources:
        if len(value) > MAX_VALUE_SHOWN:
            for start in (0, len(value) // 2, len(value) - MAX_VALUE_SHOWN - 1):
                window = value[start : start + MAX_VALUE_SHOWN + 1]
                assert window not in text, f"more than 80 characters of a value: {window!r}"


def _write(path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # a lone surrogate makes bad UTF-8


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile")


# --- scenarios --------------------------------------------------------------------------------
VALID_SCENARIO = yaml.safe_load((FIXTURES / "scenarios" / "record_valid.yaml").read_text())


def _assert_representable_scenario(scenario) -> None:
    for text in (scenario.client, scenario.prepared_by):
        assert text_problem(text, 120) is None
    assert text_problem(scenario.notes, 4000, multiline=True) is None
    for amount in (
        scenario.cost_per_poc,
        scenario.cost_to_production,
        scenario.annual_value_per_use_case,
    ):
        assert math.isfinite(amount) and 0 <= amount <= 1e12
    assert isinstance(scenario.pocs_per_year, int) and isinstance(scenario.horizon_years, int)


@SETTINGS
@given(data=mutated(VALID_SCENARIO))
def test_generated_scenario_mappings_load_or_fail_in_one_line(data):
    try:
        scenario = scenario_from_dict(data, "explorer")
    except ScenarioError as error:
        assert_one_line_each(error, ScenarioError, _strings(data))
    else:
        _assert_representable_scenario(scenario)


YAML_FRAGMENTS = [
    "&a [1, 2]",
    "*a",
    "!!python/object/apply:os.system [id]",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [{a: 1}]",
    "!custom x",
    "[" * 1100 + "]" * 1100,
    "9" * 70,
    ":".join(["59"] * 40),
    '"\\x07\\u202e\\0"',
    '"\\ud800"',
    ".inf",
    "-.nan",
    "1.0e+400",
    "{? [a, b]: c}",
    "|\n  two\n  lines",
    "'unclosed",
    "=",
    "<<: {pocs_per_year: 5}",
    "2025-02-30",  # a timestamp PyYAML matches but cannot build
    "0000-01-01",
    "2025-01-01T10:00:00+99:99",
    "!!bool maybe",
    "!!int abc",
    "!!timestamp nope",
    "!!float x",
]


@st.composite
def scenario_yaml(draw) -> str:
    """A scenario file's text: the valid one dumped, with a field's value (or a line) swapped
    for YAML that a loader has to survive."""
    data = draw(mutated(VALID_SCENARIO))
    try:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError):  # a key PyYAML cannot write, an int past str()
        text = yaml.safe_dump(VALID_SCENARIO, sort_keys=False)
    lines = text.splitlines()
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(lines) - 1))
        fragment = draw(
            st.one_of(st.sampled_from(YAML_FRAGMENTS), st.text(characters, max_size=30))
        )
        key = lines[at].split(":")[0] if ":" in lines[at] else "client"
        lines[at] = f"{key}: {fragment}" if draw(st.booleans()) else fragment
    if draw(st.booleans()):
        lines.insert(0, "anchor: &x " + draw(st.sampled_from(["1", "[a, b]", "{k: v}"])))
    return "\n".join(lines) + "\n"


@SETTINGS
@given(text=scenario_yaml())
def test_generated_scenario_files_load_or_fail_in_one_line(work, text):
    path = work / "acme.yaml"
    _write(path, text)
    try:
        scenario = load_scenario(path)
    except ScenarioError as error:
        assert_one_line_each(error, ScenarioError, [text])
        assert str(error).startswith(str(path)) or str(error).startswith("acme.yaml")
    else:
        _assert_representable_scenario(scenario)


# --- sources tables ---------------------------------------------------------------------------
VALID_ROWS = list(csv.reader(io.StringIO((FIXTURES / "sources" / "valid.csv").read_text())))
hostile_cell = st.one_of(
    hostile_text,
    st.sampled_from(["inf", "-Infinity", "NaN", "1e400", "-1e400", "1e15", "4.5", "-0", ""]),
    st.builds(
        lambda n: "9" * 5000 if isinstance(n, int) and abs(n) > 10**4000 else str(n), hostile_number
    ),
)


@st.composite
def sources_csv(draw) -> str:
    header = list(VALID_ROWS[0])
    rows = [list(r) for r in VALID_ROWS[1:]]
    if draw(st.integers(0, 4)) == 0:  # now and then a hostile heading
        header[draw(st.integers(0, len(header) - 1))] = draw(
            st.one_of(hostile_text, st.sampled_from(header))
        )
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.sampled_from(rows))
        row[draw(st.integers(0, len(row) - 1))] = draw(hostile_cell)
    if draw(st.integers(0, 5)) == 0:
        rows.append(draw(st.lists(hostile_cell, max_size=20)))  # a row of any length
    delimiter = draw(st.sampled_from([",", ";"]))
    out = io.StringIO()
    if draw(st.integers(0, 5)) == 0:  # not even valid CSV: cells joined as they are
        out.write("\n".join(delimiter.join(r) for r in [header, *rows]))
    else:
        csv.writer(
            out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
        ).writerows([header, *rows])
    return out.getvalue()


@SETTINGS
@given(text=sources_csv())
def test_generated_sources_tables_load_or_fail_in_one_line_and_the_frame_flags(work, text):
    path = work / "sources.csv"
    _write(path, text)
    try:
        table = load_sources(path, today=FIXTURE_TODAY)
    except SourceError as error:
        assert_one_line_each(error, SourceError, [text])
    else:
        for source in table:
            assert math.isfinite(source.value) and abs(source.value) <= MAX_NUMBER
            for text_field in (source.statistic, source.quote, source.publisher, source.caveats):
                assert text_problem(text_field, 5000, multiline=True) is None
    # The analyst's frame never raises, and holds no number a loader would refuse.
    table = frame(path, today=FIXTURE_TODAY)
    assert "problems" in table.attrs
    for column in ("value", "numerator", "denominator", "sample_size"):
        if column in table.columns:
            for cell in table[column].tolist():
                if isinstance(cell, (int, float)) and cell == cell:
                    assert math.isfinite(cell) and abs(cell) <= MAX_NUMBER, (column, cell)


# --- assumptions ------------------------------------------------------------------------------
VALID_ASSUMPTIONS = yaml.safe_load((FIXTURES / "assumptions" / "valid.yaml").read_text())


@SETTINGS
@given(data=mutated(VALID_ASSUMPTIONS), share=st.booleans())
def test_generated_assumptions_load_or_fail_in_one_line(work, fixture_sources, data, share):
    if share and isinstance(data.get("drivers"), dict):
        data["economics"] = data["drivers"]  # one object twice: safe_dump writes an alias
    try:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError):
        return  # not representable as YAML at all (a key PyYAML cannot write)
    path = work / "assumptions.yaml"
    _write(path, text)
    try:
        assumptions = load_assumptions(path, fixture_sources)
    except AssumptionError as error:
        assert_one_line_each(error, AssumptionError, [*_strings(data), text])
    else:
        for stage in assumptions.stages[1:]:
            assert 0 < stage.baseline.rate < 1 and math.isfinite(stage.baseline.trials)
        for effect in assumptions.effects:
            assert 0 <= effect.per_level <= 3


# --- scenario folders: loops, FIFOs, devices and folders named *.yaml ---------------------------
@pytest.fixture
def kit_warnings():
    """The kit's warnings (logger 'pilotfunnel'), as the command line prints them."""
    caught: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            caught.append(record.getMessage())

    handler = Keep(logging.WARNING)
    logger = logging.getLogger("pilotfunnel.batch")
    logger.addHandler(handler)
    yield caught
    logger.removeHandler(handler)


def test_a_scenario_folder_with_odd_entries_gives_its_scenarios_and_a_warning_each(
    tmp_path, kit_warnings
):
    good = tmp_path / "acme.yaml"
    good.write_text((FIXTURES / "scenarios" / "valid.yaml").read_text())
    (tmp_path / "loop-a.yaml").symlink_to(tmp_path / "loop-b.yaml")
    (tmp_path / "loop-b.yaml").symlink_to(tmp_path / "loop-a.yaml")
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "folder.yaml").mkdir()
    assert find_scenarios([tmp_path]) == [good]
    assert [w.split(" is ", 1)[1] for w in kit_warnings] == [
        "a folder, not a scenario file; skipped",
        "a broken symbolic link, not a scenario file; skipped",
        "a symbolic link loop, not a scenario file; skipped",
        "a symbolic link loop, not a scenario file; skipped",
        "a FIFO (named pipe), not a scenario file; skipped",
        "a character device, not a scenario file; skipped",
    ]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            lambda p: (p.symlink_to(p.with_name("b.yaml")), p.with_name("b.yaml").symlink_to(p)),
            "is a symbolic link loop, not a scenario file",
        ),
        (os.mkfifo, "is a FIFO (named pipe), not a scenario file"),
        (lambda p: p.symlink_to("/dev/null"), "is a character device, not a scenario file"),
        (lambda p: None, "does not exist"),
    ],
)
def test_a_scenario_named_directly_that_is_not_a_file_is_one_line(tmp_path, make, expected):
    path = tmp_path / "a.yaml"
    make(path)
    with pytest.raises(InputError) as caught:
        find_scenarios([path])
    assert str(caught.value) == f"{path}: {expected}"


def test_model_batch_over_a_hostile_folder_writes_every_row_and_exits_1(tmp_path, capsys):
    """The portfolio path of the CLI: every hostile fixture fails alone, as a row."""

    folder = tmp_path / "clients"
    shutil.copytree(FIXTURES / "hostile" / "scenarios", folder)
    shutil.copy(FIXTURES / "scenarios" / "valid.yaml", folder / "valid.yaml")
    os.mkfifo(folder / "pipe.yaml")
    out = tmp_path / "summary.xlsx"
    assert main(["model", "--batch", str(folder), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    import openpyxl

    rows = list(openpyxl.load_workbook(out)["Results"].iter_rows(min_row=2, values_only=True))
    hostile = len(list((FIXTURES / "hostile" / "scenarios").glob("*.yaml")))
    assert len(rows) == hostile + 1  # the FIFO is skipped, every file is a row
    errors = [r[-1] for r in rows if r[-1]]
    assert len(errors) == hostile


# --- evidence notes ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &n {says: x, does_not_say: y}\nb: *n\n", "uses a YAML anchor or alias"),
        (
            'idc-2025-poc-to-production: {says: "x\\x07", does_not_say: y}\n',
            "field 'idc-2025-poc-to-production.says': holds U+0007",
        ),
        (
            "idc-2025-poc-to-production: {says: [x], does_not_say: y}\n",
            "field 'idc-2025-poc-to-production.says': must be text",
        ),
        ("[idc]: {says: x, does_not_say: y}\n", "is not valid YAML"),
        ("? " + "k" * 100 + "\n: {says: x}\n", "field '" + "k" * 37 + "...': is not a source id"),
    ],
)
def test_evidence_notes_are_read_like_every_input(tmp_path, fixture_sources, text, expected):
    path = tmp_path / "evidence-notes.yaml"
    path.write_text(text)
    with pytest.raises(SourceError) as caught:
        load_notes(fixture_sources, path)
    assert expected in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1


def test_the_projects_evidence_notes_load(fixture_sources):

    sources = load_sources(ROOT / "data" / "sources.csv", today=dt.date.today())
    assert load_notes(sources, ROOT / "data" / "evidence-notes.yaml")
