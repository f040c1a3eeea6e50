import socket

import pytest

from pilotfunnel import present
from pilotfunnel.errors import InputError


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
