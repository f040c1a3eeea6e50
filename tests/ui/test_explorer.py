"""The explorer's callbacks without a browser: set widget values in Python, read the outputs."""

import html
import shutil
import types

import pytest
import yaml

from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario
from pilotfunnel.model import funnel
from pilotfunnel.ui.explorer import explorer as explorer_module
from pilotfunnel.ui.explorer.explorer import Explorer
from pilotfunnel.ui.present.screen import Presentation
from pilotfunnel.views.formatting import count
from pilotfunnel.views.record import record_advice

from ..conftest import ROOT


@pytest.fixture
def explorer(tmp_path):
    clients = tmp_path / "clients"
    clients.mkdir()
    shutil.copy(ROOT / "data" / "clients" / "demo.yaml", clients / "demo.yaml")
    project = Project.load(ROOT)
    return Explorer.from_file(project, clients / "demo.yaml", exports_dir=tmp_path / "exports")


def shown(explorer, css_class: str) -> str:
    html = explorer.form.numbers.value
    start = html.index(f'class="{css_class}">') + len(css_class) + 9
    return html[start : html.index("<", start)]


def test_shows_what_the_model_gives(explorer, model):
    expected = funnel.run(explorer.scenario, model).as_is["production"].expected
    assert shown(explorer, "pf-asis-production") == count(expected)
    assert '<img alt="Bar chart of Northwind Logistics&#x27;s' in explorer.form.chart.value
    assert "<figcaption><small>Modelled, calibrated to the client" in explorer.form.chart.value
    assert 'src="data:image/png;base64,iVBORw0KGgo' in explorer.form.chart.value  # a PNG
    assert "Wired into real systems" in explorer.form.ranking.value


def test_moving_a_slider_updates_the_numbers(explorer, model):
    before = shown(explorer, "pf-asis-production")
    explorer.form.sliders["as_is"]["integration"].value = 3
    after = funnel.run(explorer.scenario, model).as_is["production"].expected
    assert explorer.scenario.as_is["integration"] == 3
    assert shown(explorer, "pf-asis-production") == count(after) != before


def test_slider_levels_are_explained_in_words(explorer):
    explorer.form.sliders["target"]["data"].value = 4
    assert "monitored data products" in explorer.form.level_text["target"]["data"].value


def test_invalid_entries_are_shown_next_to_the_field(explorer):
    explorer.form.pocs.value = "twelve"
    assert "whole number" in explorer.form.messages["pocs_per_year"].value
    assert "Fix the entries" in explorer.form.invalid_note.value
    explorer.form.money["cost_per_poc"].value = "-5"
    assert "0 or more" in explorer.form.messages["cost_per_poc"].value
    explorer.form.sliders["target"]["data"].value = 0  # below as-is (2)
    assert "below as-is" in explorer.form.readiness_message.value
    assert explorer.save() is None and "fix the entries" in explorer.form.status.value


def test_numbers_accept_thousands_separators(explorer):
    explorer.form.money["annual_value_per_use_case"].value = "2,000,000"
    assert explorer.scenario.annual_value_per_use_case == 2_000_000


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("450k", 450_000), ("1.2M", 1_200_000), ("$1,200,000", 1_200_000), ("1 200 000", 1_200_000)],
)
def test_money_is_typed_as_in_a_scenario_file(explorer, typed, amount):
    explorer.form.money["cost_to_production"].value = typed
    assert explorer.scenario.cost_to_production == amount
    assert explorer.form.messages["cost_to_production"].value == ""


def test_money_in_another_currency_is_refused_beside_the_field(explorer):
    explorer.form.money["annual_value_per_use_case"].value = "$1.2M"
    assert explorer.scenario.annual_value_per_use_case == 1_200_000
    explorer.form.currency.value = "EUR"
    message = html.unescape(explorer.form.messages["annual_value_per_use_case"].value)
    assert "is in $, but the scenario's currency is EUR" in message
    explorer.form.money["annual_value_per_use_case"].value = "1,5"
    assert "reads two ways" in explorer.form.messages["annual_value_per_use_case"].value


def test_money_with_cents_is_shown_and_saved_unchanged(explorer):
    explorer.set_scenario(explorer.scenario.replace(cost_per_poc=120_000.5))
    assert explorer.form.money["cost_per_poc"].value == "120,000.5"
    assert explorer.save() is None  # the file exists: asks first
    assert explorer.save(confirm=True) == explorer.target_path()
    assert load_scenario(explorer.target_path()).cost_per_poc == 120_000.5


def test_save_asks_before_overwriting(explorer):
    path = explorer.target_path()
    original = path.read_text()
    explorer.form.pocs.value = "30"
    assert explorer.save() is None
    status = html.unescape(explorer.form.status.value)
    assert f"{path.name} already exists. Click 'Confirm overwrite' to replace it." in status
    assert path.read_text() == original
    assert explorer.form.confirm_button.layout.display is None  # now visible
    assert explorer.save(confirm=True) == path
    assert load_scenario(path).pocs_per_year == 30


def test_an_invalid_entry_saves_nothing_and_says_so(explorer):
    # The failure path: the status line is the catalogue's refusal; the file is untouched.
    path = explorer.target_path()
    original = path.read_text()
    explorer.form.pocs.value = "twelve"
    assert explorer.save() is None
    assert "Nothing saved: fix the entries marked in red." in explorer.form.status.value
    assert path.read_text() == original


def test_new_client_is_saved_to_its_own_file(explorer):
    explorer.form.picker.value = ""
    explorer.form.client.value = "Acme Corp"
    path = explorer.save()
    assert path.name == "acme-corp.yaml"
    assert yaml.safe_load(path.read_text())["client"] == "Acme Corp"
    assert path.parent == explorer.clients_dir


def test_picking_a_saved_client_loads_it(explorer, tmp_path):
    other = ROOT / "data" / "clients" / "fernhill-foods.yaml"
    shutil.copy(other, explorer.clients_dir / other.name)
    explorer.form.picker.options = explorer.form.client_files()
    explorer.form.picker.value = str((explorer.clients_dir / other.name).resolve())
    assert explorer.form.client.value == "Fernhill Foods"
    assert explorer.form.currency.value == "GBP"


def test_the_record_fields_show_the_file_and_move_the_model_live(explorer, model):
    assert explorer.form.record["pocs_started"].value == "31"
    assert explorer.form.record["period"].value == "2024-01 to 2025-12"
    first = explorer.result.as_is["production"].expected
    assert "The record moves the production rate from 6.1% (readiness-based)" in (
        explorer.form.record_line.value
    )
    explorer.form.record["reached_production"].value = "9"
    assert explorer.scenario.record.reached_production == 9
    assert explorer.result.as_is["production"].expected > first
    expected = funnel.run(explorer.scenario, model, draws=explorer.draws).as_is["production"]
    assert shown(explorer, "pf-asis-production") == count(expected.expected)
    assert "calibrated to the client's record" in explorer.form.numbers.value


def test_a_bad_record_is_marked_by_its_field(explorer):
    explorer.form.record["with_measurable_impact"].value = "7"
    assert not explorer.valid
    message = explorer.form.messages["with_measurable_impact"].value
    assert "more than reached_production (3)" in message
    assert explorer.form.record_line.value == ""
    explorer.form.record["with_measurable_impact"].value = ""  # impact is optional
    assert explorer.valid and explorer.scenario.record.with_measurable_impact is None


def test_clearing_the_counts_models_without_a_record(explorer, model):
    for key in ("pocs_started", "reached_production", "with_measurable_impact"):
        explorer.form.record[key].value = ""
    assert explorer.valid and explorer.scenario.record is None
    assert explorer.form.record_line.value == ""
    plain = funnel.run(explorer.scenario, model, draws=explorer.draws).as_is["production"]
    assert shown(explorer, "pf-asis-production") == count(plain.expected)


def test_a_saved_record_round_trips(explorer, tmp_path):
    explorer.form.record["reached_production"].value = "4"
    path = explorer.save(confirm=False) or explorer.save(confirm=True)
    assert load_scenario(path).record.reached_production == 4


def test_a_hostile_entry_is_shown_as_text_and_cut(explorer):
    explorer.form.pocs.value = "<img src=x onerror=alert(1)>" + "A" * 200
    shown_html = explorer.form.messages["pocs_per_year"].value
    assert "<img" not in shown_html and "&lt;img src=x onerror=alert(1)&gt;" in shown_html
    assert "A" * 81 not in shown_html  # the value is cut, as in every message


def test_the_consultant_sees_what_to_do_about_the_record_and_the_client_does_not(explorer):
    assert "Keep the record current" in explorer.form.advice.value
    for key in ("pocs_started", "reached_production", "with_measurable_impact"):
        explorer.form.record[key].value = ""
    advice = html.escape(record_advice(explorer.result))
    assert explorer.form.advice.value == f"<p><small>{advice}</small></p>"
    assert "re-run" in explorer.form.advice.value
    shown = Presentation.from_file(explorer.project, ROOT / "data" / "clients" / "demo.yaml")
    screen = shown.widget
    assert shown.explorer.form.advice not in _all_children(screen)


def _all_children(widget) -> list:
    found = []
    for child in getattr(widget, "children", ()):
        found += [child, *_all_children(child)]
    return found


def test_each_valid_result_is_reported_with_the_briefs_view_model(explorer):
    seen = []
    explorer.on_result(seen.append)
    explorer.form.sliders["as_is"]["integration"].value = 3
    assert len(seen) == 1 and seen[0] is explorer.context
    assert seen[0].result is explorer.result and seen[0].scenario is explorer.scenario
    assert (seen[0].result.draws, seen[0].result.seed) == (
        funnel.DEFAULT_DRAWS,
        funnel.DEFAULT_SEED,
    )
    explorer.form.pocs.value = "twelve"  # invalid: nothing is reported, the last result stays
    assert len(seen) == 1 and explorer.context is seen[0]


def test_set_scenario_shows_and_models_another_scenario(explorer):
    other = load_scenario(ROOT / "data" / "clients" / "fernhill-foods.yaml")
    explorer.set_scenario(other)
    assert explorer.form.client.value == "Fernhill Foods"
    assert explorer.context.scenario == other and explorer.result.calibrated is False


def test_export_names_each_file_written_and_refuses_invalid_entries(explorer, monkeypatch):
    asked = {}

    def make_brief(project, scenario, out, **kwargs):
        asked.update(scenario=scenario, out=out, **kwargs)
        out.mkdir(parents=True, exist_ok=True)
        files = {fmt: out / f"brief.{fmt}" for fmt in ("pdf", "html")}
        return types.SimpleNamespace(files=files)

    monkeypatch.setattr(explorer_module, "make_brief", make_brief)
    written = explorer.export()
    assert set(written) == {"pdf", "html"}
    assert asked["scenario"] is explorer.scenario and asked["out"] == explorer.exports_dir
    assert (asked["draws"], asked["seed"]) == (explorer.draws, explorer.seed)
    status = explorer.form.status.value
    assert status.startswith(f"Exported to {explorer.exports_dir}: ")
    assert 'class="pf-export-pdf"' in status and "PDF: brief.pdf</a>" in status
    explorer.form.pocs.value = "twelve"
    assert explorer.export() is None
    assert "Nothing exported" in explorer.form.status.value


# --- New client, and Save's confirmation (issue 23) ---------------------------------------------


def test_new_client_starts_from_the_demos_defaults_and_carries_nothing_over(explorer):
    fernhill = ROOT / "data" / "clients" / "fernhill-foods.yaml"
    shutil.copy(fernhill, explorer.clients_dir / fernhill.name)
    explorer.form.picker.options = explorer.form.client_files()
    explorer.form.picker.value = str((explorer.clients_dir / fernhill.name).resolve())
    explorer.form.record["pocs_started"].value = "12"  # a record typed for Fernhill
    explorer.form.record["reached_production"].value = "2"
    assert explorer.scenario.record is not None and explorer.scenario.notes
    explorer.form.picker.value = ""  # New client
    demo = load_scenario(ROOT / "data" / "clients" / "demo.yaml")
    assert explorer.form.client.value == "New client"
    assert explorer.form.currency.value == demo.currency != "GBP"  # not Fernhill's
    assert explorer.scenario.pocs_per_year == demo.pocs_per_year
    assert explorer.scenario.as_is == demo.as_is and explorer.scenario.target == demo.target
    assert all(field.value == "" for field in explorer.form.record.values())
    assert explorer.scenario.record is None and explorer.scenario.notes == ""
    assert explorer.form.record_line.value == "" and explorer.form.status.value == ""
    assert explorer.target_path().name == "new-client.yaml"
    explorer.form.client.value = "Acme Corp"
    saved = yaml.safe_load(explorer.save().read_text())
    assert "record" not in saved and "notes" not in saved


def test_new_client_from_the_demo_itself_drops_its_record(explorer):
    assert explorer.scenario.record is not None  # the demo has one
    explorer.form.picker.value = ""
    assert explorer.scenario.record is None and explorer.form.record["period"].value == ""


def _armed(explorer) -> bool:
    return explorer.form.confirm_button.layout.display is None


def test_confirm_overwrite_is_withdrawn_by_an_edit(explorer):
    path = explorer.target_path()
    original = path.read_text()
    assert explorer.save() is None and _armed(explorer)
    explorer.form.pocs.value = "30"
    assert not _armed(explorer)
    assert explorer.save(confirm=True) is None  # a stale confirmation asks again
    assert path.read_text() == original and _armed(explorer)


def test_confirm_overwrite_is_withdrawn_by_new_and_open(explorer):
    assert explorer.save() is None and _armed(explorer)
    explorer.form.picker.value = ""
    assert not _armed(explorer)
    demo = str((explorer.clients_dir / "demo.yaml").resolve())
    explorer.form.picker.value = demo  # Open
    assert explorer.save() is None and _armed(explorer)
    explorer.form.picker.value = ""
    explorer.form.picker.value = demo
    assert not _armed(explorer)


# --- Export asks before replacing a brief, and names its inputs (issue 23) --------------------


@pytest.fixture
def briefs(explorer, monkeypatch):
    """make_brief stood in for: writes the files the pipeline would name, records each call."""
    calls = []

    def make_brief(project, scenario, out, formats=("pdf", "html"), **kwargs):
        calls.append(scenario)
        out.mkdir(parents=True, exist_ok=True)
        stem = f"{scenario.client.lower().replace(' ', '-')}"
        files = {}
        for path in explorer.planned_brief(formats=formats):
            assert path.name.startswith(stem)
            path.write_text(f"pocs {scenario.pocs_per_year}")
            files[path.suffix[1:]] = path
        return types.SimpleNamespace(files=files)

    monkeypatch.setattr(explorer_module, "make_brief", make_brief)
    return calls


def test_export_names_the_saved_file_it_used(explorer, briefs):
    assert explorer.export() is not None and len(briefs) == 1
    assert "Made from the saved file demo.yaml." in explorer.form.status.value


def test_export_asks_before_replacing_a_brief_and_says_which_inputs(explorer, briefs):
    explorer.export()
    pdf = explorer.planned_brief()[0]
    assert explorer.export() is None and len(briefs) == 1  # asked, nothing made
    status = html.unescape(explorer.form.status.value)
    assert f"Today's brief is already in the exports folder ({pdf.name}," in status
    assert "made from the saved file demo.yaml. Click 'Replace the brief'" in status
    assert explorer.form.confirm_export_button.layout.display is None
    assert explorer.form.save_export_button.layout.display == "none"  # nothing to save
    assert explorer.export(confirm=True) is not None and len(briefs) == 2


def test_unsaved_edits_never_replace_a_brief_unasked_and_may_be_saved_first(explorer, briefs):
    explorer.export()
    pdf = explorer.planned_brief()[0]
    explorer.form.pocs.value = "30"  # not saved
    assert explorer.export() is None and pdf.read_text() == "pocs 24"
    status = html.unescape(explorer.form.status.value)
    assert "made from unsaved edits, not in the client's file." in status
    assert "Or click 'Save, then export' to save them to the client's file first." in status
    assert explorer.form.save_export_button.layout.display is None
    assert explorer.save_and_export() is not None
    assert load_scenario(explorer.target_path()).pocs_per_year == 30
    assert pdf.read_text() == "pocs 30"
    assert "Made from the saved file demo.yaml." in explorer.form.status.value
    assert explorer.form.save_export_button.layout.display == "none"


def test_a_confirmed_export_of_unsaved_edits_says_so(explorer, briefs):
    explorer.export()
    explorer.form.pocs.value = "30"
    explorer.export()
    assert explorer.export(confirm=True) is not None
    assert "Made from unsaved edits" in explorer.form.status.value


def test_an_export_confirmation_is_withdrawn_by_an_edit_or_a_save(explorer, briefs):
    explorer.export()
    explorer.export()  # asks
    explorer.form.horizon.value = 4
    assert explorer.form.confirm_export_button.layout.display == "none"
    assert explorer.export(confirm=True) is None and len(briefs) == 1  # asks again
    explorer.save()  # Save asks in turn, and withdraws Export's question
    assert explorer.form.confirm_export_button.layout.display == "none"
    assert explorer.export(confirm=True) is None and len(briefs) == 1


def test_export_withdraws_saves_confirmation(explorer, briefs):
    path = explorer.target_path()
    original = path.read_text()
    explorer.form.pocs.value = "30"
    assert explorer.save() is None and _armed(explorer)
    explorer.export()
    assert not _armed(explorer)
    assert explorer.save(confirm=True) is None and path.read_text() == original


def test_a_new_clients_export_is_of_unsaved_edits(explorer, briefs):
    explorer.form.picker.value = ""
    assert explorer.unsaved()
    explorer.export()
    assert "Made from unsaved edits" in explorer.form.status.value


def test_a_client_with_economics_reads_as_saved(explorer, tmp_path):
    path = explorer.clients_dir / "priced.yaml"
    data = yaml.safe_load((explorer.clients_dir / "demo.yaml").read_text())
    data["economics"] = {"discount_rate": 0.1}
    data["costs"]["change"] = {"data": 50_000}
    path.write_text(yaml.safe_dump(data))
    explorer.form.picker.options = explorer.form.client_files()
    explorer.form.picker.value = str(path.resolve())
    assert not explorer.unsaved()
    assert explorer.scenario.discount_rate == 0.1
    assert explorer.scenario.change_costs == {"data": 50_000}


# --- the results open with the headline; an invalid entry greys out every result (issue 23) ---


def _results_box(explorer):
    boxes = [
        c
        for c in _all_children(explorer.widget)
        if explorer.form.chart in getattr(c, "children", ())
    ]
    assert len(boxes) == 1
    return boxes[0]


def test_the_results_open_with_the_briefs_three_headline_numbers(explorer):
    results_box = _results_box(explorer)
    assert results_box.children[:2] == (explorer.form.invalid_note, explorer.form.headline)
    order = list(results_box.children)
    assert order.index(explorer.form.headline) < order.index(explorer.form.record_line)
    shown_html = html.unescape(explorer.form.headline.value)
    assert [h.key for h in explorer.context.headline] == [
        "production",
        "stalled_spend",
        "net_gain",
    ]
    for headline in explorer.context.headline:
        assert f'data-headline="{headline.key}"' in shown_html
        assert headline.value in shown_html and headline.label in shown_html
    explorer.form.pocs.value = "30"  # moves with the entries
    assert explorer.context.headline[0].value in html.unescape(explorer.form.headline.value)
    assert html.unescape(explorer.form.headline.value) != shown_html


def _stale(widget) -> bool:
    return "pf-stale" in widget._dom_classes


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        (lambda form: form.pocs, "twelve"),
        (lambda form: form.money["cost_per_poc"], "-5"),
        (lambda form: form.record["with_measurable_impact"], "7"),
    ],
    ids=["pocs", "money", "record"],
)
def test_an_invalid_entry_greys_out_every_result_chart_included_until_fixed(explorer, field, typed):
    form = explorer.form
    widget = field(form)
    good = widget.value
    shown = [form.headline, form.numbers, form.chart, form.ranking, form.record_line, form.advice]
    assert set(shown) == set(form.results_shown())
    assert not any(_stale(part) for part in shown) and form.invalid_note.value == ""
    chart = form.chart.value
    widget.value = typed
    assert not explorer.valid
    assert all(_stale(part) for part in shown)
    assert "Fix the entries marked in red" in form.invalid_note.value
    assert form.chart.value == chart  # the old chart, greyed: never shown as current
    assert ".pf-stale { opacity: 0.3; filter: grayscale(1)" in form.widget.children[0].value
    widget.value = good
    assert explorer.valid and not any(_stale(part) for part in shown)
    assert form.invalid_note.value == ""


def test_a_bad_slider_pair_greys_out_the_results_too(explorer):
    explorer.form.sliders["target"]["data"].value = 0  # below as-is
    assert _stale(explorer.form.chart) and _stale(explorer.form.headline)
    explorer.form.sliders["target"]["data"].value = 3
    assert not _stale(explorer.form.chart)


# --- Export deck, beside Export brief (issue 23) -------------------------------------------------


def test_export_deck_sits_beside_export_brief(explorer):
    actions = [
        c
        for c in _all_children(explorer.widget)
        if explorer.form.export_button in getattr(c, "children", ())
    ]
    buttons = list(actions[0].children)
    assert (
        buttons.index(explorer.form.export_deck_button)
        == buttons.index(explorer.form.export_button) + 1
    )
    assert explorer.form.export_deck_button.description == "Export deck"


def test_export_deck_makes_the_kits_pptx_and_asks_before_replacing_it(explorer, briefs):
    files = explorer.export_deck()
    assert set(files) == {"pptx"} and files["pptx"].suffix == ".pptx"
    assert "PPTX: " in explorer.form.status.value
    assert explorer.export() is not None  # the brief is other files: nothing to ask
    assert explorer.export_deck() is None and len(briefs) == 2  # the deck exists: asks
    status = html.unescape(explorer.form.status.value)
    assert "Today's deck is already in the exports folder" in status
    assert explorer.form.confirm_export_button.description == "Replace the deck"
    assert explorer.export(confirm=True) is None  # a brief's confirmation is not the deck's
    assert explorer.form.confirm_export_button.description == "Replace the brief"
    explorer.form.confirm_export_button.click()  # replaces the brief, as it now says
    assert len(briefs) == 3
    explorer.export_deck()
    explorer.form.confirm_export_button.click()
    assert len(briefs) == 4 and "PPTX: " in explorer.form.status.value


def test_export_deck_refuses_invalid_entries(explorer, briefs):
    explorer.form.pocs.value = "twelve"
    assert explorer.export_deck() is None and briefs == []
    assert "Nothing exported" in explorer.form.status.value


# --- the layout: inputs beside the results, the headline first, a caption that points at
# --- something (issue 23) ---------------------------------------------------------------------


def test_the_inputs_sit_beside_the_results_each_column_scrolling_on_its_own(explorer):
    form = explorer.form
    columns = next(c for c in _all_children(form.widget) if "pf-explorer-columns" in c._dom_classes)
    inputs, results_column = columns.children
    assert "pf-explorer-inputs" in inputs._dom_classes
    assert "pf-explorer-results" in results_column._dom_classes
    assert columns.layout.flex_flow == "row wrap"  # side by side; stacked when too narrow
    for column in (inputs, results_column):
        assert column.layout.max_height.startswith("max(24em, calc(100vh")
    css = form.widget.children[0].value
    assert ".pf-explorer-inputs, .pf-explorer-results { overflow-y: auto;" in css
    inside = _all_children(inputs)
    assert form.sliders["as_is"]["data"] in inside and form.money["cost_per_poc"] in inside
    assert form.chart in results_column.children and form.headline in results_column.children


def test_the_invalid_note_takes_no_room_while_the_entries_are_valid(explorer):
    form = explorer.form
    assert form.invalid_note.layout.display == "none"  # the headline is the first thing shown
    form.pocs.value = "twelve"
    assert form.invalid_note.layout.display is None and form.invalid_note.value
    form.pocs.value = "24"
    assert form.invalid_note.layout.display == "none" and form.invalid_note.value == ""


def test_the_charts_caption_points_at_nothing_the_explorer_lacks(explorer):
    from pilotfunnel.views.messages import explorer as words
    from pilotfunnel.views.messages import explorer_layout

    caption = explorer.form.chart.value.split("<figcaption>")[1]
    assert "appendix" not in caption.lower()
    assert "whiskers show P10 to P90" in caption
    assert explorer_layout.CHART_CAPTION.removeprefix("Modelled") in html.unescape(caption)
    # Where the assumptions are is said once, under the key numbers.
    assert "Assumptions: data/assumptions.yaml." in words.MODELLED_NOTE
    assert "Assumptions: data/assumptions.yaml." in explorer.form.numbers.value


# --- download links: the Jupyter server's own /files/ URL (issue 23) -------------------------


def _runtime_file(folder, pid: int, root, base_url: str = "/") -> None:
    """A Jupyter server's runtime file as jupyter_server writes it (jpserver-<pid>.json)."""
    import json

    info = {"pid": pid, "root_dir": str(root), "base_url": base_url, "port": 8888}
    (folder / f"jpserver-{pid}.json").write_text(json.dumps(info), encoding="utf-8")


def test_a_download_link_is_the_kernels_servers_files_url(tmp_path, monkeypatch):
    import os

    runtime = tmp_path / "runtime"
    runtime.mkdir()
    root = tmp_path / "kit"
    (root / "exports").mkdir(parents=True)
    pdf = root / "exports" / "Northwind brief 2026.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    _runtime_file(runtime, os.getpid(), root, "/user/ana/")  # this process is "the server"
    _runtime_file(runtime, os.getppid(), tmp_path / "elsewhere")  # another running server
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("JPY_PARENT_PID", str(os.getpid()))
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    monkeypatch.delenv("PILOTFUNNEL_PRESENT", raising=False)
    link = explorer_module._link(pdf, root)
    assert link == "/user/ana/files/exports/Northwind%20brief%202026.pdf"
    # A file outside the server's root has no /files/ URL: the file's own URI instead.
    outside = tmp_path / "brief.pdf"
    assert explorer_module._files_url(outside) is None
    assert explorer_module._link(outside, root) == outside.resolve().as_uri()


@pytest.mark.parametrize("parent", ["", "not-a-pid", "999999999"])
def test_outside_a_jupyter_server_a_link_is_the_files_path_under_the_project(
    tmp_path, monkeypatch, parent
):
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("JPY_PARENT_PID", parent)
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    monkeypatch.delenv("PILOTFUNNEL_PRESENT", raising=False)
    pdf = tmp_path / "exports" / "brief.pdf"
    assert explorer_module._files_url(pdf) is None
    assert explorer_module._link(pdf, tmp_path) == "/files/exports/brief.pdf"


@pytest.mark.parametrize(
    "info",
    [
        [1, 2, 3],
        {"pid": "PID", "root_dir": 7, "base_url": "/"},
        {"pid": "PID", "root_dir": "ROOT", "base_url": ["/"]},
        {"pid": "PID", "root_dir": "ROOT", "base_url": "javascript:alert(1)//"},
        {"pid": "PID", "base_url": "/"},
    ],
    ids=["a-list", "root-a-number", "base-a-list", "base-a-script-url", "no-root"],
)
def test_a_runtime_file_not_as_jupyter_writes_it_gives_no_files_url(tmp_path, monkeypatch, info):
    import json
    import os

    runtime = tmp_path / "runtime"
    runtime.mkdir()
    text = json.dumps(info).replace('"PID"', str(os.getpid())).replace("ROOT", str(tmp_path))
    (runtime / f"jpserver-{os.getpid()}.json").write_text(text, encoding="utf-8")
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("JPY_PARENT_PID", str(os.getpid()))
    assert explorer_module._files_url(tmp_path / "exports" / "brief.pdf") is None


def test_a_base_url_is_quoted_as_a_url_path(tmp_path, monkeypatch):
    import os

    runtime = tmp_path / "runtime"
    runtime.mkdir()
    _runtime_file(runtime, os.getpid(), tmp_path, '/user/a"b%40c/')
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("JPY_PARENT_PID", str(os.getpid()))
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    monkeypatch.delenv("PILOTFUNNEL_PRESENT", raising=False)
    pdf = tmp_path / "exports" / "brief.pdf"
    assert explorer_module._files_url(pdf) == "/user/a%22b%40c/files/exports/brief.pdf"
