"""Workarounds for other libraries, one function each, so each is easy to find and to retire.

Each names the upstream issue it works around and applies only to the versions that need it;
tests/test_compat.py shows each problem still exists upstream, so a fixed release fails a test
and tells us to remove the workaround.
"""

from __future__ import annotations

import functools
import logging

LOG = logging.getLogger("pilotfunnel")
HARFBUZZ_SUBSET_PACKAGE = "libharfbuzz-subset0"  # Debian's name; the README and .ci/run use it


def harfbuzz_subset_available() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz (fast) rather than fontTools (fallback)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    # WeasyPrint needs HarfBuzz-Subset 4.1.0 or later, and falls back to fontTools without it.
    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


@functools.cache
def keep_font_timestamps_in_pdf_subsets() -> None:
    """Make WeasyPrint's fontTools fallback keep each font's own ``head.modified`` date.

    Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools and saves them with
    ``TTFont.save``, which stamps the current time into every embedded font: the same brief
    differs from one second to the next (Kozea/WeasyPrint#1553, fonttools/fonttools#115).
    HarfBuzz copies the font's ``head`` table as it is; this makes the fallback do the same,
    so a brief's bytes depend on its inputs only. Applied once per process; harmless when
    HarfBuzz-Subset is present, since WeasyPrint then never calls fontTools here.
    """
    from weasyprint.pdf import fonts

    if getattr(fonts, "TTFont", None) is None:  # a WeasyPrint without the fallback
        return
    original = fonts.TTFont
    if isinstance(original, functools.partial):
        return
    fonts.TTFont = functools.partial(original, recalcTimestamp=False)


@functools.cache
def note_slow_font_subsetting() -> bool:
    """Say once per process when PDFs are made on WeasyPrint's slower fontTools path.

    WeasyPrint's own warning is silenced with the rest of its log (it logs every CSS property it
    ignores), so the kit says it once, naming the system package to install.
    """
    if harfbuzz_subset_available():
        return False
    LOG.warning(
        "fonts are subset with fontTools, WeasyPrint's slower fallback, because HarfBuzz-Subset "
        "is missing; install it for faster PDFs: apt-get install %s",
        HARFBUZZ_SUBSET_PACKAGE,
    )
    return True
