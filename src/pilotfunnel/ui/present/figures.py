"""Each story step's chart, as the projector shows it: the brief's own charts, drawn for the room.

The charts are the brief's builders (``views.charts``) on the view model's result and sources:
nothing is computed here. Each is redrawn narrower than on the page (4.4 in, not 7.2), so that
shown about 560 px wide at 1280 x 720 its smallest text (8 pt) reads at about 14 px or more, and
what a narrower picture would cut is laid out again: the title goes above it in the page's type,
a long axis label wraps, a legend takes two columns, and the labels beside the bars keep room.
A chart's note is its caption; where the brief's points to its appendix, which the room has
not got, the present mode's own (``messages.present``) stands in.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterator

from matplotlib.text import Text

from pilotfunnel.views import charts
from pilotfunnel.views.charts.base import publisher, wrap
from pilotfunnel.views.context import BriefContext
from pilotfunnel.views.messages import explorer_layout
from pilotfunnel.views.messages import present as words

CHART_WIDTH_INCHES = 4.4
CHART_DPI = 100
# Each chart's height on screen: what the column holds at 1280 x 720 under its title and caption.
CHART_HEIGHT_INCHES = 2.6
# An axis label or legend entry wider than this many characters wraps.
LABEL_CHARACTERS = 48
# A label beside a bar longer than this many characters takes a line for each of its clauses.
BAR_LABEL_CHARACTERS = 24
# The room right of the bars' ends for their labels, as a share of the widest bar, by chart.
LABEL_ROOM = {"stalling": 0.1, "sensitivity": 0.2}


def _fit(chart: charts.Chart) -> None:
    """Lay a chart out again for its narrower picture (see the module's docstring)."""
    fig = chart.figure
    fig.set_size_inches(CHART_WIDTH_INCHES, CHART_HEIGHT_INCHES)
    for axes in fig.axes:
        axes.set_title("", loc="left")  # shown above the picture instead
        axes.set_xlabel(wrap(axes.get_xlabel(), LABEL_CHARACTERS))
        legend = axes.get_legend()
        if legend is not None and len(legend.texts) > 2:
            handles, labels = axes.get_legend_handles_labels()
            legend.remove()
            axes.legend(
                handles,
                labels,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.3),
                ncol=2,
                fontsize=8,
                frameon=False,
                handlelength=1.4,
                handletextpad=0.4,
                columnspacing=1.0,
            )
        if chart.name in LABEL_ROOM:
            for text in axes.texts:  # a bar's label, one clause a line ("stalled $7M,")
                if len(text.get_text()) > BAR_LABEL_CHARACTERS:
                    text.set_text(text.get_text().replace(", ", ",\n"))
            low, high = axes.get_xlim()
            axes.set_xlim(low, high + (high - low) * LABEL_ROOM[chart.name])


def figure_html(chart: charts.Chart, caption: str | None = None) -> str:
    """A chart as an <img> under its title, its caption below (the chart's note unless given);
    the chart's figure is freed.

    The <img> carries its smallest text's height in the picture's own pixels
    (data-smallest-text-px), so a test can tell how large it reads as shown."""
    try:
        _fit(chart)
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
        f'<figure data-testid="step-chart" data-chart="{chart.name}" style="margin: 0">'
        f'<p class="pf-chart-title">{html.escape(chart.title)}</p>'
        f'<img alt="{html.escape(chart.alt)}" src="data:image/png;base64,{png}" '
        f'data-smallest-text-px="{smallest:.1f}">'
        f"<figcaption>{html.escape(chart.note if caption is None else caption)}</figcaption>"
        "</figure>"
    )


def evidence_chart_html(ctx: BriefContext, shown: list[str]) -> str:
    """The evidence step's chart: the cited statistics on its cards (``shown``, their source
    ids), each row named by its publisher; drawn once per project, being every client's."""
    key = ("present-evidence-chart", tuple(shown))
    sources = [ctx.sources[source_id] for source_id in shown]
    return ctx.project.cached(
        key,
        lambda: figure_html(
            charts.evidence_chart(sources, ctx.brand, label=publisher), words.EVIDENCE_CHART_NOTE
        ),
    )


def step_chart(ctx: BriefContext, name: str, shown_evidence: list[str]) -> str:
    """One step's chart by its name (``STEP_CHARTS``), drawn for the room."""
    if name == "evidence":
        return evidence_chart_html(ctx, shown_evidence)
    # The funnel's note points to the brief's appendix: the room has the present mode's own.
    made: dict[str, Callable[[], str]] = {
        "funnel": lambda: figure_html(
            charts.funnel_chart(ctx.result, ctx.brand),
            charts.modelled(explorer_layout.CHART_CAPTION, ctx.result),
        ),
        "stalling": lambda: figure_html(charts.stalling_chart(ctx.result, ctx.brand)),
        "sensitivity": lambda: figure_html(charts.sensitivity_chart(ctx.result, ctx.brand)),
    }
    return made[name]()


def step_charts(
    ctx: BriefContext, shown_evidence: list[str], first: int = 0
) -> Iterator[tuple[int, str]]:
    """Each step's chart as (its step's index, its HTML): the step ``first`` (the one on
    screen) first, so that its chart is the first to change, then the others in the story's
    order; a chart two steps share is drawn once. The steps are the evidence, the client's
    funnel, what stalling costs, what each practice gains, and the funnel again beside where
    to start (where the five practices take the client)."""
    drawn: dict[str, str] = {}
    for index in sorted(range(len(STEP_CHARTS)), key=lambda i: i != first):
        name = STEP_CHARTS[index]
        if name not in drawn:
            drawn[name] = step_chart(ctx, name, shown_evidence)
        yield index, drawn[name]


# The chart beside each step of the story (screen.STEPS), in order.
STEP_CHARTS = ("evidence", "funnel", "stalling", "sensitivity", "funnel")
