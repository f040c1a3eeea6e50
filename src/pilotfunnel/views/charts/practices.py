"""Which practice moves production most: each driver raised alone, as a tornado."""

from __future__ import annotations

from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.model.result import Result
from pilotfunnel.views import messages as msg
from pilotfunnel.views.charts.base import Chart, count_axis, figure, finish, modelled
from pilotfunnel.views.formatting import count, money
from pilotfunnel.views.messages import charts as cmsg
from pilotfunnel.views.theme import mpl as theme_mpl


def sensitivity_chart(result: Result, brand: Brand) -> Chart:
    """Tornado: production gained by raising each driver alone from as is to target."""
    s = result.scenario
    effects = list(result.sensitivity)
    with theme_mpl.style(brand):
        fig, axes = figure(brand, 2.6)
        labels = [
            cmsg.PRACTICES_DRIVER.format(
                driver=result.driver_label(e.driver), from_level=e.from_level, to_level=e.to_level
            )
            for e in effects
        ]
        gains = [e.production_gain for e in effects]
        colors = [
            brand.colors["accent"] if i == 0 else brand.colors["primary"]
            for i in range(len(effects))
        ]
        axes.barh(range(len(effects)), gains, color=colors, height=0.6, linewidth=0)
        for i, e in enumerate(effects):
            text = (
                msg.ALREADY_AT_TARGET
                if e.to_level == e.from_level
                else cmsg.PRACTICES_GAIN.format(
                    production=count(e.production_gain), value=money(e.value_gain, s.currency)
                )
            )
            axes.text(max(gains) * 0.01 + e.production_gain, i, text, va="center", fontsize=8.5)
        axes.set_yticks(range(len(effects)), labels)
        axes.invert_yaxis()
        count_axis(axes)
        axes.set_xlabel(cmsg.PRACTICES_X_LABEL)
        axes.margins(x=0.6)
        # Zero set, not left to the margins, so a bar's length is its gain; a driver that
        # lowers production (its bar left of zero) stays in view.
        axes.set_xlim(left=min(0.0, *gains))
        note = modelled(cmsg.PRACTICES_NOTE, result)
        finish(fig, axes, cmsg.PRACTICES_TITLE, note, brand)
    ranked = "; ".join(
        cmsg.PRACTICES_ALT_ITEM.format(
            driver=result.driver_label(e.driver).lower(), production=count(e.production_gain)
        )
        for e in effects
    )
    alt = cmsg.PRACTICES_ALT.format(ranked=ranked)
    return Chart("sensitivity", fig, cmsg.PRACTICES_TITLE, alt, note)
