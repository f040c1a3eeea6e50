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

    model = commands.add_parser("model", help="model a client scenario as is and at target")
    model.add_argument("scenario", type=Path, help="a client file, e.g. data/clients/demo.yaml")
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


def _iso_date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD, got {text!r}") from None


def _brief(args: argparse.Namespace) -> int:
    from .export.run import export_brief, parse_formats

    try:
        formats = parse_formats(args.format)
    except ValueError as exc:
        print(f"error: --format: {exc}", file=sys.stderr)
        return EXIT_INVALID
    out = args.out or paths.exports_dir()
    written = export_brief(
        args.scenario, out, formats, as_of=args.date, draws=args.draws, seed=args.seed
    )
    for fmt, path in written.files.items():
        print(f"{fmt}: {display_path(path)}")
    return EXIT_OK


def _figures(args: argparse.Namespace) -> int:
    from . import charts, funnel
    from .brand import load_brand
    from .scenario import load_scenario
    from .sources import load_sources

    brand = load_brand()
    sources = load_sources()
    scenario = load_scenario(args.scenario or paths.clients_dir() / "demo.yaml")
    result = funnel.run(scenario)
    out = args.out or paths.figures_dir()
    shown = [s for s in sources if s.evidence != "unverified"]
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

    scenario = load_scenario(args.scenario)
    result = funnel.run(
        scenario,
        draws=args.draws or funnel.DEFAULT_DRAWS,
        seed=funnel.DEFAULT_SEED if args.seed is None else args.seed,
    )
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.text_table(result))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (the console script exits with it)."""
    args = build_parser().parse_args(argv)
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
