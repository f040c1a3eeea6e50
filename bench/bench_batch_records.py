"""Benchmark `model --batch` with records: main's per-scenario calibration against this tree's
vectorised one, side by side in one run (issue 25, "Scale").

Run by hand: `python bench/bench_batch_records.py [--main-up-to M] [N ...]` (default 2000
10000). Generates N scenarios, every one with a record (bench/scenarios.py, deterministic), then
times `portfolio.evaluate` on them with the old code (from `git show main:...` of the portfolio
module, which calibrates one scenario at a time) and the new, and checks every row is equal.
Main's code is timed only up to M scenarios (default: every size), as it takes minutes at 10,000.
Each size is also timed with the same scenarios less their records, the floor the calibration
adds to. One warm-up call of each way runs first.
"""

from __future__ import annotations

import importlib.util
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from scenarios import scenario

from pilotfunnel.inputs.project import Project
from pilotfunnel.model import funnel, portfolio

ROOT = Path(__file__).resolve().parents[1]


def old_portfolio():
    """main's portfolio module (its per-scenario loop), run on this tree's other modules."""
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", "main:src/pilotfunnel/model/portfolio.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    spec = importlib.util.spec_from_loader("old_portfolio", loader=None)
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_portfolio"] = module
    exec(compile(text, "old_portfolio.py", "exec"), module.__dict__)
    return module


def write(count: int, folder: Path, records: bool = True) -> list[Path]:
    """``count`` generated scenarios, every one with a record (or, ``records=False``, none)."""
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        data = scenario(2 * index, rng)  # even indices: every scenario has a record
        if not records:
            del data["record"]
        path = folder / f"client-{index:05d}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        paths.append(path)
    return paths


def main() -> None:
    args = sys.argv[1:]
    main_up_to = None
    if args[:1] == ["--main-up-to"]:
        main_up_to, args = int(args[1]), args[2:]
    sizes = [int(a) for a in args] or [2000, 10000]
    model = funnel.model_of(Project.load())
    old = old_portfolio()
    with tempfile.TemporaryDirectory(prefix="pilotfunnel-bench-") as tmp:
        warm_up = write(4, Path(tmp) / "warm-up")
        portfolio.evaluate(warm_up, model)
        old.evaluate(warm_up, model)
        for size in sizes:
            bare = write(size, Path(tmp) / f"{size}-bare", records=False)
            started = time.perf_counter()
            portfolio.evaluate(bare, model)
            bare_seconds = time.perf_counter() - started
            files = write(size, Path(tmp) / str(size))
            started = time.perf_counter()
            new_rows = portfolio.evaluate(files, model)
            new_seconds = time.perf_counter() - started
            print(
                f"N={size}: without records {bare_seconds:.1f} s"
                f" ({bare_seconds / size * 1000:.2f} ms a scenario)"
            )
            if main_up_to is not None and size > main_up_to:
                print(
                    f"N={size}: vectorised {new_seconds:.1f} s"
                    f" ({new_seconds / size * 1000:.1f} ms a scenario); main's code not timed"
                )
                continue
            started = time.perf_counter()
            old_rows = old.evaluate(files, model)
            old_seconds = time.perf_counter() - started
            same = old_rows == new_rows
            print(
                f"N={size}: per-scenario (main) {old_seconds:.1f} s,"
                f" vectorised {new_seconds:.1f} s, ratio {old_seconds / new_seconds:.2f}x,"
                f" rows identical: {same} ({old_seconds / size * 1000:.1f} and"
                f" {new_seconds / size * 1000:.1f} ms a scenario)"
            )


if __name__ == "__main__":
    main()
