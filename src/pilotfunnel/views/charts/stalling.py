"""What stalling costs: spend split into what stalled and what shipped, then the cost of the
change where there is one, against value."""

from __future__ import annotations

from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.model.result import Result
from pilotfunnel.views import messages as msg
from pilotfunnel.views.charts.base import Chart, figure, finish, modelled
from pilotfunnel.views.formatting import money
from pilotfunnel.views.messages import charts as cmsg
from pilotfunnel.views.theme import mpl as theme_mpl


def stalling_chart(result: Result, brand: Brand) -> Chart:
    """Spend split into what stalled and what shipped, against value delivered."""
    s = result.scenario
    c = brand.colors
    with theme_mpl.style(brand):
        fig, axes = figure(brand, 2.4)
        rows = ((msg.AS_IS, result.as_is), (msg.FIVE_PRACTICES_IN_PLACE_WRAPPED, result.target))
        for y, (_label, outcome) in enumerate(rows):
            stalled = outcome["stalled_spend"].expected
            shipped = outcome["spend"].expected - stalled
            value = outcome["value"].expected
            axes.barh(
                y,
                stalled,
                color=c["danger"],
                height=0.5,
                linewidth=0,
                label=msg.SPEND_NEVER_SHIPS if y == 0 else None,
            )
            axes.barh(
                y,
                shipped,
                left=stalled,
                color=c["muted"],
                height=0.5,
                hatch="\\\\\\",  # lines, not dots: dots are thousands of tiny paths to draw
                edgecolor="white",
                linewidth=0,
                label=cmsg.STALLING_SHIPPED if y == 0 else None,
            )
            change = outcome["change_cost"].expected
            if change > 0:  # what putting the practices in place costs, paid beside the spend
                axes.barh(
                    y,
                    change,
                    left=outcome["spend"].expected,
                    color=c["secondary"],
                    height=0.5,
                    linewidth=0,
                    label=msg.CHANGE_COST_ROW,
                )
            axes.plot(
                [value],
                [y],
                marker="D",
                color=c["success"],
                markersize=8,
                markeredgecolor="white",
                linestyle="none",
                label=msg.VALUE_DELIVERED if y == 0 else None,
            )
            words = cmsg.STALLING_BAR_LABEL_CHANGE if change > 0 else cmsg.STALLING_BAR_LABEL
            # Beside whichever ends further right, the bar or the value's marker, clear of both.
            axes.annotate(
                words.format(
                    stalled=money(stalled, s.currency),
                    change=money(change, s.currency),
                    value=money(value, s.currency),
                ),
                (max(value, outcome["spend"].expected + change), y),
                xytext=(9, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.5,
            )
        axes.set_yticks([0, 1], [r[0] for r in rows])
        axes.invert_yaxis()
        axes.set_xlabel(cmsg.STALLING_X_LABEL.format(currency=s.currency, years=s.horizon_years))
        axes.xaxis.set_major_formatter(lambda v, _pos: money(v, s.currency))
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=4, fontsize=8)
        axes.margins(x=0.45)
        axes.set_xlim(left=0)  # set, not left to the margins: a bar's length is its value
        note = modelled(cmsg.STALLING_NOTE, result)
        finish(fig, axes, msg.STALLING_HEADING, note, brand)
    a, t = result.as_is, result.target
    alt = cmsg.STALLING_ALT.format(
        years=s.horizon_years,
        stalled=money(a["stalled_spend"].expected, s.currency),
        spend=money(a["spend"].expected, s.currency),
        value=money(a["value"].expected, s.currency),
    ) + msg.STALLING_ALT_TARGET.format(
        stalled=money(t["stalled_spend"].expected, s.currency),
        value=money(t["value"].expected, s.currency),
    )
    return Chart("stalling", fig, msg.STALLING_HEADING, alt, note)
