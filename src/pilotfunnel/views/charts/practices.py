"""Which practice is worth most, net of its cost: each driver raised alone, as a tornado."""

from __future__ import annotations

from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.model.result import Result
from pilotfunnel.views import messages as msg
from pilotfunnel.views.charts.base import Chart, figure, finish, modelled
from pilotfunnel.views.formatting import count, money, signed_money
from pilotfunnel.views.messages import charts as cmsg
from pilotfunnel.views.theme import mpl as theme_mpl


def sensitivity_chart(result: Result, brand: Brand) -> Chart:
    """Tornado: net value gained by raising each driver alone from as is to target, after its
    cost (the ranking's key), with its use cases in production beside it."""
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
        gains = [e.net_value_gain for e in effects]
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
                    net=signed_money(e.net_value_gain, s.currency),
                    production=count(e.production_gain),
                )
            )
            # The label right of the bar's end, or right of zero for a bar left of it.
            spread = max(max(gains), 0) - min(min(gains), 0) or 1
            axes.text(max(e.net_value_gain, 0) + spread * 0.01, i, text, va="center", fontsize=8.5)
        axes.set_yticks(range(len(effects)), labels)
        axes.invert_yaxis()
        axes.xaxis.set_major_formatter(lambda value, _pos: money(value, s.currency))
        axes.axvline(0, color=brand.colors["muted"], linewidth=0.8)
        axes.set_xlabel(cmsg.PRACTICES_X_LABEL)
        axes.margins(x=0.6)
        # Zero set, not left to the margins, so a bar's length is its gain; a driver that
        # lowers production (its bar left of zero) stays in view.
        axes.set_xlim(left=min(0.0, *gains))
        note = modelled(cmsg.PRACTICES_NOTE, result)
        finish(fig, axes, cmsg.PRACTICES_TITLE, note, brand)
    ranked = "; ".join(
        cmsg.PRACTICES_ALT_ITEM.format(
            driver=result.driver_label(e.driver).lower(),
            net=signed_money(e.net_value_gain, s.currency),
        )
        for e in effects
    )
    alt = cmsg.PRACTICES_ALT.format(ranked=ranked)
    return Chart("sensitivity", fig, cmsg.PRACTICES_TITLE, alt, note)
