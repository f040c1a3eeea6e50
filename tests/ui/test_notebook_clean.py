"""The kit's template notebooks are saved without a session's traces: by JupyterLab's pre-save
hook (``make lab``), so `git status` stays clean after a session, and by git's clean filter."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import urllib.request

import nbformat
import pytest
from traitlets.utils.importstring import import_item

from pilotfunnel.ui.notebook_clean import clean_notebook, pre_save_hook

from ..conftest import ROOT
from ..servers import jupyter_lab

NOTEBOOK = ROOT / "notebooks" / "02-client-explorer.ipynb"


def with_outputs() -> dict:
    """The committed notebook as JupyterLab sends it to be saved after a session."""
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for number, cell in enumerate(c for c in notebook["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = number + 1
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "ran\n"}]
        cell["metadata"]["execution"] = {"iopub.status.idle": "2026-12-02T16:00:00.000Z"}
        cell["metadata"]["scrolled"] = True
    notebook["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    notebook["metadata"]["language_info"] = {"name": "python", "version": "3.12.3"}
    return notebook


def test_a_session_is_stripped_back_to_the_committed_notebook():
    committed = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert with_outputs() != committed
    assert clean_notebook(with_outputs()) == committed


def test_cell_tags_and_sources_are_kept():
    notebook = with_outputs()
    notebook["cells"][0]["metadata"]["tags"] = ["section:record"]
    cleaned = clean_notebook(copy.deepcopy(notebook))
    assert cleaned["cells"][0]["metadata"]["tags"] == ["section:record"]
    assert [c["source"] for c in cleaned["cells"]] == [c["source"] for c in notebook["cells"]]


@pytest.mark.parametrize(
    ("path", "stripped"),
    [
        ("notebooks/02-client-explorer.ipynb", True),
        ("/notebooks/02-client-explorer.ipynb", True),
        ("work/my-analysis.ipynb", False),  # a consultant's own notebook keeps its outputs
        ("clients/notebooks/02-client-explorer.ipynb", False),
        ("notebooks/sub/x.ipynb", False),
    ],
)
def test_the_hook_strips_only_the_kits_template_notebooks(path, stripped):
    model = {"type": "notebook", "content": with_outputs()}
    pre_save_hook(model=model, path=path, contents_manager=None)
    has_outputs = any(c.get("outputs") for c in model["content"]["cells"])
    assert has_outputs is not stripped


def test_the_hook_leaves_other_files_alone():
    model = {"type": "file", "content": "outputs", "format": "text"}
    pre_save_hook(model=model, path="notebooks/notes.txt")
    assert model == {"type": "file", "content": "outputs", "format": "text"}


def make_lab_hook() -> str:
    """The pre-save hook `make lab` gives JupyterLab, read from the Makefile."""
    found = re.search(r"--ContentsManager\.pre_save_hook=(\S+)", (ROOT / "Makefile").read_text())
    assert found, "make lab passes no pre-save hook"
    return found.group(1)


def test_make_lab_names_this_hook():
    assert import_item(make_lab_hook()) is pre_save_hook


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_a_save_in_a_real_jupyterlab_leaves_git_status_clean(tmp_path):
    # The server saves what JupyterLab's autosave sends (outputs and all) through the hook
    # make lab configures; the file on disk, and so git, sees no change.
    root = tmp_path / "kit"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(NOTEBOOK, root / "notebooks" / NOTEBOOK.name)
    (root / ".jupyter").mkdir()
    config = {"ContentsManager": {"pre_save_hook": make_lab_hook()}}
    (root / ".jupyter" / "jupyter_server_config.json").write_text(json.dumps(config))
    env = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}
    git = ["git", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    # The kit's own .gitignore (it ignores JupyterLab's checkpoints), and the test's config.
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    (root / ".git" / "info" / "exclude").write_text(".jupyter/\n")
    subprocess.run([*git, "add", "."], check=True, env=env)
    subprocess.run(
        [*git, "-c", "user.name=Kit", "-c", "user.email=k@example.com", "commit", "-qm", "kit"],
        check=True,
        env=env,
    )
    token = "notebook-clean-test"
    with jupyter_lab(root, token) as base:
        body = json.dumps({"type": "notebook", "format": "json", "content": with_outputs()})
        request = urllib.request.Request(
            f"{base}/api/contents/notebooks/{NOTEBOOK.name}?token={token}",
            data=body.encode(),
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
        own = json.dumps({"type": "notebook", "format": "json", "content": with_outputs()})
        request = urllib.request.Request(
            f"{base}/api/contents/mine.ipynb?token={token}",
            data=own.encode(),
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status in (200, 201)
    saved = nbformat.read(root / "notebooks" / NOTEBOOK.name, as_version=4)
    assert all(c.get("outputs", []) == [] for c in saved.cells)
    status = subprocess.run(
        [*git, "status", "--porcelain"], check=True, env=env, capture_output=True, text=True
    ).stdout
    assert status == "?? mine.ipynb\n"  # the template unchanged; only the new file shows
    mine = nbformat.read(root / "mine.ipynb", as_version=4)
    assert any(c.get("outputs") for c in mine.cells)  # the consultant's own keeps its outputs
