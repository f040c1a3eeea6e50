import json
import os
import re
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import psutil
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotfunnel.core.errors import InputError
from pilotfunnel.ui.present import server as present
from pilotfunnel.ui.present.exports import exported_file
from pilotfunnel.views.messages import present as words

from ..conftest import ROOT, pilotfunnel_command
from ..servers import free_port, stop, wait_for_http


def test_voila_command_hides_code_and_binds_loopback():
    command = present.voila_command(8899, exports=Path("/kit/exports"))
    assert command[1:4] == ["-m", "pilotfunnel.ui.present.voila_app", "notebooks/05-present.ipynb"]
    assert "--strip_sources=True" in command and "--Voila.ip=127.0.0.1" in command
    # Briefs come from the server's own route; Voila's file handler serves nothing.
    assert "--PresentApp.exports_dir=/kit/exports" in command
    assert "--VoilaConfiguration.file_allowlist=[]" in command


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
    folder = present.VOILA_DATA_DIR / "voila" / "templates" / "pilotfunnel"
    assert "http" not in (folder / "index.html.j2").read_text(encoding="utf-8").split("#}", 1)[1]
    for static in (folder / "static").iterdir():
        assert "http" not in static.read_text(encoding="utf-8"), static.name


def test_the_theme_is_the_brand_file_served_from_the_kit(tmp_path, project):
    static = present.write_theme(project.brand, tmp_path)
    assert static == tmp_path / "voila" / "templates" / present.THEME_TEMPLATE / "static"
    css = (static / "theme.css").read_text(encoding="utf-8")
    assert f"--pf-primary: {project.brand.colors['primary']};" in css
    assert "url('fonts/SourceSans3-Regular.ttf') format('truetype')" in css
    assert "http" not in css
    assert (static / "fonts" / "SourceSans3-Regular.ttf").read_bytes() == (
        ROOT / "data" / "brand" / "fonts" / "SourceSans3-Regular.ttf"
    ).read_bytes()
    assert (static / "logo.svg").is_file()
    argument = present.theme_resources(project.brand)
    assert argument.startswith("--VoilaConfiguration.resources=")
    assert '"brand": "Pilotfunnel Advisory"' in argument and '"logo": "logo.svg"' in argument


def test_the_pages_sentences_are_the_catalogues_passed_to_the_template(project):
    resources = json.loads(present.theme_resources(project.brand).split("=", 1)[1])
    text = resources["pilotfunnel"]["text"]
    assert text["loading"] == words.LOADING and text["reload"] == words.RELOAD
    assert text["lost_text"].endswith("restart <code>pilotfunnel present</code>.")
    assert "{command}" not in text["lost_text"]
    # The template and its script type none of them again: they read them from resources.
    folder = present.VOILA_DATA_DIR / "voila" / "templates" / "pilotfunnel"
    page = (folder / "index.html.j2").read_text(encoding="utf-8")
    script = (folder / "static" / "present.js").read_text(encoding="utf-8")
    for sentence in (words.LOADING, words.STARTING, words.KERNEL_LOST_HEADING, words.RELOAD):
        assert sentence not in page, sentence
    assert words.STEPS_LABEL not in script
    for key in text:
        assert f"text.{key}" in page, key


def test_the_theme_folder_comes_after_the_template_on_jupyter_path(tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    assert present.jupyter_path(tmp_path).split(os.pathsep) == [
        str(present.VOILA_DATA_DIR),
        str(tmp_path),
    ]


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_present_ends_voila_and_its_kernels_on_a_signal(tmp_path, signum):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    port = free_port()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    command = subprocess.Popen(
        [pilotfunnel_command(), "present", "--port", str(port)],
        cwd=tmp_path,
        env={**os.environ, "PILOTFUNNEL_HOME": str(tmp_path), "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", command)  # renders the page: a kernel starts
        assert [p.name for p in temporary.iterdir() if p.name.startswith("pilotfunnel-present-")]
        tree = psutil.Process(command.pid).children(recursive=True)
        started = [" ".join(p.cmdline()) for p in tree]
        assert any("voila" in c for c in started) and any("ipykernel" in c for c in started)
        command.send_signal(signum)
        code = command.wait(timeout=60)
        assert code == (0 if signum == signal.SIGINT else 128 + signum)
        _, alive = psutil.wait_procs(tree, timeout=30)
        assert alive == [], [p.cmdline() for p in alive]
        # The theme folder written for this run is gone with it.
        assert not [p for p in temporary.iterdir() if p.name.startswith("pilotfunnel-present-")]
    finally:
        stop(command)


# --- the exports route: the briefs Export wrote, nothing else -----------------------------------
@pytest.fixture
def exports(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "acme-2026-12-02.pdf").write_bytes(b"%PDF-1.7 brief")
    (folder / "acme-2026-12-02.html").write_text("<html>brief</html>", encoding="utf-8")
    (folder / "notes.txt").write_text("not a brief", encoding="utf-8")
    (folder / "old").mkdir()
    (folder / "old" / "acme-2025-01-01.pdf").write_bytes(b"%PDF-1.7 old")
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.7 not yours")
    (folder / "leak.pdf").symlink_to(secret)
    (folder / "linked").symlink_to(tmp_path)
    return folder


def test_the_exports_route_finds_a_brief_by_its_name(exports):
    assert exported_file(exports, "acme-2026-12-02.pdf") == exports / "acme-2026-12-02.pdf"
    assert exported_file(exports, "acme-2026-12-02.html") == exports / "acme-2026-12-02.html"


@pytest.mark.parametrize(
    "name",
    [
        "notes.txt",  # not what Export writes
        "missing.pdf",
        "old",  # a folder
        "old/acme-2025-01-01.pdf",  # a path inside, even
        "../secret.pdf",
        "..",
        "/etc/passwd",
        "leak.pdf",  # a symlink out of the folder
        "linked/secret.pdf",
        ".hidden.pdf",
        "",
    ],
)
def test_the_exports_route_refuses_anything_but_a_brief_in_the_folder(exports, name):
    assert exported_file(exports, name) is None


@given(st.text(min_size=1, max_size=40))
def test_no_name_with_a_separator_or_a_leading_dot_is_served(name):
    folder = Path("/nonexistent-exports")
    if "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        assert exported_file(folder, name) is None


@pytest.mark.server
@pytest.mark.slow
def test_the_present_server_serves_exported_briefs_and_nothing_else(tmp_path):
    from http.client import HTTPConnection

    from pilotfunnel.export.pipeline import make_brief
    from pilotfunnel.inputs.project import Project
    from pilotfunnel.inputs.scenario import load_scenario

    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    exports = tmp_path / "exports"
    project = Project.load(tmp_path)
    written = make_brief(project, load_scenario(project.clients_dir / "demo.yaml"), exports)
    pdf, page = written.files["pdf"], written.files["html"]
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(pdf.read_bytes())
    (exports / "leak.pdf").symlink_to(secret)
    (exports / "notes.txt").write_text("not a brief", encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [pilotfunnel_command(), "present", "--port", str(port)],
        cwd=tmp_path,
        env={**os.environ, "PILOTFUNNEL_HOME": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )

    def fetch(path: str) -> tuple[int, dict, bytes]:
        # http.client sends the path as written: no browser tidies a "../" away first.
        connection = HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    try:
        wait_for_http(f"http://127.0.0.1:{port}/exports/{pdf.name}", server)
        status, headers, body = fetch(f"/exports/{pdf.name}")
        assert status == 200 and body.startswith(b"%PDF-") and body == pdf.read_bytes()
        assert headers["Content-Type"] == "application/pdf"
        assert headers["Content-Disposition"] == f'attachment; filename="{pdf.name}"'
        status, headers, body = fetch(f"/exports/{page.name}")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert body == page.read_bytes()
        assert headers["Content-Disposition"] == f'attachment; filename="{page.name}"'
        for attempt in (
            "/exports/../data/clients/demo.yaml",
            "/exports/%2e%2e/data/clients/demo.yaml",
            "/exports/%2e%2e%2fdata%2fclients%2fdemo.yaml",
            "/exports/..%2F..%2Fetc%2Fpasswd",
            "/exports//etc/passwd",
            "/exports/%2Fetc%2Fpasswd",
            f"/exports/{tmp_path}/secret.pdf",
            "/exports/leak.pdf",
            "/exports/notes.txt",
            "/exports/",
            "/voila/files/exports/" + pdf.name,  # Voila's own file handler serves nothing
            "/voila/files/05-present.ipynb",
        ):
            status, _, body = fetch(attempt)
            assert status in (403, 404), (attempt, status)
            assert b"%PDF-" not in body and b"client:" not in body, attempt
    finally:
        stop(server)


# --- `pilotfunnel present [SCENARIO.yaml]`: the client the page opens on ------------------------
def test_present_opens_on_the_demo_client_or_the_client_given(project):
    demo = project.clients_dir / "demo.yaml"
    assert present.meeting_scenario(project) == demo.resolve()
    assert present.meeting_scenario(project, demo) == demo.resolve()


def test_the_cli_passes_the_scenario_to_present():
    from pilotfunnel.ui.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["present"]).scenario is None
    given = parser.parse_args(["present", "data/clients/acme.yaml", "--port", "9000"])
    assert given.scenario == Path("data/clients/acme.yaml") and given.port == 9000


@pytest.fixture
def kit(project_copy):
    clients = project_copy / "data" / "clients"
    (clients / "list.yaml").write_text("- not\n- a scenario\n", encoding="utf-8")
    outside = project_copy / "elsewhere.yaml"
    shutil.copy(clients / "demo.yaml", outside)
    (clients / "linked.yaml").symlink_to(outside)
    return project_copy


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("data/clients/missing.yaml", "data/clients/missing.yaml: does not exist"),
        ("data/clients/list.yaml", "list.yaml: must be a YAML mapping"),
        ("elsewhere.yaml", "elsewhere.yaml: is not in the project's clients folder"),
        ("data/clients/linked.yaml", "linked.yaml: is not in the project's clients folder"),
        ("data/clients", "data/clients"),  # a folder is no scenario file
    ],
)
def test_present_refuses_a_scenario_it_cannot_open_with_one_line_and_exit_2(kit, given, says):
    from pilotfunnel.inputs.project import Project

    with pytest.raises(InputError, match=re.escape(says)):
        present.meeting_scenario(Project.load(kit), kit / given)
    done = subprocess.run(
        [pilotfunnel_command(), "present", given, "--port", str(free_port())],
        cwd=kit,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PILOTFUNNEL_HOME": str(kit)},
    )
    assert done.returncode == 2
    assert done.stdout == ""  # nothing started: no URL printed
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], done.stderr
