"""The meeting's present mode: the explorer laid out as one screen with a story to step through.

Served by Voila (``pilotfunnel present``) in the kit's own template (share/voila/templates/
pilotfunnel), which gives the page its branded frame, loading state and keyboard steps. This
module builds what goes inside: the client's name, the brief's three key numbers, the five
story steps, each with its own chart beside it (``figures``), and the inputs drawer. The
behaviour (validation, the model, save and export) is the explorer's own, so present mode and
the lab notebook cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path

import ipywidgets as w
import yaml
from IPython.display import display

from pilotfunnel.export.formats import DEFAULT_FORMATS
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import Scenario
from pilotfunnel.model import funnel
from pilotfunnel.ui.explorer.explorer import Explorer
from pilotfunnel.ui.explorer.form import NEW_CLIENT, READINESS_TITLES
from pilotfunnel.ui.present import figures, panels
from pilotfunnel.ui.present.exports import export_url
from pilotfunnel.views import messages as msg
from pilotfunnel.views.context import BriefContext
from pilotfunnel.views.messages import explorer as explorer_words
from pilotfunnel.views.messages import present as words

STEPS = tuple(
    words.STEP_TITLE.format(number=number, title=title)
    for number, title in enumerate(
        (
            words.STEP_EVIDENCE,
            words.STEP_FUNNEL,
            msg.STALLING_HEADING,
            msg.PRACTICES_HEADING,
            msg.WHERE_TO_START,
        ),
        1,
    )
)


def _readiness_heading(which: str) -> str:
    return words.READINESS_OF.format(which=READINESS_TITLES[which].lower())


def testid(widget: w.Widget, name: str) -> w.Widget:
    """Mark a widget for tests; the template turns the class into a data-testid attribute."""
    widget.add_class(f"pf-testid-{name}")
    return widget


def client_name_of(path: Path) -> str:
    """The client a scenario file is about, as its ``client`` field names it; for a file
    that cannot be read, its name in words ("fernhill-foods.yaml" reads "Fernhill Foods"),
    so the picker never shows a file name and never fails on one broken file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    name = data.get("client") if isinstance(data, dict) else None
    if isinstance(name, str) and name.strip():
        return " ".join(name.split())
    return " ".join(path.stem.replace("-", " ").replace("_", " ").split()).title()


def client_options(clients_dir: Path) -> list[tuple[str, str]]:
    """The drawer's picker as present mode shows it: each client file under its client's
    name (a second file for the same client numbered), then a new client. The values stay
    the files' paths, which the explorer opens and saves."""
    files = sorted(clients_dir.glob("*.yaml")) if clients_dir.is_dir() else []
    seen: dict[str, int] = {}
    options = []
    for path in files:
        name = client_name_of(path)
        seen[name] = seen.get(name, 0) + 1
        label = name if seen[name] == 1 else words.CLIENT_AGAIN.format(name=name, n=seen[name])
        options.append((label, str(path.resolve())))
    return [*options, (NEW_CLIENT, "")]


class PresentExplorer(Explorer):
    """The explorer as present mode holds it: Export reports on the projector, in the
    client's words, with links the present server serves (voila_app's exports route);
    the drawer's picker names clients, not their files."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        form = self.form
        # The form asks client_files() again after each Save: the names must outlive it.
        form.client_files = lambda: client_options(form.clients_dir)
        self._loading = True  # relabelling the options is no pick
        try:
            chosen = form.picker.value
            form.picker.options = form.client_files()
            form.picker.value = chosen
        finally:
            self._loading = False

    def exported_html(self, files: dict[str, Path]) -> str:
        links = ", ".join(
            f'<a class="pf-export-{fmt}" href="{html.escape(export_url(path))}" '
            f'download="{html.escape(path.name)}">{html.escape(fmt.upper())}</a>'
            for fmt, path in files.items()
        )
        return words.BRIEF_READY.format(links=links)

    def export(
        self,
        as_of: dt.date | None = None,
        confirm: bool = False,
        formats: tuple[str, ...] = DEFAULT_FORMATS,
    ) -> dict[str, Path] | None:
        """Export as the explorer does, in one click: in the meeting the consultant's click is
        the answer, so today's brief from the entries on screen replaces an earlier one (the
        explorer asks first; here a question would read as a failure on the projector). A
        failure's details (they may hold a path) go to the drawer's status, the consultant's,
        and the projector says only that it failed."""
        if self.valid:
            self._pending_export = self.planned_brief(as_of, formats)
        files = super().export(as_of, confirm=True, formats=formats)
        if files is None and self.valid:
            self.form.status.value = self.export_status.value
            self.export_status.value = f"<span class='pf-error'>{words.BRIEF_FAILED}</span>"
        return files


class Presentation:
    """One client's scenario, laid out for a projector and stepped through in the meeting.

    It holds an ``Explorer`` (``self.explorer``): the explorer validates, models, saves and
    exports; this screen lays out the explorer's form and shows each result it reports.
    """

    def __init__(self, project: Project, scenario: Scenario, **kwargs) -> None:
        self._hold(PresentExplorer(project, scenario, **kwargs))

    @classmethod
    def from_file(cls, project: Project, path: str | Path, **kwargs) -> Presentation:
        """Present mode for a client's scenario file (its folder is the picker's)."""
        shown = cls.__new__(cls)
        shown._hold(PresentExplorer.from_file(project, path, **kwargs))
        return shown

    @classmethod
    def for_meeting(cls, project: Project | None = None, **kwargs) -> Presentation:
        """Present mode as ``pilotfunnel present [SCENARIO.yaml]`` opens it: on the client
        the command was given (passed in SCENARIO_ENV, checked again here), else the demo."""
        # run's own: the server's checks, not the server (nothing of Voila loads here)
        from pilotfunnel.ui.present.server import SCENARIO_ENV, meeting_scenario

        project = project or Project.load()
        given = os.environ.get(SCENARIO_ENV)
        path = meeting_scenario(project, Path(given) if given else None)
        return cls.from_file(project, path, **kwargs)

    def _hold(self, explorer: Explorer) -> None:
        self.explorer = explorer
        self.brand = explorer.brand
        self._widget: w.Widget | None = None
        self._build()
        explorer.on_result(self._show)
        explorer.on_invalid(self._show_stale)
        if explorer.valid:
            self._show(explorer.context)

    @property
    def scenario(self) -> Scenario | None:
        """The scenario the explorer last modelled."""
        return self.explorer.scenario

    @property
    def result(self) -> funnel.Result | None:
        """The explorer's model result, the one on screen."""
        return self.explorer.result

    @property
    def context(self) -> BriefContext | None:
        """The brief's view model for the result on screen."""
        return self.explorer.context

    def _build(self) -> None:
        form = self.explorer.form
        self.header = w.HTML()
        self.header.add_class("pf-header")
        self.key_numbers = w.HTML()
        self.inputs_toggle = w.ToggleButton(
            value=False, description=msg.INPUTS, tooltip=words.INPUTS_TOOLTIP
        )
        self.inputs_toggle.add_class("pf-inputs-toggle")
        self.step_nav = testid(w.ToggleButtons(options=list(STEPS), value=STEPS[0]), "step-nav")
        self.step_nav.add_class("pf-step-nav")
        self.evidence = w.HTML()
        self.funnel_detail = w.HTML()
        self.stalling = w.HTML()
        self.practices = w.HTML()
        self.where_to_start = w.HTML()
        # Export's report, on the projector; Save's (a file's path) stays in the drawer.
        self.export_status = testid(w.HTML(), "export-status")
        self.export_status.add_class("pf-status")
        self.explorer.export_status = self.export_status
        self.steps = w.Stack(
            [
                w.VBox([self.evidence]),
                w.VBox([self.funnel_detail]),
                w.VBox([self.stalling]),
                w.VBox([self.practices]),
                w.VBox(
                    [self.where_to_start, w.HBox([form.export_button]), self.export_status],
                ),
            ],
            selected_index=0,
        )
        self.steps.add_class("pf-steps")
        # Each step's chart, beside it: what that step is about (figures.STEP_CHARTS).
        self.step_charts = [w.HTML() for _name in figures.STEP_CHARTS]
        self.charts = w.Stack(list(self.step_charts), selected_index=0)
        self.charts.add_class("pf-charts")
        # On the client's side, so a step and its chart show at once, without a round trip to
        # the kernel.
        w.jslink((self.step_nav, "index"), (self.steps, "selected_index"))
        w.jslink((self.step_nav, "index"), (self.charts, "selected_index"))
        self.inputs_toggle.observe(self._on_toggle_inputs, "value")
        # The page's heartbeat: it writes a number, the kernel echoes it. No echo while the
        # kernel is not busy means the kernel is gone (a restarted kernel has lost the widgets,
        # so it cannot answer either), and the page says so.
        self.heartbeat = w.IntText(value=0, layout=w.Layout(display="none"))
        self.heartbeat.add_class("pf-heartbeat")
        self.heartbeat_echo = w.HTML("0", layout=w.Layout(display="none"))
        self.heartbeat_echo.add_class("pf-heartbeat-echo")
        self.heartbeat.observe(self._on_heartbeat, "value")
        form.fit_width()  # the drawer is a narrow column: every label whole, never cut off
        self.drawer = testid(
            w.VBox(
                [
                    w.HTML(f"<h2>{words.INPUTS_HEADING}</h2>"),
                    *form.fields(stacked=True),
                    *(
                        w.VBox(
                            [
                                w.HTML(f"<h3>{_readiness_heading(which)}</h3>"),
                                *form.readiness(which, stacked=True),
                            ]
                        )
                        for which in ("as_is", "target")
                    ),
                    form.readiness_message,
                    w.HTML(f"<h3>{explorer_words.RECORD_SO_FAR}</h3>"),
                    *form.record_fields(stacked=True),
                    w.HBox([form.save_button, form.confirm_button]),
                    form.status,
                ],
                layout=w.Layout(display="none"),
            ),
            "inputs",
        )
        self.drawer.add_class("pf-drawer")
        self.story = w.VBox([self.steps])
        self.story.add_class("pf-story")

    def _on_heartbeat(self, change) -> None:
        self.heartbeat_echo.value = str(change["new"])

    def _on_toggle_inputs(self, change) -> None:
        # Open, the drawer comes in beside the chart it moves; the story stays where it is
        # (the page closes the drawer on Escape: share/.../present.js).
        self.drawer.layout.display = "flex" if change["new"] else "none"

    @property
    def widget(self) -> w.Widget:
        """The whole present mode, ready to display."""
        if self._widget is not None:
            return self._widget
        # Not a scroll box: the chart fits its column, and a scroll box must take the focus.
        figure = w.VBox([self.charts], layout=w.Layout(overflow="hidden"))
        figure.add_class("pf-figure")
        top = w.HBox([self.header, self.inputs_toggle])
        top.add_class("pf-top")
        body = w.HBox([self.drawer, figure, self.story])
        body.add_class("pf-body")
        # The step buttons on their own row, the page's width: one row at 1280 x 720, and
        # still there while the drawer is open.
        page = w.VBox(
            [top, self.key_numbers, self.step_nav, body, self.heartbeat, self.heartbeat_echo]
        )
        page.add_class("pf-present")
        self._widget = page
        return page

    def _ipython_display_(self) -> None:
        display(self.widget)

    # --- what the screen shows: the explorer's view model, as ui/present/panels draws it ------
    def results_shown(self) -> tuple[w.Widget, ...]:
        """Every part of the screen showing a result: greyed out together while an entry in
        the drawer is invalid, so no old figure reads as current on the projector."""
        panes = (self.evidence, self.funnel_detail, self.stalling, self.practices)
        return (self.key_numbers, *panes, self.where_to_start, *self.step_charts)

    def _show_stale(self) -> None:
        for shown in self.results_shown():
            shown.add_class("pf-stale")

    def _show(self, ctx: BriefContext) -> None:
        for shown in self.results_shown():
            shown.remove_class("pf-stale")
        self.header.value = panels.header_html(ctx)
        self.key_numbers.value = panels.key_numbers_html(ctx)
        self.evidence.value = panels.evidence_html(ctx)
        self.funnel_detail.value = panels.funnel_html(ctx)
        self.stalling.value = panels.stalling_html(ctx)
        self.practices.value = panels.practices_html(ctx)
        self.where_to_start.value = panels.where_to_start_html(ctx)
        # Each step's chart, drawn for the room (the explorer's own is drawn for a lab page).
        shown = [item.source_id for item in panels.shown_evidence(ctx)]
        # The chart on screen first: each is sent to the page as soon as it is drawn.
        for index, chart in figures.step_charts(ctx, shown, first=self.step_nav.index or 0):
            self.step_charts[index].value = chart
