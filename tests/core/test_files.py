"""Atomic writes with ordinary permissions, output paths with clear errors, safe CSV cells."""

import os
import stat

import pytest

from pilotfunnel.core.errors import InputError, ScenarioError
from pilotfunnel.core.files import MAX_YAML_BYTES, read_input_bytes, read_yaml_mapping
from pilotfunnel.core.text import spreadsheet_safe, text_problem
from pilotfunnel.core.write import atomic_write_bytes, output_file, output_folder


@pytest.fixture
def umask():
    """Set the process umask for one test and restore it after."""
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_written_files_honour_the_umask(tmp_path, umask, mask, mode):
    umask(mask)
    path = atomic_write_bytes(tmp_path / "brief.pdf", b"%PDF-")
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]  # no temporary left


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "brief.html"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.html"]


def test_an_output_folder_is_checked_not_created(tmp_path):
    assert output_folder(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    assert list(tmp_path.iterdir()) == []


def test_output_folder_that_is_a_file_is_named(tmp_path):
    existing = tmp_path / "demo.pdf"
    existing.write_bytes(b"x")
    with pytest.raises(InputError) as raised:
        output_folder(existing)
    assert str(raised.value) == f"--out: {existing} is a file, not a folder"


def test_output_folder_that_cannot_be_created_is_named(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_bytes(b"x")
    with pytest.raises(InputError) as raised:
        output_folder(blocker / "sub" / "deeper")
    assert str(raised.value) == (
        f"--out: the folder {blocker / 'sub' / 'deeper'} cannot be created: {blocker} is a file"
    )


def test_output_file_that_is_a_folder_is_named(tmp_path):
    with pytest.raises(InputError, match="is a folder; give a file name"):
        output_file(tmp_path)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1 555", "'+1 555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Northwind Logistics", "Northwind Logistics"),
        ("", ""),
        (-12.5, -12.5),  # numbers are numbers, a negative one included
        (3, 3),
    ],
)
def test_spreadsheet_cells_never_run_as_formulas(cell, shown):
    assert spreadsheet_safe(cell) == shown


# --- reading inputs: only regular files, bounded, no YAML aliases -----------------------------
def _read(path):
    with pytest.raises(ScenarioError) as caught:
        read_yaml_mapping(path, ScenarioError)
    text = str(caught.value)
    assert len(text.splitlines()) == 1, text
    return text


def test_a_fifo_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "acme.yaml"
    os.mkfifo(fifo)  # opening it to read would block forever: no writer
    assert _read(fifo).endswith(
        "acme.yaml: is a FIFO (named pipe), not a regular file; only regular files are read"
    )


def test_a_device_is_refused_without_being_read():
    assert "/dev/zero: is a character device, not a regular file" in _read("/dev/zero")


def test_a_folder_is_refused(tmp_path):
    assert "is a folder, not a regular file" in _read(tmp_path)


def test_a_symlink_loop_is_named(tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    assert _read(tmp_path / "a.yaml").endswith("a.yaml: is a symbolic link loop")


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"client: " + b"a" * MAX_YAML_BYTES)
    text = _read(path)
    assert "is larger than 1 MiB, the most the kit reads from such a file" in text
    assert "aaaa" not in text


def test_a_file_at_the_limit_is_read(tmp_path):
    path = tmp_path / "full.yaml"
    path.write_bytes(b"a: " + b"b" * (MAX_YAML_BYTES - 4) + b"\n")
    assert len(read_yaml_mapping(path, ScenarioError)["a"]) == MAX_YAML_BYTES - 4


def test_bytes_past_a_limit_are_refused_by_read_input_bytes(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"x" * 11)
    assert read_input_bytes(path, 11) == b"x" * 11
    with pytest.raises(InputError, match=r"is larger than 10 bytes, .*\(11 bytes\)$"):
        read_input_bytes(path, 10)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # an anchor and its alias
        "a: &x [1, 2]\n",  # an anchor alone: an alias may follow in a longer file
        "base: &b {k: 1}\nother:\n  <<: *b\n",  # a merge key, which needs an alias
    ],
)
def test_yaml_anchors_and_aliases_are_refused(tmp_path, text):
    path = tmp_path / "a.yaml"
    path.write_text(text)
    assert _read(path).endswith(
        "uses a YAML anchor or alias (&name or *name); write each value out in full: "
        "anchors and aliases are not allowed"
    )


def test_ampersands_and_stars_in_text_are_not_aliases(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text('client: "R&D * Co"\nnotes: Müller & Søn, 5 * 3\n')
    assert read_yaml_mapping(path, ScenarioError)["client"] == "R&D * Co"


@pytest.mark.parametrize(
    "number",
    ["9" * 65, ":".join(["59"] * 40), "0x" + "f" * 80, "1." + "0" * 80],
)
def test_numbers_too_long_to_be_typed_are_refused(tmp_path, number):
    path = tmp_path / "a.yaml"
    path.write_text(f"pocs_per_year: {number}\n")
    assert "found a number of more than 64 characters" in _read(path)


def test_a_file_that_is_not_utf8_names_the_byte(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"client: caf\xe9\n")
    assert _read(path).endswith("a.yaml: byte 12: is not UTF-8 text")


def test_a_yaml_reason_quoting_the_file_is_cut(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("client: !" + "x" * 500 + " 1\n")
    text = _read(path)
    assert "xxxx" in text and len(text) < 300


@pytest.mark.parametrize(
    ("text", "multiline", "expected"),
    [
        ("Northwind Logistics", False, None),
        ("Ünïcödé, 日本語, עברית\u200f", False, None),  # a right-to-left mark is allowed
        ("tab\there", False, None),
        ("two\nlines", True, None),
        ("two\nlines", False, "holds U+000A at character 4: a line break"),
        ("bell\x07", True, "holds U+0007 at character 5: a control character"),
        ("nul\x00", True, "U+0000"),
        ("c1\x9b", True, "U+009B"),
        ("del\x7f", True, "U+007F"),
        ("cr\r", True, "U+000D"),
        ("rlo\u202e", True, "U+202E at character 4: a bidirectional override"),
        ("isolate\u2066", True, "U+2066"),
        ("surrogate\ud800", True, "U+D800 at character 10: a code point that is not a character"),
        ("nonchar\ufffe", True, "U+FFFE"),
        ("x" * 121, False, "must be at most 120 characters (it has 121)"),
    ],
)
def test_text_for_documents_refuses_what_xml_cannot_hold(text, multiline, expected):
    found = text_problem(text, 120, multiline)
    if expected is None:
        assert found is None
    else:
        assert expected in found


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-02-30", "not a valid timestamp (day is out of range for month)"),
        ("0000-01-01", "not a valid timestamp (year 0 is out of range)"),
        ("!!bool maybe", "not a valid bool ('maybe')"),
        ("!!int abc", "not a valid int (invalid literal for int() with base 10: 'abc')"),
        ("!!timestamp nope", "not a valid timestamp"),
    ],
)
def test_a_scalar_yaml_cannot_build_is_a_yaml_error_at_its_line(tmp_path, value, expected):
    path = tmp_path / "a.yaml"
    path.write_text(f"client: Acme\nperiod: {value}\n")
    assert f"a.yaml: line 2, column 9: is not valid YAML: found a value that is {expected}" in (
        _read(path)
    )
