"""The sentences of a project's commands: ``pilotfunnel new``, ``doctor`` and --project."""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

HELP_PROJECT = _("the project folder (default: PILOTFUNNEL_HOME, else the nearest pilotfunnel.yml)")
HELP_NEW = _("make a project folder: pilotfunnel.yml, data/, notebooks/, exports/, figures/")
HELP_NEW_DIR = _("the folder to make (it must be empty, or not exist)")
HELP_NEW_FORCE = _("write into a folder that is not empty (never over a file already there)")
HELP_NEW_NO_DEMO = _("leave data/clients and data/jobs empty")
HELP_DOCTOR = _("what the kit finds: the project, versions, system libraries and programs")

NOT_EMPTY = _("is not empty; choose an empty folder, or pass --force to add what is missing")
NEW_DONE = _("Made the project {name} in {folder}: {written} files written")
NEW_KEPT = _("{kept} files already there were kept as they were")
NEW_NEXT = _("Next: cd {folder} && pilotfunnel brief data/clients/demo.yaml")
NEW_NEXT_NO_DEMO = _("Next: add a client file to {folder}/data/clients, then pilotfunnel brief it")

# The README a new project starts with (a few lines: what to do first).
PROJECT_README = _(
    """# {name}

A pilotfunnel project, made by pilotfunnel {version}.

- `pilotfunnel brief data/clients/demo.yaml` makes the demo client's brief in `exports/`.
- Copy `data/clients/demo.yaml` for each client, and edit it.
- `data/sources.csv` holds the cited statistics, `data/assumptions.yaml` the model's labelled
  assumptions, `data/brand/brand.yml` the brand: `pilotfunnel sources check` and
  `pilotfunnel brand check` validate them.
- `jupyter lab notebooks/` opens the explorer, the brief and the analyst's notebooks.
- `pilotfunnel doctor` says what the kit can find on this machine.

The kit writes only into `exports/`, `figures/` and its cache; upgrading it never changes this
folder. `pilotfunnel sources diff --against-kit` shows what a newer kit's cited sources add.
"""
)

DOCTOR_PROJECT = _("Project: {root}")
DOCTOR_NO_PROJECT = _("Project: none found ({reason})")
DOCTOR_VERSIONS = _("Python {python}; pilotfunnel {kit}")
DOCTOR_FOUND = _("  found    {what}")
DOCTOR_MISSING = _("  missing  {what} (Debian package: {package}){needed}")
DOCTOR_MISSING_KIT = _("  missing  {what} (reinstall pilotfunnel: pip install pilotfunnel){needed}")
DOCTOR_NEEDED = _("; needed for briefs")
DOCTOR_CAN = _("The kit can make briefs here.")
DOCTOR_CANNOT = _("The kit cannot make briefs here: install what is missing above.")

# `pilotfunnel sources diff --against-kit`
HELP_AGAINST_KIT = _("compare with the cited sources of the installed kit's starter instead")
NO_KIT_CHANGE = _("{sources} has every source of pilotfunnel {version}'s starter, as it words them")
