"""What each ``pilotfunnel`` command does, given its parsed arguments; cli.py parses them.

Each returns the exit code: 0 success, 1 some work failed, 2 invalid input or usage.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from pilotfunnel.core import paths
from pilotfunnel.core.errors import display_path
from pilotfunnel.core.write import output_file, output_folder
from pilotfunnel.export.formats import DEFAULT_FORMATS, FORMATS
from pilotfunnel.views.messages import cli as cli_msg

# Each command imports the kit's modules it runs inside itself (marked "run's own"), so that
# `pilotfunnel --help`, `sources check` or a usage error does not load numpy, matplotlib,
# nbconvert, WeasyPrint or python-pptx: the command line starts in about 0.1 s.

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
FIGURE_SUFFIXES = (".png", ".svg")  # what charts.Chart.save writes for each chart
SUMMARY_SUFFIXES = (".csv", ".xlsx")  # what model --batch can write


def brief(args: argparse.Namespace) -> int:
    # run's own (see the top)
    from pilotfunnel.core.compat import skip_unused_slow_imports

    skip_unused_slow_imports()
    # run's own (see the top)
    from pilotfunnel.core.naming import brief_stem
    from pilotfunnel.export.pipeline import KernelRunner, make_brief
    from pilotfunnel.inputs.project import Project
    from pilotfunnel.inputs.scenario import load_scenario

    formats = _formats(args)
    if formats is None:
        return EXIT_INVALID
    out = output_folder(args.out or paths.exports_dir())
    scenario = load_scenario(args.scenario)  # an invalid scenario stops here, before any work
    as_of = args.date or dt.date.today()  # once: the names checked are the names written
    stem = brief_stem(scenario, as_of)
    inputs = [args.scenario, *project_inputs()]
    for fmt in formats:  # a file that may not be replaced stops the brief before any work
        output_file(out / FORMATS[fmt].file_name(stem), inputs=inputs)
    written = make_brief(
        Project.load(),
        scenario,
        out,
        formats,
        as_of=as_of,
        runner=KernelRunner(),
        draws=args.draws,
        seed=args.seed,
    )
    for fmt, path in written.files.items():
        print(f"{fmt}: {display_path(path)}")
    return EXIT_OK


def project_inputs(root: Path | None = None) -> list[Path]:
    """The files every command reads from the project: an output may never be one of them.

    The sources table, the assumptions, the brief notebook and every file of the brand folder
    (brand.yml, its fonts, logos and deck template).
    """
    brand = paths.brand_dir(root)
    files = [paths.sources_csv(root), paths.assumptions_yaml(root), paths.brief_notebook(root)]
    # os.walk neither follows links to folders nor raises: a loop or an unreadable folder in
    # the brand is the brand loader's to report.
    for folder, _, names in os.walk(brand):
        files += sorted(Path(folder) / name for name in names)
    return files


def _formats(args: argparse.Namespace) -> tuple[str, ...] | None:
    """--format as formats (without it, the project's pilotfunnel.yml ``formats``, else the
    kit's defaults); None, having said why, when it names one the kit cannot make."""
    if args.format is None:
        # run's own (see the top)
        from pilotfunnel.inputs.project_file import load_settings

        return load_settings(paths.project_root()).formats or DEFAULT_FORMATS
    try:
        return FORMATS.parse(args.format)
    except ValueError as exc:
        print(f"error: --format: {exc}", file=sys.stderr)
        return None


def briefs(args: argparse.Namespace) -> int:
    # run's own (see the top)
    from pilotfunnel import batch

    formats = _formats(args)
    if formats is None:
        return EXIT_INVALID
    out = output_folder(args.out or paths.exports_dir())
    as_of = args.date or dt.date.today()
    if args.check:
        # run's own (see the top)
        from pilotfunnel.batch.manifest import Manifest

        started = time.perf_counter()
        scenarios = batch.find_scenarios(args.paths)
        recorded = Manifest.load(out)
        if recorded.invalid is not None:
            print(f"warning: {recorded.invalid}: every brief is out of date", file=sys.stderr)
        stale, fresh = batch.plan(
            scenarios,
            out,
            as_of,
            args.draws,
            args.seed,
            args.force,
            manifest=recorded,
            formats=formats,
        )
        for key, reasons in stale.items():
            print(cli_msg.OUT_OF_DATE.format(brief=display_path(key), reasons="; ".join(reasons)))
        took = time.perf_counter() - started
        print(
            cli_msg.CHECKED.format(
                stale=len(stale),
                total=len(scenarios),
                fresh=len(fresh),
                out=display_path(out),
                seconds=f"{took:.2f}",
            )
        )
        return EXIT_FAILED if stale else EXIT_OK
    cluster = batch.dask_executor(args.scheduler) if args.scheduler else contextlib.nullcontext()
    with cluster as executor:
        report = batch.run_batch(
            args.paths,
            out,
            as_of,
            workers=args.jobs,
            timeout=args.timeout,
            force=args.force,
            draws=args.draws,
            seed=args.seed,
            executor=executor,
            progress=None,  # a bar on a terminal, nothing in logs
            formats=formats,
        )
    total = len(report.built) + len(report.up_to_date) + len(report.failed)
    if not report.built and not report.failed:
        print(
            cli_msg.NOTHING_TO_BUILD.format(
                total=total, out=display_path(out), seconds=f"{report.seconds:.2f}"
            )
        )
        return EXIT_OK
    for outcome in report.failed:
        name = display_path(outcome.key)
        # A scenario's validation error already starts with its file name.
        reason = outcome.reason if outcome.reason.startswith(name) else f"{name}: {outcome.reason}"
        print(f"failed: {reason}", file=sys.stderr)
    print(
        cli_msg.BUILT.format(
            built=len(report.built),
            up_to_date=len(report.up_to_date),
            failed=len(report.failed),
            total=total,
            out=display_path(out),
            seconds=f"{report.seconds:.1f}",
        )
    )
    return EXIT_FAILED if report.failed else EXIT_OK


def figures(args: argparse.Namespace) -> int:
    # run's own (see the top)
    from pilotfunnel.inputs.project import Project
    from pilotfunnel.inputs.scenario import load_scenario
    from pilotfunnel.model import funnel
    from pilotfunnel.views import charts
    from pilotfunnel.views.context import headline_source_id

    project = Project.load()
    brand = project.brand
    scenario = load_scenario(args.scenario or project.clients_dir / "demo.yaml")
    result = funnel.run(scenario, funnel.model_of(project))
    out = output_folder(args.out or project.figures_dir)
    inputs = [*([args.scenario] if args.scenario else []), *project_inputs()]
    shown = [s for s in project.sources if s.evidence != "unverified"]
    drawn = [
        charts.evidence_chart(shown, brand),
        charts.funnel_chart(result, brand),
        charts.stalling_chart(result, brand),
        charts.sensitivity_chart(result, brand),
    ]
    if result.calibrated:
        industry = project.sources[headline_source_id(project.assumptions)]
        drawn.append(charts.record_chart(result, brand, industry))
    for chart in drawn:  # every name checked before the first file is written
        for suffix in FIGURE_SUFFIXES:
            output_file(out / f"{chart.name}{suffix}", inputs=inputs)
    for chart in drawn:
        for path in chart.save(out):
            print(display_path(path))
    return EXIT_OK


def present(args: argparse.Namespace) -> int:
    # run's own (see the top)
    from pilotfunnel.ui.present.server import serve

    return serve(args.port, args.scenario)


def model(args: argparse.Namespace) -> int:
    # run's own (see the top)
    from pilotfunnel.inputs.scenario import load_scenario
    from pilotfunnel.model import funnel
    from pilotfunnel.views import report

    if (args.scenario is None) == (args.batch is None):
        print(
            "error: give one scenario file, or --batch PATH... --out summary.csv", file=sys.stderr
        )
        return EXIT_INVALID
    if args.batch is not None:
        return _model_batch(args)

    # run's own (see the top)
    from pilotfunnel.inputs.project import Project
    from pilotfunnel.views import brief

    # The brief's view model, so the table shows the brief's numbers, words and tables.
    ctx = brief.prepare(
        Project.load(),
        load_scenario(args.scenario),
        draws=args.draws or funnel.DEFAULT_DRAWS,
        seed=funnel.DEFAULT_SEED if args.seed is None else args.seed,
    )
    if args.json:
        print(json.dumps(ctx.result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.text_table(ctx))
    return EXIT_OK


def assess(args: argparse.Namespace) -> int:
    """One job's assessment (model/assess): its text (views/assessment), or --json."""
    # run's own (see the top)
    from pilotfunnel.inputs.job import load_job
    from pilotfunnel.inputs.project import Project
    from pilotfunnel.inputs.rubric import load_rubric
    from pilotfunnel.model import funnel
    from pilotfunnel.model.assess import assess_job
    from pilotfunnel.views import assessment

    project = Project.load()
    job = load_job(args.job, load_rubric(paths.rubric_yaml(project.root)), project.clients_dir)
    result = assess_job(
        job,
        project,
        draws=args.draws or funnel.DEFAULT_DRAWS,
        seed=funnel.DEFAULT_SEED if args.seed is None else args.seed,
    )
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(assessment.build(result, project.assumptions).text())
    return EXIT_OK


def _model_batch(args: argparse.Namespace) -> int:
    # run's own (see the top)
    from pilotfunnel.batch import find_scenarios
    from pilotfunnel.model import portfolio
    from pilotfunnel.views import summary

    if args.out is None:
        print("error: --batch needs --out summary.csv (or summary.xlsx)", file=sys.stderr)
        return EXIT_INVALID
    output_file(args.out)  # a folder or a FIFO, say, before the suffix
    if args.out.suffix.lower() not in SUMMARY_SUFFIXES:
        # A summary is never named like a scenario (.yaml), a brief or the sources table's
        # neighbours: only the two kinds of file it is.
        print(
            f"error: --out: {display_path(args.out)} must end in .csv or .xlsx "
            f"(got {_cut(args.out.suffix or 'no suffix')})",
            file=sys.stderr,
        )
        return EXIT_INVALID
    started = time.perf_counter()
    files = find_scenarios(args.batch)
    output_file(args.out, inputs=_checked_inputs(files))
    # run's own (see the top)
    from pilotfunnel.inputs.project import Project
    from pilotfunnel.model import funnel

    model = funnel.model_of(Project.load())
    table = portfolio.evaluate(files, model, draws=args.draws or 0, seed=args.seed)
    if args.out.suffix.lower() == ".xlsx":
        summary.write_xlsx(table, files, args.out)
    else:
        summary.write_csv(table, args.out)
    errors = sum(1 for row in table if row["error"])
    took = time.perf_counter() - started
    print(
        cli_msg.MODELLED_BATCH.format(
            modelled=len(table) - errors,
            errors=errors,
            seconds=f"{took:.2f}",
            out=display_path(args.out),
        )
    )
    return EXIT_FAILED if errors else EXIT_OK


def _checked_inputs(files: Iterable[Path]) -> list[Path]:
    """The scenario files of a run and the project's own inputs, which no output may replace."""
    return [*files, *project_inputs()]


def _cut(text: str, limit: int = 40) -> str:
    """A value as an error shows it: quoted, and cut short."""
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def new(args: argparse.Namespace) -> int:
    """Make a project folder (ui/newproject)."""
    # run's own (see the top)
    from pilotfunnel.ui.newproject import new_project
    from pilotfunnel.views.messages import project as words

    made = new_project(args.folder, force=args.force, demo=not args.no_demo)
    shown = display_path(made.root)
    print(words.NEW_DONE.format(name=made.root.name, folder=shown, written=len(made.written)))
    if made.kept:
        print(words.NEW_KEPT.format(kept=len(made.kept)))
    demo = (made.root / "data" / "clients" / "demo.yaml").is_file()
    print((words.NEW_NEXT if demo else words.NEW_NEXT_NO_DEMO).format(folder=shown))
    return EXIT_OK


def doctor(args: argparse.Namespace) -> int:
    """One screen of what the kit finds here (ui/doctor); exit 0 when it can make briefs."""
    # run's own (see the top)
    from pilotfunnel.ui.doctor import report

    lines, ok = report()
    print("\n".join(lines))
    return EXIT_OK if ok else EXIT_FAILED
