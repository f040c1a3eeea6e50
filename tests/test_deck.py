"""The deck: native charts holding the model's numbers, notes with sources, the brand or a
firm's template, same bytes for the same inputs."""

import contextlib
import io
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pptx import Presentation

from pilotfunnel.core.errors import BrandError
from pilotfunnel.export import recorded
from pilotfunnel.inputs.brand.load import load_brand
from pilotfunnel.inputs.project import Project
from pilotfunnel.views import brief, deck

from .conftest import FIXTURES, ROOT, in_ci, run_pilotfunnel

TEMPLATES = FIXTURES / "deck"
DEMO = ROOT / "data" / "clients" / "demo.yaml"
NO_RECORD = ROOT / "data" / "clients" / "fernhill-foods.yaml"


@pytest.fixture(scope="module")
def ctx():
    return brief.prepare(Project.load(ROOT), DEMO, "2026-11-25")


@pytest.fixture(scope="module")
def pptx(ctx):
    return deck.build_deck(ctx)


def slides(pptx: bytes):
    return list(Presentation(io.BytesIO(pptx)).slides)


def charts(slide):
    return [shape for shape in slide.shapes if shape.has_chart]


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def test_the_deck_follows_the_brief(pptx):
    titles = [s.shapes.title.text for s in slides(pptx)]
    assert titles[0].startswith("Why Northwind Logistics's AI pilots stall")
    assert titles[1:] == [
        "Three numbers that matter",
        "The evidence: most pilots stall before they pay",
        "Your funnel: 72 proofs of concept over 3 years",
        "Your record against the research",
        "What stalling costs",
        "What changes with the five practices",
        "Where to start",
        "Sources",
    ]


def test_without_a_record_there_is_no_record_slide():
    ctx = brief.prepare(Project.load(ROOT), NO_RECORD, "2026-11-25")
    titles = [s.shapes.title.text for s in slides(deck.build_deck(ctx))]
    assert len(titles) == 8 and "Your record against the research" not in titles
    start = slides(deck.build_deck(ctx))[6]
    body = start.placeholders[1].text_frame
    assert [p.text for p in body.paragraphs] == [f"{s.title} {s.text}" for s in ctx.next_steps]
    said = body.text
    # The client's slide asks the client; the consultant's instruction is in the notes.
    assert "Share your record of pilots." in said and "re-run" not in said
    assert ctx.consultant_note in start.notes_slide.notes_text_frame.text


def test_charts_are_native_and_hold_the_models_numbers(pptx, ctx):
    funnel_slide, record_slide, stalling_slide, practices_slide = slides(pptx)[3:7]
    (frame,) = charts(funnel_slide)
    plot = frame.chart.plots[0]
    as_is, target = plot.series
    metrics = [metric for _, metric in ctx.stage_rows]
    assert list(as_is.values) == pytest.approx([ctx.as_is[m].expected for m in metrics])
    assert list(target.values) == pytest.approx([ctx.target[m].expected for m in metrics])
    assert list(plot.categories) == [label for label, _ in ctx.stage_rows]
    (frame,) = charts(record_slide)
    step, idc = ctx.record_steps[0], ctx.headline_source
    assert list(frame.chart.plots[0].series[0].values) == pytest.approx(
        [idc.proportion, step.prior_rate, 3 / 31, step.calibrated.mean]
    )
    (frame,) = charts(stalling_slide)
    stalled = frame.chart.plots[0].series[0]
    assert list(stalled.values) == pytest.approx(
        [ctx.as_is["stalled_spend"].expected, ctx.target["stalled_spend"].expected]
    )
    (frame,) = charts(practices_slide)
    ranked = [e.production_gain for e in ctx.ranking if e.to_level > e.from_level]
    assert list(frame.chart.plots[0].series[0].values) == pytest.approx(ranked)
    for slide in slides(pptx)[3:7]:
        assert len(charts(slide)[0]._element.nvGraphicFramePr.cNvPr.get("descr")) > 40


def test_each_charts_data_sheet_holds_its_numbers_for_edit_data(pptx, ctx):
    # PowerPoint's "Edit Data" opens the workbook embedded with the chart: it must hold the
    # same numbers as the chart, not only the chart's cached copy of them.
    import openpyxl

    (frame,) = charts(slides(pptx)[3])
    workbook = openpyxl.load_workbook(
        io.BytesIO(frame.chart.part.chart_workbook.xlsx_part.blob), read_only=True
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][1:] == ("As is", "Five practices in place")
    for (label, metric), row in zip(ctx.stage_rows, rows[1:], strict=True):
        assert row[0] == label
        assert row[1:] == pytest.approx((ctx.as_is[metric].expected, ctx.target[metric].expected))


def test_the_record_slide_has_a_native_table(pptx, ctx):
    record_slide = slides(pptx)[4]
    (table,) = [shape.table for shape in record_slide.shapes if shape.has_table]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0][:2] == ["Step", "Your record"]
    assert cells[1][1] == "3 of 31" and cells[2][1] == "1 of 3"
    assert cells[1][3].startswith("9.2% (")  # calibrated, as the brief says
    assert "IDC" in notes(record_slide) and ctx.headline_source.quote in notes(record_slide)
    assert "the rate every other slide uses" in notes(record_slide)


def test_every_slide_has_notes_and_cited_figures_name_their_source(pptx, ctx):
    for slide in slides(pptx):
        assert slide.has_notes_slide and notes(slide).strip()
    evidence = notes(slides(pptx)[2])
    mit, idc = (
        ctx.sources["mit-nanda-2025-no-pnl-return"],
        ctx.sources["idc-2025-poc-to-production"],
    )
    assert "MIT NANDA" in evidence and mit.quote in evidence
    assert "IDC" in evidence and idc.quote in evidence and "Caveats" in evidence
    numbers = notes(slides(pptx)[1])
    assert (
        numbers.startswith("Modelled") and "Calibrated to Northwind Logistics's record" in numbers
    )


def test_text_is_in_placeholders_and_steps_are_numbered_by_powerpoint(pptx):
    start = slides(pptx)[7]
    (body,) = [ph for ph in start.placeholders if ph.placeholder_format.idx == 1]
    paragraphs = body.text_frame.paragraphs
    assert paragraphs[0].text.startswith("Wired into real systems")  # no typed-in "1."
    assert all(p._p.pPr.find(qn("a:buAutoNum")) is not None for p in paragraphs)


def qn(tag: str) -> str:
    from pptx.oxml.ns import qn as pptx_qn

    return pptx_qn(tag)


def test_the_brand_is_the_decks_theme_logo_and_fonts(pptx, ctx):
    brand = ctx.brand
    prs = Presentation(io.BytesIO(pptx))
    theme = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    ).blob.decode()
    for role, slot in (("primary", "accent1"), ("secondary", "accent2"), ("accent", "accent3")):
        colour = brand.colors[role].lstrip("#").upper()
        assert f'<a:{slot}><a:srgbClr val="{colour}"/></a:{slot}>' in theme
    assert f'<a:latin typeface="{brand.base_family}"/>' in theme
    assert prs.slide_width * 9 == prs.slide_height * 16  # 16:9
    for slide in prs.slides:
        pictures = [shape for shape in slide.shapes if shape.shape_type == 13]
        assert len(pictures) == 1  # the logo
        assert pictures[0].image.blob == brand.logo_png.read_bytes()
        assert slide.shapes.title.text_frame.paragraphs[0].runs[0].font.name == (
            brand.heading_family
        )


def test_the_same_inputs_and_date_give_the_same_bytes(ctx, pptx):
    time.sleep(1.1)  # a zip or a workbook stamped with the clock would differ now
    again = deck.build_deck(ctx)
    assert again == pptx
    with zipfile.ZipFile(io.BytesIO(pptx)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
        assert "2026-11-25T00:00:00Z" in core


# --- a firm's template --------------------------------------------------------------------
def firm_brand(project_copy, template: str, **layouts) -> None:
    """The project's brand with a fixture template named in brand.yml."""
    folder = project_copy / "data" / "brand"
    shutil.copy(TEMPLATES / template, folder / template)
    path = folder / "brand.yml"
    data = yaml.safe_load(path.read_text())
    data["pptx_template"] = template
    data["pptx_layouts"] = layouts or {"title": "Cover", "text": "Statement", "visual": "Headline"}
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_a_firms_template_is_used_with_its_layouts_by_name(project_copy):
    firm_brand(project_copy, "firm.pptx")
    ctx = brief.prepare(Project.load(project_copy), DEMO, "2026-11-25")
    prs = Presentation(io.BytesIO(deck.build_deck(ctx)))
    layouts = [slide.slide_layout.name for slide in prs.slides]
    assert layouts[0] == "Cover"
    assert layouts[2] == layouts[7] == "Statement"  # the evidence, where to start
    assert set(layouts[1:2] + layouts[3:7] + layouts[8:]) == {"Headline"}
    # The template's own size and example slide: its size kept, its example gone.
    assert (prs.slide_width, prs.slide_height) == (9144000, 5715000)  # 10 by 6.25 inches
    assert len(prs.slides) == 9
    assert all("Example slide" not in s.shapes.title.text for s in prs.slides)
    # The firm's placeholders keep its styles: no brand font, colour or logo laid over them.
    (body,) = [ph for ph in prs.slides[2].placeholders if ph.placeholder_format.idx == 1]
    assert {run.font.name for p in body.text_frame.paragraphs for run in p.runs} == {None}
    assert not [shape for slide in prs.slides for shape in slide.shapes if shape.shape_type == 13]
    # The charts fit the firm's slide.
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left + shape.width <= prs.slide_width, (slide.shapes.title.text, shape)
            assert shape.top + shape.height <= prs.slide_height, (slide.shapes.title.text, shape)


def test_a_layout_the_template_lacks_is_named_with_the_layouts_it_has(project_copy):
    firm_brand(project_copy, "missing_layout.pptx")
    ctx = brief.prepare(Project.load(project_copy), DEMO, "2026-11-25")
    with pytest.raises(BrandError) as error:
        deck.build_deck(ctx)
    message = str(error.value)
    assert "brand.yml: field 'pptx_layouts.visual'" in message
    assert "names a layout data/brand/missing_layout.pptx does not have" in message or (
        "missing_layout.pptx does not have" in message
    )
    assert "it has: 'Cover', 'Statement', " in message and "(got 'Headline')" in message


def test_a_layout_without_a_title_placeholder_is_named(project_copy):
    firm_brand(project_copy, "firm.pptx", title="Cover", text="Statement", visual="Blank")
    ctx = brief.prepare(Project.load(project_copy), DEMO, "2026-11-25")
    with pytest.raises(BrandError, match=r"'pptx_layouts.visual': names a layout with no title"):
        deck.build_deck(ctx)


def test_a_template_that_cannot_be_read_is_a_clear_error(project_copy):
    firm_brand(project_copy, "not_a_deck.pptx")
    ctx = brief.prepare(Project.load(project_copy), DEMO, "2026-11-25")
    expected = r"field 'pptx_template': .*not_a_deck.pptx cannot be read"
    with pytest.raises(BrandError, match=expected):
        deck.build_deck(ctx)


def test_the_brand_file_checks_the_template_and_layout_keys(project_copy):
    path = project_copy / "data" / "brand" / "brand.yml"
    data = yaml.safe_load(path.read_text())
    path.write_text(
        yaml.safe_dump(
            {**data, "pptx_template": "nowhere.pptx", "pptx_layouts": {"cover": "Cover"}},
            sort_keys=False,
        )
    )
    with pytest.raises(BrandError) as error:
        load_brand(path)
    message = str(error.value)
    assert "field 'pptx_template': must name a .pptx file" in message and "nowhere.pptx" in message
    assert "field 'pptx_layouts.cover': is not a known key" in message


def test_the_brief_command_exits_2_naming_the_layouts(project_copy):
    firm_brand(project_copy, "missing_layout.pptx")
    done = run_pilotfunnel(
        "brief", DEMO, "--format", "pptx", "--date", "2026-11-25", cwd=project_copy
    )
    assert done.returncode == 2, done.stderr
    assert "pptx_layouts.visual" in done.stderr and "it has: 'Cover'" in done.stderr
    assert not list((project_copy / "exports").glob("*"))  # nothing half-written


def test_the_brief_command_writes_the_deck(tmp_path):
    done = run_pilotfunnel(
        *("brief", "data/clients/demo.yaml", "--format", "pptx"),
        *("--out", tmp_path, "--date", "2026-11-25"),
    )
    assert done.returncode == 0, done.stderr
    written = tmp_path / "northwind-logistics-2026-11-25.pptx"
    assert written.read_bytes() == deck.build_deck(
        brief.prepare(Project.load(ROOT), DEMO, "2026-11-25")
    )
    assert [p.name for p in tmp_path.iterdir()] == [written.name]  # the deck alone


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        message = "LibreOffice is needed: sudo apt-get install -y libreoffice-impress"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


def to_pdf(folder, *decks) -> None:
    """LibreOffice's own conversion, headless, with a profile of its own (no clash with a
    LibreOffice in use)."""
    profile = folder / "profile"
    done = subprocess.run(
        [
            *(soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"),
            *("--convert-to", "pdf", "--outdir", str(folder), *map(str, decks)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for path in decks:
        assert path.with_suffix(".pdf").exists(), done.stdout + done.stderr


@pytest.mark.slow
def test_libreoffice_renders_every_slide_and_an_edited_charts_data(pptx, tmp_path):
    from PIL import Image
    from pptx.chart.data import CategoryChartData
    from pypdf import PdfReader

    (tmp_path / "deck.pptx").write_bytes(pptx)
    # A consultant's edit, as PowerPoint's Edit Data makes it: the funnel chart's "As is"
    # series, its "Reached production" value from 6.6 to 10.0, written to the chart and its
    # workbook alike.
    edited = Presentation(io.BytesIO(pptx))
    chart = charts(edited.slides[3])[0].chart
    data = CategoryChartData(number_format="0.0")
    data.categories = list(chart.plots[0].categories)
    for series in chart.plots[0].series:
        values = list(series.values)
        if series.name == "As is":
            assert f"{values[1]:.1f}" == "6.6"
            values[1] = 10.0
        data.add_series(series.name, values)
    chart.replace_data(data)
    edited.save(tmp_path / "edited.pptx")
    to_pdf(tmp_path, tmp_path / "deck.pptx", tmp_path / "edited.pptx")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(tmp_path / "deck.pdf"), str(tmp_path / "slide")],
        check=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("slide-*.png"))
    assert len(pages) == 9
    for page in pages:
        grey = Image.open(page).convert("L")
        inked = sum(grey.histogram()[:200])  # pixels darker than the page
        assert inked > grey.width * grey.height * 0.01, page.name  # not blank
    before = PdfReader(tmp_path / "deck.pdf").pages[3].extract_text()
    after = PdfReader(tmp_path / "edited.pdf").pages[3].extract_text()
    assert "6.6" in before and "10.0" not in before
    assert "10.0" in after and "6.6" not in after


# --- what the deck is built from ----------------------------------------------------------
@pytest.fixture(scope="module")
def executed_brief(tmp_path_factory):
    """The brief notebook for the demo client, run in a kernel and saved, as a consultant
    leaves it in JupyterLab."""
    import datetime as dt

    import nbformat

    from pilotfunnel.export.pipeline import KernelRunner, execute
    from pilotfunnel.inputs.scenario import load_scenario

    project = Project.load(ROOT)
    executed = execute(
        project, load_scenario(DEMO), dt.date(2026, 11, 25), KernelRunner(), draws=2000
    )
    path = tmp_path_factory.mktemp("brief") / "03-client-brief.ipynb"
    nbformat.write(executed, path)
    return path


def export_deck(notebook) -> bytes:
    """nbconvert's own exporter class, as JupyterLab's menu and `jupyter nbconvert` run it."""
    import nbformat

    from pilotfunnel.export.nbconvert.exporters import BriefDeckExporter

    exporter = BriefDeckExporter(project=Project.load(ROOT))
    if isinstance(notebook, Path):
        body, _ = exporter.from_filename(str(notebook))
    else:
        body, _ = exporter.from_notebook_node(nbformat.from_dict(notebook))
    return body


def with_metadata(path: Path, **changes) -> dict:
    """The saved brief notebook with its brief output's metadata changed (None removes)."""
    import json

    from pilotfunnel.views.brief import METADATA_MIMETYPE

    nb = json.loads(path.read_text(encoding="utf-8"))
    (meta,) = [
        output["data"][METADATA_MIMETYPE]
        for cell in nb["cells"]
        for output in cell.get("outputs", [])
        if METADATA_MIMETYPE in output.get("data", {})
    ]
    for key, value in changes.items():
        if value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
    return nb


def test_the_deck_exporter_builds_from_the_scenario_the_brief_carries(executed_brief):
    ctx = brief.prepare(Project.load(ROOT), DEMO, "2026-11-25", 2000)
    assert export_deck(executed_brief) == deck.build_deck(ctx)


def test_a_brief_naming_another_clients_file_is_refused_alike_whatever_the_file(
    executed_brief, tmp_path
):
    # The first serious case: a notebook's brief output named a scenario path, and the deck
    # was built from it, wherever it pointed; a missing path and a non-YAML path gave
    # different errors. Now a path is never opened, and every refusal reads the same.
    from pilotfunnel.core.errors import ScenarioError
    from pilotfunnel.inputs.scenario import load_scenario
    from pilotfunnel.views.brief import scenario_digest

    other = load_scenario(NO_RECORD)
    digest = scenario_digest(other.to_dict())  # the attacker knows even the digest
    (tmp_path / "notes.txt").write_text("not YAML: {[")
    messages = set()
    for named in (
        str(NO_RECORD),  # another client's file, by absolute path
        "../data/clients/fernhill-foods.yaml",  # the same, relative to the notebook
        str(tmp_path / "missing.yaml"),  # a file that does not exist
        str(tmp_path / "notes.txt"),  # a file that is not YAML
        "missing.yaml",  # a file name the clients folder does not have
        "fernhill-foods.yaml\x00",  # not a plain file name
    ):
        with pytest.raises(ScenarioError) as caught:
            export_deck(with_metadata(executed_brief, scenario=named, scenario_sha256=digest))
        messages.add(str(caught.value))
    (message,) = messages  # one message for all: nothing tells which files exist
    assert "\n" not in message and len(message) < 400
    assert message.startswith("the brief notebook: field 'scenario': is refused")
    assert other.client not in message and "notes" not in message


def test_a_scenario_of_the_clients_folder_is_named_by_file_name_and_digest(executed_brief):
    from pilotfunnel.core.errors import ScenarioError
    from pilotfunnel.inputs.scenario import load_scenario
    from pilotfunnel.views.brief import scenario_digest

    digest = scenario_digest(load_scenario(NO_RECORD).to_dict())
    named = with_metadata(executed_brief, scenario=NO_RECORD.name, scenario_sha256=digest)
    ctx = brief.prepare(Project.load(ROOT), NO_RECORD, "2026-11-25", 2000)
    assert export_deck(named) == deck.build_deck(ctx)
    wrong = with_metadata(executed_brief, scenario=NO_RECORD.name, scenario_sha256="0" * 64)
    with pytest.raises(ScenarioError, match="field 'scenario': is refused"):
        export_deck(wrong)


@pytest.mark.parametrize(
    "changes",
    [
        {"scenario_sha256": None},  # no digest
        {"scenario_sha256": "abc"},  # not a digest
        {"scenario_sha256": "0" * 64},  # another digest
        {"scenario": {"client": "Edited after the brief ran"}},  # content without its digest
        {"scenario": ["not", "a", "mapping"]},
    ],
)
def test_a_carried_scenario_without_its_digest_is_refused(executed_brief, changes):
    from pilotfunnel.core.errors import ScenarioError

    with pytest.raises(ScenarioError, match="field 'scenario': is refused"):
        export_deck(with_metadata(executed_brief, **changes))


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("draws", 10**12, "1 to 1,000,000"),
        ("draws", "2000", "1 to 1,000,000"),
        ("seed", -1, "0 to 2**63 - 1"),
        ("seed", True, "0 to 2**63 - 1"),
        ("date", "2026-02-30", "YYYY-MM-DD"),
        ("date", ["2026-11-25"], "YYYY-MM-DD"),
    ],
)
def test_the_recorded_run_is_checked_before_the_model_runs(executed_brief, field, value, says):
    from pilotfunnel.core.errors import InputError

    with pytest.raises(InputError) as caught:
        export_deck(with_metadata(executed_brief, **{field: value}))
    (line,) = str(caught.value).splitlines()
    assert f"the brief notebook: field '{field}'" in line and says in line


def test_control_characters_in_any_text_never_break_the_deck():
    # Before: a control character in the client's name was a traceback from lxml; python-pptx
    # wrote others as _x0001_. Every text the deck writes drops what XML cannot hold.
    scenario = brief.prepare(Project.load(ROOT), DEMO, "2026-11-25").scenario
    hostile = scenario.replace(client="North\x01wind\x0b \ud800Logis\ufffetics\x85")
    ctx = brief.prepare(Project.load(ROOT), hostile, "2026-11-25", 2000)
    prs = Presentation(io.BytesIO(deck.build_deck(ctx)))
    assert prs.slides[0].shapes.title.text.startswith("Why Northwind Logistics's AI pilots")
    assert prs.core_properties.title == "AI pilot funnel brief: Northwind Logistics"
    text = "".join(
        shape.text_frame.text + notes(slide)
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    assert "_x000" not in text and "\x01" not in text


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=30),
        st.sampled_from(["../data/clients/demo.yaml", "/etc/passwd", "demo.yaml", "~/x.yml"]),
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=40, deadline=None)
@given(
    scenario=JSON_VALUES,
    digest=st.one_of(st.none(), st.just("computed"), st.text(max_size=70)),
    run=st.fixed_dictionaries(
        {}, optional={"date": JSON_VALUES, "draws": JSON_VALUES, "seed": JSON_VALUES}
    ),
)
def test_generated_brief_metadata_is_refused_in_one_line(project, scenario, digest, run):
    import nbformat

    from pilotfunnel.core.errors import PilotfunnelError
    from pilotfunnel.views.brief import METADATA_MIMETYPE, scenario_digest

    meta = {"scenario": scenario, "date": "2026-11-25", "draws": 500, "seed": 1, **run}
    if digest == "computed":
        with contextlib.suppress(TypeError, ValueError):  # no digest for what JSON cannot hold
            meta["scenario_sha256"] = scenario_digest(scenario)
    elif digest is not None:
        meta["scenario_sha256"] = digest
    output = nbformat.v4.new_output("display_data", data={METADATA_MIMETYPE: meta})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[output])])
    with pytest.raises(PilotfunnelError) as caught:
        recorded.deck_from_brief(project, nb)
    for line in str(caught.value).splitlines():
        assert len(line) < 400


def _as_javascript_saves_it(value):
    """What JupyterLab's JavaScript writes back for a kernel's JSON: one number type, so a
    whole float (150000.0) comes back as an int (150000)."""
    if isinstance(value, dict):
        return {k: _as_javascript_saves_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_javascript_saves_it(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def test_a_brief_saved_by_jupyterlab_still_makes_its_deck():
    # Seen in the lab test: the brief run and saved in JupyterLab had its whole floats written
    # as ints, so its digest no longer matched and the menu's deck was refused.
    ctx = brief.prepare(Project.load(ROOT), DEMO, "2026-11-25", 2000)
    meta = brief.brief_metadata(ctx)
    saved = _as_javascript_saves_it(meta)
    import json

    assert json.dumps(saved["scenario"]) != json.dumps(meta["scenario"])  # "150000.0" -> "150000"
    assert recorded.recorded_scenario(Project.load(ROOT), saved) == ctx.scenario
