"""What the research says: the cited shares, with their 80% intervals."""

from __future__ import annotations

from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.inputs.sources.load import Source
from pilotfunnel.views.charts.base import Chart, count_axis, figure, finish, short
from pilotfunnel.views.messages import charts as cmsg
from pilotfunnel.views.theme import mpl as theme_mpl


def evidence_chart(sources: list[Source], brand: Brand) -> Chart:
    """The cited shares with their 80% intervals (where a sample size is known)."""
    shown = [src for src in sources if src.unit == "percent"]
    shown.sort(key=lambda src: src.value)
    c = brand.colors
    with theme_mpl.style(brand):
        fig, axes = figure(brand, 1.0 + 0.5 * max(len(shown), 1))
        for y, src in enumerate(shown):
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
                marker="o",
                markersize=7,
                linestyle="none",
                color=c["primary"],
                markerfacecolor=c["primary"] if filled else "white",
                markeredgewidth=1.5,
            )
            # The source's own figure as it states it (a percent with its own digits).
            axes.text(src.value + 2, y + 0.3, f"{src.value:g}%", fontsize=8.5, va="center")
        axes.set_yticks(range(len(shown)), [short(src) for src in shown], fontsize=8.5)
        axes.set_xlim(0, 105)
        count_axis(axes)
        axes.set_xlabel(cmsg.EVIDENCE_X_LABEL)
        finish(fig, axes, cmsg.EVIDENCE_TITLE, cmsg.EVIDENCE_NOTE, brand)
    listed = "; ".join(
        cmsg.EVIDENCE_ALT_ITEM.format(
            publisher=src.publisher, year=src.published.year, statistic=src.statistic
        )
        for src in shown
    )
    alt = cmsg.EVIDENCE_ALT.format(listed=listed)
    return Chart("evidence", fig, cmsg.EVIDENCE_TITLE, alt, cmsg.EVIDENCE_NOTE)
