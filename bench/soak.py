"""Soak run: 1,000 generated scenarios through `pilotfunnel briefs -j 2`.

Run by hand (`python bench/soak.py [COUNT]`); results go to docs/benchmarks.md. Scenarios vary
in name (unicode included), size and readiness. Every 15 s it samples how many briefs are done
(from manifest.json) and the resident memory of each process of the batch (from /proc), then
reports failures and whether worker memory stayed flat.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from procmem import descendants, rss_mib
from scenarios import generate

BIN = Path(sys.executable).parent
COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
DATE = "2026-11-25"
EVERY = 15.0


def done_count(out: Path) -> tuple[int, int]:
    try:
        briefs = json.loads((out / "manifest.json").read_text("utf-8"))["briefs"].values()
    except (OSError, ValueError, KeyError):
        return 0, 0
    return sum(1 for b in briefs if not b.get("failed")), sum(1 for b in briefs if b.get("failed"))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pilotfunnel-soak-") as tmp:
        folder, out = Path(tmp) / "clients", Path(tmp) / "out"
        generate(COUNT, folder, seed=1000)
        command = [BIN / "pilotfunnel", "briefs", folder, "-j", "2", "--out", out, "--date", DATE]
        started = time.perf_counter()
        batch = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        samples = []
        while batch.poll() is None:
            time.sleep(EVERY)
            built, failed = done_count(out)
            workers = sorted(rss_mib(p) for p in descendants(batch.pid))
            samples.append((time.perf_counter() - started, built, failed, workers))
            print(
                f"{samples[-1][0]:7.0f} s  built {built:5d}  failed {failed:3d}  "
                f"parent {rss_mib(batch.pid):5.0f} MiB  workers "
                + " ".join(f"{w:5.0f}" for w in workers)
                + " MiB",
                flush=True,
            )
        stdout, stderr = batch.communicate()
        seconds = time.perf_counter() - started
        built, failed = done_count(out)
    print(stdout.strip())
    print("\n".join(line for line in stderr.splitlines() if line.startswith("failed"))[:4000])
    print(
        f"soak: {COUNT} scenarios, built {built}, failed {failed}, exit {batch.returncode}, "
        f"{seconds:.0f} s ({seconds / COUNT:.2f} s/brief)"
    )
    steady = [max(s[3]) for s in samples if s[3]]
    if len(steady) >= 4:
        quarter = max(1, len(steady) // 4)
        first, last = max(steady[:quarter]), max(steady[-quarter:])
        print(
            f"largest worker RSS: first quarter max {first:.0f} MiB, last quarter max "
            f"{last:.0f} MiB ({last - first:+.0f} MiB)"
        )


if __name__ == "__main__":
    main()
