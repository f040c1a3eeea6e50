"""What the explorer shows of one result, as HTML drawn from the brief's view model.

Every figure and sentence comes from ``BriefContext`` (its figures, formatted by the brief's
formatter) or the explorer's catalogue (``messages.explorer``): nothing is worked out here.
"""

from __future__ import annotations

import base64
import html

from pilotfunnel.views import charts
from pilotfunnel.views import messages as msg
from pilotfunnel.views.charts.base import modelled
from pilotfunnel.views.context import BriefContext
from pilotfunnel.views.messages import explorer as words
from pilotfunnel.views.messages import explorer_layout
from pilotfunnel.views.tables import Row


def headline_html(ctx: BriefContext) -> str:
    """The brief's three headline numbers, each with its sentence and range: what the results
    open with, before how the record moved them."""
    items = "".join(
        f'<div class="pf-headline-item pf-{h.tone}" data-headline="{h.key}">'
        f'<p class="pf-headline-value">{html.escape(h.value)}</p>'
        f"<p>{html.escape(h.label)}</p><p><small>{html.escape(h.detail)}</small></p></div>"
        for h in ctx.headline
    )
    return f'<div class="pf-headline">{items}</div>'


def advice_html(ctx: BriefContext) -> str:
    """The consultant's next step about the record: the explorer's, never the client's."""
    return f"<p><small>{html.escape(ctx.consultant_note)}</small></p>"


def record_line_html(ctx: BriefContext) -> str:
    """How the record moves the model, what it can say, and why raising today's score can
    lower the target; empty without a record."""
    if not ctx.calibrated:
        return ""
    return (
        f"<p><b>{html.escape(ctx.record_shift)}</b> {html.escape(ctx.record_verdict)}</p>"
        f'<p class="pf-anchoring"><small>{html.escape(ctx.anchoring)}</small></p>'
    )


def key_numbers_html(ctx: BriefContext, draws: int, seed: int) -> str:
    """The key numbers as is and with the five practices, each with its P10 to P90."""

    def cells(outcome, key: Row) -> tuple[str, str]:
        # The view model's formatters for the figure and its range, the brief's own.
        figure = outcome[key.metric]
        if key.kind == "count":
            return ctx.figure_text(outcome, key), ctx.n_range(figure)
        return ctx.figure_text(outcome, key), ctx.fmt_range(figure, key.kind)

    def row(key: Row) -> str:
        metric, label = key.metric, key.label
        a, a_range = cells(ctx.as_is, key)
        t, t_range = cells(ctx.target, key)
        return (
            f'<tr><th>{label}</th><td class="pf-asis-{metric}">{a}</td><td>{a_range}</td>'
            f'<td class="pf-target-{metric}">{t}</td><td>{t_range}</td></tr>'
        )

    note = words.MODELLED_NOTE.format(
        calibrated=words.CALIBRATED_CLAUSE if ctx.calibrated else "",
        years=ctx.years,
        pocs=ctx.pocs_total,
        draws=f"{draws:,}",
        seed=seed,
    )
    return (
        f"<table class='pf-key-numbers'><tr><th></th><th>{msg.AS_IS}</th>"
        f"<th>{msg.P10_TO_P90}</th><th>{msg.FIVE_PRACTICES}</th><th>{msg.P10_TO_P90}</th></tr>"
        + "".join(row(key_number) for key_number in ctx.key_numbers)
        + f"</table><p><small>{note}</small></p>"
    )


def chart_html(ctx: BriefContext) -> str:
    """The funnel chart as a PNG <img> with its alt text (an Image widget has no alt), and
    under it the explorer's caption (the chart's own note points at the brief's appendix,
    which the explorer has not)."""
    chart = charts.funnel_chart(ctx.result, ctx.brand)
    caption = modelled(explorer_layout.CHART_CAPTION, ctx.result)
    try:
        png = base64.b64encode(chart.png(dpi=100, with_note=False)).decode("ascii")
    finally:
        chart.figure.clear()
    return (
        '<figure data-testid="funnel-chart" style="margin: 0">'
        f'<img alt="{html.escape(chart.alt)}" src="data:image/png;base64,{png}" '
        'style="width: 100%; height: auto">'
        f"<figcaption><small>{html.escape(caption)}</small></figcaption></figure>"
    )


def ranking_html(ctx: BriefContext) -> str:
    """The practices the target raises, each with what raising it alone gains."""
    items = "".join(
        f"<li><b>{html.escape(e.label)}</b> "
        + words.RANKING_ITEM.format(
            from_level=e.from_level,
            to_level=e.to_level,
            net=ctx.signed(e.net_shown),
            production=ctx.count(e.production_gain),
        )
        + "</li>"
        for e in ctx.raised
    )
    return (
        f"<h4>{words.RANKING_HEADING}</h4>"
        f"<ol class='pf-ranking'>{items or f'<li>{words.NO_PRACTICE_RAISED}</li>'}</ol>"
    )
