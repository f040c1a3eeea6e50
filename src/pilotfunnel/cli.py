"""The ``pilotfunnel`` command line.

Exit codes: 0 success, 1 some work failed, 2 invalid input or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, paths
from .errors import InputError, PilotfunnelError, display_path
from .files import output_file, output_folder

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors; keep it, drop the noise
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pilotfunnel", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"pilotfunnel {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    sources = commands.add_parser("sources", help="check the cited-statistics table")
    sources_commands = sources.add_subparsers(
        dest="sources_command", required=True, parser_class=_Parser
    )
    check = sources_commands.add_parser("check", help="validate data/sources.csv (or PATH)")
    check.add_argument("path", nargs="?", type=Path, help="default: data/sources.csv")
    check.set_defaults(handler=_sources_check)

    brand = commands.add_parser("brand", help="check the brand file")
    brand_commands = brand.add_subparsers(dest="brand_command", required=True, parser_class=_Parser)
    brand_check = brand_commands.add_parser(
        "check", help="validate data/brand/brand.yml (or PATH), text contrast included"
    )
    brand_check.add_argument("path", nargs="?", type=Path, help="default: data/brand/brand.yml")
    brand_check.set_defaults(handler=_brand_check)

    model = commands.add_parser("model", help="model a client scenario as is and at target")
    model.add_argument(
        "scenario", type=Path, nargs="?", help="a client file, e.g. data/clients/demo.yaml"
    )
    model.add_argument(
        "--batch",
        type=Path,
        nargs="+",
        metavar="PATH",
        help="model every scenario file in these folders/files into one CSV (no rendering)",
    )
    model.add_argument("--out", type=Path, default=None, help="with --batch: the CSV to write")
    model.add_argument("--json", action="store_true", help="print JSON for tools")
    model.add_argument("--seed", type=int, default=None, help="Monte Carlo seed")
    model.add_argument("--draws", type=_positive_int, default=None, help="Monte Carlo draws")
    model.set_defaults(handler=_model)

    brief = commands.add_parser("brief", help="export a client's branded brief (PDF and HTML)")
    brief.add_argument("scenario", type=Path, help="a client file, e.g. data/clients/demo.yaml")
    brief.add_argument("--format", default="pdf,html", help="pdf, html or pdf,html (default)")
    brief.add_argument("--out", type=Path, default=None, help="output folder (default exports/)")
    brief.add_argument("--date", type=_iso_date, default=None, help="the brief's date, YYYY-MM-DD")
    brief.add_argument("--seed", type=int, default=None, help="Monte Carlo seed")
    brief.add_argument("--draws", type=_positive_int, default=None, help="Monte Carlo draws")
    brief.set_defaults(handler=_brief)

    briefs = commands.add_parser(
        "briefs", help="export the briefs of many clients: parallel, incremental, with a manifest"
    )
    briefs.add_argument("paths", type=Path, nargs="+", help="scenario files or folders of them")
    briefs.add_argument("-j", "--jobs", type=_positive_int, default=2, help="workers (default 2)")
    briefs.add_argument("--out", type=Path, default=None, help="output folder (default exports/)")
    briefs.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    briefs.add_argument(
        "--check",
        action="store_true",
        help="list what is out of date and why, build nothing (exit 1 if anything is)",
    )
    briefs.add_argument("--date", type=_iso_date, default=None, help="the briefs' date, YYYY-MM-DD")
    briefs.add_argument(
        "--timeout", type=_positive_float, default=120.0, help="seconds per brief (default 120)"
    )
    briefs.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="a Dask scheduler, tcp://host:port"
    )
    briefs.add_argument("--seed", type=int, default=None, help="Monte Carlo seed")
    briefs.add_argument("--draws", type=_positive_int, default=None, help="Monte Carlo draws")
    briefs.set_defaults(handler=_briefs)

    figures = commands.add_parser("figures", help="write the evidence and demo charts for slides")
    figures.add_argument("--out", type=Path, default=None, help="output folder (default figures/)")
    figures.add_argument("--scenario", type=Path, default=None, help="default: the demo client")
    figures.set_defaults(handler=_figures)

    present = commands.add_parser("present", help="serve the client explorer with Voila, no code")
    present.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (8866)")
    present.set_defaults(handler=_present)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if not 1 <= value <= 10_000_000:
        raise argparse.ArgumentTypeError(f"must be from 1 to 10,000,000, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


def _iso_date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD, got {text!r}") from None


def _brief(args: argparse.Namespace) -> int:
    from .compat import skip_unused_slow_imports

    skip_unused_slow_imports()
    from .pipeline import KernelRunner, make_brief, parse_formats
    from .project import Project
    from .scenario import load_scenario

    try:
        formats = parse_formats(args.format)
    except ValueError as exc:
        print(f"error: --format: {exc}", file=sys.stderr)
        return EXIT_INVALID
    out = output_folder(args.out or paths.exports_dir())
    scenario = load_scenario(args.scenario)  # an invalid scenario stops here, before any work
    written = make_brief(
        Project.load(),
        scenario,
        out,
        formats,
        as_of=args.date,
        runner=KernelRunner(),
        draws=args.draws,
        seed=args.seed,
    )
    for fmt, path in written.files.items():
        print(f"{fmt}: {display_path(path)}")
    return EXIT_OK


def _briefs(args: argparse.Namespace) -> int:
    import contextlib
    import datetime as dt
    import time

    from . import batch

    out = output_folder(args.out or paths.exports_dir())
    as_of = args.date or dt.date.today()
    if args.check:
        started = time.perf_counter()
        scenarios = batch.find_scenarios(args.paths)
        stale, fresh = batch.plan(scenarios, out, as_of, args.draws, args.seed, args.force)
        for key, reasons in stale.items():
            print(f"out of date: {display_path(key)}: {'; '.join(reasons)}")
        took = time.perf_counter() - started
        print(
            f"{len(stale)} of {len(scenarios)} brief(s) out of date, {len(fresh)} up to date "
            f"in {display_path(out)} ({took:.2f} s)"
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
        )
    total = len(report.built) + len(report.up_to_date) + len(report.failed)
    if not report.built and not report.failed:
        print(
            f"nothing to build: all {total} brief(s) in {display_path(out)} are up to date "
            f"({report.seconds:.2f} s)"
        )
        return EXIT_OK
    for outcome in report.failed:
        name = display_path(outcome.key)
        # A scenario's validation error already starts with its file name.
        reason = outcome.reason if outcome.reason.startswith(name) else f"{name}: {outcome.reason}"
        print(f"failed: {reason}", file=sys.stderr)
    print(
        f"built {len(report.built)}, up to date {len(report.up_to_date)}, "
        f"failed {len(report.failed)} (of {total}) in {display_path(out)} "
        f"in {report.seconds:.1f} s"
    )
    return EXIT_FAILED if report.failed else EXIT_OK


def _figures(args: argparse.Namespace) -> int:
    from . import charts, funnel
    from .project import Project
    from .scenario import load_scenario

    project = Project.load()
    brand = project.brand
    scenario = load_scenario(args.scenario or project.clients_dir / "demo.yaml")
    result = funnel.run(scenario, project.model)
    out = output_folder(args.out or project.figures_dir)
    shown = [s for s in project.sources if s.evidence != "unverified"]
    for chart in (
        charts.evidence_chart(shown, brand),
        charts.funnel_chart(result, brand),
        charts.stalling_chart(result, brand),
        charts.sensitivity_chart(result, brand),
    ):
        for path in chart.save(out):
            print(display_path(path))
    return EXIT_OK


def _present(args: argparse.Namespace) -> int:
    from .present import serve

    return serve(args.port)


def _brand_check(args: argparse.Namespace) -> int:
    from .brand import TEXT_ON_BACKGROUND, load_brand

    path = args.path or paths.brand_yml()
    brand = load_brand(path)  # a BrandError lists every problem, contrast included; exit 2
    print(
        f"ok: {brand.name} in {display_path(path)}; {len(TEXT_ON_BACKGROUND)} text colours "
        "meet WCAG AA contrast on their backgrounds"
    )
    return EXIT_OK


def _sources_check(args: argparse.Namespace) -> int:
    from .sources import check_sources

    path = args.path or paths.sources_csv()
    problems = check_sources(path)
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        if problem.severity == "warning":
            print(f"warning: {problem}", file=sys.stderr)
    if errors:
        for problem in errors:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(errors)} error(s) in {display_path(path)}", file=sys.stderr)
        return EXIT_INVALID
    from .sources import load_sources

    table = load_sources(path)
    warned = f" ({len(problems)} warning(s))" if problems else ""
    print(f"ok: {len(table)} sources in {display_path(path)}{warned}")
    return EXIT_OK


def _model(args: argparse.Namespace) -> int:
    from . import funnel, report
    from .scenario import load_scenario

    if (args.scenario is None) == (args.batch is None):
        print(
            "error: give one scenario file, or --batch PATH... --out summary.csv", file=sys.stderr
        )
        return EXIT_INVALID
    if args.batch is not None:
        return _model_batch(args)

    from .project import Project

    scenario = load_scenario(args.scenario)
    result = funnel.run(
        scenario,
        Project.load().model,
        draws=args.draws or funnel.DEFAULT_DRAWS,
        seed=funnel.DEFAULT_SEED if args.seed is None else args.seed,
    )
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.text_table(result))
    return EXIT_OK


def _model_batch(args: argparse.Namespace) -> int:
    import time

    from . import portfolio
    from .batch import find_scenarios

    if args.out is None:
        print("error: --batch needs --out summary.csv", file=sys.stderr)
        return EXIT_INVALID
    output_file(args.out)
    started = time.perf_counter()
    files = find_scenarios(args.batch)
    from .project import Project

    table = portfolio.evaluate(files, Project.load().model, draws=args.draws or 0, seed=args.seed)
    portfolio.write_csv(table, args.out)
    errors = sum(1 for row in table if row["error"])
    took = time.perf_counter() - started
    print(
        f"{len(table) - errors} scenario(s) modelled, {errors} with errors, "
        f"in {took:.2f} s: {display_path(args.out)}"
    )
    return EXIT_FAILED if errors else EXIT_OK


def _show_kit_warnings() -> None:
    """Print the kit's own logged warnings as ``warning: ...`` lines on stderr, once set up."""
    import logging

    log = logging.getLogger("pilotfunnel")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        log.addHandler(handler)
        log.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (the console script exits with it)."""
    args = build_parser().parse_args(argv)
    _show_kit_warnings()
    try:
        return args.handler(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except PilotfunnelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
