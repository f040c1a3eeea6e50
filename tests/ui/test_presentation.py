"""Present mode's widgets without a browser: the screen's parts, the story and the drawer."""

import html
import itertools
import re
import shutil

import ipywidgets as w
import pytest
import yaml

from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario
from pilotfunnel.model import funnel
from pilotfunnel.ui.explorer.explorer import Explorer
from pilotfunnel.ui.explorer.form import NEW_CLIENT
from pilotfunnel.ui.present.screen import STEPS, Presentation
from pilotfunnel.views.formatting import count

from ..conftest import ROOT


@pytest.fixture
def presentation(tmp_path):
    clients = tmp_path / "clients"
    clients.mkdir()
    shutil.copy(ROOT / "data" / "clients" / "demo.yaml", clients / "demo.yaml")
    project = Project.load(ROOT)
    shown = Presentation.from_file(project, clients / "demo.yaml", exports_dir=tmp_path / "out")
    shown.widget  # noqa: B018 - builds the layout, as displaying it does
    return shown


def test_the_first_screen_has_the_client_the_three_numbers_and_the_chart(presentation, model):
    result = funnel.run(presentation.scenario, model)
    assert '<h1 class="pf-client">Northwind Logistics</h1>' in presentation.header.value
    assert 'data-testid="brand-logo"' in presentation.header.value
    assert 'alt="Pilotfunnel Advisory"' in presentation.header.value
    numbers = presentation.key_numbers.value
    assert 'data-testid="key-numbers"' in numbers
    production = result.as_is["production"]
    assert f">{count(production.expected)}</span> <small>of 72</small>" in numbers
    assert f"P10 to P90: {count(production.p10)} to {count(production.p90)}" in numbers
    assert "calibrated to the client&#x27;s record" in numbers  # the demo client has one
    first = presentation.charts.children[presentation.charts.selected_index]
    assert first.value.startswith('<figure data-testid="step-chart" data-chart="evidence"')


def test_the_story_has_five_steps_that_say_what_the_brief_says(presentation):
    assert list(presentation.step_nav.options) == list(STEPS)
    assert len(presentation.steps.children) == 5
    assert len(presentation.charts.children) == 5
    evidence = presentation.evidence.value
    assert 'data-testid="evidence"' in evidence
    # MIT NANDA's 95% is about organisations, in the source's own words, with its source.
    assert "About 95% of organisations report no measurable P&amp;L return" in evidence
    assert "MIT NANDA" in evidence and "4 of 33" in evidence and "<q>" in evidence
    assert "95% of pilots" not in evidence
    assert "The record moves the production rate" in presentation.funnel_detail.value
    assert "Your record" in presentation.funnel_detail.value
    assert "<h2>What stalling costs</h2>" in presentation.stalling.value
    assert "At a glance" in presentation.practices.value
    start = presentation.where_to_start.value
    assert "<h2>Where to start</h2>" in start and "<ol>" in start


def test_a_slider_updates_the_numbers_and_the_story(presentation, model):
    before = presentation.key_numbers.value
    presentation.explorer.form.sliders["as_is"]["integration"].value = 3
    assert presentation.key_numbers.value != before
    result = funnel.run(presentation.scenario, model)
    assert f">{count(result.as_is['production'].expected)}</span>" in (
        presentation.key_numbers.value
    )
    production = html.escape(presentation.context.at_a_glance.rows[0][1])
    assert f"<td>{production}</td>" in presentation.practices.value


def test_the_inputs_drawer_opens_beside_the_story_never_in_its_place(presentation):
    assert presentation.drawer.layout.display == "none"
    presentation.inputs_toggle.value = True
    assert presentation.drawer.layout.display == "flex"
    assert presentation.story.layout.display != "none"
    presentation.inputs_toggle.value = False
    assert presentation.drawer.layout.display == "none"
    assert presentation.story.layout.display != "none"


def test_test_hooks_are_on_the_main_parts(presentation):
    assert "pf-testid-inputs" in presentation.drawer._dom_classes
    assert "pf-testid-step-nav" in presentation.step_nav._dom_classes


def test_every_label_is_shown_whole(presentation):
    form = presentation.explorer.form
    for field in (form.client, *form.money.values(), *form.record.values()):
        assert field.style.description_width == "initial", field.description


def test_a_client_without_a_record_shows_no_record(tmp_path):
    project = Project.load(ROOT)
    shown = Presentation.from_file(project, ROOT / "data" / "clients" / "fernhill-foods.yaml")
    shown.widget  # noqa: B018
    assert shown.explorer.form.record_line.value == ""
    assert "Your record" not in shown.funnel_detail.value
    assert "The record moves" not in shown.funnel_detail.value
    assert shown.context.record_table is None
    assert "calibrated" not in shown.key_numbers.value
    assert "<h2>Where to start</h2>" in shown.where_to_start.value


def test_present_mode_holds_an_explorer_rather_than_being_one(presentation):
    assert not isinstance(presentation, Explorer)
    assert isinstance(presentation.explorer, Explorer)
    assert presentation.result is presentation.explorer.result
    assert presentation.context is presentation.explorer.context
    # The explorer's settled result is what the screen shows: the brief's draws and seed.
    assert (presentation.result.draws, presentation.result.seed) == (
        funnel.DEFAULT_DRAWS,
        funnel.DEFAULT_SEED,
    )


def test_presentation_built_from_a_scenario_shows_it(tmp_path):
    project = Project.load(ROOT)
    scenario = load_scenario(ROOT / "data" / "clients" / "fernhill-foods.yaml")
    shown = Presentation(project, scenario, clients_dir=tmp_path)
    assert '<h1 class="pf-client">Fernhill Foods</h1>' in shown.header.value


def test_the_key_numbers_are_the_briefs_headline_worded_as_the_brief_words_them(presentation):
    numbers = presentation.key_numbers.value
    headline = presentation.context.headline
    assert [h.key for h in headline] == ["production", "stalled_spend", "net_gain"]
    for h in headline:
        for text in (h.figure, h.label, h.detail):
            assert html.escape(text) in numbers, (h.key, text)
    # The tone is the page's class: stalled spend in the danger colour, the gain in success.
    assert '<div class="pf-kpi" data-kpi="production">' in numbers
    assert '<div class="pf-kpi pf-danger" data-kpi="stalled_spend">' in numbers
    assert '<div class="pf-kpi pf-success" data-kpi="net_gain">' in numbers


def test_the_story_draws_the_briefs_evidence_record_and_next_steps(presentation):
    ctx = presentation.context
    evidence = presentation.evidence.value
    shown = [item for item in ctx.evidence if item.level == "verified"][:4]
    assert [i.source_id for i in shown][:2] == [
        "mit-nanda-2025-no-pnl-return",
        "idc-2025-poc-to-production",
    ]
    for item in shown:
        assert html.escape(item.claim) in evidence and html.escape(item.source) in evidence
    assert evidence.count('class="pf-card"') == 4
    detail = presentation.funnel_detail.value
    for row in ctx.record_table.rows:
        assert all(html.escape(cell) in detail for cell in row), row
    for row in ctx.funnel_table.rows:
        assert all(html.escape(cell) in detail for cell in row), row
    assert detail.startswith(f"<h2>{html.escape(ctx.funnel_table.caption)}</h2>")
    practices = presentation.practices.value
    for row in ctx.at_a_glance.rows:
        assert all(html.escape(cell) in practices for cell in row), row
    stalling = presentation.stalling.value
    for row in ctx.money_table.rows:
        assert all(html.escape(cell) in stalling for cell in row), row
    start = presentation.where_to_start.value
    for step in ctx.next_steps:
        assert f"<strong>{html.escape(step.title)}</strong> {html.escape(step.text)}" in start
    assert start.count("<li>") == len(ctx.next_steps)


def test_the_story_follows_the_explorer_when_the_scenario_changes(presentation):
    before = presentation.context
    presentation.explorer.form.sliders["target"]["data"].value = 4
    assert presentation.context is not before
    assert presentation.context.headline[2].value in presentation.key_numbers.value
    # An invalid entry leaves the last valid story on screen, and the explorer says why.
    shown = presentation.key_numbers.value
    presentation.explorer.form.pocs.value = "twelve"
    assert presentation.key_numbers.value == shown
    assert "whole number" in presentation.explorer.form.messages["pocs_per_year"].value


def _shown_text(widget) -> str:
    """Every string a widget and its children show (their values and descriptions)."""
    own = [getattr(widget, name, None) for name in ("value", "description", "placeholder")]
    texts = [text for text in own if isinstance(text, str)]
    texts += [_shown_text(child) for child in getattr(widget, "children", ())]
    return "\n".join(texts)


def test_the_scenarios_notes_are_the_consultants_and_no_step_shows_them(tmp_path):
    """The scenario's ``notes`` ("CFO sceptical of AI spend") are for the consultant: the
    present mode is on the client's screen, so neither its last step nor any other part shows
    them, before or after the scenario changes."""
    clients = tmp_path / "clients"
    clients.mkdir()
    text = (ROOT / "data" / "clients" / "demo.yaml").read_text(encoding="utf-8")
    marker = "CFO sceptical of AI spend, keep the pitch on cost"
    lines = [f"notes: {marker}" if line.startswith("notes:") else line for line in text.split("\n")]
    (clients / "demo.yaml").write_text("\n".join(lines), encoding="utf-8")
    shown = Presentation.from_file(Project.load(ROOT), clients / "demo.yaml", exports_dir=tmp_path)
    assert shown.scenario.notes == marker  # the notes are read, and kept for the explorer
    last = shown.steps.children[len(STEPS) - 1]
    assert shown.where_to_start.value  # the last step has its content
    assert marker not in _shown_text(last)
    assert marker not in _shown_text(shown.widget)
    shown.explorer.form.sliders["as_is"]["integration"].value = 3
    assert marker not in _shown_text(shown.widget)


# --- what the projector shows: no path, seed, draw count or file name on any step ---------------
_ATTRIBUTES_READ = re.compile(r"""\b(?:alt|title|aria-label)=(["'])(.*?)\1""", re.S)
FORBIDDEN = ("/", "\\", "seed", "draws", ".yaml", ".pdf", ".html", "appendix")


def _read_aloud(markup: str) -> str:
    """An HTML widget's text as a reader meets it: the text between tags, and the alt, title
    and aria-label a screen reader reads (not src or href, which no one sees)."""
    said = [m.group(2) for m in _ATTRIBUTES_READ.finditer(markup)]
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup) + " " + " ".join(said))


def _projected(widget) -> list[str]:
    """Every string a widget and its children put on screen, HTML read as a reader reads it."""
    if isinstance(widget, w.HTML):
        found = [_read_aloud(widget.value)]
    else:
        found = [getattr(widget, name, None) for name in ("value", "description", "tooltip")]
        found += list(getattr(widget, "options", ()))
    found = [text for text in found if isinstance(text, str)]
    for child in getattr(widget, "children", ()):
        found += _projected(child)
    return found


def _step_screens(shown: Presentation) -> list[str]:
    """Each step as the projector shows it: the frame (name, numbers, chart, step buttons and
    the drawer's button) around that step; the drawer itself is closed."""
    frame = [shown.header, shown.key_numbers, shown.inputs_toggle, shown.step_nav]
    return [
        "\n".join(text for part in [*frame, chart, step] for text in _projected(part))
        for chart, step in zip(shown.charts.children, shown.steps.children, strict=True)
    ]


def _assert_nothing_technical(shown: Presentation) -> None:
    for number, screen in enumerate(_step_screens(shown), 1):
        lower = screen.lower()
        for word in FORBIDDEN:
            assert word not in lower, (number, word, screen[max(lower.find(word) - 80, 0) :][:200])


def test_the_check_reads_what_a_step_shows_and_would_find_a_path():
    # The failure path: a path in a step's text, in an alt text, or in a button's tooltip is
    # found; a link's address and an image's source are not text anyone sees.
    assert "/tmp/x" in _read_aloud("<p>Exported to /tmp/x</p>")
    assert "a/b" in _read_aloud('<img alt="a/b" src="data:image/png;base64,AA/BB">')
    assert "/" not in _read_aloud('<a href="/exports/a.pdf" download="a.pdf">PDF</a>')
    button = w.Button(description="Export", tooltip="to data/x.yaml")
    assert any(".yaml" in text for text in _projected(w.VBox([button])))


@pytest.mark.parametrize("with_record", [True, False], ids=["record", "no-record"])
def test_no_step_shows_a_path_a_seed_a_draw_count_or_a_file_name(tmp_path, with_record):
    clients = tmp_path / "clients"
    clients.mkdir()
    scenario = yaml.safe_load((ROOT / "data" / "clients" / "demo.yaml").read_text())
    if not with_record:
        scenario.pop("record", None)
    (clients / "demo.yaml").write_text(yaml.safe_dump(scenario), encoding="utf-8")
    shown = Presentation.from_file(Project.load(ROOT), clients / "demo.yaml", exports_dir=tmp_path)
    shown.widget  # noqa: B018 - builds the layout, as displaying it does
    _assert_nothing_technical(shown)
    # The consultant saves from the drawer: its path stays in the drawer, off every step.
    shown.explorer.form.client.value = "Acme Freight"
    assert shown.explorer.save() is None  # over the open file: it asks first, in the drawer
    _assert_nothing_technical(shown)
    assert shown.explorer.save(confirm=True) == (clients / "demo.yaml").resolve()
    assert "demo.yaml" in shown.explorer.form.status.value
    _assert_nothing_technical(shown)
    # An invalid entry: Export refuses, in words.
    shown.explorer.form.pocs.value = "twelve"
    assert shown.explorer.export() is None
    assert "fix the entries" in shown.export_status.value
    _assert_nothing_technical(shown)


def test_export_on_the_last_step_says_what_was_made_with_links_the_server_serves(presentation):
    files = presentation.explorer.export()
    assert set(files) == {"pdf", "html"}
    status = presentation.export_status.value
    said = " ".join(_read_aloud(status).split()).replace(" ,", ",")  # a tag's space dropped
    assert said == "The brief is ready: PDF, HTML"
    for path in files.values():
        assert f'href="/exports/{path.name}"' in status and f'download="{path.name}"' in status
    assert presentation.export_status in presentation.steps.children[-1].children
    assert presentation.explorer.form.status.value == ""  # nothing of it in the drawer
    _assert_nothing_technical(presentation)


def test_a_second_export_the_same_day_replaces_the_brief_in_one_click(presentation):
    """The explorer asks before it replaces a brief; in the meeting the click is the answer,
    so a second Export on the projector is never shown as a failure."""
    first = presentation.explorer.export()
    again = presentation.explorer.export()
    assert again is not None and set(again) == {"pdf", "html"} == set(first)
    said = " ".join(_read_aloud(presentation.export_status.value).split()).replace(" ,", ",")
    assert said == "The brief is ready: PDF, HTML"
    assert presentation.explorer.form.status.value == ""


def test_a_failed_export_says_so_on_the_projector_and_why_in_the_drawer(presentation, monkeypatch):
    from pilotfunnel.core.errors import ExportError
    from pilotfunnel.ui.explorer import explorer as explorer_module

    def failing(*_args, **_kwargs):
        raise ExportError("/tmp/somewhere/brief.pdf could not be written")

    monkeypatch.setattr(explorer_module, "make_brief", failing)
    assert presentation.explorer.export() is None
    assert "could not be made" in presentation.export_status.value
    assert "/tmp/somewhere/brief.pdf" in presentation.explorer.form.status.value
    _assert_nothing_technical(presentation)


# --- the client list: the consultant's, in the drawer, by client name ---------------------------
def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_the_drawers_picker_names_clients_and_no_step_shows_a_client_file(tmp_path):
    clients = tmp_path / "clients"
    clients.mkdir()
    demo = yaml.safe_load((ROOT / "data" / "clients" / "demo.yaml").read_text())
    (clients / "nw-2025.yaml").write_text(yaml.safe_dump(demo), encoding="utf-8")
    (clients / "acme-q3.yaml").write_text(
        yaml.safe_dump({**demo, "client": "Acme Freight"}), encoding="utf-8"
    )
    (clients / "zz-copy.yaml").write_text(yaml.safe_dump(demo), encoding="utf-8")
    (clients / "broken-file.yaml").write_text("client: [unclosed\n", encoding="utf-8")
    shown = Presentation.from_file(
        Project.load(ROOT), clients / "nw-2025.yaml", exports_dir=tmp_path
    )
    shown.widget  # noqa: B018 - builds the layout, as displaying it does
    form = shown.explorer.form
    labels = [label for label, _ in form.picker.options]
    assert labels == [
        "Acme Freight",
        "Broken File",  # unreadable: its name in words, never "broken-file.yaml"
        "Northwind Logistics",
        "Northwind Logistics (2)",
        NEW_CLIENT,
    ]
    assert form.picker.value == str((clients / "nw-2025.yaml").resolve())
    assert form.client.value == "Northwind Logistics"  # relabelling opened no other client
    # The picker lives in the drawer alone, never on a step or the frame around them.
    assert any(part is form.picker for part in _walk(shown.drawer))
    for step in shown.steps.children:
        assert all(part is not form.picker for part in _walk(step))
    files = [p.name for p in clients.glob("*.yaml")] + [p.stem for p in clients.glob("*.yaml")]
    for number, screen in enumerate(_step_screens(shown), 1):
        for name in files:
            assert name not in screen, (number, name)
    # A Save asks the form for its options again: they stay client names.
    form.picker.value = ""  # a new client
    form.client.value = "Acme Freight Europe"
    saved = shown.explorer.save()
    assert saved is not None and saved.name.endswith(".yaml")
    assert "Acme Freight Europe" in [label for label, _ in form.picker.options]
    assert not any(label.endswith(".yaml") for label, _ in form.picker.options)


# --- each step its own chart, about what the step is about ---------------------------------------
def test_each_step_has_a_heading_and_its_own_chart_beside_it(presentation):
    from pilotfunnel.ui.present.figures import STEP_CHARTS

    charts = [chart.value for chart in presentation.charts.children]
    named = [re.search(r'data-chart="(\w+)"', chart).group(1) for chart in charts]
    assert named == list(STEP_CHARTS) == ["evidence", "funnel", "stalling", "sensitivity", "funnel"]
    for before, after in itertools.pairwise(charts):
        assert before != after  # no step shows the chart of the step before it
    for number, step in enumerate(presentation.steps.children, 1):
        assert re.search(r"<h2>[^<]+</h2>", _shown_text(step)), number
    titles = [re.search(r'class="pf-chart-title">([^<]+)<', c).group(1) for c in charts]
    assert titles == [
        "What the research says",
        "Where the pilots go",
        "What stalling costs",
        "Which practice is worth most, net of its cost",
        "Where the pilots go",
    ]


def test_the_evidence_chart_shows_the_statistics_on_the_cards(presentation):
    ctx = presentation.context
    chart = presentation.charts.children[0].value
    cards = [item for item in ctx.evidence if item.level == "verified"][:4]
    for item in cards:  # the chart's alt text names each, as its source words it
        assert html.escape(ctx.sources[item.source_id].statistic) in chart
    unverified = [s for s in ctx.evidence_sources if s.id not in {i.source_id for i in cards}]
    assert unverified and all(html.escape(s.statistic) not in chart for s in unverified)


def test_the_charts_follow_the_inputs_and_the_evidence_stays(presentation):
    before = [chart.value for chart in presentation.charts.children]
    presentation.explorer.form.sliders["as_is"]["integration"].value = 3
    after = [chart.value for chart in presentation.charts.children]
    assert after[0] == before[0]  # the research is the same for every input
    assert all(a != b for a, b in zip(after[1:], before[1:], strict=True))


def test_each_charts_text_reads_at_least_14_px_when_shown_558_px_wide(presentation):
    # The page shows each chart 558 px wide at 1280 x 720 (the browser test measures it as shown).
    from pilotfunnel.ui.present import figures

    width = figures.CHART_WIDTH_INCHES * figures.CHART_DPI  # the picture's own pixels
    for chart in presentation.charts.children:
        smallest = float(re.search(r'data-smallest-text-px="([\d.]+)"', chart.value).group(1))
        assert smallest * 558 / width >= 14, chart.value[:80]


def test_the_chart_on_screen_is_drawn_first_and_a_shared_chart_once(presentation):
    from pilotfunnel.ui.present import figures, panels

    ctx = presentation.context
    shown = [item.source_id for item in panels.shown_evidence(ctx)]
    drawn = list(figures.step_charts(ctx, shown, first=3))
    assert [index for index, _ in drawn] == [3, 0, 1, 2, 4]
    assert drawn[2][1] is drawn[4][1]  # the funnel, beside steps 2 and 5, drawn once
    # With step 3 on screen, a change still leaves each step with its own chart.
    presentation.step_nav.index = 2
    presentation.explorer.form.sliders["as_is"]["integration"].value = 3
    charts = [chart.value for chart in presentation.charts.children]
    named = [re.search(r"data-chart=\"(\w+)\"", chart).group(1) for chart in charts]
    assert named == list(figures.STEP_CHARTS)


def test_an_invalid_entry_in_the_drawer_greys_out_the_projected_results_until_fixed(
    presentation,
):
    form = presentation.explorer.form
    shown = presentation.results_shown()
    assert presentation.key_numbers in shown and set(presentation.step_charts) <= set(shown)
    assert not any("pf-stale" in part._dom_classes for part in shown)
    numbers = presentation.key_numbers.value
    good = form.pocs.value
    form.pocs.value = "many"
    assert not presentation.explorer.valid
    assert all("pf-stale" in part._dom_classes for part in shown)
    assert presentation.key_numbers.value == numbers  # the old figures, greyed, not current
    form.pocs.value = good
    assert presentation.explorer.valid
    assert not any("pf-stale" in part._dom_classes for part in shown)
