"""Benchmark the deck: what ``--format pptx`` adds to a brief in a warm batch worker.

Run by hand (`make bench`); results go to docs/benchmarks.md. In one warm process (the batch
worker's set-up), over generated clients (half with a record):

- per brief, `make_brief` with pdf,html and with pdf,html,pptx, alternating which goes first so
  the machine's drift cancels; the deck's cost is the median difference;
- the deck step alone on an executed brief, the kit's way (the brief's model result reused,
  the themed template read once) against the naive way (the model run again, python-pptx's
  default template themed for every deck), with the ratio.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scenarios import generate

from pilotfunnel.batch.worker import _prepare_worker
from pilotfunnel.export.pipeline import InProcessRunner, execute, make_brief
from pilotfunnel.export.recorded import deck_from_brief
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario
from pilotfunnel.views.deck import template

COUNT = int(os.environ.get("BENCH_BRIEFS", "20"))
DRAWS = None  # the brief's own: 20,000
AS_OF = dt.date(2026, 11, 25)


def main() -> None:
    root = Path(__file__).resolve().parents[1]
    _prepare_worker(str(root))
    project = Project.load(root)
    runner = InProcessRunner()
    with tempfile.TemporaryDirectory() as scratch:
        scenarios = [load_scenario(p) for p in generate(COUNT, Path(scratch) / "clients")]
        out = Path(scratch) / "out"
        make_brief(project, scenarios[0], out, ("pdf", "html", "pptx"), AS_OF, runner)  # warm
        added, without, with_deck = [], [], []
        for index, scenario in enumerate(scenarios):
            runs = {}
            order = (("pdf", "html"), ("pdf", "html", "pptx"))
            for formats in order if index % 2 else order[::-1]:
                started = time.perf_counter()
                make_brief(project, scenario, out, formats, AS_OF, runner)
                runs[formats] = time.perf_counter() - started
            without.append(runs[order[0]])
            with_deck.append(runs[order[1]])
            added.append(runs[order[1]] - runs[order[0]])
        print(f"{COUNT} briefs in a warm worker (20,000 draws; every other client has a record)")
        print(f"  pdf,html:      median {statistics.median(without):.3f} s a brief")
        print(f"  pdf,html,pptx: median {statistics.median(with_deck):.3f} s a brief")
        print(
            f"  the deck adds: median {statistics.median(added) * 1000:.0f} ms "
            f"(p90 {statistics.quantiles(added, n=10)[-1] * 1000:.0f} ms)"
        )

        # The deck step alone, right after its brief ran (as in the pipeline).
        kit, naive = [], []
        for scenario in scenarios[: max(4, COUNT // 4)]:
            nb = execute(project, scenario, AS_OF, runner)
            started = time.perf_counter()
            deck_from_brief(project, nb)
            kit.append(time.perf_counter() - started)
            project._cache.pop("recent", None)  # the model runs again
            template._KIT_TEMPLATES.clear()  # the template is themed again
            started = time.perf_counter()
            deck_from_brief(project, nb)
            naive.append(time.perf_counter() - started)
        fast, slow = statistics.median(kit), statistics.median(naive)
        print(f"deck step alone, {len(kit)} briefs:")
        print(f"  kit (result reused, template once): median {fast * 1000:.0f} ms")
        print(f"  naive (model again, template each): median {slow * 1000:.0f} ms")
        print(f"  ratio: {slow / fast:.2f}x")


if __name__ == "__main__":
    main()
