"""Compare two commits' batch speed side by side, in one run: `pilotfunnel briefs -j 2 --force`.

Usage: `python bench/compare.py OLD [NEW]` (NEW defaults to the working tree). Each commit is
checked out with `git archive` into a temporary folder (package, data and notebooks together, so
each side builds from its own brief notebook), the same generated scenarios are built by each
side in turn, alternating (old, new, old, new, ...) so that a drift of the machine's speed falls
on both, and the medians and their ratio are printed. The package is put first on
``PYTHONPATH``; the command line is found wherever that commit kept it.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scenarios import generate

ROOT = Path(__file__).resolve().parents[1]
COUNT = int(os.environ.get("BENCH_BRIEFS", "50"))
RUNS = int(os.environ.get("FAST_RUNS", "3"))
FORMATS = os.environ.get("BENCH_FORMATS", "pdf,html")
DATE = "2026-11-25"
# Where the command line's main() lived, newest first.
CLI_MODULES = ("pilotfunnel.ui.cli", "pilotfunnel.cli")


def checkout(commit: str, folder: Path) -> Path:
    """The commit's package, data and notebooks, unpacked into ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "src", "data", "notebooks"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def cli_module(tree: Path) -> str:
    for name in CLI_MODULES:
        if tree.joinpath("src", *name.split(".")).with_suffix(".py").is_file():
            return name
    raise SystemExit(f"no command line found in {tree}")


def build(tree: Path, clients: Path, out: Path) -> float:
    """Seconds for one forced batch of every scenario, with ``tree``'s code and data."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "PILOTFUNNEL_HOME": str(tree)}
    main = f"import sys; from {cli_module(tree)} import main; sys.exit(main())"
    command = [sys.executable, "-c", main, "briefs", str(clients), "-j", "2", "--out", str(out)]
    command += ["--date", DATE, "--format", FORMATS, "--force"]
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    old = sys.argv[1]
    new = sys.argv[2] if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory(prefix="pilotfunnel-compare-") as tmp:
        work = Path(tmp)
        clients = work / "clients"
        generate(COUNT, clients)
        sides = {old: checkout(old, work / "old")}
        sides[new or "working tree"] = checkout(new, work / "new") if new else ROOT
        times: dict[str, list[float]] = {name: [] for name in sides}
        for run in range(RUNS):
            for name, tree in sides.items():
                times[name].append(build(tree, clients, work / f"out-{run}-{len(times[name])}"))
    print(f"machine: {os.cpu_count()} cores; {COUNT} briefs ({FORMATS}), {RUNS} runs each, ABAB")
    medians = {}
    for name, seconds in times.items():
        medians[name] = statistics.median(seconds)
        each = ", ".join(f"{s:.1f}" for s in seconds)
        print(f"{name:>14}: median {medians[name]:6.1f} s  ({each} s)")
    first, second = medians.values()
    print(f"ratio (new / old time): {second / first:.3f}")


if __name__ == "__main__":
    main()
