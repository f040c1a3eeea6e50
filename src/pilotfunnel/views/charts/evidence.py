"""What the research says: the cited shares, with their 80% intervals, grouped by kind.

A share that fails (abandoned, scrapped, no return) and a share that succeeds (reached
production) are opposite kinds of statistic: set on one axis without saying which is which, "95%
report no return" reads as if it outranked "12.1% reached production". So each source is put
in a named group by what its share counts, with its own colour and marker.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.inputs.sources.load import Source
from pilotfunnel.views.charts.base import Chart, count_axis, figure, finish, short
from pilotfunnel.views.citation import citation
from pilotfunnel.views.messages import charts as cmsg
from pilotfunnel.views.theme import mpl as theme_mpl

# What a share counts is the table's ``kind`` column; a table without it (or a row with the
# cell empty) has it read from the statistic's wording. Failing words come first: "moved 30%
# or fewer into production" counts the organisations that fall short, though it names
# production.
_FAILING = re.compile(r"fail|abandon|scrapped|no measurable|zero return|or fewer", re.IGNORECASE)
_SUCCEEDING = re.compile(r"production|succe|deploy", re.IGNORECASE)

SUCCEEDING, FAILING, OTHER = "succeeding", "failing", "other"
# The groups top to bottom, each with its heading.
KINDS = (
    (SUCCEEDING, cmsg.EVIDENCE_KIND_SUCCEEDING),
    (FAILING, cmsg.EVIDENCE_KIND_FAILING),
    (OTHER, cmsg.EVIDENCE_KIND_OTHER),
)


# The table's kinds (inputs.sources.schema.KINDS) as the chart's groups.
_GROUP_OF_KIND = {"reached": SUCCEEDING, "failed": FAILING, "other": OTHER}


def kind(src: Source) -> str:
    """Which kind of share a source's statistic is: failing, succeeding or other; the table's
    ``kind`` where given, else read from the statistic's wording (an older table)."""
    if src.kind in _GROUP_OF_KIND:
        return _GROUP_OF_KIND[src.kind]
    if _FAILING.search(src.statistic):
        return FAILING
    if _SUCCEEDING.search(src.statistic):
        return SUCCEEDING
    return OTHER


def evidence_chart(
    sources: list[Source], brand: Brand, label: Callable[[Source], str] = short
) -> Chart:
    """The cited shares with their 80% intervals (where a sample size is known), in one named
    group per kind of share. ``label`` names each row: its publisher and statistic by default;
    present mode names the publisher alone, the statistic's words being on screen beside it."""
    c = brand.colors
    style = {
        SUCCEEDING: (c["success"], "o"),
        FAILING: (c["danger"], "s"),
        OTHER: (c["primary"], "D"),
    }
    percent = [src for src in sources if src.unit == "percent"]
    groups = [
        (name, heading, sorted((s for s in percent if kind(s) == name), key=lambda s: s.value))
        for name, heading in KINDS
    ]
    groups = [g for g in groups if g[2]]
    # Rows top to bottom: each group's heading, then its sources; y grows downwards.
    rows: list[tuple[str, str, Source | None]] = []
    for name, heading, members in groups:
        rows.append((name, heading, None))
        rows.extend((name, "", src) for src in members)
    lines = max([label(src).count("\n") + 1 for _k, _h, src in rows if src] or [1])
    with theme_mpl.style(brand):
        fig, axes = figure(brand, 1.0 + (0.14 * lines + 0.06) * max(len(rows), 1))
        ticks, labels = [], []
        for y, (name, heading, src) in enumerate(rows):
            colour, marker = style[name]
            if src is None:
                axes.text(
                    1, y + 0.2, heading, color=colour, fontweight="bold", fontsize=9, va="center"
                )
                continue
            ticks.append(y)
            labels.append(label(src))
            interval = src.interval(0.8)
            if interval:
                axes.plot(
                    [interval[0] * 100, interval[1] * 100],
                    [y, y],
                    color=c["muted"],
                    linewidth=2.2,
                    solid_capstyle="butt",
                )
            filled = src.evidence == "verified"
            axes.plot(
                [src.value],
                [y],
                marker=marker,
                markersize=7,
                linestyle="none",
                color=colour,
                markerfacecolor=colour if filled else "white",
                markeredgewidth=1.5,
                gid=f"evidence-{name}",
            )
            # The source's own figure as it states it (a percent with its own digits).
            axes.text(src.value + 2, y - 0.3, f"{src.value:g}%", fontsize=8.5, va="center")
        axes.set_yticks(ticks, labels, fontsize=8)
        axes.set_ylim(len(rows) - 0.4, -0.4)  # top to bottom, with room above and below
        axes.set_xlim(0, 105)
        count_axis(axes)
        axes.set_xlabel(cmsg.EVIDENCE_X_LABEL)
        finish(fig, axes, cmsg.EVIDENCE_TITLE, cmsg.EVIDENCE_NOTE, brand)
    # Each group named before its sources, as the chart shows them.
    alt = cmsg.EVIDENCE_ALT.format(
        groups=". ".join(
            cmsg.EVIDENCE_ALT_GROUP.format(
                heading=heading,
                listed="; ".join(
                    cmsg.EVIDENCE_ALT_ITEM.format(citation=citation(src), statistic=src.statistic)
                    for src in members
                ),
            )
            for _name, heading, members in groups
        )
    )
    return Chart("evidence", fig, cmsg.EVIDENCE_TITLE, alt, cmsg.EVIDENCE_NOTE)
