"""The command line's own sentences (``pilotfunnel model``'s table, views/report.py).

The tables' headings and labels are the view model's, shared with the brief (the package's
``__init__``); only what the CLI alone prints lives here.
"""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

# The table's first line.
CLI_TITLE = _("{client}: {pocs} proofs of concept over {years} years ({per_year} a year)")
# The second: how the figures were modelled.
CLI_MODELLED = _(
    "Modelled: central estimate, with P10 to P90 over {draws} draws (seed {seed}). "
    "Assumptions: data/assumptions.yaml"
)
# With a record, the third.
CLI_CALIBRATED = _("Calibrated to the client's record of {pocs} proofs of concept.")
# The --seed and --draws options' help, on every command that models.
HELP_SEED = _("Monte Carlo seed")
HELP_DRAWS = _("Monte Carlo draws")

# --- the options' help (ui/cli.py), as `pilotfunnel --help` and each command's show it -----
# argparse fills %(default)s in.
HELP_SOURCES = _("check the cited-statistics table")
HELP_SOURCES_CHECK = _("validate data/sources.csv (or PATH)")
HELP_SOURCES_PATH = _("default: data/sources.csv")
HELP_SOURCES_DIFF = _("what changed in sources.csv since the briefs were built (exit 1 if any)")
HELP_OUT_DIR = _("the briefs' folder (default exports/)")
HELP_JSON = _("print JSON for tools")
HELP_BRAND = _("check the brand file")
HELP_BRAND_CHECK = _("validate data/brand/brand.yml (or PATH), text contrast included")
HELP_BRAND_PATH = _("default: data/brand/brand.yml")
HELP_MODEL = _("model a client scenario as is and at target")
HELP_SCENARIO = _("a client file, e.g. data/clients/demo.yaml")
HELP_BATCH = _("model every scenario file in these folders/files into one CSV (no rendering)")
HELP_MODEL_OUT = _("with --batch: the CSV to write")
HELP_OUT = _("output folder (default exports/)")
HELP_DATE = _("the brief's date, YYYY-MM-DD")
HELP_BRIEFS = _("export the briefs of many clients: parallel, incremental, with a manifest")
HELP_PATHS = _("scenario files or folders of them")
HELP_JOBS = _("workers (default %(default)s)")
HELP_FORCE = _("rebuild even what is up to date")
HELP_DRY_RUN = _("list what is out of date and why, build nothing (exit 1 if anything is)")
HELP_BRIEFS_DATE = _("the briefs' date, YYYY-MM-DD")
HELP_TIMEOUT = _("seconds per brief (default %(default)s)")
HELP_SCHEDULER = _("a Dask scheduler, tcp://host:port")
HELP_FIGURES = _("write the evidence and demo charts for slides")
HELP_FIGURES_OUT = _("output folder (default figures/)")
HELP_FIGURES_SCENARIO = _("default: the demo client")
HELP_PRESENT = _("serve the client explorer with Voila, no code")
HELP_PRESENT_SCENARIO = _("the client to open on, a file in data/clients (default: demo.yaml)")
HELP_PORT = _("port on 127.0.0.1 (%(default)s)")
# {formats}: the default formats, "PDF and HTML".
HELP_BRIEF = _("export a client's branded brief ({formats})")
# {formats}: every format the registry knows; {default}: the default ones.
HELP_FORMAT = _("{formats}, comma-separated (default {default})")

# --- the commands' status lines (ui/commands.py) --------------------------------------------
# `sources check`; {warned} is " (2 warning(s))" or nothing.
SOURCES_OK = _("ok: {sources} sources in {path}{warned}")
# `brand check`; {template} is the deck template's path, or KITS_OWN.
BRAND_OK = _(
    "ok: {brand} in {path}; {colours} text colours meet WCAG AA contrast on their backgrounds; "
    "{fonts} font file(s) read; deck template {template} has the layouts the deck uses"
)
KITS_OWN = _("the kit's own")
# `briefs --check`: one line per brief out of date, then the count.
OUT_OF_DATE = _("out of date: {brief}: {reasons}")
CHECKED = _("{stale} of {total} brief(s) out of date, {fresh} up to date in {out} ({seconds} s)")
# `briefs`: nothing to do, or what was done.
NOTHING_TO_BUILD = _("nothing to build: all {total} brief(s) in {out} are up to date ({seconds} s)")
BUILT = _(
    "built {built}, up to date {up_to_date}, failed {failed} (of {total}) in {out} in {seconds} s"
)
# `model --batch`.
MODELLED_BATCH = _("{modelled} scenario(s) modelled, {errors} with errors, in {seconds} s: {out}")
# `sources diff`: nothing changed, or the count after the changed cells.
NO_CHANGE = _("no change in {sources} since the briefs in {out} were built")
CHANGED = _("{sources} source(s) changed, {lines} line(s)")

# --- the exporters' options (export/nbconvert/exporters.py), as `jupyter nbconvert
# --help-all` and JupyterLab's settings show them ---------------------------------------------
HELP_INLINE_FONTS = _("Embed the brand's fonts (HTML) or link the files (PDF)")
HELP_PROJECT_PAGE = _("The pilotfunnel Project whose brand styles the page")
HELP_PROJECT_DECK = _("The pilotfunnel Project the brief belongs to")
HELP_ALLOW_FAILED_CELLS = _(
    "Export a notebook whose cells raised errors: each failed cell's output becomes a "
    "'this cell failed' box with the error's name. By default such an export fails "
    "and names the cells. On the command line: "
    "--BriefHTMLExporter.allow_failed_cells=True (it serves every pilotfunnel format)."
)
