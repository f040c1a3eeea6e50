"""The worker side of a batch: the one place that tunes a process for building briefs.

A worker is a long-lived process (a pool's, or a Dask worker's). It imports what a brief needs
once, then builds briefs through the pipeline with the in-process runner: the same notebook,
exporters and files as ``pilotfunnel brief``, without a kernel's start-up per brief.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pilotfunnel.core.compat import skip_unused_slow_imports
from pilotfunnel.core.errors import PilotfunnelError
from pilotfunnel.export.formats import DEFAULT_FORMATS
from pilotfunnel.export.pipeline import InProcessRunner, make_brief
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario


@dataclass(frozen=True)
class BriefJob:
    """One brief to build, as sent to a worker (plain data: it crosses process boundaries)."""

    key: str  # the scenario's resolved path: its key in the manifest
    out_dir: str
    as_of: str
    home: str  # the project root, so that workers started elsewhere read the same data
    draws: int | None = None
    seed: int | None = None
    progress: str | None = None  # a file the worker writes the running section to
    formats: tuple[str, ...] = DEFAULT_FORMATS


@dataclass
class BriefOutcome:
    """What a worker reports for one brief."""

    key: str
    ok: bool
    client: str = ""
    outputs: dict[str, dict] = field(default_factory=dict)  # format -> {"path", "sha256"}
    sources: list[str] = field(default_factory=list)
    reason: str = ""
    seconds: float = 0.0


_warm = False


def _prepare_worker(home: str) -> None:
    global _warm
    # Workers may outlive the environment they were started in (a fork server, a Dask
    # worker): the job says which project it belongs to.
    os.environ["PILOTFUNNEL_HOME"] = home
    if _warm:
        return
    # nbconvert, the kernel and WeasyPrint load in the worker only: the batch's parent, which
    # imports this module for the job records, stays light (`briefs --check` never needs them).
    from pilotfunnel.export.run import inprocess

    skip_unused_slow_imports()
    inprocess.warm_up()
    # The imported libraries are hundreds of thousands of long-lived objects; freezing them
    # keeps the collection after each brief from walking them again (about 0.3 s a brief).
    gc.collect()
    gc.freeze()
    _warm = True


# A brief runs in the process's one IPython shell, in the notebook folder as working directory,
# with the collector paused: two at once in one process (a Dask worker runs a task per thread)
# would clear each other's namespace. Threads of one process take turns.
_one_brief_at_a_time = threading.Lock()


def build_brief(job: BriefJob) -> BriefOutcome:
    """Build one brief (its formats) in this process; never raises for a brief's own failure."""
    if job.progress:
        Path(job.progress).unlink(missing_ok=True)  # a retried job starts with no section said
    with _one_brief_at_a_time:
        return _build_one(job)


def _build_one(job: BriefJob) -> BriefOutcome:
    started = time.perf_counter()
    try:
        _prepare_worker(job.home)
        # One collection after the brief instead of automatic ones during it: the brief's
        # objects are all garbage by then, and the collector's passes over the live ones while
        # WeasyPrint builds its boxes cost 0.04 s a brief (peak memory is the same).
        gc.disable()
        outcome = _build(job)
    except PilotfunnelError as exc:
        outcome = BriefOutcome(job.key, ok=False, reason=one_line(str(exc)))
    except Exception as exc:  # a brief's bug must not take the batch down; report it
        outcome = BriefOutcome(job.key, ok=False, reason=one_line(f"{type(exc).__name__}: {exc}"))
    finally:
        gc.enable()
    if _warm:
        # A brief's cyclic garbage (WeasyPrint makes plenty) is collected now, so a worker's
        # memory stays flat from one brief to the next.
        gc.collect()
    outcome.seconds = round(time.perf_counter() - started, 3)
    return outcome


def _build(job: BriefJob) -> BriefOutcome:
    # In the worker only, as in _prepare_worker: the parent never loads nbformat.
    from pilotfunnel.export.run.cells import section_of

    def report_section(cell) -> None:
        if job.progress:
            Path(job.progress).write_text(section_of(cell), encoding="utf-8")

    scenario = load_scenario(Path(job.key))
    written = make_brief(
        Project.load(job.home),
        scenario,
        job.out_dir,
        job.formats,
        as_of=dt.date.fromisoformat(job.as_of),
        runner=InProcessRunner(),
        draws=job.draws,
        seed=job.seed,
        on_cell_start=report_section,
    )
    return BriefOutcome(
        job.key,
        ok=True,
        client=scenario.client,
        outputs={
            fmt: {"path": path.name, "sha256": written.sha256[fmt]}
            for fmt, path in written.files.items()
        },
        sources=list(written.sources),
    )


def running_section(job: BriefJob) -> str | None:
    """The section the worker last said it was running, read by the parent."""
    if not job.progress:
        return None
    try:
        return Path(job.progress).read_text("utf-8").strip() or None
    except OSError:
        return None


def one_line(text: str) -> str:
    """A reason fit for one line of a summary."""
    return "; ".join(line.strip() for line in text.strip().splitlines() if line.strip())
