"""Which scenarios a batch covers, and which of their briefs are out of date and why."""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from pilotfunnel.batch.fingerprint import Inputs, sha256_file
from pilotfunnel.batch.manifest import Manifest
from pilotfunnel.core.errors import MAX_FILE_CHARS, InputError, Problem, display_path, one_line
from pilotfunnel.core.fileinfo import not_regular_kind
from pilotfunnel.export.formats import DEFAULT_FORMATS

SCENARIO_SUFFIXES = (".yaml", ".yml")
LOG = logging.getLogger("pilotfunnel.batch")


def find_scenarios(targets: Sequence[str | Path]) -> list[Path]:
    """Scenario files named directly or found (*.yaml, *.yml) in the folders given.

    Only regular files are scenarios. A name given directly that is anything else (missing, a
    symlink loop, a FIFO, a device) is an error naming it; such an entry in a folder is
    skipped with a warning naming it, so one odd entry does not stop the batch, and nothing
    that could block (a FIFO) or never end (a device) is ever opened.
    """
    found: list[Path] = []
    refused = []
    for target in map(Path, targets):
        kind = _kind(target)
        if kind == "a folder":
            try:
                entries = sorted(p for p in target.iterdir() if p.suffix in SCENARIO_SUFFIXES)
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                refused.append(Problem(display_path(target), "", f"cannot be listed: {reason}"))
                continue
            for entry in entries:
                entry_kind = _kind(entry)
                if entry_kind is None:
                    found.append(entry)
                else:
                    LOG.warning("%s is %s, not a scenario file; skipped", _shown(entry), entry_kind)
        elif kind is None:
            found.append(target)
        else:
            message = "does not exist" if kind == "missing" else f"is {kind}, not a scenario file"
            refused.append(Problem(display_path(target), "", message))
    if refused:
        raise InputError(problems=refused)
    unique = {}
    for path in found:
        unique.setdefault(os.path.realpath(path), path)
    return list(unique.values())


def _kind(path: Path) -> str | None:
    """None for a regular file (or a link to one); else what it is, in words."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a broken symbolic link" if os.path.islink(path) else "missing"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        return f"unreadable ({exc.strerror or type(exc).__name__})"
    except ValueError:  # a NUL byte in the name
        return "not a file name the system accepts"
    return not_regular_kind(mode)


def _shown(path: Path) -> str:
    return one_line(display_path(path), MAX_FILE_CHARS, keep_end=True)


def options(draws: int | None, seed: int | None) -> dict:
    """The model settings a brief is built with, as the manifest records them."""
    return {"draws": draws, "seed": seed}


def plan(
    scenarios: Sequence[Path],
    out_dir: Path,
    as_of: dt.date,
    draws: int | None = None,
    seed: int | None = None,
    force: bool = False,
    manifest: Manifest | None = None,
    inputs: Inputs | None = None,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
) -> tuple[dict[str, list[str]], list[str]]:
    """Which scenarios need building and why (key -> reasons), and which are up to date."""
    manifest = manifest or Manifest.load(out_dir)
    inputs = inputs or Inputs.current()
    stale: dict[str, list[str]] = {}
    fresh: list[str] = []
    for path in scenarios:
        key = str(path.resolve())
        reasons = manifest.stale_reasons(
            key, sha256_file(path), as_of.isoformat(), options(draws, seed), inputs, formats
        )
        if force:
            reasons = reasons or ["--force"]
        if reasons:
            stale[key] = reasons
        else:
            fresh.append(key)
    return stale, fresh
