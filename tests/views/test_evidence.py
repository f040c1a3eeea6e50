import pytest

from pilotfunnel.core.errors import SourceError
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.sources.load import load_sources
from pilotfunnel.views import evidence

from ..conftest import ROOT


def test_every_source_has_a_plain_language_note():
    sources = load_sources(ROOT / "data" / "sources.csv")
    notes = evidence.load_notes(sources, ROOT / "data" / "evidence-notes.yaml")
    assert set(notes) == set(sources.sources)
    assert "organisations, not pilots" in notes["mit-nanda-2025-no-pnl-return"]["does_not_say"]


def test_table_shows_evidence_levels_and_caveats():
    html = evidence.table(Project.load(ROOT)).data
    for level in ("verified", "secondary", "unverified"):
        assert f">{level}</td>" in html
    assert "Preliminary" in html or "preliminary" in html


def test_table_shows_caveats_and_never_an_analysts_working_notes():
    project = Project.load(ROOT)
    html = evidence.table(project).data
    for source in project.sources:
        assert source.analyst_notes and source.analyst_notes not in html, source.id
    assert "could not be located" not in html and "traced via" not in html


def test_unknown_id_in_notes_is_an_error(tmp_path):
    bad = tmp_path / "notes.yaml"
    bad.write_text(
        (ROOT / "data" / "evidence-notes.yaml").read_text() + "\nmade-up-2031:\n"
        "  says: x\n  does_not_say: y\n"
    )
    with pytest.raises(SourceError, match=r"made-up-2031.*not a source id"):
        evidence.load_notes(load_sources(ROOT / "data" / "sources.csv"), bad)
