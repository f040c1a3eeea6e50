"""What present mode's screen shows, as HTML drawn from the brief's view model.

The key numbers are ``BriefContext.headline``, the evidence ``ctx.evidence``, the funnel
``ctx.funnel_table`` and the record ``ctx.record_table``, what stalling costs
``ctx.money_table``, what the practices change ``ctx.at_a_glance`` and the next steps
``ctx.next_steps``: the brief's own figures and words (each step's chart is ``figures``'). The
screen's own few sentences are its catalogue's (``messages.present``). Nothing is computed here.
"""

from __future__ import annotations

import html

from pilotfunnel.views import messages as msg
from pilotfunnel.views.context import BriefContext, EvidenceItem, Headline, TableView
from pilotfunnel.views.messages import present as words
from pilotfunnel.views.theme import css

# The headline's tone, as the page's classes colour it (present.css: .pf-kpi.pf-danger ...).
TONE_CLASSES = {"neutral": "", "danger": " pf-danger", "success": " pf-success"}
# As many evidence cards as fit one screen at 1280 x 720; the verified ones, in the brief's order.
EVIDENCE_SHOWN = 4


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


def table_html(
    view: TableView | None, css_class: str = "pf-key-numbers", headed: bool = False
) -> str:
    """A view model's table, cells as formatted; empty for no table. ``headed``: its caption
    is the step's heading, above it, rather than the table's own caption."""
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
    caption = html.escape(view.caption)
    return (
        f"<h2>{caption}</h2><table class='{css_class}'>"
        if headed
        else f"<table class='{css_class}'><caption>{caption}</caption>"
    ) + f"<tr>{head}</tr>{rows}</table>{note}"


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


def shown_evidence(ctx: BriefContext) -> list[EvidenceItem]:
    """The statistics the evidence step shows, on its cards and its chart: the brief's first
    verified ones."""
    return [item for item in ctx.evidence if item.level == "verified"][:EVIDENCE_SHOWN]


def evidence_html(ctx: BriefContext) -> str:
    """The brief's evidence: its first verified statistics, each with the source's words."""
    shown = shown_evidence(ctx)
    cards = "".join(_evidence_card(item, ctx.sources[item.source_id].quote) for item in shown)
    return (
        '<section class="pf-evidence" data-testid="evidence">'
        f"<h2>{msg.EVIDENCE_HEADING}</h2>"
        f'<div class="pf-cards">{cards}</div><p class="pf-note">{words.EVIDENCE_NOTE}</p>'
        "</section>"
    )


def record_line_html(ctx: BriefContext) -> str:
    """How the client's record moves the model and what it can say; empty without a record.
    (The explorer's line adds why raising today's score can lower the target: the
    consultant's to explain, not the projector's.)"""
    if not ctx.calibrated:
        return ""
    return (
        f"<p class='pf-record'><b>{html.escape(ctx.record_shift)}</b> "
        f"{html.escape(ctx.record_verdict)}</p>"
    )


def funnel_html(ctx: BriefContext) -> str:
    """The client's funnel under the brief's heading: each stage as is and with the five
    practices (the chart's figures, with their ranges), then how the client's record moves the
    model and the record against the research (with a record)."""
    return (
        table_html(ctx.funnel_table, "pf-key-numbers pf-funnel-table", headed=True)
        + record_line_html(ctx)
        + table_html(ctx.record_table, "pf-key-numbers pf-record-table")
    )


def stalling_html(ctx: BriefContext) -> str:
    """What stalling costs, under the brief's heading: its money figures as is and with the
    five practices, with their ranges."""
    return table_html(ctx.money_table, headed=True)


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
    """What the five practices change: in one sentence, then the brief's at-a-glance figures
    as is and with the five practices, with the change. What raising each practice alone gains
    is the step's chart (figures: the brief's sensitivity chart), not said twice."""
    return (
        f"<h2>{msg.PRACTICES_HEADING}</h2><p>{html.escape(practices_summary(ctx))}</p>"
        + table_html(ctx.at_a_glance)
    )


def where_to_start_html(ctx: BriefContext) -> str:
    """The brief's next steps, under the story's own heading."""
    items = "".join(
        f"<li><strong>{html.escape(s.title)}</strong> {html.escape(s.text)}</li>"
        for s in ctx.next_steps
    )
    return f'<section class="next"><h2>{msg.WHERE_TO_START}</h2><ol>{items}</ol></section>'
