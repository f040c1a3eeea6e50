"""Finding the project: --project (which sets PILOTFUNNEL_HOME), PILOTFUNNEL_HOME, then the
nearest pilotfunnel.yml walking up; never the kit's own installed files."""

from pathlib import Path

import pytest

from pilotfunnel.core import paths
from pilotfunnel.core.errors import InputError, ProjectNotFound


@pytest.fixture
def no_home(monkeypatch):
    monkeypatch.delenv(paths.HOME_VARIABLE, raising=False)


def make_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / paths.MARKER).write_text("name: test\n", encoding="utf-8")
    return folder


def test_the_nearest_marker_walking_up_is_the_project(tmp_path, no_home, monkeypatch):
    outer = make_project(tmp_path / "outer")
    inner = make_project(outer / "clients" / "inner")
    deep = inner / "notebooks" / "drafts"
    deep.mkdir(parents=True)
    assert paths.find_project(deep) == inner.resolve()
    assert paths.find_project(outer / "clients") == outer.resolve()
    monkeypatch.chdir(deep)
    assert paths.project_root() == inner.resolve()
    assert paths.exports_dir() == inner.resolve() / "exports"


def test_outside_any_project_is_one_line_naming_pilotfunnel_new(tmp_path, no_home, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProjectNotFound) as raised:
        paths.project_root()
    text = str(raised.value)
    assert "\n" not in text and "pilotfunnel new" in text and paths.MARKER in text
    assert isinstance(raised.value, InputError)


def test_an_older_kits_data_folder_is_not_found_by_walking_up(tmp_path, no_home):
    # Walking up looks for the marker only: a stray data/sources.csv is not a project.
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sources.csv").write_text("id\n", encoding="utf-8")
    with pytest.raises(ProjectNotFound):
        paths.find_project(tmp_path)


def test_pilotfunnel_home_comes_before_walking_up(tmp_path, monkeypatch):
    home = make_project(tmp_path / "home")
    here = make_project(tmp_path / "here")
    monkeypatch.chdir(here)
    monkeypatch.setenv(paths.HOME_VARIABLE, str(home))
    assert paths.project_root() == home.resolve()
    assert paths.project_root(here) == home.resolve()


@pytest.mark.parametrize("kind", ["missing", "file", "empty folder"])
def test_a_home_that_is_not_a_project_is_refused_naming_it(tmp_path, monkeypatch, kind):
    named = tmp_path / "named"
    if kind == "file":
        named.write_text("x", encoding="utf-8")
    elif kind == "empty folder":
        named.mkdir()
    make_project(tmp_path / "fallback")
    monkeypatch.chdir(tmp_path / "fallback")  # a project here is not used instead
    monkeypatch.setenv(paths.HOME_VARIABLE, str(named))
    with pytest.raises(ProjectNotFound) as raised:
        paths.project_root()
    text = str(raised.value)
    assert str(named) in text and paths.HOME_VARIABLE in text and "pilotfunnel new" in text
    assert "\n" not in text


def test_a_named_folder_made_by_an_older_kit_is_a_project(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sources.csv").write_text("id\n", encoding="utf-8")
    assert paths.named_project(tmp_path, "--project") == tmp_path.resolve()


def test_the_kit_never_falls_back_to_its_own_files(no_home, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProjectNotFound):
        paths.data_dir()
    # The package's folder is not a project either, wherever the kit is installed.
    assert not (paths.PACKAGE_DIR / paths.MARKER).exists()


def test_the_starter_is_a_project_of_its_own():
    starter = paths.starter_dir()
    assert (starter / paths.MARKER).is_file()
    assert (starter / "data" / "sources.csv").is_file()
    assert (starter / "notebooks" / paths.BRIEF_NOTEBOOK).is_file()
