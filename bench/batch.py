"""Benchmark batch briefs: the naive pipeline against `pilotfunnel briefs`, in one run.

Run by hand (`make bench`); results go to docs/benchmarks.md. Generates 50 scenarios, then:

- naive: per brief, `papermill` on the brief notebook (a fresh kernel), then
  `jupyter nbconvert --to pilotfunnel-html` and `--to pilotfunnel-pdf` on the executed notebook,
  one brief after another, as a user would script it. Timed on the first NAIVE_COUNT briefs
  (default 6) to keep the run short; its throughput is per brief, so a subset measures it.
- fast: `pilotfunnel briefs DIR -j 2 --force` on all 50 (BENCH_FORMATS=pdf,html,pptx adds the
  decks; the naive side stays pdf and html), then again with nothing to do; the pair is run
  FAST_RUNS times (default 3) and the median reported, with every run's time.

Peak memory: for the naive pipeline, the largest resident set of any process it ran (getrusage's
RUSAGE_CHILDREN in a wrapper per command; its steps run one at a time); for `pilotfunnel briefs`,
the largest sum over its process tree (parent, fork server, workers), sampled every 0.2 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from procmem import descendants, rss_mib
from scenarios import generate

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COUNT = int(os.environ.get("BENCH_BRIEFS", "50"))
NAIVE_COUNT = int(os.environ.get("NAIVE_COUNT", "6"))
FAST_RUNS = int(os.environ.get("FAST_RUNS", "3"))  # this machine's speed drifts by +-7%
DATE = "2026-11-25"
FORMATS = os.environ.get("BENCH_FORMATS", "pdf,html")  # pdf,html,pptx: the batch with decks
_WRAP = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "if done.returncode: sys.stderr.write(done.stderr.decode()); sys.exit(done.returncode)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def measured(command: list[str]) -> int:
    """Run a command; return the peak resident set (KiB) of the processes it started."""
    done = subprocess.run(
        [sys.executable, "-c", _WRAP, *map(str, command)], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{done.stderr}")
    return int(done.stdout.strip())


def naive(scenarios: list[Path], work: Path) -> tuple[float, int]:
    notebook = ROOT / "notebooks" / "03-client-brief.ipynb"
    work.mkdir(parents=True, exist_ok=True)
    peak = 0
    started = time.perf_counter()
    for index, scenario in enumerate(scenarios):
        executed = work / f"brief-{index}.ipynb"
        peak = max(
            peak,
            measured(
                [
                    BIN / "papermill",
                    notebook,
                    executed,
                    "-p",
                    "scenario",
                    scenario.resolve(),
                    "-p",
                    "as_of",
                    DATE,
                    "--cwd",
                    notebook.parent,
                    "--no-progress-bar",
                ]
            ),
        )
        for fmt in ("pilotfunnel-html", "pilotfunnel-pdf"):
            peak = max(
                peak,
                measured(
                    [
                        BIN / "jupyter",
                        "nbconvert",
                        "--to",
                        fmt,
                        executed,
                        "--output-dir",
                        work / "out",
                        "--log-level",
                        "ERROR",
                    ]
                ),
            )
    return time.perf_counter() - started, peak


def fast(folder: Path, out: Path) -> tuple[float, int, float]:
    command = [BIN / "pilotfunnel", "briefs", folder, "-j", "2", "--out", out, "--date", DATE]
    command += ["--format", FORMATS]
    started = time.perf_counter()
    # Workers are children of a fork server, not of the command, so getrusage cannot see
    # them: sample the whole process tree instead (every 0.2 s), summed over its processes.
    batch = subprocess.Popen([*map(str, command), "--force"], stdout=subprocess.DEVNULL)
    peak = 0.0
    while batch.poll() is None:
        tree = [batch.pid, *descendants(batch.pid)]
        peak = max(peak, sum(rss_mib(pid) for pid in tree))
        time.sleep(0.2)
    if batch.returncode:
        raise SystemExit(f"pilotfunnel briefs failed (exit {batch.returncode})")
    built = time.perf_counter() - started
    started = time.perf_counter()
    measured(command)
    return built, int(peak * 1024), time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pilotfunnel-bench-") as tmp:
        work = Path(tmp)
        scenarios = generate(COUNT, work / "clients")
        naive_seconds, naive_peak = naive(scenarios[:NAIVE_COUNT], work / "naive")
        runs = [fast(work / "clients", work / "fast") for _ in range(FAST_RUNS)]
        built = len(list((work / "fast").glob("*.pdf")))
    times = sorted(seconds for seconds, _, _ in runs)
    fast_seconds = statistics.median(times)
    fast_peak = max(peak for _, peak, _ in runs)
    rerun = statistics.median(again for _, _, again in runs)
    naive_rate = NAIVE_COUNT / naive_seconds
    fast_rate = COUNT / fast_seconds
    print(f"machine: {os.cpu_count()} cores; {COUNT} generated scenarios, brief date {DATE}")
    print(
        f"naive (papermill + 2x nbconvert, {NAIVE_COUNT} briefs): {naive_seconds:7.1f} s  "
        f"{naive_rate:6.3f} briefs/s  {naive_seconds / NAIVE_COUNT:6.2f} s/brief  "
        f"peak RSS {naive_peak / 1024:6.0f} MiB"
    )
    each = ", ".join(f"{seconds:.1f} s" for seconds in times)
    print(f"pilotfunnel briefs -j 2 --force, {FAST_RUNS} runs of {COUNT} briefs: {each}")
    print(
        f"pilotfunnel briefs -j 2 (median run, {built} PDFs): {fast_seconds:7.1f} s  "
        f"{fast_rate:6.3f} briefs/s  {fast_seconds / COUNT:6.2f} s/brief  "
        f"peak RSS {fast_peak / 1024:6.0f} MiB"
    )
    print(f"ratio: {fast_rate / naive_rate:.1f}x the naive throughput")
    print(f"re-run with nothing to do ({COUNT} briefs up to date): {rerun:.2f} s (whole command)")


if __name__ == "__main__":
    main()
