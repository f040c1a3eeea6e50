"""Present mode: the meeting's one-screen view, served by Voila on 127.0.0.1, with no code.

The page is the kit's Voila template (share/voila/templates/pilotfunnel) around the widgets of
``ui.present.screen.Presentation``. The brand reaches the page as a theme folder written from
brand.yml for each run (CSS variables, font files, logo), so nothing is fetched from anywhere.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from pilotfunnel.core import paths
from pilotfunnel.core.errors import InputError, Problem, display_path
from pilotfunnel.core.processes import run_until_stopped
from pilotfunnel.inputs.brand.check_type import FONT_SUFFIXES
from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario
from pilotfunnel.views.messages import present as words
from pilotfunnel.views.theme import css

PRESENT_NOTEBOOK = "05-present.ipynb"
THEME_TEMPLATE = "pilotfunnel-theme"
DEFAULT_PORT = 8866
HOST = "127.0.0.1"
# The client the page opens on, for the page's kernel: a checked path (``meeting_scenario``).
SCENARIO_ENV = "PILOTFUNNEL_PRESENT_SCENARIO"
DEFAULT_CLIENT = "demo.yaml"  # in the project's clients folder
VOILA_DATA_DIR = paths.PACKAGE_DIR / "share"  # holds voila/templates/pilotfunnel


def port_is_free(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def voila_command(
    port: int, notebook: Path | None = None, exports: Path | None = None
) -> list[str]:
    """The present server's command line: Voila (code hidden) with the exports route."""
    notebook = notebook or paths.notebooks_dir() / PRESENT_NOTEBOOK
    exports = exports or paths.exports_dir()
    return [
        sys.executable,
        "-m",
        "pilotfunnel.ui.present.voila_app",
        str(notebook.relative_to(paths.project_root())),
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--no-browser",
        "--template=pilotfunnel",
        "--strip_sources=True",
        "--show_tracebacks=False",
        # Exported briefs come from the server's own route (voila_app), never Voila's file
        # handler, which would serve the notebooks' folder: it serves nothing.
        "--VoilaConfiguration.file_allowlist=[]",
        f"--PresentApp.exports_dir={exports}",
        # Only what the page's widgets need. The kit's export-menu extension names JupyterLab's
        # menu, which the page has not; the others are built against a newer JupyterLab than
        # Voila's own core and log a version warning per shared module they ask for.
        f"--VoilaConfiguration.extension_denylist={json.dumps(list(LAB_ONLY_EXTENSIONS))}",
    ]


# JupyterLab extensions of the kit's environment that the present page does not load.
LAB_ONLY_EXTENSIONS = ("pilotfunnel-export-menu", "jupyterlab_pygments")


def page_text() -> dict[str, str]:
    """The page's own sentences (messages.present), as the template names them."""
    return {
        "loading": words.LOADING,
        "starting": words.STARTING,
        "lost_heading": words.KERNEL_LOST_HEADING,
        # Markup only around the command: the template sets this text as it is.
        "lost_text": html.escape(words.KERNEL_LOST_TEXT).replace(
            "{command}", "<code>pilotfunnel present</code>"
        ),
        "reload": words.RELOAD,
        "steps_label": words.STEPS_LABEL,
    }


def theme_resources(brand: Brand) -> str:
    """What the template shows before the kernel starts: the brand's name, logo file, words."""
    resources = {
        "pilotfunnel": {
            "brand": brand.name,
            "logo": "logo" + brand.logo.suffix,
            "text": page_text(),
        }
    }
    return f"--VoilaConfiguration.resources={json.dumps(resources)}"


def write_theme(brand: Brand, data_dir: Path) -> Path:
    """The brand as the page's theme, in a Voila template folder under ``data_dir``.

    theme.css holds the brand's CSS variables and @font-face rules for its own font files,
    copied beside it with the logo; the template links it. Returns the static folder.
    """
    static = data_dir / "voila" / "templates" / THEME_TEMPLATE / "static"
    (static / "fonts").mkdir(parents=True, exist_ok=True)
    faces = []
    for font in brand.font_files:
        shutil.copyfile(font.path, static / "fonts" / font.path.name)
        kind = FONT_SUFFIXES[font.path.suffix.lower()]
        url = "fonts/" + quote(font.path.name)  # quoted: a file name is no CSS
        faces.append(
            f"@font-face {{ font-family: '{font.family}'; font-weight: {font.weight}; "
            f"font-style: {font.style}; src: url('{url}') format('{kind}'); }}"
        )
    shutil.copyfile(brand.logo, static / ("logo" + brand.logo.suffix))
    rules = "/* Written from brand.yml by `pilotfunnel present`. */\n" + "\n".join(faces)
    (static / "theme.css").write_text(rules + "\n" + css.css_variables(brand), encoding="utf-8")
    return static


def jupyter_path(theme_dir: Path | None = None) -> str:
    """JUPYTER_PATH with the kit's own data folder first, where Voila finds its template."""
    extra = os.environ.get("JUPYTER_PATH")
    folders = [str(VOILA_DATA_DIR), str(theme_dir) if theme_dir else None, extra]
    return os.pathsep.join(filter(None, folders))


def meeting_scenario(project: Project, scenario: Path | None = None) -> Path:
    """The client file present mode opens on, checked like every input: it exists, it is a
    valid scenario, and it is one of the project's clients (the page's picker lists only
    those). The default is the demo client. Raises InputError (exit 2) with its one line."""
    path = Path(scenario) if scenario is not None else project.clients_dir / DEFAULT_CLIENT
    load_scenario(path)  # a missing file or one that is not a scenario stops here
    clients = project.clients_dir.resolve()
    if path.resolve().parent != clients:
        raise InputError(
            problems=[
                Problem(
                    str(path) if not path.is_absolute() else display_path(path),  # as typed
                    "",
                    f"is not in the project's clients folder ({display_path(clients)}); "
                    "copy it there first",
                )
            ]
        )
    return path.resolve()


def serve(port: int = DEFAULT_PORT, scenario: Path | None = None) -> int:
    """Run the present server until interrupted, opening on ``scenario`` (the demo client
    without one); print the URL first. Returns the server's exit code."""
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
    project = Project.load()
    opening = meeting_scenario(project, scenario)  # checked before anything starts
    brand = project.brand
    url = f"http://{HOST}:{port}/"
    print(words.CONSOLE_OPEN.format(url=url), flush=True)
    with tempfile.TemporaryDirectory(prefix="pilotfunnel-present-") as theme_dir:
        write_theme(brand, Path(theme_dir))
        env = {
            **os.environ,
            "PILOTFUNNEL_PRESENT": "1",
            # Its kernels work on this project, wherever Voila starts them.
            paths.HOME_VARIABLE: str(project.root),
            SCENARIO_ENV: str(opening),
            "JUPYTER_PATH": jupyter_path(Path(theme_dir)),
        }
        command = [*voila_command(port, exports=project.exports_dir), theme_resources(brand)]
        # Voila, its kernels and anything they start end with this command, however it stops.
        return run_until_stopped(command, cwd=paths.project_root(), env=env)
