"""Present mode: the client explorer served by Voila on 127.0.0.1, with no code on screen."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from . import paths
from .errors import InputError, Problem
from .processes import run_until_stopped

EXPLORER_NOTEBOOK = "02-client-explorer.ipynb"
DEFAULT_PORT = 8866
HOST = "127.0.0.1"
VOILA_DATA_DIR = paths.PACKAGE_DIR / "share"  # holds voila/templates/pilotfunnel


def port_is_free(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def voila_command(port: int, notebook: Path | None = None) -> list[str]:
    """The Voila command line for present mode (code hidden, exports downloadable)."""
    notebook = notebook or paths.notebooks_dir() / EXPLORER_NOTEBOOK
    voila = Path(sys.executable).with_name("voila")
    return [
        str(voila),
        str(notebook.relative_to(paths.project_root())),
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--no-browser",
        "--template=pilotfunnel",
        "--strip_sources=True",
        "--show_tracebacks=False",
        # Exported briefs are linked from the explorer, so Voila may serve exactly those.
        "--VoilaConfiguration.file_allowlist=['exports/.*\\.(pdf|html)']",
    ]


def jupyter_path() -> str:
    """JUPYTER_PATH with the kit's own data folder first, where Voila finds its template."""
    extra = os.environ.get("JUPYTER_PATH")
    return os.pathsep.join(filter(None, [str(VOILA_DATA_DIR), extra]))


def serve(port: int = DEFAULT_PORT) -> int:
    """Run Voila until interrupted; print the URL first. Returns Voila's exit code."""
    if not 1024 <= port <= 65535:
        raise InputError(problems=[Problem("--port", "", "must be from 1024 to 65535", port)])
    if not port_is_free(port):
        raise InputError(
            problems=[
                Problem(
                    "--port",
                    "",
                    f"{HOST}:{port} is already in use; choose another "
                    "port with --port, e.g. --port 8877",
                    port,
                )
            ]
        )
    url = f"http://{HOST}:{port}/"
    print(f"Present mode: open {url} and share that browser window. Stop with Ctrl-C.", flush=True)
    env = {**os.environ, "PILOTFUNNEL_PRESENT": "1", "JUPYTER_PATH": jupyter_path()}
    # Voila, its kernels and anything they start end with this command, however it is stopped.
    return run_until_stopped(voila_command(port), cwd=paths.project_root(), env=env)
