"""The explorer's widgets and their layout, as one object the explorer and present mode hold.

Kept apart so that the explorer's logic (state, model, actions) reads on its own. The form
builds its widgets and lays them out; it wires no behaviour: ``explorer.Explorer`` observes
``entries()`` and the buttons, and present mode lays out the same parts its own way
(``fields``, ``readiness``, ``record_fields``) from the form's public attributes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ipywidgets as w

from pilotfunnel.inputs.assumptions import DRIVERS, Assumptions
from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.inputs.scenario import CURRENCIES
from pilotfunnel.views import messages as msg
from pilotfunnel.views.messages import explorer as words
from pilotfunnel.views.theme import css

NEW_CLIENT = words.NEW_CLIENT
MONEY_FIELDS = {
    "cost_per_poc": (words.COST_PER_POC, "costs.per_poc"),
    "cost_to_production": (words.COST_TO_PRODUCTION, "costs.to_production"),
    "annual_value_per_use_case": (msg.ANNUAL_VALUE, "annual_value_per_use_case"),
}
# The client's record: widget key -> (label, field in the scenario's record block).
RECORD_FIELDS = {
    "period": (words.RECORD_PERIOD, "record.period"),
    "pocs_started": (words.RECORD_STARTED, "record.pocs_started"),
    "reached_production": (words.RECORD_REACHED, "record.reached_production"),
    "with_measurable_impact": (words.RECORD_IMPACT, "record.with_measurable_impact"),
}
# A slider's label column: the longest driver label ("Wired into real systems") whole.
SLIDER_LABEL_WIDTH = "13em"
# Each column's height: JupyterLab's notebook area less the explorer's heading and actions
# (and the lab's own bars), so both columns fit the window and scroll within it.
COLUMN_HEIGHT = "max(24em, calc(100vh - 17em))"
READINESS_TITLES = {"as_is": msg.AS_IS, "target": words.TARGET_FIVE_PRACTICES}
EXPLORER_CSS = """
.pf-key-numbers { border-collapse: collapse; margin: 0.5em 0; }
.pf-key-numbers th, .pf-key-numbers td { padding: 0.3em 1em 0.3em 0; text-align: left;
  border-bottom: 1px solid var(--pf-light); font-variant-numeric: tabular-nums; }
.pf-key-numbers td[class^="pf-"] { font-weight: 700; font-size: 1.1em; }
.pf-headline { display: flex; gap: 1.5em; margin: 0.5em 0; }
.pf-headline-item { flex: 1; }
.pf-headline-item p { margin: 0.2em 0; }
.pf-headline-value { font-size: 1.8em; font-weight: 700; }
.pf-headline-item.pf-danger .pf-headline-value { color: var(--pf-danger); }
.pf-headline-item.pf-success .pf-headline-value { color: var(--pf-success); }
.pf-status a { margin-right: 1em; }
.pf-error { color: var(--pf-danger); }
.pf-stale { opacity: 0.3; filter: grayscale(1); pointer-events: none; user-select: none; }
.pf-explorer-columns { gap: 0 2em; align-items: flex-start; }
.pf-explorer-inputs, .pf-explorer-results { overflow-y: auto; box-sizing: border-box; }
.pf-explorer-inputs { padding-right: 0.5em; }
.pf-explorer-columns .widget-box > * { flex-shrink: 0; }
.pf-explorer-columns .widget-html > .widget-html-content { line-height: 1.4; height: auto; }
.pf-explorer-inputs .widget-text, .pf-explorer-inputs .widget-dropdown {
  flex-direction: column; align-items: stretch; height: auto; }
.pf-explorer-inputs .widget-text > .widget-label,
.pf-explorer-inputs .widget-dropdown > .widget-label {
  text-align: left; width: auto; height: auto; line-height: 1.6; white-space: normal; }
.pf-explorer-inputs .widget-text > input, .pf-explorer-inputs .widget-dropdown > select {
  height: var(--jp-widgets-inline-height, 28px); flex: 0 0 auto; }
.pf-explorer-inputs .widget-slider > .widget-label {
  text-align: left; white-space: normal; line-height: 1.2; }
"""


class ExplorerForm:
    """The explorer's widgets (as public attributes) and the explorer's own layout of them."""

    def __init__(self, assumptions: Assumptions, brand: Brand, clients_dir: Path) -> None:
        self.assumptions = assumptions
        self.brand = brand
        self.clients_dir = clients_dir
        # Labels above their boxes in the explorer's inputs column (EXPLORER_CSS), each whole:
        # the label takes its own width and the box stretches to the column's, margins
        # included (a width of 100% plus the widget's margin would cut its right edge off).
        style = {"description_width": "initial"}
        layout = w.Layout(width="auto")
        self.picker = w.Dropdown(
            description=words.CLIENT_FILE, options=self.client_files(), style=style, layout=layout
        )
        self.client = w.Text(description=msg.CLIENT, style=style, layout=layout)
        self.prepared_by = w.Text(description=msg.PREPARED_BY, style=style, layout=layout)
        self.currency = w.Dropdown(
            description=msg.CURRENCY, options=list(CURRENCIES), style=style, layout=layout
        )
        self.pocs = w.Text(description=words.POCS_PER_YEAR, style=style, layout=layout)
        self.pocs.add_class("pf-pocs")
        self.horizon = w.IntSlider(
            description=msg.HORIZON,
            min=1,
            max=10,
            style={"description_width": SLIDER_LABEL_WIDTH},
            layout=w.Layout(width="100%"),
        )
        self.money = {
            key: w.Text(description=label, style=style, layout=layout)
            for key, (label, _) in MONEY_FIELDS.items()
        }
        self.record = {
            key: w.Text(
                description=label,
                placeholder=words.OPTIONAL if key in ("period", "with_measurable_impact") else "",
                style=style,
                layout=layout,
            )
            for key, (label, _) in RECORD_FIELDS.items()
        }
        for key, field in self.record.items():
            field.add_class(f"pf-record-{key}")
        self.messages = {
            key: w.HTML(layout=w.Layout(margin="0 0 0 1em"))
            for key in ("client", "pocs_per_year", *MONEY_FIELDS, *RECORD_FIELDS)
        }
        # The three headline numbers, first in the results (the brief's own, ctx.headline).
        self.headline = w.HTML()
        self.headline.add_class("pf-headline-box")
        self.record_line = w.HTML()
        self.record_line.add_class("pf-record")
        # The consultant's own next step about the record: the explorer's, never a client's.
        self.advice = w.HTML()
        self.advice.add_class("pf-advice")
        self.sliders: dict[str, dict[str, w.IntSlider]] = {"as_is": {}, "target": {}}
        self.level_text: dict[str, dict[str, w.HTML]] = {"as_is": {}, "target": {}}
        for which in ("as_is", "target"):
            for driver in DRIVERS:
                label = assumptions.drivers[driver].label
                self.sliders[which][driver] = w.IntSlider(
                    description=label,
                    min=0,
                    max=4,
                    continuous_update=False,
                    style={"description_width": SLIDER_LABEL_WIDTH},
                    layout=w.Layout(width="100%"),
                )
                self.sliders[which][driver].add_class(f"pf-{which}-{driver}")
                self.level_text[which][driver] = w.HTML(
                    layout=w.Layout(width="100%", margin="0 0 0.6em 0")
                )
        self.readiness_message = w.HTML()
        self.numbers = w.HTML()
        self.numbers.add_class("pf-numbers")
        # An <img> with the chart's alt text (an Image widget has no alt, so screen readers
        # would meet an unnamed picture).
        self.chart = w.HTML(layout=w.Layout(width="100%", max_width="760px"))
        self.chart.add_class("pf-chart")
        self.ranking = w.HTML()
        # Over the results while an entry is invalid (they are greyed out: see results_shown).
        self.invalid_note = w.HTML(layout=w.Layout(display="none"))
        self.invalid_note.add_class("pf-invalid-note")
        self.save_button = w.Button(description=words.SAVE, icon="save")
        self.confirm_button = w.Button(
            description=words.CONFIRM_OVERWRITE,
            button_style="warning",
            layout=w.Layout(display="none"),
        )
        self.export_button = w.Button(
            description=words.EXPORT, button_style="primary", icon="file-pdf-o"
        )
        # Beside Export brief: the same client as the kit's deck (PPTX).
        self.export_deck_button = w.Button(
            description=words.EXPORT_DECK, button_style="primary", icon="file-powerpoint-o"
        )
        self.export_deck_button.add_class("pf-export-deck")
        # Export's own confirmation, and its offer to save unsaved entries first.
        self.confirm_export_button = w.Button(
            description=words.CONFIRM_EXPORT,
            button_style="warning",
            layout=w.Layout(display="none"),
        )
        self.save_export_button = w.Button(
            description=words.SAVE_AND_EXPORT, icon="save", layout=w.Layout(display="none")
        )
        self.status = w.HTML()
        self.status.add_class("pf-status")

    # --- the parts, for whoever observes or lays them out ---------------------------------
    def entries(self) -> Iterator[w.ValueWidget]:
        """Every widget whose value is part of the scenario (the picker aside)."""
        yield from (self.client, self.prepared_by, self.currency, self.pocs, self.horizon)
        yield from self.money.values()
        yield from self.record.values()
        for sliders in self.sliders.values():
            yield from sliders.values()

    def results_shown(self) -> tuple[w.HTML, ...]:
        """Every widget showing a result: all are greyed out together while an entry is invalid,
        so no old figure reads as current."""
        return (
            self.headline,
            self.record_line,
            self.advice,
            self.numbers,
            self.chart,
            self.ranking,
        )

    def client_files(self) -> list[tuple[str, str]]:
        """The picker's options: the clients folder's scenario files, then a new client."""
        folder = self.clients_dir
        files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        return [(p.name, str(p.resolve())) for p in files] + [(NEW_CLIENT, "")]

    def fields(self, stacked: bool = False) -> list[w.Widget]:
        """The scenario's own fields, each with its message beside it (or under it, stacked)."""
        return [
            self.picker,
            self._field("client", self.client, stacked),
            self.prepared_by,
            self.currency,
            self._field("pocs_per_year", self.pocs, stacked),
            self.horizon,
            *(self._field(key, self.money[key], stacked) for key in MONEY_FIELDS),
        ]

    def readiness(self, which: str, stacked: bool = False) -> list[w.Widget]:
        """One outcome's sliders, each with its level in words beside it (or under it)."""
        box = w.VBox if stacked else w.HBox
        return [box([self.sliders[which][d], self.level_text[which][d]]) for d in DRIVERS]

    def record_fields(self, stacked: bool = False) -> list[w.Widget]:
        """The record's fields, each with its message."""
        return [self._field(key, self.record[key], stacked) for key in RECORD_FIELDS]

    def fit_width(self) -> None:
        """Widen every field to its column, each label shown whole (for a narrow drawer)."""
        texts = (self.client, self.prepared_by, self.currency, self.pocs, self.horizon)
        for field in (self.picker, *texts, *self.money.values(), *self.record.values()):
            field.style.description_width = "initial"
            field.layout.width = "100%"
        for sliders in self.sliders.values():
            for slider in sliders.values():
                slider.style.description_width = "11em"
                slider.layout.width = "100%"
        for texts in self.level_text.values():
            for text in texts.values():
                text.layout.width = "100%"

    def _field(self, key: str, widget: w.Widget, stacked: bool) -> w.Widget:
        return (w.VBox if stacked else w.HBox)([widget, self.messages[key]])

    # --- the explorer's own layout ---------------------------------------------------------
    def inputs_column(self) -> w.VBox:
        """The inputs, one column: the client's fields, the readiness sliders (each level in
        words under its slider), the record. It scrolls on its own, beside the results."""
        readiness = [
            w.HTML(f"<h3>{words.READINESS_HEADING}</h3>"),
            *(
                w.VBox(
                    [
                        w.HTML(f"<b>{READINESS_TITLES[which]}</b>"),
                        *self.readiness(which, stacked=True),
                    ]
                )
                for which in ("as_is", "target")
            ),
            self.readiness_message,
        ]
        record = [
            w.HTML(f"<h3>{words.RECORD_SO_FAR}</h3><p><small>{words.RECORD_HELP}</small></p>"),
            *self.record_fields(stacked=True),
        ]
        column = w.VBox(
            [w.HTML(f"<h3>{msg.INPUTS}</h3>"), *self.fields(stacked=True), *readiness, *record],
            layout=w.Layout(flex="2 1 22em", min_width="0", max_height=COLUMN_HEIGHT),
        )
        column.add_class("pf-explorer-inputs")
        return column

    def results_column(self) -> w.VBox:
        """The results, one column opening with the headline (the note over it shows only
        while an entry is invalid); it scrolls on its own, beside the inputs."""
        column = w.VBox(
            [self.invalid_note, *self.results_shown()],
            layout=w.Layout(flex="3 1 28em", min_width="0", max_height=COLUMN_HEIGHT),
        )
        column.add_class("pf-explorer-results")
        return column

    @property
    def widget(self) -> w.Widget:
        """The whole explorer, ready to display: the actions on top, then the inputs beside
        the results (a slider and the numbers it moves on screen together); when the output
        is too narrow for both, the results wrap below the inputs."""
        actions = w.HBox(
            [
                self.save_button,
                self.confirm_button,
                self.export_button,
                self.export_deck_button,
                self.confirm_export_button,
                self.save_export_button,
            ],
            layout=w.Layout(flex_flow="row wrap"),
        )
        columns = w.Box(
            [self.inputs_column(), self.results_column()],
            layout=w.Layout(display="flex", flex_flow="row wrap", width="100%"),
        )
        columns.add_class("pf-explorer-columns")
        return w.VBox(
            [
                w.HTML(
                    f"<style>{css.css_variables(self.brand)}{EXPLORER_CSS}</style>"
                    f"<h2>{words.EXPLORER_HEADING}</h2>"
                ),
                actions,
                self.status,
                columns,
            ]
        )
