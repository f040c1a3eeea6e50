"""What every chart shares: the Chart record (figure, title, alt text, note), its SVG and PNG,
and the brand's figure, title and note.

Every chart has a title, labelled axes, a line naming its source (or saying it is modelled) and
alt text for the HTML. As is and target differ by fill and hatching as well as colour, so the
charts stay readable when printed in greyscale.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib

# A Figure made without pyplot draws to files and HTML with no backend chosen, so importing
# the charts leaves the analyst's own kernel on whatever backend it uses.
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from pilotfunnel.core.write import atomic_write_bytes, atomic_write_text
from pilotfunnel.inputs.brand.load import Brand
from pilotfunnel.inputs.sources.load import Source
from pilotfunnel.model.result import Result
from pilotfunnel.views import messages as msg
from pilotfunnel.views.formatting import count
from pilotfunnel.views.theme import mpl as theme_mpl


def modelled(note: str, result: Result) -> str:
    """A chart's note, saying so when the rates behind it were calibrated to the record."""
    if not result.calibrated or not note.startswith(msg.MODELLED):
        return note
    rest = note.removeprefix(msg.MODELLED)
    return f"{msg.MODELLED}, {msg.CALIBRATED}{rest if rest.startswith(':') else ',' + rest}"


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
        folder.mkdir(parents=True, exist_ok=True)
        return [
            atomic_write_bytes(folder / f"{self.name}.png", self.png(dpi)),
            atomic_write_text(folder / f"{self.name}.svg", self.svg()),
        ]


def figure(brand: Brand, height: float) -> tuple[Figure, object]:
    """A chart-wide figure in the brand's style, with its one axes."""
    with theme_mpl.style(brand):
        made = Figure(figsize=(7.2, height), layout="constrained")
        axes = made.add_subplot()
    return made, axes


def finish(figure: Figure, axes, title: str, note: str, brand: Brand) -> None:
    """The title above the axes and the note (source or "Modelled") below the figure."""
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


def count_axis(axes) -> None:
    """The value axis's numbers written as the kit writes a count (1,000 not 1000; 2.5 not
    2.50), in use cases or percentage points alike."""
    axes.xaxis.set_major_formatter(lambda value, _pos: count(value))
    # Steps of 1, 2, 5 or 10 times a power of ten: a step of 2.5 puts ticks at 12.5 and 17.5,
    # which count() writes as whole numbers from 10 up ("12", "18"), so a bar would seem to
    # end past its tick.
    axes.xaxis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))


# How many characters a label's line holds before it wraps: at 8 pt this keeps the labels to
# under half the chart's width, so no label is ever cut short.
LABEL_WIDTH = 62


def wrap(text: str, width: int = LABEL_WIDTH) -> str:
    """A label broken into lines of at most ``width`` characters, every word kept."""
    return "\n".join(textwrap.wrap(text, width)) or text


def publisher(src: Source) -> str:
    """A source's publisher as a label names it: the first name, no asides, and its year."""
    name = re.sub(r"\s*\(.*?\)", "", src.publisher).split(",")[0].strip()
    return f"{name} {src.published.year}"


def short(src: Source) -> str:
    """A source as a label: its publisher and year, then its whole statistic, wrapped."""
    return f"{wrap(publisher(src))}\n{wrap(src.statistic)}"
