"""The client explorer: ipywidgets over the funnel model and its charts, nothing else.

Used in JupyterLab (notebooks/02-client-explorer.ipynb) and, with code hidden, in the meeting
itself through Voila (``pilotfunnel present``, which holds one: ui/present/screen). The
widgets are its ``form`` (form.py); every callback is a method, so tests drive it by setting
widget values in Python. What it shows of a result is drawn from the brief's view model
(results.py).
"""

from __future__ import annotations

import datetime as dt
import html
import os
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w
from IPython.display import display

from pilotfunnel.core.errors import PilotfunnelError, ScenarioError
from pilotfunnel.core.naming import brief_stem, slugify
from pilotfunnel.export.formats import DEFAULT_FORMATS, FORMATS
from pilotfunnel.export.pipeline import make_brief
from pilotfunnel.inputs.assumptions import DRIVERS
from pilotfunnel.inputs.money import format_amount, parse_count
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import (
    ECONOMIC_KEYS,
    Scenario,
    load_scenario,
    save_scenario,
    scenario_from_dict,
)
from pilotfunnel.model import funnel
from pilotfunnel.ui.explorer import results
from pilotfunnel.ui.explorer.form import MONEY_FIELDS, RECORD_FIELDS, ExplorerForm
from pilotfunnel.views.context import BriefContext
from pilotfunnel.views.messages import explorer as words

DECK_FORMATS = ("pptx",)  # what Export deck makes: the kit's deck (export.formats)

# The explorer and the present mode model with the brief's own draws and seed
# (funnel.DEFAULT_DRAWS, funnel.DEFAULT_SEED), so the figures on screen are the brief's figures.
# Measured on the demo client: 20,000 draws take about 30 ms against 19 ms for 5,000, small
# beside the chart's redraw, and the sliders report a value only when released
# (continuous_update=False), so there is no drag to preview with fewer draws.


class Explorer:
    """One client's scenario as widgets, with live funnel, key numbers and driver ranking.

    Its public parts, for present mode and anyone else who shows the same model: ``form``
    (the widgets), ``scenario``/``result``/``context`` (what the entries give, the view model
    of the brief for it), ``on_result`` (a callback after each new result), ``set_scenario``.
    """

    def __init__(
        self,
        project: Project,
        scenario: Scenario,
        clients_dir: Path | None = None,
        exports_dir: Path | None = None,
        draws: int = funnel.DEFAULT_DRAWS,
        seed: int = funnel.DEFAULT_SEED,
    ) -> None:
        self.project = project
        self.clients_dir = Path(clients_dir or project.clients_dir)
        self.exports_dir = Path(exports_dir or project.exports_dir)
        self.assumptions = project.assumptions
        self.model = funnel.model_of(project)
        self.brand = project.brand
        self.draws, self.seed = draws, seed
        self.scenario: Scenario | None = scenario
        self.result: funnel.Result | None = None
        self.context: BriefContext | None = None  # the brief's view model for ``result``
        self.valid = False  # whether the entries shown are a valid scenario
        self._listeners: list[Callable[[BriefContext], None]] = []
        self._invalid_listeners: list[Callable[[], None]] = []
        self._pending_overwrite: Path | None = None
        self._pending_export: tuple[Path, ...] | None = None
        self._pending_formats: tuple[str, ...] = DEFAULT_FORMATS  # what the question is about
        self._exported_from = ""  # which inputs the last export used (FROM_SAVED, FROM_UNSAVED)
        self._loading = False
        self.form = ExplorerForm(self.assumptions, self.brand, self.clients_dir)
        # Where Export reports; present mode shows it on the projector, apart from Save's.
        self.export_status: w.HTML = self.form.status
        self._wire()
        self.set_scenario(scenario)

    @classmethod
    def from_file(cls, project: Project, path: str | Path, **kwargs) -> Explorer:
        """The explorer on a client's scenario file, its folder the picker's."""
        path = Path(path)
        explorer = cls(
            project,
            load_scenario(path),
            clients_dir=kwargs.pop("clients_dir", path.parent),
            **kwargs,
        )
        explorer._loading = True
        explorer.form.picker.value = str(path.resolve())
        explorer._loading = False
        return explorer

    def _wire(self) -> None:
        form = self.form
        form.picker.observe(self._on_pick, "value")
        for widget in form.entries():
            widget.observe(self._on_change, "value")
        form.save_button.on_click(lambda _: self.save())
        form.confirm_button.on_click(lambda _: self.save(confirm=True))
        form.export_button.on_click(lambda _: self.export())
        form.export_deck_button.on_click(lambda _: self.export_deck())
        form.confirm_export_button.on_click(
            lambda _: self.export(confirm=True, formats=self._pending_formats)
        )
        form.save_export_button.on_click(lambda _: self.save_and_export())

    def on_result(self, callback: Callable[[BriefContext], None]) -> None:
        """Call ``callback(context)`` after each valid change, with the new result's view model."""
        self._listeners.append(callback)

    def on_invalid(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` when an entry makes the inputs invalid: what a listener shows
        is then of entries no longer on screen (present mode greys it out)."""
        self._invalid_listeners.append(callback)

    @property
    def widget(self) -> w.Widget:
        """The whole explorer, ready to display."""
        return self.form.widget

    def _ipython_display_(self) -> None:
        display(self.widget)

    # --- state -------------------------------------------------------------------------
    def set_scenario(self, scenario: Scenario) -> None:
        """Show a scenario in the widgets (without firing one update per widget), and model it."""
        self._loading = True
        try:
            self.form.client.value = scenario.client
            self.form.prepared_by.value = scenario.prepared_by
            self.form.currency.value = scenario.currency
            self.form.pocs.value = str(scenario.pocs_per_year)
            self.form.horizon.value = scenario.horizon_years
            for key in MONEY_FIELDS:
                self.form.money[key].value = format_amount(getattr(scenario, key))
            for which, levels in (("as_is", scenario.as_is), ("target", scenario.target)):
                for driver in DRIVERS:
                    self.form.sliders[which][driver].value = levels[driver]
            record = scenario.record.to_dict() if scenario.record else {}
            for key in RECORD_FIELDS:
                value = record.get(key, "")
                self.form.record[key].value = str(value)
            self._notes = scenario.notes
            self._include_unverified = scenario.include_unverified_sources
            # What the file holds that no widget shows, kept so that a save or an export
            # carries it and an unchanged client reads as saved.
            self._kept = {k: getattr(scenario, k) for k in ECONOMIC_KEYS}
            self._change_costs = dict(scenario.change_costs)
        finally:
            self._loading = False
        self.update()

    def entered(self) -> dict:
        """What the widgets hold, in the scenario file's shape. Money stays as typed: the
        scenario reads it (inputs.money) as it reads a file, in the scenario's currency."""
        form = self.form
        entered = {
            "client": form.client.value,
            "prepared_by": form.prepared_by.value,
            "currency": form.currency.value,
            "pocs_per_year": _number(form.pocs.value),
            "costs": {
                "per_poc": form.money["cost_per_poc"].value,
                "to_production": form.money["cost_to_production"].value,
            },
            "annual_value_per_use_case": form.money["annual_value_per_use_case"].value,
            "horizon_years": form.horizon.value,
            "readiness": {
                which: {d: form.sliders[which][d].value for d in DRIVERS}
                for which in ("as_is", "target")
            },
            "include_unverified_sources": self._include_unverified,
            "notes": self._notes,
        }
        if self._change_costs:
            entered["costs"]["change"] = dict(self._change_costs)
        economics = {k: v for k, v in self._kept.items() if v is not None}
        if economics:
            entered["economics"] = economics
        record = self.entered_record()
        if record is not None:
            entered["record"] = record
        return entered

    def entered_record(self) -> dict | None:
        """The record fields in the file's shape; None when no count was entered."""
        counts = ("pocs_started", "reached_production", "with_measurable_impact")
        if not any(self.form.record[key].value.strip() for key in counts):
            return None
        record = {"period": self.form.record["period"].value.strip()}
        for key in counts:
            text = self.form.record[key].value.strip()
            if text or key != "with_measurable_impact":  # only impact may be left out
                record[key] = _number(text) if text else None
        return record

    def _on_pick(self, change) -> None:
        if self._loading:
            return
        self._disarm()
        self.form.status.value = ""
        if change["new"]:
            self.set_scenario(load_scenario(change["new"]))
        else:
            self.set_scenario(self.blank_scenario())

    def blank_scenario(self) -> Scenario:
        """What New client starts from: the demo's defaults, named New client, with no record,
        notes or priced changes, so nothing of the client shown before is carried into it."""
        demo = self.project.clients_dir / "demo.yaml"
        start = load_scenario(demo) if demo.is_file() else self.scenario
        return start.replace(
            client=words.NEW_CLIENT,
            notes="",
            record=None,
            change_costs={},
            discount_rate=None,
            time_to_production_months=None,
            include_unverified_sources=False,
            path=None,
        )

    def _on_change(self, _change=None) -> None:
        if not self._loading:
            self._disarm()
            self.update()

    def _disarm(self, save: bool = True, export: bool = True) -> None:
        """Withdraw a pending confirmation (Save's, Export's): each answers the question just
        asked, so any other action (an edit, New, Open, the other button) must ask again."""
        if save:
            self._pending_overwrite = None
            self.form.confirm_button.layout.display = "none"
        if not export:
            return
        self._pending_export = None
        self.form.confirm_export_button.layout.display = "none"
        self.form.save_export_button.layout.display = "none"

    def update(self) -> None:
        """Validate what was entered; show messages by the fields, or the new results."""
        for which in self.form.sliders:
            for driver in DRIVERS:
                level = self.form.sliders[which][driver].value
                text = self.assumptions.drivers[driver].levels[level]
                self.form.level_text[which][driver].value = f"<small>{html.escape(text)}</small>"
        for message in self.form.messages.values():
            message.value = ""
        self.form.readiness_message.value = ""
        try:
            scenario = scenario_from_dict(self.entered(), "explorer")
        except ScenarioError as error:
            self.valid = False
            self._show_problems(error)
            return
        self.valid = True
        self.scenario = scenario
        self.result = funnel.run(scenario, self.model, draws=self.draws, seed=self.seed)
        self.context = BriefContext(
            scenario=scenario,
            result=self.result,
            sources=self.project.sources,
            assumptions=self.assumptions,
            brand=self.brand,
            as_of=dt.date.today(),
            project=self.project,
        )
        self._show_result()
        for listener in self._listeners:
            listener(self.context)

    def _show_problems(self, error: ScenarioError) -> None:
        fields = {"client": "client", "pocs_per_year": "pocs_per_year"}
        fields |= {path: key for key, (_, path) in MONEY_FIELDS.items()}
        fields |= {path: key for key, (_, path) in RECORD_FIELDS.items()}
        other = []
        for problem in error.problems:
            key = fields.get(problem.column)  # the field's dotted key, e.g. costs.per_poc
            text = problem.message + problem.got  # the value cut short, as in every message
            if key:
                self.form.messages[key].value = _error_html(text)
            else:
                other.append(f"{problem.column} {text}")
        if other:
            self.form.readiness_message.value = _error_html("; ".join(other))
        self.form.record_line.value = ""
        self.form.advice.value = ""
        # The last results stay in place, greyed out (the chart too), under the note: the
        # consultant sees they are not of the entries shown until the entry is fixed.
        for shown in self.form.results_shown():
            shown.add_class("pf-stale")
        self.form.invalid_note.value = _error_html(words.FIX_TO_SEE)
        self.form.invalid_note.layout.display = None
        for listener in self._invalid_listeners:
            listener()

    def _show_result(self) -> None:
        # Everything shown is the view model's (self.context): its figures, formatted once.
        ctx, form = self.context, self.form
        for shown in form.results_shown():
            shown.remove_class("pf-stale")
        form.invalid_note.value = ""
        form.invalid_note.layout.display = "none"  # the headline comes first in the results
        form.headline.value = results.headline_html(ctx)
        form.advice.value = results.advice_html(ctx)
        form.record_line.value = results.record_line_html(ctx)
        form.numbers.value = results.key_numbers_html(ctx, self.draws, self.seed)
        form.chart.value = results.chart_html(ctx)
        form.ranking.value = results.ranking_html(ctx)

    # --- actions -----------------------------------------------------------------------
    def target_path(self) -> Path:
        """The client's own file if one is open, else a new file named after the client."""
        if self.form.picker.value:
            return Path(self.form.picker.value)
        return self.clients_dir / f"{slugify(self.form.client.value)}.yaml"

    def save(self, confirm: bool = False) -> Path | None:
        """Write the client's file; an existing file needs a second, confirming click."""
        if not self.valid:
            self.form.status.value = _error_html(words.NOTHING_SAVED)
            return None
        self._disarm(save=False)  # Save is another action: Export's confirmation is withdrawn
        path = self.target_path()
        if path.exists() and not (confirm and self._pending_overwrite == path):
            self._pending_overwrite = path
            self.form.confirm_button.layout.display = None
            self.form.status.value = _error_html(
                words.ALREADY_EXISTS.format(name=path.name, confirm=words.CONFIRM_OVERWRITE)
            )
            return None
        save_scenario(self.scenario, path, overwrite=True)
        self._pending_overwrite = None
        self.form.confirm_button.layout.display = "none"
        self.form.picker.options = self.form.client_files()
        self._loading = True  # pointing the picker at the saved file must not reload it
        self.form.picker.value = str(path.resolve())
        self._loading = False
        self.form.status.value = words.SAVED.format(path=f"<code>{html.escape(str(path))}</code>")
        return path

    def unsaved(self) -> bool:
        """Whether the entries differ from the client's file (or no file is open)."""
        if not self.form.picker.value:
            return True
        try:
            return load_scenario(self.form.picker.value) != self.scenario
        except PilotfunnelError:  # the file went bad since: it is not what is shown
            return True

    def inputs_named(self) -> str:
        """Which inputs an export uses: the saved file, by name, or unsaved edits."""
        if self.unsaved():
            return words.FROM_UNSAVED
        return words.FROM_SAVED.format(name=html.escape(Path(self.form.picker.value).name))

    def planned_brief(
        self, as_of: dt.date | None = None, formats: tuple[str, ...] = DEFAULT_FORMATS
    ) -> tuple[Path, ...]:
        """The files an export now would write, in the exports folder."""
        stem = brief_stem(self.scenario, as_of or dt.date.today())
        return tuple(self.exports_dir / FORMATS[fmt].file_name(stem) for fmt in formats)

    def export_deck(
        self, as_of: dt.date | None = None, confirm: bool = False
    ) -> dict[str, Path] | None:
        """Export the client's deck (the kit's PPTX, from the same model run), as Export does."""
        return self.export(as_of, confirm=confirm, formats=DECK_FORMATS)

    def export(
        self,
        as_of: dt.date | None = None,
        confirm: bool = False,
        formats: tuple[str, ...] = DEFAULT_FORMATS,
    ) -> dict[str, Path] | None:
        """Save-free export: the pipeline ``pilotfunnel brief`` uses, on the entries shown.

        A brief already in the folder is replaced only on a second, confirming click, and the
        question names the inputs the new one would use, so unsaved edits never replace a
        brief of the saved file unasked (the offer to save them first comes with it)."""
        status = self.export_status
        planned = self.planned_brief(as_of, formats) if self.valid else None
        deck = formats == DECK_FORMATS
        if not (confirm and planned is not None and self._pending_export == planned):
            self._disarm()  # Export is another action: Save's confirmation is withdrawn
        if not self.valid:
            status.value = _error_html(words.NOTHING_EXPORTED)
            return None
        existing = [path for path in planned if path.exists()]
        if existing and self._pending_export != planned:
            self._pending_export, self._pending_formats = planned, formats
            confirm_label = words.CONFIRM_EXPORT_DECK if deck else words.CONFIRM_EXPORT
            self.form.confirm_export_button.description = confirm_label
            self.form.confirm_export_button.layout.display = None
            unsaved = self.unsaved()
            self.form.save_export_button.layout.display = None if unsaved else "none"
            question = (words.DECK_EXISTS if deck else words.BRIEF_EXISTS).format(
                names=html.escape(", ".join(path.name for path in existing)),
                inputs=self.inputs_named(),
                confirm=confirm_label,
            )
            if unsaved:
                question += " " + words.OFFER_SAVE.format(save=words.SAVE_AND_EXPORT)
            status.value = f"<span class='pf-error'>{question}</span>"
            return None
        inputs = self.inputs_named()
        self._disarm()
        status.value = words.EXPORTING_DECK if deck else words.EXPORTING
        try:
            written = make_brief(
                self.project,
                self.scenario,
                self.exports_dir,
                formats=formats,
                as_of=as_of,
                draws=self.draws,
                seed=self.seed,
            )
        except PilotfunnelError as error:
            status.value = _error_html(words.EXPORT_FAILED.format(error=error))
            return None
        self._exported_from = inputs
        status.value = self.exported_html(written.files)
        return written.files

    def save_and_export(self, as_of: dt.date | None = None) -> dict[str, Path] | None:
        """Save the entries to the client's file (replacing it: this button answers the
        export's question), then export from it."""
        if not self.valid:
            return self.export(as_of)
        planned = self._pending_export  # the files this click agreed to replace, if any
        formats = self._pending_formats
        self._pending_overwrite = self.target_path()  # the click confirms the save as well
        if self.save(confirm=True) is None:
            return None
        self._pending_export = planned
        return self.export(as_of, confirm=planned is not None, formats=formats)

    def exported_html(self, files: dict[str, Path]) -> str:
        """What Export says of the files it wrote: the folder and a link to each."""
        links = " ".join(
            f'<a class="pf-export-{fmt}" href="{html.escape(_link(path, self.project.root))}" '
            'target="_blank" '
            f'download="{html.escape(path.name)}">{fmt.upper()}: {html.escape(path.name)}</a>'
            for fmt, path in files.items()
        )
        folder = html.escape(str(self.exports_dir))
        made = f" {words.MADE} {self._exported_from}" if self._exported_from else ""
        return words.EXPORTED.format(folder=folder, links=links) + made


def _number(text: str) -> object:
    """A count typed as '1,200' or '1 200' -> 1200 (the grouping money is read with); anything
    else is passed on for the scenario's own located error."""
    value = parse_count(str(text))
    return text if value is None else value


def _error_html(text: str) -> str:
    # A problem's message quotes the value typed, which may be markup: shown, never run.
    return f"<span class='pf-error'>{html.escape(text)}</span>"


def _link(path: Path, root: Path) -> str:
    """A link that downloads the file: in JupyterLab the server's /files/ URL of it, in
    Voila its /voila/files/ one.

    A relative link (../exports/x.pdf) is no use in a widget: JupyterLab resolves it against
    its own page (/lab/tree/...) and serves the lab instead of the file."""
    try:
        relative = path.resolve().relative_to(root)
    except ValueError:
        relative = None
    if _in_voila() and relative is not None:
        return f"/voila/files/{relative.as_posix()}"
    served = _files_url(path)
    if served is not None:
        return served
    if relative is None:
        return path.resolve().as_uri()
    return f"/files/{urllib.parse.quote(relative.as_posix())}"


def _files_url(path: Path) -> str | None:
    """The /files/ URL of ``path`` on the Jupyter server this kernel runs under (its process
    is the kernel's JPY_PARENT_PID; its runtime file gives its root and base URL); None
    outside one, when the file lies outside the server's root, or when the runtime file is
    not what a Jupyter server writes (it is read as any file is: hostile until checked)."""
    parent = os.environ.get("JPY_PARENT_PID", "")
    if not parent.isdigit():
        return None
    try:
        # Only under a Jupyter server, which this kernel may not have installed beside it
        from jupyter_server.serverapp import list_running_servers

        servers = list(list_running_servers())
    except (ImportError, OSError, ValueError, TypeError, KeyError):  # no server, or no file
        return None
    for server in servers:
        if not isinstance(server, dict) or str(server.get("pid")) != parent:
            continue
        root, base = server.get("root_dir"), server.get("base_url") or "/"
        if not isinstance(root, str) or not isinstance(base, str) or not base.startswith("/"):
            return None
        try:
            relative = path.resolve().relative_to(Path(root).resolve())
        except (ValueError, OSError):
            return None
        base = urllib.parse.quote(base.rstrip("/"), safe="/%@")  # as the server spells it
        return f"{base}/files/{urllib.parse.quote(relative.as_posix())}"
    return None


def _in_voila() -> bool:
    return "VOILA_KERNEL_ID" in os.environ or os.environ.get("PILOTFUNNEL_PRESENT") == "1"
