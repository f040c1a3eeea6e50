"""Fuzz targets for the input loaders, run by hand: scenario, sources, assumptions, evidence.

    python bench/fuzz/loaders.py scenario [atheris/libFuzzer options, e.g. -max_total_time=600]

With atheris installed (``pip install atheris``), each target runs under libFuzzer, seeded
from the valid and hostile fixtures. Without it, the same target runs on byte-level
mutations of those fixtures (flip, insert, delete, splice) for ``--runs`` inputs, so the
harness works anywhere. Either way the only allowed outcomes are the loader's success or the
kit's own InputError with one short line per problem; anything else is a crash to report.
"""

from __future__ import annotations

import atexit
import datetime as dt
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "src"))

from pilotfunnel.core.errors import InputError  # noqa: E402

TODAY = dt.date(2026, 11, 25)
WORK = Path(tempfile.mkdtemp(prefix="pilotfunnel-fuzz-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)


def _sources():
    from pilotfunnel.inputs.sources.load import load_sources

    return load_sources(FIXTURES / "sources" / "valid.csv", today=TODAY)


def _load(kind: str, path: Path) -> None:
    if kind == "scenario":
        from pilotfunnel.inputs.scenario import load_scenario

        load_scenario(path)
    elif kind == "sources":
        from pilotfunnel.inputs.sources.load import frame, load_sources

        frame(path, today=TODAY)  # the analyst's frame must never raise either
        load_sources(path, today=TODAY)
    elif kind == "assumptions":
        from pilotfunnel.inputs.assumptions import load_assumptions

        load_assumptions(path, SOURCES)
    else:
        from pilotfunnel.views.evidence import load_notes

        load_notes(SOURCES, path)


def check(kind: str, data: bytes) -> None:
    """One input: success, or the kit's own error in short lines; anything else raises."""
    path = WORK / ("input.csv" if kind == "sources" else "input.yaml")
    path.write_bytes(data)
    try:
        _load(kind, path)
    except InputError as error:
        for line in str(error).splitlines():
            if len(line) >= 400:
                message = f"a line of {len(line)} characters: {line[:120]}..."
                raise AssertionError(message) from None


SEEDS = {
    "scenario": ["scenarios", "hostile/scenarios"],
    "sources": ["sources", "hostile/sources"],
    "assumptions": ["assumptions", "hostile/assumptions"],
    "evidence": [],
}


def seeds(kind: str) -> list[bytes]:
    found = [p.read_bytes() for d in SEEDS[kind] for p in sorted((FIXTURES / d).glob("*.*"))]
    if kind == "evidence":
        found.append((ROOT / "data" / "evidence-notes.yaml").read_bytes())
    return found


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(data))
        action = rng.randrange(4)
        if action == 0 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif action == 1:
            data[at:at] = rng.choice([b"&a ", b"*a", b"\x00", b"\xe2\x80\xae", b"\n  ", b'"', b":"])
        elif action == 2:
            del data[at : at + rng.randint(1, 16)]
        else:
            other = rng.choice(pool)
            start = rng.randint(0, len(other))
            data[at:at] = other[start : start + rng.randint(1, 64)]
    return bytes(data)


def main(argv: list[str]) -> int:
    global SOURCES
    if not argv or argv[0] not in SEEDS:
        print(f"usage: loaders.py {{{','.join(SEEDS)}}} [--runs N | libFuzzer options]")
        return 2
    kind, rest = argv[0], argv[1:]
    SOURCES = _sources()
    try:
        import atheris
    except ImportError:
        runs = int(rest[rest.index("--runs") + 1]) if "--runs" in rest else 10_000
        rng, pool = random.Random(1), seeds(kind)
        for _ in range(runs):
            check(kind, mutate(rng.choice(pool), rng, pool))
        print(f"{kind}: {runs} mutated inputs, no crash (atheris not installed: byte mutations)")
        return 0
    corpus = WORK / "corpus"
    corpus.mkdir()
    for n, data in enumerate(seeds(kind)):
        (corpus / f"seed-{n}").write_bytes(data)
    atheris.Setup([sys.argv[0], *rest, str(corpus)], lambda data: check(kind, data))
    atheris.Fuzz()
    return 0


SOURCES = None

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
