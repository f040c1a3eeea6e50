"""The ``check`` and ``diff`` commands: an analyst's look at the inputs, writing nothing.

``sources check``, ``sources diff`` and ``brand check``; each returns the exit code, as
``commands`` does: 0 success, 1 a difference found, 2 invalid input.
"""

from __future__ import annotations

import argparse
import json
import sys

from pilotfunnel import __version__
from pilotfunnel.core import paths
from pilotfunnel.core.errors import display_path
from pilotfunnel.core.write import output_folder
from pilotfunnel.inputs.project_file import brand_file
from pilotfunnel.ui.commands import EXIT_FAILED, EXIT_INVALID, EXIT_OK
from pilotfunnel.views.messages import cli as cli_msg
from pilotfunnel.views.messages import project as pmsg

# As in ``commands``: each check imports what it runs inside itself ("run's own"), so the
# command line starts without the model, pandas or python-pptx.


def brand_check(args: argparse.Namespace) -> int:
    # run's own (see the top of commands)
    from pilotfunnel.inputs.brand.contrast import TEXT_ON_BACKGROUND
    from pilotfunnel.inputs.brand.load import load_brand
    from pilotfunnel.views.deck import open_template

    path = args.path or brand_file(paths.project_root())
    # A BrandError lists every problem (exit 2): load_brand checks each field's form, the
    # contrast, the logo and the font files (opened with fontTools and FreeType); open_template
    # the deck's template (a zip within limits, nothing external, the layouts it names).
    brand = load_brand(path)
    open_template(brand)
    template = display_path(brand.pptx_template) if brand.pptx_template else cli_msg.KITS_OWN
    print(
        cli_msg.BRAND_OK.format(
            brand=brand.name,
            path=display_path(path),
            colours=len(TEXT_ON_BACKGROUND),
            fonts=len(brand.font_files),
            template=template,
        )
    )
    return EXIT_OK


def sources_check(args: argparse.Namespace) -> int:
    # run's own (see the top of commands)
    from pilotfunnel.inputs.sources.load import check_sources

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
    # run's own (see the top of commands)
    from pilotfunnel.inputs.sources.load import load_sources

    table = load_sources(path)
    warned = f" ({len(problems)} warning(s))" if problems else ""
    print(cli_msg.SOURCES_OK.format(sources=len(table), path=display_path(path), warned=warned))
    return EXIT_OK


def sources_diff(args: argparse.Namespace) -> int:
    """Each cell that changed since the briefs were built, old -> new; exit 1 when any did."""
    # run's own (see the top of commands)
    from pilotfunnel.batch.manifest import Manifest
    from pilotfunnel.ui.analyst import changes, kit_changes

    root = paths.project_root()
    if getattr(args, "against_kit", False):
        found = kit_changes(root)
        unchanged = pmsg.NO_KIT_CHANGE.format(
            sources=display_path(paths.sources_csv(root)), version=__version__
        )
    else:
        out = output_folder(args.out_dir or paths.exports_dir(root), option="--out-dir")
        # A manifest that is corrupt or not the kit's is an error here, never "no change".
        Manifest.load(out, strict=True)
        found = changes(root, out)
        unchanged = cli_msg.NO_CHANGE.format(
            sources=display_path(paths.sources_csv(root)), out=display_path(out)
        )
    if args.json:
        print(json.dumps(found.to_dict(orient="records"), indent=2, ensure_ascii=False))
    elif found.empty:
        print(unchanged)
    else:
        for line in found.itertuples():
            if line.change == "changed":
                print(f"{line.source_id}: {line.column} {line.then!r} -> {line.now!r}")
            else:
                print(f"{line.source_id}: {line.change}")
        print(cli_msg.CHANGED.format(sources=found["source_id"].nunique(), lines=len(found)))
    return EXIT_FAILED if not found.empty else EXIT_OK
