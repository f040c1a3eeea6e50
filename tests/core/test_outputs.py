"""Outputs replace only what is the kit's: never a FIFO, a device, a socket, a link to one, or
an input of the run (core.write: output_file, output_folder, atomic_write_bytes)."""

import contextlib
import os
import socket
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotfunnel.core.errors import InputError
from pilotfunnel.core.fileinfo import special_file_kind
from pilotfunnel.core.write import atomic_write_bytes, output_file, output_folder

from ..conftest import FIXTURES

HOSTILE = FIXTURES / "hostile" / "outputs"


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@contextlib.contextmanager
def _socket(path: Path):
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        yield path
    finally:
        server.close()


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_special_files_are_named_for_what_they_are(tmp_path):
    fifo = _fifo(tmp_path / "brief.pdf")
    link = tmp_path / "link.pdf"
    link.symlink_to(fifo)
    (tmp_path / "plain.pdf").write_bytes(b"%PDF")
    (tmp_path / "dangling.pdf").symlink_to(tmp_path / "nowhere")
    assert special_file_kind(fifo) == "a FIFO (named pipe)"
    assert special_file_kind(link) == "a symlink to a FIFO (named pipe)"
    assert special_file_kind("/dev/null") == "a character device"
    with _socket(tmp_path / "s.sock") as sock:
        assert special_file_kind(sock) == "a socket"
    for ordinary in ("plain.pdf", "dangling.pdf", "missing.pdf", "."):
        assert special_file_kind(tmp_path / ordinary) is None


def test_the_committed_link_to_a_device_is_one(tmp_path):
    # Git keeps a symlink, not a FIFO: the FIFO and socket cases are made by the tests.
    assert special_file_kind(HOSTILE / "link_to_device.csv") == "a symlink to a character device"


@pytest.mark.parametrize("kind", ["fifo", "link to fifo", "device", "link to device", "socket"])
def test_an_atomic_write_never_replaces_a_special_file(tmp_path, kind):
    target = tmp_path / "brief.html"
    with contextlib.ExitStack() as stack:
        if kind == "fifo":
            _fifo(target)
        elif kind == "link to fifo":
            target.symlink_to(_fifo(tmp_path / "pipe"))
        elif kind == "device":
            target = Path("/dev/null")
        elif kind == "link to device":
            target.symlink_to("/dev/null")
        else:
            stack.enter_context(_socket(target))
        before = os.lstat(target)
        with pytest.raises(InputError) as raised:
            atomic_write_bytes(target, b"<html>")
        after = os.lstat(target)
    message = str(raised.value)
    assert "\n" not in message and "the kit replaces only regular files" in message
    assert (before.st_mode, before.st_ino) == (after.st_mode, after.st_ino)  # still there
    assert _leftovers(tmp_path) == []


def test_an_atomic_write_replaces_a_regular_file_and_a_link_not_its_target(tmp_path):
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_bytes(b"someone's page")
    link = tmp_path / "brief.html"
    link.symlink_to(elsewhere)
    atomic_write_bytes(link, b"<html>")
    assert not link.is_symlink() and link.read_bytes() == b"<html>"
    assert elsewhere.read_bytes() == b"someone's page"
    atomic_write_bytes(link, b"<html>again")
    assert link.read_bytes() == b"<html>again"


def test_an_atomic_write_into_a_folder_that_is_a_fifo_is_one_line(tmp_path):
    _fifo(tmp_path / "exports")
    with pytest.raises(InputError) as raised:
        atomic_write_bytes(tmp_path / "exports" / "brief.pdf", b"%PDF")
    assert str(raised.value).endswith("exports: is a FIFO (named pipe), not a folder")


def test_an_atomic_write_over_a_folder_is_refused(tmp_path):
    (tmp_path / "brief.pdf").mkdir()
    with pytest.raises(InputError, match="is a folder; the kit replaces only regular files"):
        atomic_write_bytes(tmp_path / "brief.pdf", b"%PDF")


def test_output_file_refuses_a_special_file_before_any_work(tmp_path):
    fifo = _fifo(tmp_path / "summary.csv")
    with pytest.raises(InputError) as raised:
        output_file(fifo)
    assert str(raised.value) == (
        f"--out: {fifo} is a FIFO (named pipe); the kit writes only regular files"
    )
    with pytest.raises(InputError, match="is a character device"):
        output_file("/dev/null", option="--out-dir")


def test_output_folder_that_is_a_fifo_is_named(tmp_path):
    fifo = _fifo(tmp_path / "exports")
    with pytest.raises(InputError) as raised:
        output_folder(fifo)
    assert str(raised.value) == f"--out: {fifo} is a FIFO (named pipe), not a folder"
    with pytest.raises(InputError, match=r"cannot be created: .*exports is a FIFO"):
        output_folder(fifo / "sub")


def test_output_file_refuses_an_input_under_any_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scenario = tmp_path / "clients" / "acme.yaml"
    scenario.parent.mkdir()
    scenario.write_text("client: Acme\n", encoding="utf-8")
    linked = tmp_path / "linked.yaml"
    linked.symlink_to(scenario)
    hard = tmp_path / "hard.yaml"
    os.link(scenario, hard)
    for name in (scenario, "clients/acme.yaml", "clients/../clients/acme.yaml", linked, hard):
        with pytest.raises(InputError) as raised:
            output_file(name, inputs=[scenario])
        assert "is an input of this run (clients/acme.yaml)" in str(raised.value)
    assert output_file("clients/summary.csv", inputs=[scenario]) == Path("clients/summary.csv")
    assert scenario.read_text("utf-8") == "client: Acme\n"


# Generated: whatever is at the target, a write either replaces a regular file (or nothing)
# or refuses in one line and leaves what was there.
KINDS = st.sampled_from(["missing", "file", "fifo", "link to fifo", "link to file", "dangling"])
NAMES = st.text(string.ascii_letters + string.digits + "-_. ", min_size=1, max_size=40).filter(
    lambda n: n.strip(". ") == n and n not in (".", "..", "aside")
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=KINDS, name=NAMES, data=st.binary(max_size=64))
def test_generated_targets_are_replaced_only_when_regular(tmp_path, kind, name, data):
    folder = tmp_path / f"case-{os.urandom(4).hex()}"
    aside = folder / "aside"  # what links point at, apart from any generated name
    aside.mkdir(parents=True)
    target = folder / name
    if kind == "file":
        target.write_bytes(b"old")
    elif kind == "fifo":
        _fifo(target)
    elif kind == "link to fifo":
        target.symlink_to(_fifo(aside / "pipe"))
    elif kind == "link to file":
        (aside / "other").write_bytes(b"other")
        target.symlink_to(aside / "other")
    elif kind == "dangling":
        target.symlink_to(aside / "nowhere")
    try:
        output_file(target)
        atomic_write_bytes(target, data)
    except InputError as exc:
        assert kind in ("fifo", "link to fifo")
        assert "\n" not in str(exc) and "FIFO" in str(exc)
        assert special_file_kind(target) is not None  # left as it was
    else:
        assert kind not in ("fifo", "link to fifo")
        assert target.read_bytes() == data and not target.is_symlink()
        if kind == "link to file":
            assert (aside / "other").read_bytes() == b"other"
    assert _leftovers(folder) == []
