"""Atomic writes with ordinary permissions, output paths with clear errors, safe CSV cells."""

import os
import stat

import pytest

from pilotfunnel.errors import InputError
from pilotfunnel.files import (
    atomic_write_bytes,
    output_file,
    output_folder,
    spreadsheet_safe,
)


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
