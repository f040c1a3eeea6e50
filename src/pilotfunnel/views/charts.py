"""Charts for the brief, the explorer and slides, styled by the brand.

Every chart has a title, labelled axes, a line naming its source (or saying it is modelled) and
alt text for the HTML. As is and target differ by fill and hatching as well as colour, so the
charts stay readable when printed in greyscale.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib

# A Figure made without pyplot draws to files and HTML with no backend chosen, so importing
# the charts leaves the analyst's own kernel on whatever backend it uses.
from matplotlib.figure import Figure

from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.inputs.sources.load import Source
from pilotfunnel.model.funnel import STAGE_METRICS, Result
from pilotfunnel.views import messages as msg
from pilotfunnel.views.formatting import count, money
from pilotfunnel.views.theme import mpl as theme_mpl

MODELLED_NOTE = "Modelled: central estimate; whiskers show P10 to P90. Assumptions: appendix."
CALIBRATED = "calibrated to the client's record"


def modelled(note: str, result: Result) -> str:
    """A chart's note, saying so when the rates behind it were calibrated to the record."""
    if not result.calibrated or not note.startswith("Modelled"):
        return note
    rest = note.removeprefix("Modelled")
    return f"Modelled, {CALIBRATED}{rest if rest.startswith(':') else ',' + rest}"


@dataclass
class Chart:
    """A figure with the words that must travel with it."""

    name: str
    figure: Figure
    title: str
    alt: str
    note: str

    def svg(self, with_note: bool = True, text_as_text: bool = False) -> str:
        """SVG text; without the note when the page prints it as a caption instead.

        ``text_as_text`` keeps labels as <text> in the page's fonts (inline in a brief: a
        tenth of the nodes to draw); otherwise glyphs are outlines that look the same
        anywhere (files for slides).
        """
        for text in self.figure.texts:
            text.set_visible(with_note)
        buffer = io.StringIO()
        settings = {
            "svg.hashsalt": "pilotfunnel",
            "svg.fonttype": "none" if text_as_text else "path",
        }
        # Salted ids instead of random ones, so the same chart gives the same bytes. The
        # constrained layout already fits everything but the note, which sits below the figure.
        with matplotlib.rc_context(settings):
            self.figure.savefig(
                buffer,
                format="svg",
                bbox_inches="tight" if with_note else None,
                metadata={"Date": None, "Creator": None},
            )
        return buffer.getvalue()

    def png(self, dpi: int = 200, with_note: bool = True) -> bytes:
        """PNG bytes; without the note when the page shows it as a caption instead.

        Without the note the figure is drawn once: a tight bounding box (needed to take in
        the note below the axes) costs a second draw, a third of a slider change.
        """
        for text in self.figure.texts:
            text.set_visible(with_note)
        buffer = io.BytesIO()
        self.figure.savefig(
            buffer,
            format="png",
            dpi=dpi,
            bbox_inches="tight" if with_note else None,
            metadata={"Software": None},
        )
        return buffer.getvalue()

    def save(self, folder: Path, dpi: int = 300) -> list[Path]:
        """Write PNG (for slides, high resolution) and SVG beside each other."""
        from pilotfunnel.core.files import atomic_write_bytes, atomic_write_text

        folder.mkdir(parents=True, exist_ok=True)
        return [
            atomic_write_bytes(folder / f"{self.name}.png", self.png(dpi)),
            atomic_write_text(folder / f"{self.name}.svg", self.svg()),
        ]


def _figure(brand: Brand, height: float) -> tuple[Figure, object]:
    with theme_mpl.style(brand):
        figure = Figure(figsize=(7.2, height), layout="constrained")
        axes = figure.add_subplot()
    return figure, axes


def _finish(figure: Figure, axes, title: str, note: str, brand: Brand) -> None:
    axes.set_title(
        title, loc="left", color=brand.colors["primary"], fontweight="bold", fontsize=11.5, pad=10
    )
    figure.text(
        0.0,
        -0.02,
        note,
        ha="left",
        va="top",
        fontsize=7.5,
        color=brand.colors["muted"],
        transform=figure.transFigure,
    )


def funnel_chart(result: Result, brand: Brand) -> Chart:
    """POCs -> production -> impact, as is against target, with P10-P90 whiskers."""
    s = result.scenario
    with theme_mpl.style(brand):
        figure, axes = _figure(brand, 3.0)
        metrics = STAGE_METRICS
        labels = list(result.stage_labels) or ["POCs started", "Reached production", "Impact"]
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
        axes.set_xlabel(f"Use cases over {s.horizon_years} years (modelled)")
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=8.5)
        axes.margins(x=0.12)
        note = modelled(MODELLED_NOTE, result)
        _finish(figure, axes, f"{s.client}: where the pilots go", note, brand)
    a, t = result.as_is, result.target
    alt = (
        f"Bar chart of {s.client}'s modelled funnel over {s.horizon_years} years. Of "
        f"{count(a['pocs'].expected)} proofs of concept, about {count(a['production'].expected)} "
        f"reach production as is (P10 {count(a['production'].p10)} to P90 "
        f"{count(a['production'].p90)}) and {count(a['impact'].expected)} show measurable "
        "impact. "
        + msg.FUNNEL_ALT_TARGET.format(
            production=count(t["production"].expected), impact=count(t["impact"].expected)
        )
    )
    return Chart("funnel", figure, "Where the pilots go", alt, note)


def stalling_chart(result: Result, brand: Brand) -> Chart:
    """Spend split into what stalled and what shipped, against value delivered."""
    s = result.scenario
    c = brand.colors
    with theme_mpl.style(brand):
        figure, axes = _figure(brand, 2.4)
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
                label="Spend on POCs that ship" if y == 0 else None,
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
            axes.text(
                max(value, outcome["spend"].expected) * 1.02,
                y,
                f"stalled {money(stalled, s.currency)}, value {money(value, s.currency)}",
                va="center",
                fontsize=8.5,
            )
        axes.set_yticks([0, 1], [r[0] for r in rows])
        axes.invert_yaxis()
        axes.set_xlabel(f"{s.currency} over {s.horizon_years} years (modelled)")
        axes.xaxis.set_major_formatter(lambda v, _pos: money(v, s.currency))
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=3, fontsize=8)
        axes.margins(x=0.45)
        note = modelled(
            "Modelled from the client's costs and value per use case; central estimates.", result
        )
        _finish(figure, axes, msg.STALLING_HEADING, note, brand)
    a, t = result.as_is, result.target
    alt = (
        f"Stacked bar chart of spend over {s.horizon_years} years. As is, "
        f"{money(a['stalled_spend'].expected, s.currency)} of "
        f"{money(a['spend'].expected, s.currency)} goes to proofs of concept that never ship "
        f"and value delivered is {money(a['value'].expected, s.currency)}. "
        + msg.STALLING_ALT_TARGET.format(
            stalled=money(t["stalled_spend"].expected, s.currency),
            value=money(t["value"].expected, s.currency),
        )
    )
    return Chart("stalling", figure, msg.STALLING_HEADING, alt, note)


def sensitivity_chart(result: Result, brand: Brand) -> Chart:
    """Tornado: production gained by raising each driver alone from as is to target."""
    s = result.scenario
    effects = list(result.sensitivity)
    with theme_mpl.style(brand):
        figure, axes = _figure(brand, 2.6)
        labels = [f"{result.driver_label(e.driver)} ({e.from_level}→{e.to_level})" for e in effects]
        gains = [e.production_gain for e in effects]
        colors = [
            brand.colors["accent"] if i == 0 else brand.colors["primary"]
            for i in range(len(effects))
        ]
        axes.barh(range(len(effects)), gains, color=colors, height=0.6, linewidth=0)
        for i, e in enumerate(effects):
            text = (
                "already at target"
                if e.to_level == e.from_level
                else (
                    f"+{count(e.production_gain)} in production, +{money(e.value_gain, s.currency)}"
                )
            )
            axes.text(max(gains) * 0.01 + e.production_gain, i, text, va="center", fontsize=8.5)
        axes.set_yticks(range(len(effects)), labels)
        axes.invert_yaxis()
        axes.set_xlabel("Extra use cases reaching production (modelled)")
        axes.margins(x=0.6)
        note = modelled(
            "Modelled: each driver raised alone from as is to target, the others as is.", result
        )
        _finish(figure, axes, "Which practice moves production most", note, brand)
    ranked = "; ".join(
        f"{result.driver_label(e.driver).lower()} +{count(e.production_gain)}" for e in effects
    )
    alt = (
        f"Bar chart ranking the five readiness drivers by extra use cases in production: {ranked}."
    )
    return Chart("sensitivity", figure, "Which practice moves production most", alt, note)


def evidence_chart(sources: list[Source], brand: Brand) -> Chart:
    """The cited shares with their 80% intervals (where a sample size is known)."""
    shown = [src for src in sources if src.unit == "percent"]
    shown.sort(key=lambda src: src.value)
    c = brand.colors
    with theme_mpl.style(brand):
        figure, axes = _figure(brand, 1.0 + 0.5 * max(len(shown), 1))
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
            axes.text(src.value + 2, y + 0.3, f"{src.value:g}%", fontsize=8.5, va="center")
        axes.set_yticks(range(len(shown)), [_short(src) for src in shown], fontsize=8.5)
        axes.set_xlim(0, 105)
        axes.set_xlabel("Share, as each source defines it (%)")
        note = (
            "Sources: appendix. Filled dot: verified wording; open dot: secondary or unverified. "
            "Bars: 80% interval from the sample size, where the source gives one."
        )
        _finish(figure, axes, "What the research says", note, brand)
    listed = "; ".join(f"{src.publisher} {src.published.year}: {src.statistic}" for src in shown)
    alt = f"Dot chart of cited statistics. {listed}."
    return Chart("evidence", figure, "What the research says", alt, note)


def _short(src: Source) -> str:
    publisher = re.sub(r"\s*\(.*?\)", "", src.publisher).split(",")[0].strip()
    words = src.statistic
    if len(words) > 52:
        words = words[:50].rsplit(" ", 1)[0] + "…"
    return f"{publisher} {src.published.year}\n{words}"


def record_chart(result: Result, brand: Brand, industry: Source) -> Chart:
    """The step to production: the cited industry rate, the readiness-based expectation, the
    client's own record and the rate calibrated to it, each with its P10 to P90."""
    from pilotfunnel.views.formatting import rate

    s, step = result.scenario, result.calibration[0]
    record = s.record
    c = brand.colors
    period = f", {record.period}" if record.period else ""
    low, high = industry.interval(0.8) or (industry.proportion, industry.proportion)
    rows = (
        (
            f"{_short(industry).splitlines()[0]}: {industry.numerator} of "
            f"{industry.denominator}\n(industry, cited)",
            industry.proportion,
            low,
            high,
            "s",
            c["muted"],
        ),
        (
            "The research at your readiness\n(modelled, before your record)",
            step.prior_rate,
            step.prior.p10,
            step.prior.p90,
            "o",
            c["primary"],
        ),
        (
            f"Your record: {record.reached_production} of {record.pocs_started}\n"
            f"(your own pilots{period})",
            step.observed_rate,
            step.observed.p10,
            step.observed.p90,
            "D",
            c["foreground"],
        ),
        (
            "Calibrated to your record\n(modelled: the rate the brief uses)",
            step.calibrated.mean,
            step.calibrated.p10,
            step.calibrated.p90,
            "o",
            c["accent"],
        ),
    )
    with theme_mpl.style(brand):
        figure, axes = _figure(brand, 2.9)
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
        axes.set_xlim(0, max(r[3] for r in rows) * 100 + 10)
        axes.set_xlabel("Proofs of concept reaching production (%)")
        note = (
            "Cited: sources appendix. Bars: P10 to P90 (for the record and IDC, an 80% interval "
            "from the sample size). Modelled rates: assumptions appendix."
        )
        _finish(figure, axes, msg.RECORD_HEADING, note, brand)
    alt = (
        f"Dot chart of the share of proofs of concept reaching production. {industry.publisher} "
        f"found {industry.numerator} of {industry.denominator} "
        f"({rate(industry.proportion)}). At {s.client}'s readiness the research expects "
        f"{rate(step.prior_rate)} (P10 {rate(step.prior.p10)} to P90 {rate(step.prior.p90)}). "
        f"{s.client}'s own record is {record.reached_production} of {record.pocs_started} "
        f"({rate(step.observed_rate)}). Calibrated to the record, the model uses "
        f"{rate(step.calibrated.mean)} (P10 {rate(step.calibrated.p10)} to P90 "
        f"{rate(step.calibrated.p90)})."
    )
    return Chart("record", figure, msg.RECORD_HEADING, alt, note)
