"""Build many briefs at once: in parallel, incrementally, and one failure at a time.

- ``plan``: which scenarios, and which of their briefs are out of date and why;
- ``worker``: the process side, tuned once, building briefs through the pipeline;
- ``scheduler``: generic jobs on worker processes, with timeouts and replacement;
- ``record``: a batch from start to end, each brief recorded in the manifest as it finishes.
"""

from pilotfunnel.batch.plan import find_scenarios, plan
from pilotfunnel.batch.record import DEFAULT_TIMEOUT, DEFAULT_WORKERS, BatchReport, run_batch
from pilotfunnel.batch.scheduler import dask_executor, process_pool, run_jobs
from pilotfunnel.batch.worker import BriefJob, BriefOutcome, build_brief, one_line

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "BatchReport",
    "BriefJob",
    "BriefOutcome",
    "build_brief",
    "dask_executor",
    "find_scenarios",
    "one_line",
    "plan",
    "process_pool",
    "run_batch",
    "run_jobs",
]
