"""A batch from start to end: plan, hand the stale briefs to the scheduler, record each one.

Each finished brief is recorded in the output folder's manifest as soon as it is done (a killed
batch keeps what it finished) and moves the progress bar; a failure is one line naming the
section that failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from pilotfunnel.batch.fingerprint import Inputs, sha256_file
from pilotfunnel.batch.lock import LOCK, locked
from pilotfunnel.batch.manifest import MANIFEST, Entry, Manifest, now_iso
from pilotfunnel.batch.plan import find_scenarios, options, plan
from pilotfunnel.batch.scheduler import Failure, run_jobs
from pilotfunnel.batch.worker import BriefJob, BriefOutcome, build_brief, one_line, running_section
from pilotfunnel.core import paths
from pilotfunnel.core.errors import InputError, PilotfunnelError, display_path
from pilotfunnel.core.fileinfo import file_identity
from pilotfunnel.core.naming import brief_stem
from pilotfunnel.core.write import output_file
from pilotfunnel.export.formats import DEFAULT_FORMATS, FORMATS
from pilotfunnel.export.pipeline import BRIEF_TIMEOUT as DEFAULT_TIMEOUT
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario

DEFAULT_WORKERS = 2  # worker processes of a batch, unless told (``briefs -j``)
LOG = logging.getLogger("pilotfunnel")


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


@dataclass(frozen=True)
class Settings:
    """How one batch runs: where, for which date, on what, with which model settings."""

    out: Path
    as_of: dt.date
    workers: int = DEFAULT_WORKERS
    timeout: float = DEFAULT_TIMEOUT
    draws: int | None = None
    seed: int | None = None
    executor: Executor | None = None
    progress: bool | None = False  # None: a bar only on a terminal
    root: Path = field(default_factory=paths.project_root)  # the project the briefs come from
    formats: tuple[str, ...] = DEFAULT_FORMATS


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
    root: Path | None = None,
    on_brief: Callable[[BriefOutcome], None] | None = None,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
) -> BatchReport:
    """Build every out-of-date brief for the scenarios found, recording each in the manifest.

    ``root`` is the project the briefs are built from (default: PILOTFUNNEL_HOME or the kit's);
    ``on_brief`` hears of each brief as it is recorded (a notebook's progress bar, say);
    ``formats`` are the files each brief gets (pdf, html, pptx): a brief that lacks one of them
    is out of date, and the manifest records the files of the formats built.
    """
    started = time.perf_counter()
    root = Path(root or paths.project_root()).resolve()
    out = Path(out_dir) if out_dir is not None else paths.exports_dir(root)
    settings = Settings(
        out,
        as_of or dt.date.today(),
        workers,
        timeout,
        draws,
        seed,
        executor,
        progress,
        root,
        tuple(formats),
    )
    scenarios = find_scenarios(targets)
    for name in (MANIFEST, LOCK):
        # The batch's own files may replace neither a scenario (one named directly, say
        # out/manifest.json) nor anything that is not a regular file: refused before any work.
        output_file(out / name, inputs=scenarios)
    report = BatchReport()
    with locked(out):
        manifest = Manifest.load(out)
        if manifest.invalid is not None:
            LOG.warning("%s: rebuilding every brief", manifest.invalid)
        inputs = Inputs.current(root)
        stale, report.up_to_date = plan(
            scenarios, out, settings.as_of, draws, seed, force, manifest, inputs, settings.formats
        )
        if stale:
            # A format the project cannot serve (a firm's deck template) fails the batch now,
            # not every brief; the project is loaded only for a format that checks it.
            FORMATS.preflight(settings.formats, lambda: Project.load(root))
            Recorder(settings, manifest, inputs, report, on_brief).build(stale)
    report.seconds = time.perf_counter() - started
    return report


class Recorder:
    """Builds the stale briefs of one batch and records each in the manifest as it finishes."""

    def __init__(
        self,
        settings: Settings,
        manifest: Manifest,
        inputs: Inputs,
        report: BatchReport,
        on_brief: Callable[[BriefOutcome], None] | None = None,
    ) -> None:
        self.settings, self.manifest, self.inputs, self.report = settings, manifest, inputs, report
        self.on_brief = on_brief
        fresh = set(report.up_to_date)
        # File stems already taken by up-to-date briefs: a second client may not overwrite one.
        self.claimed = {
            Path(output["path"]).stem: key
            for key, entry in manifest.entries.items()
            if key in fresh
            for output in entry.outputs.values()
        }
        self.hashes: dict[str, str] = {}
        self.scenario_ids: set = set()  # every scenario of the batch: no output replaces one
        self.bar = None

    def build(self, stale: Sequence[str]) -> None:
        from tqdm import tqdm  # only when a batch builds: `briefs --check` starts light

        settings = self.settings
        self.hashes = {key: sha256_file(Path(key)) for key in stale}
        for key in (*stale, *self.report.up_to_date):
            self.scenario_ids |= file_identity(Path(key))
        self.manifest.root = str(settings.root)
        self.manifest.remember_sources(self.inputs)
        disable = None if settings.progress is None else not settings.progress
        self.bar = tqdm(
            total=len(stale),
            unit="brief",
            file=sys.stderr,
            disable=disable,
            dynamic_ncols=True,
            leave=False,
        )
        with self.bar, tempfile.TemporaryDirectory(prefix="pilotfunnel-batch-") as scratch:
            jobs = list(self._jobs(stale, Path(scratch)))
            if jobs:
                run_jobs(
                    build_brief,
                    jobs,
                    on_result=lambda job, outcome: self.record(outcome),
                    on_failure=self._failed,
                    workers=settings.workers,
                    timeout=settings.timeout,
                    executor=settings.executor,
                )

    def _jobs(self, stale: Sequence[str], scratch: Path) -> Iterator[BriefJob]:
        """A job per stale brief; a scenario that is invalid, or names a client whose file
        another brief already writes, is recorded as failed at once, taking no worker."""
        settings = self.settings
        for index, key in enumerate(stale):
            # Validate here: a bad scenario fails at once without occupying a worker.
            try:
                stem = brief_stem(load_scenario(Path(key)), settings.as_of)
            except PilotfunnelError as exc:
                self.record(BriefOutcome(key, ok=False, reason=one_line(str(exc))))
                continue
            except Exception as exc:  # a loader's bug fails this brief alone, not the batch
                reason = _cut(one_line(f"{type(exc).__name__}: {exc}"))
                self.record(BriefOutcome(key, ok=False, reason=reason))
                continue
            refused = self._refused_output(key, stem)
            if refused:
                self.record(BriefOutcome(key, ok=False, reason=refused))
                continue
            if stem in self.claimed:
                reason = (
                    f"same client and date as {display_path(self.claimed[stem])}: "
                    f"both would write {FORMATS[settings.formats[0]].file_name(stem)}; "
                    "rename one client"
                )
                self.record(BriefOutcome(key, ok=False, reason=reason))
                continue
            self.claimed[stem] = key
            yield BriefJob(
                key,
                str(settings.out),
                settings.as_of.isoformat(),
                str(settings.root),
                settings.draws,
                settings.seed,
                str(scratch / f"{index}.section"),
                settings.formats,
            )

    def _refused_output(self, key: str, stem: str) -> str:
        """Why the brief's files may not be written where they go (one would replace a
        scenario of this batch, or something that is not a regular file); empty when they
        may. Checked before the brief takes a worker, so nothing is built for nothing."""
        for fmt in self.settings.formats:
            target = self.settings.out / FORMATS[fmt].file_name(stem)
            try:
                output_file(target)
            except InputError as exc:
                return "; ".join(p.message for p in exc.problems) or str(exc)
            if file_identity(target) & self.scenario_ids:
                return f"{display_path(target)} would replace a scenario of this batch"
        return ""

    def _failed(self, job: BriefJob, failure: Failure) -> None:
        section = running_section(job)
        if failure.kind == "died":
            reason = (
                f"the worker died while running section {section}"
                if section
                else "the worker process died while building this brief"
            )
        elif failure.kind == "timeout":
            place = f"section {section}" if section else "the brief"
            reason = f"{place} ran longer than {self.settings.timeout:g} s"
        else:
            reason = one_line(failure.detail) or "the executor failed"
        self.record(BriefOutcome(job.key, ok=False, reason=reason))

    def record(self, outcome: BriefOutcome) -> None:
        """Write one finished brief into the manifest now, and count it in the report."""
        key, settings = outcome.key, self.settings
        previous = self.manifest.entries.get(key)
        entry = Entry(
            scenario=_relative_to(Path(key), settings.root),
            scenario_sha256=self.hashes[key],
            as_of=settings.as_of.isoformat(),
            options=options(settings.draws, settings.seed),
            inputs=dict(self.inputs.shared),
            sources={s: self.inputs.source_rows.get(s, "") for s in outcome.sources},
            outputs=outcome.outputs,
            client=outcome.client,
            built_at=now_iso(),
            seconds=outcome.seconds,
            failed=outcome.reason if not outcome.ok else "",
        )
        if not outcome.ok and previous is not None:
            entry.outputs = previous.outputs  # the last good files stay where they were
        self.manifest.entries[key] = entry
        self.manifest.save()  # after every brief: a killed batch keeps what it finished
        (self.report.built if outcome.ok else self.report.failed).append(outcome)
        self.bar.update(1)
        if self.on_brief is not None:
            self.on_brief(outcome)


def _relative_to(path: Path, root: Path) -> str:
    """The scenario's path as the manifest keeps it: from the project root when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _cut(text: str, limit: int = 300) -> str:
    """A reason cut short: an unexpected error's text may quote a whole hostile value."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
