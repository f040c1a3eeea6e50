"""Benchmark the funnel model: 100,000 Monte Carlo draws for one scenario.

Run by hand (`make bench`); results go to docs/benchmarks.md. Compares the model's monotone
inverse-CDF sampler with numpy's own binomial sampler (the naive path) in the same run.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from pilotfunnel.core import paths
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario
from pilotfunnel.model import funnel

DRAWS = 100_000
REPEATS = 15


def timed(fn, repeats: int = REPEATS) -> float:
    fn()  # warm caches and imports
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def naive_counts(model, pocs, readiness, draws, seed):
    rng = np.random.default_rng(seed)
    a = model.base_successes + 0.5
    b = model.base_trials - model.base_successes + 0.5
    rates = funnel.stage_rates(model, readiness, rng.beta(a, b, size=(draws, a.size)))
    counts = [np.full(draws, pocs)]
    for step in range(a.size):
        counts.append(rng.binomial(counts[-1], rates[:, step]))
    return np.stack(counts, axis=1)


def main() -> None:
    model = funnel.model_of(Project.load())
    demo = load_scenario(paths.clients_dir() / "demo.yaml")
    readiness = funnel.readiness_vector(demo.as_is)
    pocs = demo.pocs_per_year * demo.horizon_years
    rows = [
        (
            "run(): as is + target + ranking, 100k draws each",
            timed(lambda: funnel.run(demo, model, draws=DRAWS)),
        ),
        (
            "simulate_counts(), one profile, 100k draws",
            timed(lambda: funnel.simulate_counts(model, pocs, readiness, DRAWS, 1)),
        ),
        (
            "naive numpy binomial, one profile, 100k draws",
            timed(lambda: naive_counts(model, pocs, readiness, DRAWS, 1)),
        ),
    ]
    for big in (1_000, 10_000):
        rows.append(
            (
                f"simulate_counts(), {big:,} POCs, 100k draws",
                timed(
                    lambda big=big: funnel.simulate_counts(model, big, readiness, DRAWS, 1),
                    repeats=5,
                ),
            )
        )
    print(f"demo scenario: {demo.client}, {pocs} POCs over the horizon")
    for label, seconds in rows:
        print(f"{label:55} {seconds * 1000:8.1f} ms (median)")
    print(f"monotone sampler / naive numpy sampler: {rows[1][1] / rows[2][1]:.2f}x the time")


if __name__ == "__main__":
    main()
