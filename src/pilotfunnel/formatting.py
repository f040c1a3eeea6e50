"""Numbers formatted for people: 12%, $1.2M, 4 of 33."""

from __future__ import annotations

import math

from .scenario import CURRENCIES


def money(amount: float, currency: str = "USD") -> str:
    """$1.2M, $850k, -€3.4M: at most three significant figures, sign before the symbol."""
    symbol = CURRENCIES.get(currency, currency + " ")
    size, suffix = next(
        ((size, suffix) for size, suffix in _UNITS if abs(amount) >= size * 0.9995), (1, "")
    )
    digits = _sig(abs(amount) / size) if suffix else f"{abs(amount):,.0f}"
    sign = "-" if amount < 0 and digits.strip("0.,") else ""  # never "-$0"
    return f"{sign}{symbol}{digits}{suffix}"


_UNITS = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


def _sig(x: float) -> str:
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}".rstrip("0").rstrip(".")
    return f"{x:.2f}".rstrip("0").rstrip(".") if x < 1 else f"{x:.1f}".rstrip("0").rstrip(".")


def percent(share: float, digits: int = 0) -> str:
    """A share in [0, 1] as a percent: 0.121 -> '12%'."""
    if share is None or math.isnan(share):
        return "n/a"
    return f"{share * 100:.{digits}f}%"


def rate(share: float) -> str:
    """A rate for people: one decimal below 10%, whole percents above; never 0% when above 0."""
    if share is None or math.isnan(share):
        return "n/a"
    if 0 < share < 0.0005:
        return "<0.1%"
    return percent(share, 1 if share < 0.1 else 0)


def count(value: float) -> str:
    """A modelled count: one decimal below 10, whole numbers above."""
    if abs(value) < 10:
        text = f"{value:.1f}".rstrip("0").rstrip(".") or "0"
        return "0" if text == "-0" else text  # a tiny negative rounds to 0, not "-0"
    return f"{value:,.0f}"


def multiple(roi: float) -> str:
    """Return on spend as a signed percent: 1.5 -> '+150%'."""
    return f"{roi * 100:+.0f}%"
