"""The ``pilotfunnel`` command line.

Exit codes: 0 success, 1 some work failed, 2 invalid input or usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pilotfunnel import __version__
from pilotfunnel.core import paths
from pilotfunnel.core.errors import InputError, PilotfunnelError
from pilotfunnel.export.formats import DEFAULT_FORMATS, FORMATS
from pilotfunnel.export.pipeline import BRIEF_TIMEOUT
from pilotfunnel.ui import checks, commands
from pilotfunnel.ui.commands import EXIT_FAILED, EXIT_INVALID
from pilotfunnel.views.messages import assess as assess_msg
from pilotfunnel.views.messages import cli as cli_msg
from pilotfunnel.views.messages import project as project_msg


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

    def add_subparsers(self, **kwargs):
        # Every command and subcommand takes --project too (before or after its name); a
        # subcommand's default would overwrite the value given before it, so it has none.
        action = super().add_subparsers(**kwargs)
        add_parser = action.add_parser

        def add_command(*args, **options):
            command = add_parser(*args, **options)
            _project_option(command, default=argparse.SUPPRESS)
            return command

        action.add_parser = add_command
        return action

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        for name, value in vars(namespace).items():  # an option left out gets its home's value
            if isinstance(value, _KeptElsewhere):
                setattr(namespace, name, value.value())
        return namespace, extras


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pilotfunnel", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"pilotfunnel {__version__}")
    _project_option(parser, default=None)
    subcommands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    new = subcommands.add_parser("new", help=project_msg.HELP_NEW)
    new.add_argument("folder", type=Path, help=project_msg.HELP_NEW_DIR)
    new.add_argument("--force", action="store_true", help=project_msg.HELP_NEW_FORCE)
    new.add_argument("--no-demo", action="store_true", help=project_msg.HELP_NEW_NO_DEMO)
    new.set_defaults(handler=commands.new)
    doctor = subcommands.add_parser("doctor", help=project_msg.HELP_DOCTOR)
    doctor.set_defaults(handler=commands.doctor)

    sources = subcommands.add_parser("sources", help=cli_msg.HELP_SOURCES)
    sources_commands = sources.add_subparsers(
        dest="sources_command", required=True, parser_class=_Parser
    )
    check = sources_commands.add_parser("check", help=cli_msg.HELP_SOURCES_CHECK)
    check.add_argument("path", nargs="?", type=Path, help=cli_msg.HELP_SOURCES_PATH)
    check.set_defaults(handler=checks.sources_check)
    diff = sources_commands.add_parser("diff", help=cli_msg.HELP_SOURCES_DIFF)
    diff.add_argument("--out-dir", type=Path, default=None, help=cli_msg.HELP_OUT_DIR)
    diff.add_argument("--json", action="store_true", help=cli_msg.HELP_JSON)
    diff.add_argument("--against-kit", action="store_true", help=project_msg.HELP_AGAINST_KIT)
    diff.set_defaults(handler=checks.sources_diff)

    brand = subcommands.add_parser("brand", help=cli_msg.HELP_BRAND)
    brand_commands = brand.add_subparsers(dest="brand_command", required=True, parser_class=_Parser)
    brand_check = brand_commands.add_parser("check", help=cli_msg.HELP_BRAND_CHECK)
    brand_check.add_argument("path", nargs="?", type=Path, help=cli_msg.HELP_BRAND_PATH)
    brand_check.set_defaults(handler=checks.brand_check)

    model = subcommands.add_parser("model", help=cli_msg.HELP_MODEL)
    model.add_argument("scenario", type=Path, nargs="?", help=cli_msg.HELP_SCENARIO)
    model.add_argument(
        "--batch",
        type=Path,
        nargs="+",
        metavar="PATH",
        help=cli_msg.HELP_BATCH,
    )
    model.add_argument("--out", type=Path, default=None, help=cli_msg.HELP_MODEL_OUT)
    model.add_argument("--json", action="store_true", help=cli_msg.HELP_JSON)
    model.add_argument("--seed", type=int, default=None, help=cli_msg.HELP_SEED)
    model.add_argument("--draws", type=_draws, default=None, help=cli_msg.HELP_DRAWS)
    model.set_defaults(handler=commands.model)

    assess = subcommands.add_parser("assess", help=assess_msg.HELP_ASSESS)
    assess.add_argument("job", type=Path, help=assess_msg.HELP_JOB)
    assess.add_argument("--json", action="store_true", help=cli_msg.HELP_JSON)
    assess.add_argument("--seed", type=int, default=None, help=cli_msg.HELP_SEED)
    assess.add_argument("--draws", type=_draws, default=None, help=cli_msg.HELP_DRAWS)
    assess.set_defaults(handler=commands.assess)

    made = " and ".join(name.upper() for name in DEFAULT_FORMATS)
    brief = subcommands.add_parser("brief", help=cli_msg.HELP_BRIEF.format(formats=made))
    brief.add_argument("scenario", type=Path, help=cli_msg.HELP_SCENARIO)
    _format_option(brief)
    brief.add_argument("--out", type=Path, default=None, help=cli_msg.HELP_OUT)
    brief.add_argument("--date", type=_iso_date, default=None, help=cli_msg.HELP_DATE)
    brief.add_argument("--seed", type=int, default=None, help=cli_msg.HELP_SEED)
    brief.add_argument("--draws", type=_draws, default=None, help=cli_msg.HELP_DRAWS)
    brief.set_defaults(handler=commands.brief)

    briefs = subcommands.add_parser("briefs", help=cli_msg.HELP_BRIEFS)
    briefs.add_argument("paths", type=Path, nargs="+", help=cli_msg.HELP_PATHS)
    briefs.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=_KeptElsewhere("pilotfunnel.batch", "DEFAULT_WORKERS"),
        help=cli_msg.HELP_JOBS,
    )
    briefs.add_argument("--out", type=Path, default=None, help=cli_msg.HELP_OUT)
    _format_option(briefs)
    briefs.add_argument("--force", action="store_true", help=cli_msg.HELP_FORCE)
    briefs.add_argument(
        "--check",
        action="store_true",
        help=cli_msg.HELP_DRY_RUN,
    )
    briefs.add_argument("--date", type=_iso_date, default=None, help=cli_msg.HELP_BRIEFS_DATE)
    briefs.add_argument(
        "--timeout",
        type=_positive_float,
        default=BRIEF_TIMEOUT,
        help=cli_msg.HELP_TIMEOUT,
    )
    briefs.add_argument("--scheduler", default=None, metavar="ADDRESS", help=cli_msg.HELP_SCHEDULER)
    briefs.add_argument("--seed", type=int, default=None, help=cli_msg.HELP_SEED)
    briefs.add_argument("--draws", type=_draws, default=None, help=cli_msg.HELP_DRAWS)
    briefs.set_defaults(handler=commands.briefs)

    figures = subcommands.add_parser("figures", help=cli_msg.HELP_FIGURES)
    figures.add_argument("--out", type=Path, default=None, help=cli_msg.HELP_FIGURES_OUT)
    figures.add_argument("--scenario", type=Path, default=None, help=cli_msg.HELP_FIGURES_SCENARIO)
    figures.set_defaults(handler=commands.figures)

    present = subcommands.add_parser("present", help=cli_msg.HELP_PRESENT)
    present.add_argument(
        "scenario", type=Path, nargs="?", default=None, help=cli_msg.HELP_PRESENT_SCENARIO
    )
    present.add_argument(
        "--port",
        type=int,
        default=_KeptElsewhere("pilotfunnel.ui.present.server", "DEFAULT_PORT"),
        help=cli_msg.HELP_PORT,
    )
    present.set_defaults(handler=commands.present)
    return parser


def _project_option(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument(
        "--project", type=Path, default=default, metavar="DIR", help=project_msg.HELP_PROJECT
    )


def _format_option(parser: argparse.ArgumentParser) -> None:
    default = ",".join(DEFAULT_FORMATS)
    parser.add_argument(
        "--format",
        default=None,  # the project's pilotfunnel.yml, else the kit's (commands._formats)
        help=cli_msg.HELP_FORMAT.format(formats=", ".join(FORMATS), default=default),
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
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD, got {text!r}") from None


def _show_kit_warnings() -> None:
    """Print the kit's own logged warnings as ``warning: ...`` lines on stderr, once set up."""
    log = logging.getLogger("pilotfunnel")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        log.addHandler(handler)
        log.propagate = False


# The commands that run without a project: they make one, or say what the kit finds.
PROJECTLESS = (commands.new, commands.doctor)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (the console script exits with it)."""
    args = build_parser().parse_args(argv)
    _show_kit_warnings()
    home = os.environ.get(paths.HOME_VARIABLE)
    try:
        if args.project is not None:
            root = paths.named_project(args.project, "--project")
        elif args.handler not in PROJECTLESS:
            root = paths.project_root()  # before any work: outside a project, one line
        else:
            root = None
        if root is not None:
            # Set for this process and every one it starts: batch workers, Voila's kernels.
            os.environ[paths.HOME_VARIABLE] = str(root)
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
    except BrokenPipeError:  # `pilotfunnel model x.yaml | head`: the reader left, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    finally:  # main() called in a process that goes on (a test) leaves its environment be
        if home is None:
            os.environ.pop(paths.HOME_VARIABLE, None)
        else:
            os.environ[paths.HOME_VARIABLE] = home


if __name__ == "__main__":
    sys.exit(main())
