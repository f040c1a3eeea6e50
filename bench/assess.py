"""Benchmark one job's assessment (model/assess.py): model, verdict and "what it takes" over
every answer, at the brief's 20,000 draws, for the demo job (data/jobs/demo-claims-triage.yaml).

Run by hand; results go to docs/benchmarks.md. The notebook's form re-assesses on every answer
changed, so the target is under 50 ms in a warm process. Warm: the baselines' draws (and the
client record's calibration, which does not depend on the answers) are kept from the last
call; cold: they are drawn and calibrated again, as on a process's first assessment.
"""

from __future__ import annotations

import dataclasses
import statistics
import time

from pilotfunnel.core import paths
from pilotfunnel.inputs.job import load_job
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.rubric import load_rubric
from pilotfunnel.model import assess as assess_module
from pilotfunnel.model.assess import assess_job

REPEATS = 30
TARGET_MS = 50


def timed(fn, repeats: int = REPEATS, before=None) -> float:
    fn()  # warm caches and imports
    samples = []
    for _ in range(repeats):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    project = Project.load()
    rubric = load_rubric(paths.rubric_yaml())
    job = load_job(paths.jobs_dir() / "demo-claims-triage.yaml", rubric)
    no_record = dataclasses.replace(job, scenario=None, scenario_path=None)
    rows = [
        ("warm: the demo job (its client's record calibrates the rates)", job, None),
        (
            "cold: the same, baselines drawn and calibrated again",
            job,
            assess_module._BASELINES.clear,
        ),
        ("warm: the demo job without a scenario (no record)", no_record, None),
        ("cold: the same, baselines drawn again", no_record, assess_module._BASELINES.clear),
    ]
    print(f"one assessment, 20,000 draws, median of {REPEATS} (target < {TARGET_MS} ms warm)")
    results = {}
    for label, which, before in rows:
        results[label] = timed(lambda which=which: assess_job(which, project), before=before)
        print(f"  {label}: {results[label]:.1f} ms")
    warm, cold = results[rows[0][0]], results[rows[1][0]]
    print(f"  ratio, cold / warm (demo job): {cold / warm:.1f}x")
    result = assess_job(job, project)
    print(f"  demo verdict: {result.verdict}, fixes: {', '.join(result.blocking) or 'none'}")


if __name__ == "__main__":
    main()
