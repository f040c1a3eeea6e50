"""Where the pilots go: POCs -> production -> impact, as is against target, with P10-P90."""

from __future__ import annotations

from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.model.funnel import STAGE_METRICS
from pilotfunnel.model.result import Result
from pilotfunnel.views import messages as msg
from pilotfunnel.views.charts.base import Chart, count_axis, figure, finish, modelled
from pilotfunnel.views.formatting import count
from pilotfunnel.views.messages import charts as cmsg
from pilotfunnel.views.theme import mpl as theme_mpl


def funnel_chart(result: Result, brand: Brand) -> Chart:
    """POCs -> production -> impact, as is against target, with P10-P90 whiskers."""
    s = result.scenario
    with theme_mpl.style(brand):
        fig, axes = figure(brand, 3.0)
        metrics = STAGE_METRICS
        labels = list(result.stage_labels) or [
            cmsg.FUNNEL_STAGE_POCS,
            cmsg.FUNNEL_STAGE_PRODUCTION,
            cmsg.FUNNEL_STAGE_IMPACT,
        ]
        positions = range(len(metrics))
        height = 0.38
        for offset, outcome, name, style in (
            (-height / 2, result.as_is, msg.AS_IS, {"color": brand.colors["muted"]}),
            (
                height / 2,
                result.target,
                msg.FIVE_PRACTICES_IN_PLACE,
                {"color": brand.colors["secondary"], "hatch": "///", "edgecolor": "white"},
            ),
        ):
            values = [outcome[m].expected for m in metrics]
            low = [max(outcome[m].expected - outcome[m].p10, 0) for m in metrics]
            high = [max(outcome[m].p90 - outcome[m].expected, 0) for m in metrics]
            ys = [p + offset for p in positions]
            axes.barh(ys, values, height=height, label=name, linewidth=0, **style)
            axes.errorbar(
                values[1:],
                ys[1:],
                xerr=[low[1:], high[1:]],
                fmt="none",
                ecolor=brand.colors["foreground"],
                elinewidth=0.9,
                capsize=2.5,
            )
            for y, v, h in zip(ys, values, high, strict=True):
                axes.text(v + h + max(values) * 0.01, y, count(v), va="center", fontsize=8.5)
        axes.set_yticks(list(positions), labels)
        axes.invert_yaxis()
        count_axis(axes)
        axes.set_xlabel(cmsg.FUNNEL_X_LABEL.format(years=s.horizon_years))
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=8.5)
        axes.margins(x=0.12)
        axes.set_xlim(left=0)  # set, not left to the margins: a bar's length is its value
        note = modelled(cmsg.MODELLED_NOTE, result)
        finish(fig, axes, cmsg.FUNNEL_TITLE.format(client=s.client), note, brand)
    a, t = result.as_is, result.target
    alt = cmsg.FUNNEL_ALT.format(
        client=s.client,
        years=s.horizon_years,
        pocs=count(a["pocs"].expected),
        production=count(a["production"].expected),
        p10=count(a["production"].p10),
        p90=count(a["production"].p90),
        impact=count(a["impact"].expected),
    ) + msg.FUNNEL_ALT_TARGET.format(
        production=count(t["production"].expected), impact=count(t["impact"].expected)
    )
    return Chart("funnel", fig, cmsg.FUNNEL_NAME, alt, note)
