"""The meeting's present mode: the explorer laid out as one screen with a story to step through.

Served by Voila (``pilotfunnel present``) in the kit's own template (share/voila/templates/
pilotfunnel), which gives the page its branded frame, loading state and keyboard steps. This
module builds what goes inside: the client's name, the brief's three key numbers, the funnel
chart, the four story steps and the inputs drawer. The behaviour (validation, the model, save
and export) is the explorer's own, so present mode and the lab notebook cannot drift apart.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w
from IPython.display import display

from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import Scenario
from pilotfunnel.inputs.sources.load import Source
from pilotfunnel.model import funnel
from pilotfunnel.ui.explorer.explorer import Explorer
from pilotfunnel.ui.explorer.form import READINESS_TITLES
from pilotfunnel.views import messages as msg
from pilotfunnel.views.context import BriefContext
from pilotfunnel.views.formatting import count, money, rate
from pilotfunnel.views.theme import css

STEPS = (
    "1 The evidence",
    "2 Your funnel today",
    f"3 {msg.PRACTICES_HEADING}",
    f"4 {msg.WHERE_TO_START}",
)
# Cited statistics on the evidence step: the two the kit is built around, then the other
# verified ones, as many as fit one screen at 1280 x 720.
EVIDENCE_FIRST = ("mit-nanda-2025-no-pnl-return", "idc-2025-poc-to-production")
EVIDENCE_SHOWN = 4


def testid(widget: w.Widget, name: str) -> w.Widget:
    """Mark a widget for tests; the template turns the class into a data-testid attribute."""
    widget.add_class(f"pf-testid-{name}")
    return widget


class Presentation:
    """One client's scenario, laid out for a projector and stepped through in the meeting.

    It holds an ``Explorer`` (``self.explorer``): the explorer validates, models, saves and
    exports; this screen lays out the explorer's form and shows each result it reports.
    """

    def __init__(self, project: Project, scenario: Scenario, **kwargs) -> None:
        self._hold(Explorer(project, scenario, **kwargs))

    @classmethod
    def from_file(cls, project: Project, path: str | Path, **kwargs) -> Presentation:
        """Present mode for a client's scenario file (its folder is the picker's)."""
        shown = cls.__new__(cls)
        shown._hold(Explorer.from_file(project, path, **kwargs))
        return shown

    def _hold(self, explorer: Explorer) -> None:
        self.explorer = explorer
        self.brand = explorer.brand
        self._widget: w.Widget | None = None
        self._build()
        explorer.on_result(self._show)
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
            value=False, description="Inputs", tooltip="Show or hide the client's inputs"
        )
        self.inputs_toggle.add_class("pf-inputs-toggle")
        self.step_nav = testid(w.ToggleButtons(options=list(STEPS), value=STEPS[0]), "step-nav")
        self.step_nav.add_class("pf-step-nav")
        self.evidence = w.HTML(self._evidence_html())
        self.funnel_detail = w.HTML()
        self.practices = w.HTML()
        self.where_to_start = w.HTML()
        self.steps = w.Stack(
            [
                w.VBox([self.evidence]),
                w.VBox([form.record_line, self.funnel_detail]),
                w.VBox([self.practices]),
                w.VBox(
                    [self.where_to_start, w.HBox([form.export_button]), form.status],
                ),
            ],
            selected_index=0,
        )
        self.steps.add_class("pf-steps")
        # On the client's side, so a step shows at once, without a round trip to the kernel.
        w.jslink((self.step_nav, "index"), (self.steps, "selected_index"))
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
                    w.HTML("<h2>The client's inputs</h2>"),
                    *form.fields(stacked=True),
                    *(
                        w.VBox(
                            [
                                w.HTML(f"<h3>Readiness {READINESS_TITLES[which].lower()}</h3>"),
                                *form.readiness(which, stacked=True),
                            ]
                        )
                        for which in ("as_is", "target")
                    ),
                    form.readiness_message,
                    w.HTML("<h3>The client's record so far (optional)</h3>"),
                    *form.record_fields(stacked=True),
                    w.HBox([form.save_button, form.confirm_button]),
                ],
                layout=w.Layout(display="none"),
            ),
            "inputs",
        )
        self.drawer.add_class("pf-drawer")
        self.story = w.VBox([self.step_nav, self.steps])
        self.story.add_class("pf-story")

    def _on_heartbeat(self, change) -> None:
        self.heartbeat_echo.value = str(change["new"])

    def _on_toggle_inputs(self, change) -> None:
        # Open, the inputs take the story's place, so the chart they move stays in view.
        self.drawer.layout.display = "flex" if change["new"] else "none"
        self.story.layout.display = "none" if change["new"] else "flex"

    @property
    def widget(self) -> w.Widget:
        """The whole present mode, ready to display."""
        if self._widget is not None:
            return self._widget
        # Not a scroll box: the chart fits its column, and a scroll box must take the focus.
        figure = w.VBox([self.explorer.form.chart], layout=w.Layout(overflow="hidden"))
        figure.add_class("pf-figure")
        top = w.HBox([self.header, self.inputs_toggle])
        top.add_class("pf-top")
        body = w.HBox([self.drawer, figure, self.story])
        body.add_class("pf-body")
        page = w.VBox([top, self.key_numbers, body, self.heartbeat, self.heartbeat_echo])
        page.add_class("pf-present")
        self._widget = page
        return page

    def _ipython_display_(self) -> None:
        display(self.widget)

    # --- what the screen shows -----------------------------------------------------------
    def _show(self, ctx: BriefContext) -> None:
        r, s = ctx.result, ctx.scenario
        a, t = r.as_is, r.target
        c = s.currency
        pocs = s.pocs_per_year * s.horizon_years
        modelled = (
            "Modelled, calibrated to the client&#x27;s record" if r.calibrated else "Modelled"
        )
        logo = css.logo_data_uri(self.brand)
        self.header.value = (
            f'<div class="pf-brand"><img data-testid="brand-logo" src="{logo}"'
            f' alt="{html.escape(self.brand.name)}"></div>'
            f'<h1 class="pf-client">{html.escape(s.client)}</h1>'
        )
        value_gain = t["value"].expected - a["value"].expected
        self.key_numbers.value = (
            '<div class="pf-kpis" data-testid="key-numbers">'
            f'<div class="pf-kpi"><p class="pf-kpi-value"><span class="pf-asis-production-kpi">'
            f"{count(a['production'].expected)}</span> <small>of {pocs}</small></p>"
            f"<p>{msg.KPI_PRODUCTION.format(years=s.horizon_years)}</p>"
            f"<p class='pf-kpi-range'>{modelled}; P10 to P90: "
            f"{count(a['production'].p10)} to {count(a['production'].p90)}</p></div>"
            f'<div class="pf-kpi pf-danger"><p class="pf-kpi-value">'
            f"{money(a['stalled_spend'].expected, c)}</p><p>{msg.KPI_STALLED}</p>"
            f"<p class='pf-kpi-range'>{modelled}; P10 to P90: "
            f"{money(a['stalled_spend'].p10, c)} to {money(a['stalled_spend'].p90, c)}</p></div>"
            f'<div class="pf-kpi pf-success"><p class="pf-kpi-value">+{money(value_gain, c)}</p>'
            f"<p>{msg.MORE_VALUE}</p><p class='pf-kpi-range'>"
            f"{modelled}; value at target P10 to P90: {money(t['value'].p10, c)} to "
            f"{money(t['value'].p90, c)}</p></div></div>"
        )
        self.funnel_detail.value = _record_table(r) + self.explorer.form.numbers.value
        self.practices.value = self._practices_html()
        self.where_to_start.value = _where_to_start_html(ctx)

    def _practices_html(self) -> str:
        r, s = self.result, self.scenario
        raised = [e for e in r.sensitivity if e.to_level > e.from_level]
        largest = max((e.production_gain for e in raised), default=0) or 1
        rows = "".join(
            f"<li><span class='pf-bar-label'><b>{html.escape(r.driver_label(e.driver))}</b> "
            f"{e.from_level} to {e.to_level}</span><span class='pf-bar' style='width: "
            f"{max(e.production_gain / largest, 0.02) * 100:.0f}%'></span><span>"
            f"+{count(e.production_gain)} in production, +{money(e.value_gain, s.currency)}"
            "</span></li>"
            for e in raised
        )
        a, t = r.as_is, r.target
        return (
            f"<h2>{msg.PRACTICES_HEADING}</h2>"
            f"<p>From {count(a['production'].expected)} to {count(t['production'].expected)} "
            "proofs of concept in production over "
            f"{s.horizon_years} years, and from {money(a['value'].expected, s.currency)} to "
            f"{money(t['value'].expected, s.currency)} of value (modelled).</p>"
            "<h3>Each practice raised alone, as is to target</h3>"
            f"<ol class='pf-bars'>{rows or '<li>The target equals as is.</li>'}</ol>"
        )

    def _evidence_html(self) -> str:
        shown = _evidence_sources(list(self.explorer.project.sources))
        cards = "".join(_evidence_card(source) for source in shown)
        return (
            '<section class="pf-evidence" data-testid="evidence">'
            f"<h2>{msg.EVIDENCE_HEADING}</h2>"
            f'<div class="pf-cards">{cards}</div><p class="pf-note">The causes are rarely the '
            "model: pilots never touch real systems, the data is not ready, no outcome is "
            "defined, no one owns them, or they break at volume. Sources in full: the brief's "
            "appendix.</p></section>"
        )


def _where_to_start_html(ctx: BriefContext) -> str:
    # The brief's next steps (BriefContext.next_steps), under the story's own heading.
    items = "".join(
        f"<li><strong>{html.escape(s.title)}</strong> {html.escape(s.text)}</li>"
        for s in ctx.next_steps
    )
    return f'<section class="next"><h2>{msg.WHERE_TO_START}</h2><ol>{items}</ol></section>'


def _record_table(result) -> str:
    """The client's record beside the research, step by step (empty without a record)."""
    if not result.calibrated:
        return ""
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(step.label)}</th><td>"
        + (
            "not recorded"
            if step.trials is None
            else f"{step.successes} of {step.trials} ({rate(step.observed_rate)})"
        )
        + f"</td><td>{rate(step.prior_rate)}</td><td>{rate(step.calibrated.mean)} "
        f"({rate(step.calibrated.p10)} to {rate(step.calibrated.p90)})</td></tr>"
        for step in result.calibration
    )
    return (
        "<table class='pf-key-numbers pf-record-table'><tr><th scope='col'>Step, as is</th>"
        "<th scope='col'>Your record</th><th scope='col'>Research at your readiness</th>"
        f"<th scope='col'>Calibrated (P10 to P90)</th></tr>{rows}</table>"
    )


def _evidence_sources(sources: list[Source]) -> list[Source]:
    by_id = {s.id: s for s in sources}
    first = [by_id[i] for i in EVIDENCE_FIRST if i in by_id]
    rest = [s for s in sources if s.evidence == "verified" and s not in first]
    return (first + rest)[:EVIDENCE_SHOWN]


def _evidence_card(source: Source) -> str:
    return (
        f'<div class="pf-card"><p class="pf-card-value">{html.escape(source.value_text)}</p>'
        f"<p>{html.escape(source.statistic)}</p><p class='pf-source'>"
        f"{html.escape(source.publisher)}, {source.published.year}</p>"
        f"<details><summary>Their words</summary><q>{html.escape(source.quote)}</q></details>"
        "</div>"
    )
