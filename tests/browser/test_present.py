"""Present mode in a real browser: Voila started by `pilotfunnel present`, driven by keyboard."""

import itertools
import json
import os
import re
import subprocess
import urllib.request
from pathlib import Path

import psutil
import pytest
import yaml
from pypdf import PdfReader

from pilotfunnel.views.formatting import count

from ..conftest import ROOT, pilotfunnel_command
from ..servers import free_port, stop, wait_for_http
from .conftest import OfflinePage, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]


@pytest.fixture
def present(kit_copy):
    port = free_port()
    env = {**os.environ, "PILOTFUNNEL_HOME": str(kit_copy)}
    process = subprocess.Popen(
        [pilotfunnel_command(), "present", "--port", str(port)],
        cwd=kit_copy,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    _PIDS[url] = process.pid
    try:
        wait_for_http(url, process)
        yield url, kit_copy
    finally:
        stop(process)
        _PIDS.pop(url, None)


_PIDS: dict[str, int] = {}


def present_pid(url: str) -> int:
    """The `pilotfunnel present` process serving this URL."""
    return _PIDS[url]


def modelled_production(kit_copy, scenario: dict) -> str:
    """What `pilotfunnel model` reports for a scenario, formatted as the explorer shows it."""
    path = kit_copy / "probe.yaml"
    path.write_text(yaml.safe_dump(scenario), encoding="utf-8")
    done = subprocess.run(
        [pilotfunnel_command(), "model", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PILOTFUNNEL_HOME": str(kit_copy)},
    )
    return count(json.loads(done.stdout)["as_is"]["production"]["expected"])


SIZES = ((1280, 720), (1920, 1080))  # a projector, a large screen
SHOTS = ROOT / "tests" / "output" / "present"  # not committed: for a person to look at


def open_present(browser, url: str, size: tuple[int, int]) -> OfflinePage:
    width, height = size
    shown = OfflinePage(browser, viewport={"width": width, "height": height})
    shown.page.goto(url, timeout=120_000)
    shown.page.get_by_test_id("key-numbers").wait_for(timeout=120_000)
    return shown


def inside_first_screen(page, test_id: str) -> bool:
    box = page.get_by_test_id(test_id).bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def wait_for_step(page, index: int) -> None:
    """Wait until the story's step ``index`` (from 0) is the one shown."""
    page.wait_for_function(
        "n => document.querySelectorAll('.pf-step-nav button')[n]"
        "?.classList.contains('mod-active')",
        arg=index,
        timeout=10_000,
    )


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_first_screen_shows_logo_numbers_and_chart_without_scrolling(present, browser, size):
    url, kit = present
    shown = open_present(browser, url, size)
    page = shown.page
    try:
        page.wait_for_load_state("networkidle")
        for part in ("brand-logo", "key-numbers", "step-chart"):
            assert inside_first_screen(page, part), part
        assert page.evaluate("document.scrollingElement.scrollTop") == 0
        assert page.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight + 1"), (
            "the page itself scrolls"
        )
        assert page.get_by_role("heading", name="Northwind Logistics").is_visible()
        demo = yaml.safe_load((kit / "data" / "clients" / "demo.yaml").read_text())
        shown_production = page.locator(".pf-production-kpi").inner_text()
        assert shown_production == modelled_production(kit, demo)
        # The brand's own font, served from the kit, is the one on screen.
        family = page.evaluate("getComputedStyle(document.querySelector('.pf-client')).fontFamily")
        assert "Source Sans 3" in family
        assert page.evaluate("document.fonts.check('16px \"Source Sans 3\"')")
        shoot(page, f"first-screen-{size[0]}x{size[1]}")
        for step in range(2, 6):  # each step of the story, for a person to look at
            page.keyboard.press("PageDown")
            wait_for_step(page, step - 1)
            page.wait_for_timeout(300)
            for part in ("brand-logo", "key-numbers", "step-chart"):
                assert inside_first_screen(page, part), (step, part)
            shoot(page, f"step-{step}-{size[0]}x{size[1]}")
        assert shown.blocked == []
    finally:
        shown.close()


def test_the_story_steps_by_keyboard_to_export_and_passes_axe_on_every_step(present, browser):
    url, kit = present
    shown = open_present(browser, url, SIZES[0])
    page = shown.page
    try:
        nav = page.get_by_test_id("step-nav")
        titles = []
        for step in range(5):
            if step:
                page.keyboard.press("PageDown")
            active = nav.locator("button.mod-active")
            wait_for_step(page, step)
            titles.append(active.inner_text())
            page.wait_for_timeout(300)  # the step's content is drawn
            assert serious_accessibility_violations(page) == [], titles[-1]
        assert titles == [
            "1 The evidence",
            "2 Your funnel today",
            "3 What stalling costs",
            "4 What changes with the five practices",
            "5 Where to start",
        ]
        page.keyboard.press("PageUp")
        wait_for_step(page, 3)
        page.keyboard.press("PageDown")
        # The evidence worded as the sources worded it was on step 1; here, the way to start.
        assert "Where to start" in page.locator(".pf-steps").inner_text()

        # Reach Export brief with the keyboard alone, and use it.
        export = page.get_by_role("button", name=re.compile("Export brief"))
        for _ in range(40):
            if export.evaluate("button => button === document.activeElement"):
                break
            page.keyboard.press("Tab")
        assert export.evaluate("button => button === document.activeElement")
        assert (
            page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        )  # the focus is visible
        page.keyboard.press("Enter")
        page.locator(".pf-export-pdf").wait_for(timeout=180_000)
        pdfs = list((kit / "exports").glob("*.pdf"))
        assert len(pdfs) == 1 and len(list((kit / "exports").glob("*.html"))) == 1
        assert "Northwind Logistics" in PdfReader(pdfs[0]).pages[0].extract_text()
        shoot(page, "exported-1280x720")
        # The projector says what was made, in the client's words: no folder, no file name.
        status = page.get_by_test_id("export-status").inner_text()
        assert status.split() == ["The", "brief", "is", "ready:", "PDF,", "HTML"]
        on_screen = page.inner_text("body").lower()
        for technical in ("/", "seed", "draws", ".yaml", ".pdf", ".html", str(kit).lower()):
            assert technical not in on_screen, technical
        # Each link hands over the file Export wrote, served by the present server itself.
        received = {}
        for fmt in ("pdf", "html"):
            with page.expect_download(timeout=30_000) as arrived:
                page.locator(f".pf-export-{fmt}").click()
            download = arrived.value
            assert download.failure() is None
            written = next((kit / "exports").glob(f"*.{fmt}"))
            assert download.suggested_filename == written.name
            received[fmt] = Path(download.path()).read_bytes()
            assert received[fmt] == written.read_bytes()
        assert received["pdf"].startswith(b"%PDF-")
        assert b"Northwind Logistics" in received["html"]
        assert shown.blocked == []
    finally:
        shown.close()


# What a step shows in the room: its heading, its chart (named, its picture's bytes), the text on
# screen, and how far below the chart the page is blank down to the foot of its column.
STEP_SHOWN = """() => {
  const visible = e => e.offsetParent !== null && e.getBoundingClientRect().height > 0;
  const step = [...document.querySelectorAll('.pf-steps h2')].filter(visible);
  const chart = [...document.querySelectorAll('[data-testid=step-chart]')].filter(visible);
  const column = document.querySelector('.pf-figure').getBoundingClientRect();
  const parts = chart.length ? [...chart[0].querySelectorAll('*')].filter(visible) : [];
  const foot = Math.max(...parts.map(e => e.getBoundingClientRect().bottom));
  return {
    headings: step.map(h => h.textContent.trim()),
    charts: chart.map(c => c.dataset.chart),
    picture: chart.length ? chart[0].querySelector('img').src : '',
    blankBelow: Math.round(Math.min(column.bottom, window.innerHeight) - foot),
    text: document.body.innerText,
  };
}"""
# A path, a seed, a draw count, a file name or the brief's appendix: nothing a room should read.
TECHNICAL = re.compile(
    r"(?:/|\\|\bseed\b|\bdraws\b|\.ya?ml\b|\.pdf\b|\.html?\b|appendix)", re.IGNORECASE
)
# How much of the chart's column may stay blank below it: the page's margin, not a gap.
BLANK_BELOW_PX = 40


@pytest.mark.parametrize("size", ((1280, 720), (1440, 900)), ids=lambda s: f"{s[0]}x{s[1]}")
def test_each_step_has_a_heading_its_own_chart_and_nothing_technical(present, browser, size):
    url, _ = present
    shown = open_present(browser, url, size)
    page = shown.page
    try:
        page.wait_for_load_state("networkidle")
        steps = []
        for step in range(5):
            if step:
                page.keyboard.press("PageDown")
            wait_for_step(page, step)
            page.wait_for_timeout(300)
            steps.append(page.evaluate(STEP_SHOWN))
            shoot(page, f"story-step-{step + 1}-{size[0]}x{size[1]}")
        for number, seen in enumerate(steps, 1):
            assert len(seen["headings"]) == 1 and seen["headings"][0], (number, seen["headings"])
            assert len(seen["charts"]) == 1, (number, seen["charts"])
            assert TECHNICAL.findall(seen["text"]) == [], (number, TECHNICAL.findall(seen["text"]))
            if size == (1280, 720):
                assert 0 <= seen["blankBelow"] <= BLANK_BELOW_PX, (number, seen["blankBelow"])
        assert [seen["charts"][0] for seen in steps] == [
            "evidence",
            "funnel",
            "stalling",
            "sensitivity",
            "funnel",
        ]
        for before, after in itertools.pairwise(steps):  # each chart is not the one before it
            assert after["picture"] != before["picture"], after["headings"]
        assert [seen["headings"][0] for seen in steps] == [
            "The evidence: most pilots stall before they pay",
            "Your funnel: 72 proofs of concept over 3 years",
            "What stalling costs",
            "What changes with the five practices",
            "Where to start",
        ]
        assert shown.blocked == []
    finally:
        shown.close()


def test_the_check_for_technical_text_finds_each_kind():
    for said in (
        "data/assumptions.yaml",
        "seed 20250818",
        "5,000 draws",
        "brief.pdf",
        "the brief's appendix",
        "C:\\briefs",
    ):
        assert TECHNICAL.search(said), said
    assert not TECHNICAL.search("The brief is ready: PDF, HTML. Seeded pilots, withdrawn.")


def test_the_inputs_drawer_moves_the_numbers_and_the_chart(present, browser):
    url, kit = present
    shown = open_present(browser, url, SIZES[0])
    page = shown.page
    try:
        assert page.get_by_test_id("inputs").is_hidden()
        page.get_by_role("button", name="Inputs").click()
        page.get_by_test_id("inputs").wait_for(state="visible")
        shoot(page, "inputs-1280x720")
        assert serious_accessibility_violations(page) == []
        # Every label is shown whole: no label is narrower than its text.
        cut = page.evaluate(
            "[...document.querySelectorAll('.pf-drawer .widget-label')]"
            ".filter(l => l.offsetParent && l.scrollWidth > l.clientWidth + 1)"
            ".map(l => l.textContent)"
        )
        assert cut == []
        # On the funnel's step, whose chart the slider moves (the evidence's is the research's).
        page.get_by_role("button", name="2 Your funnel today").click()
        wait_for_step(page, 1)
        chart = page.locator("[data-testid=step-chart][data-chart=funnel] img")
        chart.wait_for()
        before = chart.get_attribute("src")
        handle = page.locator(".pf-as_is-integration .noUi-handle")
        handle.focus()
        page.keyboard.press("ArrowRight")
        demo = yaml.safe_load((kit / "data" / "clients" / "demo.yaml").read_text())
        demo["readiness"]["as_is"]["integration"] += 1
        page.wait_for_function(
            "([selector, text]) => document.querySelector(selector)?.innerText === text",
            arg=[".pf-production-kpi", modelled_production(kit, demo)],
            timeout=30_000,
        )
        assert chart.get_attribute("src") != before
        # The readiness level reads in words beside the slider.
        assert (
            "Integrated: runs inside the real workflow"
            in page.get_by_test_id("inputs").inner_text()
        )

        # An invalid entry is explained in words next to the field, never as a traceback.
        pocs = page.locator(".pf-pocs input")
        pocs.fill("twelve")
        pocs.press("Tab")
        error = page.locator(".pf-error").first
        error.wait_for(timeout=30_000)
        assert "whole number" in error.inner_text()
        assert "Traceback" not in page.inner_text("body")
        assert shown.blocked == []
    finally:
        shown.close()


def test_a_branded_page_shows_while_the_kernel_starts(present):
    url, _ = present
    with urllib.request.urlopen(url, timeout=120) as response:
        first = response.read(20_000).decode("utf-8", "replace")
    assert 'class="pf-loading"' in first and 'role="status"' in first
    assert "Pilotfunnel Advisory" in first
    assert "voila/templates/pilotfunnel-theme/static/logo.svg" in first
    assert "Preparing the meeting view" in first


def test_a_dead_kernel_gets_a_clear_message(present, browser):
    url, _ = present
    shown = open_present(browser, url, SIZES[0])
    page = shown.page
    try:
        server = psutil.Process(present_pid(url))
        kernels = [
            p for p in server.children(recursive=True) if "ipykernel" in " ".join(p.cmdline())
        ]
        assert kernels
        for kernel in kernels:
            kernel.kill()
        message = page.locator("#pf-kernel-lost")
        message.wait_for(state="visible", timeout=60_000)
        assert "The model stopped" in message.inner_text()
        assert page.get_by_role("button", name="Reload the page").evaluate(
            "button => button === document.activeElement"
        )
        shoot(page, "kernel-lost-1280x720")
    finally:
        shown.close()


def test_port_in_use_gets_a_clear_message(present):
    url, kit = present
    port = url.rsplit(":", 1)[1].strip("/")
    done = subprocess.run(
        [pilotfunnel_command(), "present", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PILOTFUNNEL_HOME": str(kit)},
    )
    assert done.returncode == 2
    assert f"127.0.0.1:{port} is already in use" in done.stderr and "--port" in done.stderr


def test_present_mode_passes_axe_core_and_asks_nothing_of_the_network(present, offline_page):
    url, _ = present
    page = offline_page.page
    page.goto(url, timeout=120_000)
    page.get_by_test_id("key-numbers").wait_for(timeout=120_000)
    page.wait_for_load_state("networkidle")
    assert serious_accessibility_violations(page) == []
    assert offline_page.blocked == []


def test_present_opens_on_the_client_it_was_given(kit_copy, browser):
    clients = kit_copy / "data" / "clients"
    acme = yaml.safe_load((clients / "demo.yaml").read_text(encoding="utf-8"))
    acme["client"] = "Acme Freight"
    acme["pocs_per_year"] = 9
    (clients / "acme.yaml").write_text(yaml.safe_dump(acme), encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [pilotfunnel_command(), "present", "data/clients/acme.yaml", "--port", str(port)],
        cwd=kit_copy,
        env={**os.environ, "PILOTFUNNEL_HOME": str(kit_copy)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, process)
        shown = open_present(browser, url, SIZES[0])
        page = shown.page
        try:
            assert page.locator(".pf-client").inner_text() == "Acme Freight"
            assert "Northwind Logistics" not in page.inner_text("body")
            assert page.locator(".pf-production-kpi").inner_text() == modelled_production(
                kit_copy, acme
            )
            shoot(page, "acme-1280x720")
        finally:
            shown.close()
    finally:
        stop(process)


# The fields' right edges against the drawer's inner edge (its padding inside), and against
# each box around them, which would cut what passes its edge.
FIELDS_PAST_AN_EDGE = """() => {
  const drawer = document.querySelector('.pf-drawer');
  const d = drawer.getBoundingClientRect();
  const inner = d.left + drawer.clientLeft + drawer.clientWidth
    - parseFloat(getComputedStyle(drawer).paddingRight);
  const past = [];
  const fields = drawer.querySelectorAll(
    'input:not([type=hidden]), select, textarea, .noUi-target, .widget-inline-hbox');
  for (const field of fields) {
    if (!field.offsetParent) { continue; }
    const right = field.getBoundingClientRect().right;
    const name = (field.closest('.widget-inline-hbox')?.querySelector('label')?.textContent
      || field.className).trim();
    if (right > inner + 0.5) { past.push(`${name}: ${right} past the drawer's ${inner}`); }
    for (let box = field.parentElement; box && box !== drawer; box = box.parentElement) {
      const edge = box.getBoundingClientRect().right;
      if (right > edge + 0.5) { past.push(`${name}: ${right} past its box's ${edge}`); break; }
    }
  }
  return {past, count: fields.length};
}"""


def test_the_drawer_fits_its_fields_keeps_the_story_and_closes_on_escape(present, browser):
    url, _ = present
    shown = open_present(browser, url, SIZES[0])
    page = shown.page
    try:
        toggle = page.get_by_role("button", name="Inputs")
        drawer = page.get_by_test_id("inputs")
        toggle.focus()
        page.keyboard.press("Enter")
        drawer.wait_for(state="visible")
        page.wait_for_timeout(300)
        shoot(page, "drawer-open-1280x720")
        fit = page.evaluate(FIELDS_PAST_AN_EDGE)
        assert fit["count"] > 10
        assert fit["past"] == []
        # The story stays on screen beside the drawer, its step buttons still there to press.
        assert page.get_by_test_id("step-nav").is_visible()
        assert page.locator(".pf-steps").is_visible()
        assert inside_first_screen(page, "step-nav")
        # Escape from a field inside the drawer closes it and hands the focus back.
        page.locator(".pf-drawer input[type=text]").first.focus()
        page.keyboard.press("Escape")
        drawer.wait_for(state="hidden", timeout=10_000)
        assert toggle.evaluate("button => button === document.activeElement")
        assert "mod-active" not in (toggle.get_attribute("class") or "")
        # Open again, by click this time, and Escape from the button itself.
        toggle.click()
        drawer.wait_for(state="visible")
        page.keyboard.press("Escape")
        drawer.wait_for(state="hidden", timeout=10_000)
        assert toggle.evaluate("button => button === document.activeElement")
        assert shown.blocked == []
    finally:
        shown.close()


def test_type_is_sized_for_a_projector_at_1280x720(present, browser):
    url, _ = present
    shown = open_present(browser, url, SIZES[0])
    page = shown.page
    try:
        page.wait_for_load_state("networkidle")
        # The step buttons share one row, in the brand's font, as does every control.
        tops = page.evaluate(
            "[...document.querySelectorAll('.pf-step-nav button')]"
            ".map(b => Math.round(b.getBoundingClientRect().top))"
        )
        assert len(tops) == 5 and len(set(tops)) == 1, tops
        fonts = page.evaluate(
            "[...document.querySelectorAll('button, input, select')].filter(e => e.offsetParent)"
            ".map(e => [e.textContent.trim() || e.className, getComputedStyle(e).fontFamily])"
        )
        assert len(fonts) >= 6  # Inputs and the five steps
        assert [name for name, family in fonts if "Source Sans 3" not in family] == []
        assert page.evaluate("document.fonts.check('16px \"Source Sans 3\"')")
        assert page.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight + 1")
        for step in range(1, 6):  # every step, each with its own chart
            if step > 1:
                page.keyboard.press("PageDown")
                wait_for_step(page, step - 1)
                page.wait_for_timeout(300)
            # The chart's smallest text as shown: its height in the picture, scaled as drawn.
            rendered = page.evaluate(
                "(() => { const img = document.querySelector('[data-testid=step-chart] img');"
                " return parseFloat(img.dataset.smallestTextPx) * Math.min(img.clientWidth"
                " / img.naturalWidth, img.clientHeight / img.naturalHeight); })()"
            )
            assert rendered >= 14, (step, rendered)
            for selector in (".pf-chart-title", "[data-testid=step-chart] figcaption"):
                size = page.evaluate(
                    "s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)",
                    selector,
                )
                assert size >= 14, (step, selector, size)
            assert inside_first_screen(page, "step-chart"), step
            assert (
                len(
                    set(
                        page.evaluate(
                            "[...document.querySelectorAll('.pf-step-nav button')]"
                            ".map(b => Math.round(b.getBoundingClientRect().top))"
                        )
                    )
                )
                == 1
            )
            shoot(page, f"projector-step-{step}-1280x720")
        assert shown.blocked == []
    finally:
        shown.close()


def test_the_console_is_clean_of_the_kits_own_errors(present, browser):
    # The kit's export-menu extension is not loaded where JupyterLab's menu is absent (and it
    # requires nothing, should it be); no page error, no console error. What remains are the
    # version warnings of JupyterLab's widget manager, built against a newer JupyterLab than
    # Voila's core, which the README explains ("Known console messages"): nothing else.
    url, _ = present
    shown = OfflinePage(browser, viewport={"width": 1280, "height": 720})
    messages: list[str] = []
    shown.page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    shown.page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    try:
        shown.page.goto(url, timeout=120_000)
        shown.page.get_by_test_id("key-numbers").wait_for(timeout=120_000)
        config = json.loads(shown.page.locator("#jupyter-config-data").text_content())
        loaded = {extension["name"] for extension in config["federated_extensions"]}
        assert "pilotfunnel-export-menu" not in loaded
        assert "@jupyter-widgets/jupyterlab-manager" in loaded  # the widgets need it
        shown.page.wait_for_timeout(1_000)  # late plugin activations log after the first paint
        errors = [m for m in messages if m.startswith(("error", "pageerror"))]
        assert not errors, errors
        warnings = [m for m in messages if m.startswith("warning")]
        explained = re.compile(
            r"warning: (Unsatisfied version \S+ from _JUPYTERLAB\.CORE_OUTPUT of shared singleton"
            r" module @jupyterlab/|No satisfying version \S+ of shared module @jupyterlab/)"
        )
        assert all(explained.match(m) for m in warnings), warnings
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        assert "Known console messages" in readme and "Unsatisfied version" in readme
    finally:
        shown.close()
