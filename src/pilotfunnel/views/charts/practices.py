"""Which practice is worth most, net of its cost: each driver raised alone, as a tornado."""

from __future__ import annotations

from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.model.result import Result
from pilotfunnel.views import messages as msg
from pilotfunnel.views.charts.base import Chart, figure, finish, modelled
from pilotfunnel.views.formatting import count, money, net_as_written, signed_money
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
        # Each net as the page writes it (its written parts subtracted), as the table does.
        gains = [
            net_as_written(e.value_gain, e.spend_gain, e.change_cost, s.currency) for e in effects
        ]
        colors = [
            brand.colors["accent"] if i == 0 else brand.colors["primary"]
            for i in range(len(effects))
        ]
        axes.barh(range(len(effects)), gains, color=colors, height=0.6, linewidth=0)
        for i, (e, gain) in enumerate(zip(effects, gains, strict=True)):
            text = (
                msg.ALREADY_AT_TARGET
                if e.to_level == e.from_level
                else cmsg.PRACTICES_GAIN.format(
                    net=signed_money(gain, s.currency),
                    production=count(e.production_gain),
                )
            )
            # The label right of the bar's end, or right of zero for a bar left of it.
            spread = max(max(gains), 0) - min(min(gains), 0) or 1
            axes.text(max(gain, 0) + spread * 0.01, i, text, va="center", fontsize=8.5)
        axes.set_yticks(range(len(effects)), labels)
        axes.invert_yaxis()
        axes.xaxis.set_major_formatter(lambda value, _pos: money(value, s.currency))
        axes.axvline(0, color=brand.colors["muted"], linewidth=0.8)
        axes.set_xlabel(cmsg.PRACTICES_X_LABEL)
        axes.margins(x=0.6)
        # Zero set, not left to the margins, so a bar's length is its gain; a driver that
        # lowers production (its bar left of zero) stays in view.
        # A loss's bar keeps a little room to its left, so its end is not the frame's edge.
        low = min(0.0, *gains)
        axes.set_xlim(left=low * 1.15 if low < 0 else 0.0)
        note = modelled(cmsg.PRACTICES_NOTE, result)
        finish(fig, axes, cmsg.PRACTICES_TITLE, note, brand)
    ranked = "; ".join(
        cmsg.PRACTICES_ALT_ITEM.format(
            driver=result.driver_label(e.driver).lower(),
            net=signed_money(gain, s.currency),
        )
        for e, gain in zip(effects, gains, strict=True)
    )
    alt = cmsg.PRACTICES_ALT.format(ranked=ranked)
    return Chart("sensitivity", fig, cmsg.PRACTICES_TITLE, alt, note)
