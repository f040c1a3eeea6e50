"""The explorer's widgets and their layout; ``explorer.Explorer`` gives them behaviour.

Kept apart so that the explorer's logic (state, model, actions) reads on its own. The
callbacks wired here (``_on_pick``, ``_on_change``, ``save``, ``export``) are the explorer's.
"""

from __future__ import annotations

import ipywidgets as w

from pilotfunnel.inputs.assumptions import DRIVERS
from pilotfunnel.inputs.scenario import CURRENCIES
from pilotfunnel.views import messages as msg

NEW_CLIENT = "New client"
MONEY_FIELDS = {
    "cost_per_poc": ("Cost per proof of concept", "costs.per_poc"),
    "cost_to_production": ("Cost to take one to production", "costs.to_production"),
    "annual_value_per_use_case": (
        "Yearly value of a use case with impact",
        "annual_value_per_use_case",
    ),
}
# The client's record: widget key -> (label, field in the scenario's record block).
RECORD_FIELDS = {
    "period": ("Period (free text)", "record.period"),
    "pocs_started": ("Proofs of concept started", "record.pocs_started"),
    "reached_production": ("Of those, reached production", "record.reached_production"),
    "with_measurable_impact": (
        "Of those, with measurable impact",
        "record.with_measurable_impact",
    ),
}
READINESS_TITLES = {"as_is": msg.AS_IS, "target": msg.TARGET_FIVE_PRACTICES}
EXPLORER_CSS = """
.pf-key-numbers { border-collapse: collapse; margin: 0.5em 0; }
.pf-key-numbers th, .pf-key-numbers td { padding: 0.3em 1em 0.3em 0; text-align: left;
  border-bottom: 1px solid var(--pf-light); font-variant-numeric: tabular-nums; }
.pf-key-numbers td[class^="pf-"] { font-weight: 700; font-size: 1.1em; }
.pf-status a { margin-right: 1em; }
.pf-error { color: var(--pf-danger); }
"""


class ExplorerForm:
    """Builds the widgets (as attributes) and lays them out as one displayable form.

    A subclass sets ``assumptions``, ``brand`` and ``clients_dir`` before calling ``_build``.
    """

    def _build(self) -> None:
        style = {"description_width": "16em"}
        layout = w.Layout(width="36em")
        self.picker = w.Dropdown(
            description="Client file", options=self._client_files(), style=style, layout=layout
        )
        self.client = w.Text(description="Client", style=style, layout=layout)
        self.prepared_by = w.Text(description="Prepared by", style=style, layout=layout)
        self.currency = w.Dropdown(
            description="Currency", options=list(CURRENCIES), style=style, layout=layout
        )
        self.pocs = w.Text(description="Proofs of concept a year", style=style, layout=layout)
        self.pocs.add_class("pf-pocs")
        self.horizon = w.IntSlider(
            description="Horizon (years)", min=1, max=10, style=style, layout=layout
        )
        self.money = {
            key: w.Text(description=label, style=style, layout=layout)
            for key, (label, _) in MONEY_FIELDS.items()
        }
        self.record = {
            key: w.Text(
                description=label,
                placeholder="optional" if key in ("period", "with_measurable_impact") else "",
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
        self.record_line = w.HTML()
        self.record_line.add_class("pf-record")
        # The consultant's own next step about the record: the explorer's, never a client's.
        self.advice = w.HTML()
        self.advice.add_class("pf-advice")
        self.sliders: dict[str, dict[str, w.IntSlider]] = {"as_is": {}, "target": {}}
        self.level_text: dict[str, dict[str, w.HTML]] = {"as_is": {}, "target": {}}
        for which in ("as_is", "target"):
            for driver in DRIVERS:
                label = self.assumptions.drivers[driver].label
                self.sliders[which][driver] = w.IntSlider(
                    description=label,
                    min=0,
                    max=4,
                    continuous_update=False,
                    style={"description_width": "13em"},
                    layout=w.Layout(width="30em"),
                )
                self.sliders[which][driver].add_class(f"pf-{which}-{driver}")
                self.level_text[which][driver] = w.HTML(layout=w.Layout(width="34em"))
        self.readiness_message = w.HTML()
        self.numbers = w.HTML()
        self.numbers.add_class("pf-numbers")
        # An <img> with the chart's alt text (an Image widget has no alt, so screen readers
        # would meet an unnamed picture).
        self.chart = w.HTML(layout=w.Layout(width="100%", max_width="760px"))
        self.chart.add_class("pf-chart")
        self.ranking = w.HTML()
        self.save_button = w.Button(description="Save scenario", icon="save")
        self.confirm_button = w.Button(
            description="Confirm overwrite", button_style="warning", layout=w.Layout(display="none")
        )
        self.export_button = w.Button(
            description="Export brief", button_style="primary", icon="file-pdf-o"
        )
        self.status = w.HTML()
        self.status.add_class("pf-status")

        self.picker.observe(self._on_pick, "value")
        for widget in (
            self.client,
            self.prepared_by,
            self.currency,
            self.pocs,
            self.horizon,
            *self.money.values(),
            *self.record.values(),
        ):
            widget.observe(self._on_change, "value")
        for which in self.sliders.values():
            for slider in which.values():
                slider.observe(self._on_change, "value")
        self.save_button.on_click(lambda _: self.save())
        self.confirm_button.on_click(lambda _: self.save(confirm=True))
        self.export_button.on_click(lambda _: self.export())

    def _client_files(self) -> list[tuple[str, str]]:
        files = sorted(self.clients_dir.glob("*.yaml")) if self.clients_dir.is_dir() else []
        return [(p.name, str(p.resolve())) for p in files] + [(NEW_CLIENT, "")]

    @property
    def widget(self) -> w.Widget:
        """The whole explorer, ready to display."""

        def field(key, widget):
            return w.HBox([widget, self.messages[key]])

        inputs = w.VBox(
            [
                self.picker,
                field("client", self.client),
                self.prepared_by,
                self.currency,
                field("pocs_per_year", self.pocs),
                self.horizon,
                *(field(key, self.money[key]) for key in MONEY_FIELDS),
            ]
        )
        readiness = w.VBox(
            [
                w.HTML("<h3>Readiness: 0 absent, 2 industry typical, 4 fully in place</h3>"),
                *(
                    w.VBox(
                        [
                            w.HTML(f"<b>{READINESS_TITLES[which]}</b>"),
                            *(
                                w.HBox([self.sliders[which][d], self.level_text[which][d]])
                                for d in DRIVERS
                            ),
                        ]
                    )
                    for which in ("as_is", "target")
                ),
                self.readiness_message,
            ]
        )
        record = w.VBox(
            [
                w.HTML(
                    "<h3>The client's record so far (optional)</h3><p><small>Pilots already "
                    "run: the model calibrates its rates to them. Leave the counts empty to "
                    "model from readiness alone.</small></p>"
                ),
                *(field(key, self.record[key]) for key in RECORD_FIELDS),
            ]
        )
        results = w.VBox([self.record_line, self.advice, self.numbers, self.chart, self.ranking])
        actions = w.HBox([self.save_button, self.confirm_button, self.export_button])
        return w.VBox(
            [
                w.HTML(
                    f"<style>{self.brand.css_variables()}{EXPLORER_CSS}</style>"
                    "<h2>Client explorer</h2>"
                ),
                inputs,
                readiness,
                record,
                w.HTML("<h3>Results (modelled)</h3>"),
                results,
                actions,
                self.status,
            ]
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
