"""What an export may read: the fetcher's rule, images judged by content, the notebook's folder."""

import os
from pathlib import Path

import pytest

from pilotfunnel.export.nbconvert import fetcher as fetcher_module
from pilotfunnel.export.nbconvert.fetcher import (
    ExportFetcher,
    URLRefused,
    image_type,
    notebook_folder,
)
from pilotfunnel.export.nbconvert.urls import canonical_url, file_url, scheme_of

from ..conftest import FIXTURES

HOSTILE = FIXTURES / "hostile" / "notebooks"
PNG = (HOSTILE / "real.png").read_bytes()
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1"/></svg>'


def test_the_fetcher_refuses_what_is_not_allowed(tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "ok.txt").write_text("fine")
    fetcher = ExportFetcher([allowed])
    assert fetcher.may_read((allowed / "ok.txt").as_uri())
    for url in ("file:///etc/passwd", (allowed / ".." / "x").as_uri(), "https://example.com/"):
        with pytest.raises(URLRefused):
            fetcher.fetch(url)
    with pytest.raises(URLRefused):
        fetcher.fetch("https://example.com/")  # noted once
    assert len(fetcher.refused) == 3
    assert fetcher.fetch("data:text/plain,hi") is not None


def test_a_link_a_fifo_a_folder_or_another_host_is_not_a_file_to_read(tmp_path):
    folder = tmp_path / "nb"
    folder.mkdir()
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    (folder / "out.png").symlink_to(outside)
    (folder / "loop.png").symlink_to(folder / "loop.png")
    os.mkfifo(folder / "pipe.png")
    (folder / "sub").mkdir()
    fetcher = ExportFetcher([folder])
    for name in ("out.png", "loop.png", "pipe.png", "sub", "missing.png"):
        assert fetcher.path_of((folder / name).as_uri()) is None, name
    assert fetcher.path_of(f"file://attacker.example{folder}/x.png") is None
    assert fetcher.path_of("file:///tmp/%00x") is None


def test_images_are_judged_by_their_content_not_their_name():
    assert image_type(PNG) == "image/png"
    assert image_type(b"\xff\xd8\xff\xe0" + b"\0" * 20) == "image/jpeg"
    assert image_type(b"GIF89a" + b"\0" * 20) == "image/gif"
    assert image_type(b"RIFF\x10\0\0\0WEBPVP8 ") == "image/webp"
    assert image_type(SVG) == "image/svg+xml"
    assert image_type(b"\xef\xbb\xbf" + SVG) == "image/svg+xml"  # a byte order mark first
    for not_an_image in (
        b"Client: Acme. Margin 12%.",
        b"<svg>no namespace</svg>",
        b'<html xmlns="http://www.w3.org/1999/xhtml"></html>',
        b"<svg xmlns='http://www.w3.org/2000/svg'><unclosed>",
        (HOSTILE / "laughs.svg").read_bytes(),  # an entity bomb is refused, never expanded
        b"",
    ):
        assert image_type(not_an_image) is None, not_an_image[:30]


def test_read_image_reads_only_a_real_image_under_the_limit(tmp_path, monkeypatch):
    (tmp_path / "notes.png").write_text("not an image")
    (tmp_path / "real.txt").write_bytes(PNG)
    fetcher = ExportFetcher([tmp_path])
    assert fetcher.read_image((tmp_path / "notes.png").as_uri()) is None
    assert fetcher.read_image((tmp_path / "real.txt").as_uri()) == ("image/png", PNG)
    monkeypatch.setattr(fetcher_module, "MAX_IMAGE_BYTES", len(PNG) - 1)
    assert fetcher.read_image((tmp_path / "real.txt").as_uri()) is None


def test_urls_are_read_as_a_browser_reads_them():
    assert canonical_url(" \x01 jav\tas\ncript:x \x00") == "javascript:x"
    assert scheme_of("JavaScript:x") == "javascript" and scheme_of("#top") == ""
    assert scheme_of("picture.jpeg") == "" and scheme_of("c:/x") == "c"


def test_file_urls_are_made_against_the_notebooks_folder(tmp_path):
    folder = tmp_path / "nb"
    assert file_url("./picture.jpeg", folder) == (folder / "picture.jpeg").as_uri()
    assert file_url("a%20b.png?x=1#y", folder) == folder.as_uri() + "/a%20b.png"
    assert file_url("../up.png", folder) == (tmp_path / "up.png").as_uri()
    for other in ("//attacker.example/x.png", "\\\\host\\x", "https://e/x.png", "data:,x"):
        assert file_url(other, folder) is None, other


def test_the_notebooks_folder_is_its_real_folder_however_the_path_was_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = Path("/kit/root")
    # `jupyter nbconvert nb.ipynb` in the notebook's folder: nbconvert's path is ''.
    assert notebook_folder({"metadata": {"path": ""}}, root) == tmp_path
    assert notebook_folder({"metadata": {"path": "sub"}}, root) == tmp_path / "sub"
    assert notebook_folder({"metadata": {"path": str(tmp_path)}}, root) == tmp_path
    assert notebook_folder({"metadata": {"name": "brief"}}, root) == root.resolve()
    assert notebook_folder(None, root) == root.resolve()
