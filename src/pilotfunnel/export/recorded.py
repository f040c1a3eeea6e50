"""What an executed brief recorded, and its deck rebuilt from it.

The brief notebook's setup cell displays the brief's metadata (client, title, date, the scenario
and its digest, draws and seed) as an output of its own media type. The page exporters read its
title and author from there (``find_brief_metadata``); the deck is made from the model, not the
page, so it models the brief again from the scenario, date, draws and seed recorded there, each
checked before the model runs (``recorded_scenario``, ``recorded_run``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pilotfunnel.core.errors import ExportError, InputError, Problem, ScenarioError
from pilotfunnel.inputs.scenario import load_scenario, scenario_from_dict
from pilotfunnel.model.funnel import MAX_DRAWS
from pilotfunnel.views import brief
from pilotfunnel.views.brief import METADATA_MIMETYPE
from pilotfunnel.views.deck.build import build_deck


def find_brief_metadata(nb) -> dict:
    """The brief's metadata, from the output the brief notebook's setup cell displays; {} for
    a notebook that is not an executed brief."""
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data", {})
            if METADATA_MIMETYPE in data:
                found = data[METADATA_MIMETYPE]
                return dict(found) if isinstance(found, dict) else {}
    return {}


def deck_from_brief(project, executed) -> bytes:
    """The deck of an executed brief notebook: modelled again from the scenario, date, draws
    and seed the notebook recorded, so its numbers are the brief's.

    The deck never opens a path the notebook names: the scenario is the mapping the brief
    notebook carries, checked against its digest, or a scenario file of the project's own
    clients folder named by its file name alone and checked against the same digest
    (``recorded_scenario``). Anything else is refused with one line.
    """
    try:
        meta = find_brief_metadata(executed)
    except (TypeError, ValueError):  # an output that is not a mapping: no brief output
        meta = {}
    if not isinstance(meta, dict) or "scenario" not in meta:
        raise ExportError(
            "a deck is made from the client brief notebook (notebooks/03-client-brief.ipynb) "
            "after it has run; this notebook has no brief output. Run it, save it, then export"
        )
    scenario = recorded_scenario(project, meta)
    as_of, draws, seed = recorded_run(meta)
    ctx = brief.prepare(project, scenario, as_of, draws, seed)
    return build_deck(ctx)


RECORDED = "the brief notebook"  # what a problem with the brief's recorded metadata names
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SCENARIO_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}\.ya?ml$")
_REFUSED = (
    "is refused: a deck is built from the scenario the brief carries, with its "
    "scenario_sha256, or from a file name of the clients folder with that digest; run the "
    "brief notebook again, save it, then export"
)


def recorded_scenario(project, meta: dict):
    """The scenario a brief recorded, as a validated Scenario, or a ScenarioError.

    Accepted: the scenario's mapping with the digest the brief wrote beside it
    (``brief.scenario_digest``), or the file name of a scenario in ``project.clients_dir``
    whose mapping has that digest. Refused alike, in the same words: a path, a name outside
    the clients folder, a missing or different digest, a file that does not exist or does not
    load; so the refusal tells nothing about which files exist.
    """

    refused = ScenarioError(
        problems=[Problem(RECORDED, "field 'scenario'", _REFUSED, column="scenario")]
    )
    recorded, digest = meta.get("scenario"), meta.get("scenario_sha256")
    if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise refused
    if isinstance(recorded, dict):
        try:
            matches = brief.scenario_digest(recorded) == digest
        except (TypeError, ValueError, RecursionError):
            matches = False
        if not matches:
            raise refused
        return scenario_from_dict(recorded, f"{RECORDED}: scenario")
    if not isinstance(recorded, str) or not _SCENARIO_FILE.match(recorded):
        raise refused  # a path, or anything but a plain file name: never opened
    folder = Path(project.clients_dir)
    try:
        path = (folder / recorded).resolve()
        inside = path.parent == folder.resolve() and path.is_file()
        scenario = load_scenario(path) if inside else None
    except (InputError, OSError, ValueError):
        scenario = None
    if scenario is None or brief.scenario_digest(scenario.to_dict()) != digest:
        raise refused
    return scenario


def recorded_run(meta: dict) -> tuple[dt.date, int, int]:
    """The date, draws and seed a brief recorded, each checked before the model runs."""

    def refused(field: str, allowed: str) -> InputError:
        where = f"field '{field}'"
        value = meta.get(field)
        return InputError(problems=[Problem(RECORDED, where, allowed, value, column=field)])

    date = meta.get("date")
    try:
        as_of = dt.date.fromisoformat(date) if _ISO_DATE.match(date) else None
    except (TypeError, ValueError):
        as_of = None
    if as_of is None:
        raise refused("date", "must be the brief's date as YYYY-MM-DD")
    draws, seed = meta.get("draws"), meta.get("seed")
    if type(draws) is not int or not 1 <= draws <= MAX_DRAWS:
        raise refused("draws", f"must be a whole number of Monte Carlo draws, 1 to {MAX_DRAWS:,}")
    if type(seed) is not int or not 0 <= seed < 2**63:
        raise refused("seed", "must be a whole number from 0 to 2**63 - 1")
    return as_of, draws, seed


# --- what the page shows of it -------------------------------------------------------------
# A language tag (BCP 47, in short): anything else in the notebook's metadata is ignored.
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}")
MAX_METADATA_CHARS = 300


def page_metadata(nb, name: str, author: str) -> dict:
    """The page's title, author, subject, date, language and client, from what the brief
    recorded, else the notebook's own metadata, first heading, ``name`` and ``author``."""
    meta = {key: _text(value) for key, value in find_brief_metadata(nb).items()}
    own = nb.get("metadata", {})
    own_client = own.get("pilotfunnel")
    own_client = _text(own_client.get("client")) if isinstance(own_client, dict) else ""
    client = meta.get("client") or own_client
    title = meta.get("title") or _text(own.get("title")) or first_heading(nb) or name
    return {
        "is_brief": bool(meta.get("client")),
        "title": title,
        "author": meta.get("author") or authors_text(own.get("authors")) or author,
        "subject": meta.get("subject") or title,
        "date": meta.get("date", ""),
        "lang": meta.get("lang") if _LANG.fullmatch(meta.get("lang", "")) else "en",
        "client": client,
    }


def _text(value: object) -> str:
    """A metadata value a notebook wrote, as text for the page: only text is taken (any other
    type is ignored), cut to a length a title or a name can have."""
    return value[:MAX_METADATA_CHARS] if isinstance(value, str) else ""


def first_heading(nb) -> str:
    """The text of the notebook's first Markdown heading, or ''."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.lstrip().startswith("#"):
                    return line.lstrip().lstrip("#").strip()
    return ""


def authors_text(authors) -> str:
    """nbformat's ``authors`` metadata (a list of {"name": ...} or of names) as one line."""
    if not isinstance(authors, list):
        return ""
    names = [_text(a.get("name")) if isinstance(a, dict) else _text(a) for a in authors[:20]]
    return _text(", ".join(n.strip() for n in names if n.strip()))
