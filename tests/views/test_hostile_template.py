"""Hostile deck templates: each is refused with one line naming the brand.yml field, or opened
and harmless; never a traceback, never a run past a bound (zip bombs, lying sizes, external
relationships, hostile layout lists).

One fixture per class in tests/fixtures/hostile/brand/ (make_fixtures.py writes the
templates), and generated zip archives (hypothesis) for the classes at large.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import struct
import tracemalloc
import zipfile
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from pilotfunnel.core.errors import BrandError
from pilotfunnel.inputs.brand.load import Brand, load_brand
from pilotfunnel.inputs.project import Project
from pilotfunnel.views import brief, deck
from pilotfunnel.views.deck import template as deck_template

from ..conftest import FIXTURES, ROOT, run_pilotfunnel
from ..inputs.test_hostile_brand import HOSTILE, one_line_problems

FIRM = FIXTURES / "deck" / "firm.pptx"
FIRM_LAYOUTS = (("title", "Cover"), ("text", "Statement"), ("visual", "Headline"))


# --- deck templates -------------------------------------------------------------------------
def with_template(path: Path) -> Brand:
    return dataclasses.replace(
        load_brand(ROOT / "data" / "brand" / "brand.yml"),
        pptx_template=path,
        pptx_layouts=FIRM_LAYOUTS,
    )


def test_a_zip_bomb_template_is_refused_from_its_directory_without_inflating():
    # Before: a 1 MB template took 2.3 GB and its 1 GiB entry went into the client's deck.
    tracemalloc.start()
    try:
        with pytest.raises(BrandError) as caught:
            deck.open_template(with_template(HOSTILE / "zip_bomb.pptx"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (line,) = one_line_problems(caught.value)
    assert "field 'pptx_template'" in line and "zip_bomb.pptx" in line
    assert "has an entry over 32 MB uncompressed (ppt/media/padding.bin)" in line
    assert peak < 4 * 2**20  # the 33 MiB entry was never inflated


def test_a_declared_size_over_the_limit_is_refused_and_a_false_one_fails_to_read(tmp_path):
    data = FIRM.read_bytes()
    declared_gib = tmp_path / "declared.pptx"
    declared_gib.write_bytes(with_declared_size(data, "ppt/presentation.xml", 2**30))
    with pytest.raises(BrandError, match=r"has an entry over 32 MB uncompressed"):
        deck.open_template(with_template(declared_gib))
    # Declared smaller than it is: zipfile stops at the declared size and the CRC fails.
    understated = tmp_path / "understated.pptx"
    understated.write_bytes(with_declared_size(data, "ppt/presentation.xml", 10))
    with pytest.raises(BrandError, match=r"cannot be read as a PowerPoint presentation"):
        deck.open_template(with_template(understated))


def with_declared_size(archive: bytes, name: str, size: int) -> bytes:
    """The archive with ``name``'s uncompressed size in its central directory set to ``size``."""
    data = bytearray(archive)
    end = data.rfind(b"PK\x05\x06")
    count, _, position = struct.unpack_from("<HII", data, end + 10)
    for _ in range(count):
        names, extra, comment = struct.unpack_from("<HHH", data, position + 28)
        if data[position + 46 : position + 46 + names].decode() == name:
            struct.pack_into("<I", data, position + 24, size)
        position += 46 + names + extra + comment
    return bytes(data)


def test_a_template_that_is_not_a_zip_is_refused():
    with pytest.raises(BrandError) as caught:
        deck.open_template(with_template(HOSTILE / "not_a_zip.pptx"))
    (line,) = one_line_problems(caught.value)
    assert "not_a_zip.pptx cannot be read as a PowerPoint template: it is not a zip" in line


def test_a_template_with_external_relationships_is_refused():
    # Before: its file: link and linked picture were copied into every client's deck.
    with pytest.raises(BrandError) as caught:
        deck.open_template(with_template(HOSTILE / "external_rel.pptx"))
    (line,) = one_line_problems(caught.value)
    assert "has an external relationship (to " in line
    assert "file:///C:/Clients/Acme/numbers.xlsx" in line or "http://tracker.example" in line


def test_no_client_deck_has_an_external_relationship(project_copy):
    folder = project_copy / "data" / "brand"
    decks = [
        brief.prepare(Project.load(project_copy), ROOT / "data/clients/demo.yaml", "2026-11-25")
    ]
    shutil.copy(FIRM, folder / "firm.pptx")
    path = folder / "brand.yml"
    data = yaml.safe_load(path.read_text())
    data.update(pptx_template="firm.pptx", pptx_layouts=dict(FIRM_LAYOUTS))
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    decks.append(
        brief.prepare(Project.load(project_copy), ROOT / "data/clients/demo.yaml", "2026-11-25")
    )
    for ctx in decks:
        with zipfile.ZipFile(io.BytesIO(deck.build_deck(ctx))) as archive:
            for name in archive.namelist():
                if name.endswith(".rels"):
                    assert b'TargetMode="External"' not in archive.read(name), name


def test_brand_check_opens_the_template_with_exit_2(project_copy):
    folder = project_copy / "data" / "brand"
    shutil.copy(HOSTILE / "zip_bomb.pptx", folder / "firm.pptx")
    path = folder / "brand.yml"
    data = yaml.safe_load(path.read_text())
    data.update(pptx_template="firm.pptx", pptx_layouts=dict(FIRM_LAYOUTS))
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    done = run_pilotfunnel("brand", "check", cwd=project_copy)
    assert done.returncode == 2, done.stdout
    (line,) = done.stderr.strip().splitlines()
    assert "field 'pptx_template'" in line and "has an entry over 32 MB" in line
    shutil.copy(FIRM, folder / "firm.pptx")
    done = run_pilotfunnel("brand", "check", cwd=project_copy)
    assert done.returncode == 0, done.stderr
    assert "deck template data/brand/firm.pptx has the layouts the deck uses" in done.stdout


def test_a_layout_list_from_a_hostile_template_is_cut(tmp_path):
    prs = Presentation(str(FIRM))
    for layout in prs.slide_layouts:
        layout.name = "L" * 500
    path = tmp_path / "long.pptx"
    prs.save(path)
    with pytest.raises(BrandError) as caught:
        deck.open_template(with_template(path))
    for line in one_line_problems(caught.value):
        assert "L" * 41 not in line


# --- generated templates --------------------------------------------------------------------
# Small limits, so examples stay small; the firm's template is 38 entries, 93 KB inflated.
ENTRY_LIMIT, TOTAL_LIMIT, COUNT_LIMIT = 64 * 1024, 256 * 1024, 50
ENTRIES = st.lists(
    st.tuples(
        st.sampled_from(["a.xml", "b.bin", "ppt/x.xml", "docProps/y.xml", "[Content_Types].xml"]),
        st.integers(min_value=0, max_value=80 * 1024),  # real size
        st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
        st.one_of(st.none(), st.integers(min_value=0, max_value=2**32 - 1)),  # declared size
    ),
    max_size=16,
)


@settings(max_examples=40, deadline=None)
@given(entries=ENTRIES, firm=st.booleans(), data=st.data())
def test_generated_templates_are_refused_or_opened_by_the_rules(
    tmp_path_factory, entries, firm, data
):
    folder = tmp_path_factory.mktemp("template", numbered=True)
    buffer = io.BytesIO(FIRM.read_bytes() if firm else b"")
    with zipfile.ZipFile(buffer, "a" if firm else "w") as archive:
        base = list(archive.infolist())
        for index, (name, size, method, _) in enumerate(entries):
            # Zeros: a small budget on disk, the sizes what the rules are about.
            archive.writestr(zipfile.ZipInfo(f"extra/{index}/{name}"), bytes(size), method)
    archive_bytes = buffer.getvalue()
    declared = [info.file_size for info in base] + [size for _, size, _, _ in entries]
    for index, (name, _, _, lie) in enumerate(entries):
        if lie is not None:
            archive_bytes = with_declared_size(archive_bytes, f"extra/{index}/{name}", lie)
            declared[len(base) + index] = lie
    path = folder / "template.pptx"
    path.write_bytes(archive_bytes)
    expected_refusal = (
        len(declared) > COUNT_LIMIT
        or any(size > ENTRY_LIMIT for size in declared)
        or sum(declared) > TOTAL_LIMIT
    )
    limits = {
        "TEMPLATE_MAX_ENTRIES": COUNT_LIMIT,
        "TEMPLATE_MAX_ENTRY_BYTES": ENTRY_LIMIT,
        "TEMPLATE_MAX_TOTAL_BYTES": TOTAL_LIMIT,
    }
    # Patched where the archive check reads them: deck re-exports the names.
    with mock.patch.multiple(deck_template, **limits):
        why = deck.check_template_archive(path)
        assert (why is not None) == expected_refusal, (why, declared)
        try:
            opened = deck.open_template(with_template(path))
        except BrandError as error:
            event("refused by the directory" if why else "refused on opening")
            one_line_problems(error)
            return
    event("opened")
    assert not expected_refusal and firm  # only a real template opens
    assert [layout.name for layout in opened.layouts.values()] == [n for _, n in FIRM_LAYOUTS]


TARGETS = st.tuples(
    st.sampled_from(["http://", "https://", "file:///", "\\\\server\\share\\", "mailto:"]),
    st.text(alphabet="abcxyz/._-", max_size=20),
)


@settings(max_examples=30, deadline=None)
@given(links=st.lists(st.tuples(st.integers(min_value=0, max_value=10), TARGETS), max_size=3))
def test_generated_external_relationships_are_all_refused(tmp_path_factory, links):
    prs = Presentation(str(FIRM))
    parts = [prs.slide_master.part, *(layout.part for layout in prs.slide_layouts)]
    for where, (scheme, rest) in links:
        parts[where % len(parts)].relate_to(scheme + rest, RT.HYPERLINK, is_external=True)
    path = tmp_path_factory.mktemp("external", numbered=True) / "template.pptx"
    prs.save(path)
    if not links:
        assert deck.open_template(with_template(path)).layouts
        return
    with pytest.raises(BrandError) as caught:
        deck.open_template(with_template(path))
    (line,) = one_line_problems(caught.value)
    assert "has an external relationship" in line
