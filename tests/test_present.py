import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import psutil
import pytest

from pilotfunnel import present
from pilotfunnel.errors import InputError

from .conftest import ROOT, pilotfunnel_command
from .servers import free_port, stop, wait_for_http


def test_voila_command_hides_code_and_binds_loopback():
    command = present.voila_command(8899)
    assert command[1] == "notebooks/02-client-explorer.ipynb"
    assert "--strip_sources=True" in command and "--Voila.ip=127.0.0.1" in command


def test_port_in_use_is_a_clear_input_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InputError, match=f"127.0.0.1:{port} is already in use"):
            present.serve(port)


def test_template_is_the_kits_own_and_found_through_jupyter_path(monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", "/elsewhere")
    assert "--template=pilotfunnel" in present.voila_command(8899)
    first, rest = present.jupyter_path().split(os.pathsep)
    assert (Path(first) / "voila" / "templates" / "pilotfunnel" / "conf.json").is_file()
    assert rest == "/elsewhere"


def test_the_template_links_nothing_outside_the_machine():
    template = present.VOILA_DATA_DIR / "voila" / "templates" / "pilotfunnel" / "index.html.j2"
    assert "http" not in template.read_text(encoding="utf-8").split("#}", 1)[1]


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_present_ends_voila_and_its_kernels_on_a_signal(tmp_path, signum):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    port = free_port()
    command = subprocess.Popen(
        [pilotfunnel_command(), "present", "--port", str(port)],
        cwd=tmp_path,
        env={**os.environ, "PILOTFUNNEL_HOME": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", command)  # renders the page: a kernel starts
        tree = psutil.Process(command.pid).children(recursive=True)
        started = [" ".join(p.cmdline()) for p in tree]
        assert any("voila" in c for c in started) and any("ipykernel" in c for c in started)
        command.send_signal(signum)
        code = command.wait(timeout=60)
        assert code == (0 if signum == signal.SIGINT else 128 + signum)
        _, alive = psutil.wait_procs(tree, timeout=30)
        assert alive == [], [p.cmdline() for p in alive]
    finally:
        stop(command)
