"""Build many briefs at once: in parallel, incrementally, and one failure at a time.

Workers are long-lived processes (any ``concurrent.futures`` executor: a process pool by
default, a Dask cluster's executor with ``--scheduler``). Each worker executes the brief
notebook's code cells in-process (export/inprocess.py) rather than starting a kernel per brief,
and renders HTML and PDF with the same exporters as ``pilotfunnel brief``. The parent decides
what to build from manifest.json, hands out one brief per idle worker, enforces the per-brief
timeout, replaces workers that crash or hang, and records each finished brief in the manifest
as soon as it is done.

A worker that dies takes its pool down with it, and a process pool cannot say which brief was
running in the dead process; so every brief in flight is retried alone, and one that kills its
worker when alone is the one that failed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import InputError, PilotfunnelError, Problem, display_path
from .manifest import Entry, Inputs, Manifest, locked, now_iso, sha256_bytes, sha256_file

DEFAULT_WORKERS = 2
DEFAULT_TIMEOUT = 120.0
FORMATS = ("pdf", "html")
SCENARIO_SUFFIXES = (".yaml", ".yml")
RECYCLE_AFTER = 100  # briefs per worker process before it is replaced (about 3 s to warm up)


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


@dataclass
class BatchReport:
    """What a batch did: built, skipped as up to date, failed (with a one-line reason each)."""

    built: list[BriefOutcome] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[BriefOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


# --- finding work -------------------------------------------------------------------------


def find_scenarios(targets: Sequence[str | Path]) -> list[Path]:
    """Scenario files named directly or found (*.yaml, *.yml) in the folders given."""
    found: list[Path] = []
    missing = []
    for target in map(Path, targets):
        if target.is_dir():
            found += sorted(p for p in target.iterdir() if p.suffix in SCENARIO_SUFFIXES)
        elif target.is_file():
            found.append(target)
        else:
            missing.append(Problem(display_path(target), "", "does not exist"))
    if missing:
        raise InputError(problems=missing)
    unique = {}
    for path in found:
        unique.setdefault(str(path.resolve()), path)
    return list(unique.values())


def _options(draws: int | None, seed: int | None) -> dict:
    return {"draws": draws, "seed": seed}


def plan(
    scenarios: Sequence[Path],
    out_dir: Path,
    as_of: dt.date,
    draws: int | None = None,
    seed: int | None = None,
    force: bool = False,
    manifest: Manifest | None = None,
    inputs: Inputs | None = None,
) -> tuple[dict[str, list[str]], list[str]]:
    """Which scenarios need building and why (key -> reasons), and which are up to date."""
    manifest = manifest or Manifest.load(out_dir)
    inputs = inputs or Inputs.current()
    stale: dict[str, list[str]] = {}
    fresh: list[str] = []
    for path in scenarios:
        key = str(path.resolve())
        reasons = manifest.stale_reasons(
            key, sha256_file(path), as_of.isoformat(), _options(draws, seed), inputs
        )
        if force:
            reasons = reasons or ["--force"]
        if reasons:
            stale[key] = reasons
        else:
            fresh.append(key)
    return stale, fresh


# --- the worker side ----------------------------------------------------------------------

_warm = False


def _prepare_worker(home: str) -> None:
    global _warm
    # Workers may outlive the environment they were started in (a fork server, a Dask
    # worker): the job says which project it belongs to.
    os.environ["PILOTFUNNEL_HOME"] = home
    if _warm:
        return
    import gc

    from .startup import skip_unused_slow_imports

    skip_unused_slow_imports()
    from .export import inprocess

    inprocess.warm_up()
    # The imported libraries are hundreds of thousands of long-lived objects; freezing them
    # keeps the collection after each brief from walking them again (about 0.3 s a brief).
    # (Raised thresholds are not needed: a brief runs with automatic collection paused.)
    gc.collect()
    gc.freeze()
    _warm = True


# A brief runs in the process's one IPython shell, in the notebook folder as working directory,
# with the collector paused: two at once in one process (a Dask worker runs a task per thread)
# would clear each other's namespace. Threads of one process take turns.
_one_brief_at_a_time = threading.Lock()


def build_brief(job: BriefJob) -> BriefOutcome:
    """Build one brief (PDF and HTML) in this process; never raises for a brief's own failure."""
    with _one_brief_at_a_time:
        return _build_one(job)


def _build_one(job: BriefJob) -> BriefOutcome:
    import gc

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
    import nbformat

    from .export.execute import brief_notebook_path, brief_parameters, parameterize, section_of
    from .export.exporters import find_brief_metadata
    from .export.inprocess import execute_in_process
    from .export.run import convert
    from .files import atomic_write_bytes
    from .naming import brief_stem
    from .scenario import load_scenario

    scenario_path = Path(job.key)
    scenario = load_scenario(scenario_path)
    parameters = brief_parameters(scenario_path, job.as_of, job.draws, job.seed)
    nb = parameterize(nbformat.read(brief_notebook_path(), as_version=4), parameters)

    def report_section(cell) -> None:
        if job.progress:
            Path(job.progress).write_text(section_of(cell), encoding="utf-8")

    execute_in_process(nb, on_cell_start=report_section)
    metadata = find_brief_metadata(nb)
    rendered = convert(nb, FORMATS)
    stem = brief_stem(scenario, dt.date.fromisoformat(job.as_of))
    outputs = {}
    for fmt, content in rendered.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        path = atomic_write_bytes(Path(job.out_dir) / f"{stem}.{fmt}", data)
        outputs[fmt] = {"path": path.name, "sha256": sha256_bytes(data)}
    return BriefOutcome(
        job.key,
        ok=True,
        client=scenario.client,
        outputs=outputs,
        sources=list(metadata.get("sources", [])),
    )


def one_line(text: str) -> str:
    """A reason fit for one line of a summary."""
    return "; ".join(line.strip() for line in text.strip().splitlines() if line.strip())


# --- the parent side ----------------------------------------------------------------------


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of brief workers; a fork server starts them cheaply and cleanly on Linux."""
    import multiprocessing

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if sys.version_info >= (3, 11):
        # A fresh worker now and then bounds whatever the libraries cache per process.
        return ProcessPoolExecutor(workers, context, max_tasks_per_child=RECYCLE_AFTER)
    return ProcessPoolExecutor(workers, context)


def _kill(executor: Executor) -> None:
    """Stop a process pool now, killing its workers (a hung brief never returns by itself)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(5)


def _section(job: BriefJob) -> str | None:
    if not job.progress:
        return None
    try:
        return Path(job.progress).read_text("utf-8").strip() or None
    except OSError:
        return None


def run_jobs(
    jobs: Sequence[BriefJob],
    workers: int = DEFAULT_WORKERS,
    timeout: float = DEFAULT_TIMEOUT,
    executor: Executor | None = None,
    on_done: Callable[[BriefOutcome], None] | None = None,
) -> list[BriefOutcome]:
    """Build ``jobs`` on ``workers`` workers; each brief fails alone, the rest go on.

    With no ``executor``, the batch owns process pools and replaces them after a crash or a
    timeout. A given executor (Dask's) is used as is: a brief past its timeout is cancelled
    and reported, and the cluster replaces dead workers itself.
    """
    owned = executor is None
    pool: Executor = process_pool(workers) if owned else executor
    pending = deque(jobs)
    suspects: deque[BriefJob] = deque()  # in flight when a worker died: retried one at a time
    running: dict[Future, tuple[BriefJob, float, bool]] = {}  # -> job, deadline, alone
    results: list[BriefOutcome] = []

    def finish(outcome: BriefOutcome) -> None:
        results.append(outcome)
        if on_done is not None:
            on_done(outcome)

    def fail(job: BriefJob, reason: str) -> None:
        finish(BriefOutcome(job.key, ok=False, reason=reason))

    def replace_pool() -> None:
        nonlocal pool
        if owned:
            _kill(pool)
            pool = process_pool(workers)

    def submit(job: BriefJob, alone: bool) -> bool:
        if job.progress:
            Path(job.progress).unlink(missing_ok=True)
        try:
            future = pool.submit(build_brief, job)
        except BrokenProcessPool:
            # A worker died after the last look at the results: keep the job, and let the
            # loop read the broken futures (or replace the pool) before submitting again.
            (suspects if alone else pending).appendleft(job)
            return False
        running[future] = (job, time.monotonic() + timeout, alone)
        return True

    try:
        while pending or suspects or running:
            if suspects:
                if not running:
                    submit(suspects.popleft(), alone=True)
            else:
                while pending and len(running) < workers:
                    if not submit(pending.popleft(), alone=False):
                        break
            if not running:  # nothing could be submitted: the pool is broken
                replace_pool()
                continue
            next_deadline = min(deadline for _, deadline, _ in running.values())
            done, _ = wait(
                list(running),
                timeout=max(0.0, next_deadline - time.monotonic()),
                return_when=FIRST_COMPLETED,
            )
            broken = False
            for future in done:
                job, _, alone = running.pop(future)
                try:
                    finish(future.result())
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        where = _section(job)
                        fail(
                            job,
                            f"the worker died while running section {where}"
                            if where
                            else "the worker process died while building this brief",
                        )
                    else:
                        suspects.append(job)
                except Exception as exc:  # the executor's own failure (a lost Dask worker)
                    fail(job, one_line(f"{type(exc).__name__}: {exc}") or type(exc).__name__)
            if broken:
                for job, _, _ in running.values():
                    suspects.append(job)  # their worker pool is gone; their work was not done
                running.clear()
                replace_pool()
                continue
            now = time.monotonic()
            late = [f for f, (_, deadline, _) in running.items() if deadline <= now]
            if late:
                for future in late:
                    job, _, _ = running.pop(future)
                    future.cancel()
                    where = _section(job)
                    place = f"section {where}" if where else "the brief"
                    fail(job, f"{place} ran longer than {timeout:g} s")
                if owned:
                    # Killing the hung worker kills its pool: the others start again.
                    for job, _, alone in running.values():
                        (suspects if alone else pending).appendleft(job)
                    running.clear()
                    replace_pool()
    finally:
        if owned:
            if running:
                _kill(pool)
            else:
                pool.shutdown(wait=True)
    return results


def run_batch(
    targets: Sequence[str | Path],
    out_dir: str | Path | None = None,
    as_of: dt.date | None = None,
    workers: int = DEFAULT_WORKERS,
    timeout: float = DEFAULT_TIMEOUT,
    force: bool = False,
    draws: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
    progress: bool | None = False,
) -> BatchReport:
    """Build every out-of-date brief for the scenarios found, recording each in the manifest."""
    started = time.perf_counter()
    out = Path(out_dir) if out_dir is not None else paths.exports_dir()
    as_of = as_of or dt.date.today()
    scenarios = find_scenarios(targets)
    report = BatchReport()
    with locked(out):
        manifest = Manifest.load(out)
        inputs = Inputs.current()
        stale, report.up_to_date = plan(scenarios, out, as_of, draws, seed, force, manifest, inputs)
        if stale:
            fresh = set(report.up_to_date)
            claimed = {
                Path(output["path"]).stem: key
                for key, entry in manifest.entries.items()
                if key in fresh
                for output in entry.outputs.values()
            }
            settings = _Settings(out, as_of, workers, timeout, draws, seed, executor, progress)
            _build_stale(stale, settings, manifest, inputs, report, claimed)
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class _Settings:
    """How one batch runs: where, for which date, on what, with which model settings."""

    out: Path
    as_of: dt.date
    workers: int
    timeout: float
    draws: int | None
    seed: int | None
    executor: Executor | None
    progress: bool | None


def _build_stale(
    stale: Sequence[str],
    settings: _Settings,
    manifest: Manifest,
    inputs: Inputs,
    report: BatchReport,
    claimed: dict[str, str],
) -> None:
    from tqdm import tqdm

    from .naming import brief_stem
    from .scenario import load_scenario

    out, as_of, draws, seed = settings.out, settings.as_of, settings.draws, settings.seed
    options = _options(draws, seed)
    hashes = {key: sha256_file(Path(key)) for key in stale}

    def record(outcome: BriefOutcome) -> None:
        key = outcome.key
        previous = manifest.entries.get(key)
        entry = Entry(
            scenario=display_path(key),
            scenario_sha256=hashes[key],
            as_of=as_of.isoformat(),
            options=options,
            inputs=dict(inputs.shared),
            sources={s: inputs.source_rows.get(s, "") for s in outcome.sources},
            outputs=outcome.outputs,
            client=outcome.client,
            built_at=now_iso(),
            seconds=outcome.seconds,
            failed=outcome.reason if not outcome.ok else "",
        )
        if not outcome.ok and previous is not None:
            entry.outputs = previous.outputs  # the last good files stay where they were
        manifest.entries[key] = entry
        manifest.save()  # after every brief: a killed batch keeps what it finished
        (report.built if outcome.ok else report.failed).append(outcome)
        bar.update(1)

    # None: only on a terminal
    disable = None if settings.progress is None else not settings.progress
    bar = tqdm(
        total=len(stale),
        unit="brief",
        file=sys.stderr,
        disable=disable,
        dynamic_ncols=True,
        leave=False,
    )
    with bar, tempfile.TemporaryDirectory(prefix="pilotfunnel-batch-") as scratch:
        jobs = []
        for index, key in enumerate(stale):
            # Validate here: a bad scenario fails at once without occupying a worker.
            try:
                stem = brief_stem(load_scenario(Path(key)), as_of)
            except PilotfunnelError as exc:
                record(BriefOutcome(key, ok=False, reason=one_line(str(exc))))
                continue
            if stem in claimed:
                record(
                    BriefOutcome(
                        key,
                        ok=False,
                        reason=(
                            f"same client and date as {display_path(claimed[stem])}: "
                            f"both would write {stem}.pdf; rename one client"
                        ),
                    )
                )
                continue
            claimed[stem] = key
            jobs.append(
                BriefJob(
                    key,
                    str(out),
                    as_of.isoformat(),
                    str(paths.project_root()),
                    draws,
                    seed,
                    str(Path(scratch) / f"{index}.section"),
                )
            )
        if jobs:
            run_jobs(jobs, settings.workers, settings.timeout, settings.executor, on_done=record)


@contextlib.contextmanager
def dask_executor(address: str):
    """A ``concurrent.futures`` executor on a Dask cluster (needs the ``dask`` extra)."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "--scheduler needs dask.distributed: pip install 'pilotfunnel[dask]'"
        ) from None
    client = Client(address, timeout="20s")
    try:
        yield client.get_executor()
    finally:
        client.close()
