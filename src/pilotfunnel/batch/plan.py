"""Which scenarios a batch covers, and which of their briefs are out of date and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..manifest import Inputs, Manifest, sha256_file
from ..naming import DEFAULT_FORMATS

SCENARIO_SUFFIXES = (".yaml", ".yml")


def find_scenarios(targets: Sequence[str | Path]) -> list[Path]:
    """Scenario files named directly or found (*.yaml, *.yml) in the folders given."""
    found: list[Path] = []
    missing = []
    for target in map(Path, targets):
        if target.is_dir():
            found += sorted(p for p in target.iterdir() if p.suffix in SCENARIO_SUFFIXES)
        elif target.is_file():
            found.append(target)
        else:
            missing.append(Problem(display_path(target), "", "does not exist"))
    if missing:
        raise InputError(problems=missing)
    unique = {}
    for path in found:
        unique.setdefault(str(path.resolve()), path)
    return list(unique.values())


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
