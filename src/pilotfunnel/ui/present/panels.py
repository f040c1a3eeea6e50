"""What present mode's screen shows, as HTML drawn from the brief's view model.

The key numbers are ``BriefContext.headline``, the evidence ``ctx.evidence``, the record
``ctx.record_table``, the funnel ``ctx.at_a_glance``, the practices ``ctx.practices_table`` and
the next steps ``ctx.next_steps``: the brief's own figures and words. The screen's own few
sentences are its catalogue's (``messages.present``). Nothing is computed here.
"""

from __future__ import annotations

import base64
import html

from matplotlib.text import Text

from pilotfunnel.views import charts
from pilotfunnel.views import messages as msg
from pilotfunnel.views.context import BriefContext, EvidenceItem, Headline, TableView
from pilotfunnel.views.messages import present as words
from pilotfunnel.views.theme import css

# The headline's tone, as the page's classes colour it (present.css: .pf-kpi.pf-danger ...).
TONE_CLASSES = {"neutral": "", "danger": " pf-danger", "success": " pf-success"}
# As many evidence cards as fit one screen at 1280 x 720; the verified ones, in the brief's order.
EVIDENCE_SHOWN = 4
# The chart for a projector: drawn narrower than the brief's (7.2 in) so that, shown about
# 560 px wide at 1280 x 720, its smallest text (8.5 pt) reads at about 15 px, not 9.
# Its title goes above it in the page's type, where a narrower picture cannot cut it.
CHART_WIDTH_INCHES, CHART_HEIGHT_INCHES = 4.4, 2.6
CHART_DPI = 100


def header_html(ctx: BriefContext) -> str:
    """The brand's logo and the client's name."""
    return (
        f'<div class="pf-brand"><img data-testid="brand-logo" src="{css.logo_data_uri(ctx.brand)}"'
        f' alt="{html.escape(ctx.brand.name)}"></div>'
        f'<h1 class="pf-client">{html.escape(ctx.client)}</h1>'
    )


def _kpi(headline: Headline) -> str:
    figure = html.escape(headline.figure)
    if headline.unit:  # the figure large, its unit ("of 72") small beside it
        figure = (
            f'<span class="pf-{headline.key}-kpi">{figure}</span> '
            f"<small>{html.escape(headline.unit)}</small>"
        )
    return (
        f'<div class="pf-kpi{TONE_CLASSES[headline.tone]}" data-kpi="{headline.key}">'
        f'<p class="pf-kpi-value">{figure}</p><p>{html.escape(headline.label)}</p>'
        f"<p class='pf-kpi-range'>{html.escape(headline.detail)}</p></div>"
    )


def key_numbers_html(ctx: BriefContext) -> str:
    """The brief's three headline numbers, worded as the brief words them."""
    kpis = "".join(_kpi(headline) for headline in ctx.headline)
    return f'<div class="pf-kpis" data-testid="key-numbers">{kpis}</div>'


def table_html(view: TableView | None, css_class: str = "pf-key-numbers") -> str:
    """A view model's table, cells as formatted; empty for no table."""
    if view is None:
        return ""
    head = "".join(f"<th scope='col'>{html.escape(c)}</th>" for c in view.columns)
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(row[0])}</th>"
        + "".join(f"<td>{html.escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in view.rows
    )
    note = f"<p class='pf-note'>{html.escape(view.note)}</p>" if view.note else ""
    return (
        f"<table class='{css_class}'><caption>{html.escape(view.caption)}</caption>"
        f"<tr>{head}</tr>{rows}</table>{note}"
    )


def _evidence_card(item: EvidenceItem, quote: str) -> str:
    words_of_source = (
        f"<details><summary>{words.THEIR_WORDS}</summary><q>{html.escape(quote)}</q></details>"
        if quote
        else ""
    )
    return (
        f'<div class="pf-card"><p class="pf-card-value">{html.escape(item.value)}</p>'
        f"<p>{html.escape(item.claim)}</p>"
        f"<p class='pf-source'>{html.escape(item.source)}</p>{words_of_source}</div>"
    )


def evidence_html(ctx: BriefContext) -> str:
    """The brief's evidence: its first verified statistics, each with the source's words."""
    shown = [item for item in ctx.evidence if item.level == "verified"][:EVIDENCE_SHOWN]
    cards = "".join(_evidence_card(item, ctx.sources[item.source_id].quote) for item in shown)
    return (
        '<section class="pf-evidence" data-testid="evidence">'
        f"<h2>{msg.EVIDENCE_HEADING}</h2>"
        f'<div class="pf-cards">{cards}</div><p class="pf-note">{words.EVIDENCE_NOTE}</p>'
        "</section>"
    )


def funnel_html(ctx: BriefContext) -> str:
    """The record against the research (with a record), then the brief's key numbers."""
    return table_html(ctx.record_table, "pf-key-numbers pf-record-table") + table_html(
        ctx.at_a_glance
    )


def practices_summary(ctx: BriefContext) -> str:
    """What the five practices change, in one sentence: "from a to b" only where a and b are
    written differently, and the net gain unless it shows as nothing."""
    a, t = ctx.as_is, ctx.target
    as_is, target = ctx.n(a["production"]), ctx.n(t["production"])
    net = ctx.net_gain_text
    same_production, no_gain = as_is == target, ctx.money(0) == net
    if same_production and no_gain:
        text = words.PRACTICES_SUMMARY_NO_CHANGE
    elif same_production:
        text = words.PRACTICES_SUMMARY_SAME_PRODUCTION
    else:
        text = words.PRACTICES_SUMMARY
    return text.format(as_is=as_is, target=target, years=ctx.years, net=net)


def practices_html(ctx: BriefContext) -> str:
    """What the five practices change, and a bar for each practice the target raises."""
    table = ctx.practices_table
    # The table's rows follow the ranking (by net value); a bar's length is its net value's
    # share of the largest, a practice that does not pay alone a sliver.
    raised = [(e, row) for e, row in zip(ctx.ranking, table.rows, strict=True) if e.raised]
    largest = max((e.net_value_gain for e, _ in raised), default=0)
    largest = largest if largest > 0 else 1

    def bar(e, row) -> str:
        label, from_level, to_level, net, _value, _spend, _change, production = row
        width = max(e.net_value_gain / largest, 0.02) * 100
        return (
            f"<li><span class='pf-bar-label'><b>{html.escape(label)}</b> "
            + words.PRACTICE_LEVELS.format(from_level=from_level, to_level=to_level)
            + f"</span><span class='pf-bar' style='width: {width:.0f}%'></span><span>"
            + html.escape(words.PRACTICE_GAINS.format(net=net, production=production))
            + "</span></li>"
        )

    bars = "".join(bar(e, row) for e, row in raised)
    return (
        f"<h2>{msg.PRACTICES_HEADING}</h2><p>{html.escape(practices_summary(ctx))}</p>"
        f"<h3>{words.PRACTICES_BARS}</h3>"
        f"<ol class='pf-bars'>{bars or f'<li>{words.TARGET_EQUALS_AS_IS}</li>'}</ol>"
    )


def where_to_start_html(ctx: BriefContext) -> str:
    """The brief's next steps, under the story's own heading."""
    items = "".join(
        f"<li><strong>{html.escape(s.title)}</strong> {html.escape(s.text)}</li>"
        for s in ctx.next_steps
    )
    return f'<section class="next"><h2>{msg.WHERE_TO_START}</h2><ol>{items}</ol></section>'


def chart_html(ctx: BriefContext) -> str:
    """The funnel chart as the projector shows it: the brief's chart, narrower so its text is
    larger on screen. The <img> carries its smallest text's height in the picture's own
    pixels (data-smallest-text-px), so a test can tell how large it reads as shown."""
    chart = charts.funnel_chart(ctx.result, ctx.brand)
    try:
        chart.figure.set_size_inches(CHART_WIDTH_INCHES, CHART_HEIGHT_INCHES)
        for axes in chart.figure.axes:
            axes.set_title("", loc="left")  # shown above the picture instead
        png = base64.b64encode(chart.png(dpi=CHART_DPI, with_note=False)).decode("ascii")
        sizes = [
            text.get_fontsize()
            for text in chart.figure.findobj(Text)
            if text.get_visible() and text.get_text().strip()
        ]
    finally:
        chart.figure.clear()
    smallest = min(sizes) * CHART_DPI / 72
    return (
        '<figure data-testid="funnel-chart" style="margin: 0">'
        f'<p class="pf-chart-title">{html.escape(chart.title)}</p>'
        f'<img alt="{html.escape(chart.alt)}" src="data:image/png;base64,{png}" '
        f'data-smallest-text-px="{smallest:.1f}" style="width: 100%; height: auto">'
        f"<figcaption>{html.escape(chart.note)}</figcaption></figure>"
    )
