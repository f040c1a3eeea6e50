"""Your record against the research: the step to production, cited, modelled and observed."""

from __future__ import annotations

from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.inputs.sources.load import Source
from pilotfunnel.model.result import Result
from pilotfunnel.views import messages as msg
from pilotfunnel.views.charts.base import Chart, count_axis, figure, finish, publisher
from pilotfunnel.views.formatting import rate
from pilotfunnel.views.messages import charts as cmsg
from pilotfunnel.views.theme import mpl as theme_mpl


def record_chart(result: Result, brand: Brand, industry: Source) -> Chart:
    """The step to production: the cited industry rate, the readiness-based expectation, the
    client's own record and the rate calibrated to it, each with its P10 to P90."""
    s, step = result.scenario, result.calibration[0]
    record = s.record
    c = brand.colors
    period = f", {record.period}" if record.period else ""
    low, high = industry.interval(0.8) or (industry.proportion, industry.proportion)
    rows = (
        (
            cmsg.RECORD_INDUSTRY.format(
                publisher=publisher(industry),
                numerator=industry.numerator,
                denominator=industry.denominator,
            ),
            industry.proportion,
            low,
            high,
            "s",
            c["muted"],
        ),
        (cmsg.RECORD_PRIOR, step.prior_rate, step.prior.p10, step.prior.p90, "o", c["primary"]),
        (
            cmsg.RECORD_OBSERVED.format(
                reached=record.reached_production, started=record.pocs_started, period=period
            ),
            step.observed_rate,
            step.observed.p10,
            step.observed.p90,
            "D",
            c["foreground"],
        ),
        (
            cmsg.RECORD_CALIBRATED,
            step.calibrated.mean,
            step.calibrated.p10,
            step.calibrated.p90,
            "o",
            c["accent"],
        ),
    )
    with theme_mpl.style(brand):
        fig, axes = figure(brand, 2.9)
        for y, (_label, centre, p10, p90, marker, colour) in enumerate(rows):
            axes.plot(
                [p10 * 100, p90 * 100], [y, y], color=colour, linewidth=2.2, solid_capstyle="butt"
            )
            axes.plot(
                [centre * 100],
                [y],
                marker=marker,
                markersize=7.5,
                linestyle="none",
                color=colour,
                markeredgecolor="white",
            )
            axes.text(p90 * 100 + 1, y, rate(centre), va="center", fontsize=8.5)
        axes.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize=8.5)
        axes.set_ylim(len(rows) - 0.4, -0.6)  # top to bottom, with room above and below
        # The value axis starts at zero, so two near rates look near (a dot chart, but read
        # like the deck's bars).
        axes.set_xlim(0, max(r[3] for r in rows) * 100 + 10)
        count_axis(axes)
        axes.set_xlabel(cmsg.RECORD_X_LABEL)
        finish(fig, axes, msg.RECORD_HEADING, cmsg.RECORD_NOTE, brand)
    alt = cmsg.RECORD_ALT.format(
        publisher=industry.publisher,
        numerator=industry.numerator,
        denominator=industry.denominator,
        industry_rate=rate(industry.proportion),
        client=s.client,
        prior=rate(step.prior_rate),
        prior_p10=rate(step.prior.p10),
        prior_p90=rate(step.prior.p90),
        reached=record.reached_production,
        started=record.pocs_started,
        observed=rate(step.observed_rate),
        calibrated=rate(step.calibrated.mean),
        calibrated_p10=rate(step.calibrated.p10),
        calibrated_p90=rate(step.calibrated.p90),
    )
    return Chart("record", fig, msg.RECORD_HEADING, alt, cmsg.RECORD_NOTE)
