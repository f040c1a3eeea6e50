"""The ``pilotfunnel`` command line.

Exit codes: 0 success, 1 some work failed, 2 invalid input or usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from pilotfunnel import __version__
from pilotfunnel.core.errors import InputError, PilotfunnelError
from pilotfunnel.export.formats import DEFAULT_FORMATS, FORMATS
from pilotfunnel.export.pipeline import BRIEF_TIMEOUT
from pilotfunnel.ui import commands
from pilotfunnel.ui.commands import EXIT_FAILED, EXIT_INVALID
from pilotfunnel.views.messages import cli as cli_msg


class _KeptElsewhere:
    """A default whose one home is a module the command line does not import to start (the
    batch's workers, present mode's port): read from there only when a command runs with it or
    ``--help`` shows it."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def value(self) -> object:
        return getattr(importlib.import_module(self.module), self.name)

    def __str__(self) -> str:  # what %(default)s shows in --help
        return str(self.value())


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors; keep it, drop the noise
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n")

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        for name, value in vars(namespace).items():  # an option left out gets its home's value
            if isinstance(value, _KeptElsewhere):
                setattr(namespace, name, value.value())
        return namespace, extras


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pilotfunnel", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"pilotfunnel {__version__}")
    subcommands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    sources = subcommands.add_parser("sources", help="check the cited-statistics table")
    sources_commands = sources.add_subparsers(
        dest="sources_command", required=True, parser_class=_Parser
    )
    check = sources_commands.add_parser("check", help="validate data/sources.csv (or PATH)")
    check.add_argument("path", nargs="?", type=Path, help="default: data/sources.csv")
    check.set_defaults(handler=commands.sources_check)
    diff = sources_commands.add_parser(
        "diff", help="what changed in sources.csv since the briefs were built (exit 1 if any)"
    )
    diff.add_argument(
        "--out-dir", type=Path, default=None, help="the briefs' folder (default exports/)"
    )
    diff.add_argument("--json", action="store_true", help="print JSON for tools")
    diff.set_defaults(handler=commands.sources_diff)

    brand = subcommands.add_parser("brand", help="check the brand file")
    brand_commands = brand.add_subparsers(dest="brand_command", required=True, parser_class=_Parser)
    brand_check = brand_commands.add_parser(
        "check", help="validate data/brand/brand.yml (or PATH), text contrast included"
    )
    brand_check.add_argument("path", nargs="?", type=Path, help="default: data/brand/brand.yml")
    brand_check.set_defaults(handler=commands.brand_check)

    model = subcommands.add_parser("model", help="model a client scenario as is and at target")
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
    model.add_argument("--seed", type=int, default=None, help=cli_msg.HELP_SEED)
    model.add_argument("--draws", type=_draws, default=None, help=cli_msg.HELP_DRAWS)
    model.set_defaults(handler=commands.model)

    made = " and ".join(name.upper() for name in DEFAULT_FORMATS)
    brief = subcommands.add_parser("brief", help=f"export a client's branded brief ({made})")
    brief.add_argument("scenario", type=Path, help="a client file, e.g. data/clients/demo.yaml")
    _format_option(brief)
    brief.add_argument("--out", type=Path, default=None, help="output folder (default exports/)")
    brief.add_argument("--date", type=_iso_date, default=None, help="the brief's date, YYYY-MM-DD")
    brief.add_argument("--seed", type=int, default=None, help=cli_msg.HELP_SEED)
    brief.add_argument("--draws", type=_draws, default=None, help=cli_msg.HELP_DRAWS)
    brief.set_defaults(handler=commands.brief)

    briefs = subcommands.add_parser(
        "briefs", help="export the briefs of many clients: parallel, incremental, with a manifest"
    )
    briefs.add_argument("paths", type=Path, nargs="+", help="scenario files or folders of them")
    briefs.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=_KeptElsewhere("pilotfunnel.batch", "DEFAULT_WORKERS"),
        help="workers (default %(default)s)",
    )
    briefs.add_argument("--out", type=Path, default=None, help="output folder (default exports/)")
    _format_option(briefs)
    briefs.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    briefs.add_argument(
        "--check",
        action="store_true",
        help="list what is out of date and why, build nothing (exit 1 if anything is)",
    )
    briefs.add_argument("--date", type=_iso_date, default=None, help="the briefs' date, YYYY-MM-DD")
    briefs.add_argument(
        "--timeout",
        type=_positive_float,
        default=BRIEF_TIMEOUT,
        help="seconds per brief (default %(default)s)",
    )
    briefs.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="a Dask scheduler, tcp://host:port"
    )
    briefs.add_argument("--seed", type=int, default=None, help=cli_msg.HELP_SEED)
    briefs.add_argument("--draws", type=_draws, default=None, help=cli_msg.HELP_DRAWS)
    briefs.set_defaults(handler=commands.briefs)

    figures = subcommands.add_parser(
        "figures", help="write the evidence and demo charts for slides"
    )
    figures.add_argument("--out", type=Path, default=None, help="output folder (default figures/)")
    figures.add_argument("--scenario", type=Path, default=None, help="default: the demo client")
    figures.set_defaults(handler=commands.figures)

    present = subcommands.add_parser(
        "present", help="serve the client explorer with Voila, no code"
    )
    present.add_argument(
        "--port",
        type=int,
        default=_KeptElsewhere("pilotfunnel.ui.present.server", "DEFAULT_PORT"),
        help="port on 127.0.0.1 (%(default)s)",
    )
    present.set_defaults(handler=commands.present)
    return parser


def _format_option(parser: argparse.ArgumentParser) -> None:
    default = ",".join(DEFAULT_FORMATS)
    parser.add_argument(
        "--format",
        default=default,
        help=f"{', '.join(FORMATS)}, comma-separated (default {default})",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if not 1 <= value <= 10_000_000:
        raise argparse.ArgumentTypeError(f"must be from 1 to 10,000,000, got {value}")
    return value


def _draws(text: str) -> int:
    # Imported here, not at the top: the command line starts without numpy unless it models.
    from pilotfunnel.model.funnel import MAX_DRAWS

    value = _positive_int(text)
    if value > MAX_DRAWS:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_DRAWS:,}, got {value}")
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
