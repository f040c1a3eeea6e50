"""Numbers formatted for people: 12%, $1.2M, 4 of 33."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

from pilotfunnel.inputs.scenario import CURRENCIES
from pilotfunnel.views import messages as msg


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


def signed_money(amount: float, currency: str = "USD") -> str:
    """Money as a gain or a loss: +$2.0M, -$19k; no sign on an amount that shows as zero."""
    text = money(amount, currency)
    shows_a_digit = any(c in "123456789" for c in text)
    return f"+{text}" if amount > 0 and shows_a_digit else text


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


# --- differences that add up on the page -------------------------------------------------
# A surface that shows a, b and the change must let the reader check b - a with the figures in
# front of them: the change is worked out from the two figures as written, not from the model's
# unrounded numbers ("£18M -> £110M, +£92M", never "+£92.1M").

KINDS = ("count", "money", "rate", "percent", "roi")
# A written figure: its sign, a currency symbol (or nothing), the digits, a unit, a percent.
_WRITTEN = re.compile(r"^([+-]?)([^\d<>]*?)(\d[\d,]*(?:\.\d+)?)([BMk]?)(%?)$")
_SIZES = {"B": Decimal(10) ** 9, "M": Decimal(10) ** 6, "k": Decimal(10) ** 3, "": Decimal(1)}


def shown(value: float, kind: str, currency: str = "USD") -> str:
    """A figure as every surface writes it: ``kind`` is one of :data:`KINDS`.

    "count" as :func:`count`, "money" as :func:`money`, "rate" as :func:`rate`, "percent" as
    :func:`percent` (whole percents), "roi" as :func:`multiple`.
    """
    if kind == "count":
        return count(value)
    if kind == "money":
        return money(value, currency)
    if kind == "rate":
        return rate(value)
    if kind == "percent":
        return percent(value)
    if kind == "roi":
        return multiple(value)
    raise ValueError(f"no way to write a figure of kind {kind!r}; one of {', '.join(KINDS)}")


def written_value(text: str) -> Decimal | None:
    """The exact number a written figure says: "$1.2M" -> 1200000, "12%" -> 12 (points).

    None for a figure that says no single number ("n/a", "<0.1%", "no material change").
    What tests and :func:`change` read the page with, so they read it as a person does.
    """
    found = _WRITTEN.match(text.strip())
    if found is None:
        return None
    sign, _, digits, unit, _ = found.groups()
    number = Decimal(digits.replace(",", "")) * _SIZES[unit]
    return -number if sign == "-" else number


def displays_alike(a: float, b: float, kind: str, currency: str = "USD") -> bool:
    """Whether ``a`` and ``b`` are written the same: a sentence must not compare them."""
    return shown(a, kind, currency) == shown(b, kind, currency)


def written_step(text: str) -> Decimal | None:
    """The last digit a written figure stands for, as a number: "$1.2M" -> 100000, "41" -> 1,
    "9.5%" -> 0.1 (points). None for a figure that says no single number.

    :func:`money` and :func:`count` drop trailing zeros, so a figure's precision is its
    writer's rule, not the digits left: "$3M" is $3.0M to three figures (0.1M), "3" a count
    below ten (0.1), "$850" whole currency units. A percent keeps its zeros ("9.0%").
    """
    found = _WRITTEN.match(text.strip())
    if found is None:
        return None
    _, symbol, digits, unit, percent_sign = found.groups()
    number = Decimal(digits.replace(",", ""))
    if unit:  # money in k, M or B: three significant figures, one decimal below 100
        return (Decimal(1) if number >= 100 else Decimal("0.1")) * _SIZES[unit]
    if symbol.strip() or percent_sign:  # whole currency units; a percent's own decimals
        decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
        return Decimal(1).scaleb(-decimals)
    return Decimal("0.1") if number < 10 else Decimal(1)  # a count: one decimal below ten


def net_as_written(value: float, spend: float, cost: float, currency: str = "USD") -> float:
    """Value less spend less cost as the page can show it: the three written as :func:`money`
    writes them, subtracted, at the coarsest precision of the three. A net figure written
    beside its parts is this, so a reader's own subtraction gives it."""
    texts = [money(amount, currency) for amount in (value, spend, cost)]
    written = [written_value(text) for text in texts]
    step = max(written_step(text) for text in texts)
    net = (written[0] - written[1] - written[2]) / step
    return float(net.quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def change(a: float, b: float, kind: str, currency: str = "USD") -> str:
    """The change from ``a`` to ``b`` as the page can show it: b - a of the figures as written,
    at the precision the coarser of the two shows.

    Both figures are first written as every surface writes them (:func:`shown`); the change is
    the difference of those two written numbers, rounded to the last digit the coarser figure
    shows, so a reader subtracting one from the other gets it at the precision in front of
    them: $18M -> $110M is "+$92M", 13 -> 41 is "+28", $7.8M -> $5.8M is "-$2M", £74.9k ->
    £1.4M is "+£1.3M" (not "+£1.3251M", which claims digits neither figure has). A change of a
    "rate", "percent" or "roi" is in percentage points, the signed number alone ("+2.5"): the
    sentence names the unit. When the two figures are written alike, or differ by less than the
    coarser one can show, the change is the catalogue's "no material change"
    (``msg.NO_MATERIAL_CHANGE``), never "+0" or "+0.1 points". A rate written "<0.1%" says no
    exact number; a change from or to it is the difference of the unrounded rates, to the tenth
    of a point.
    """
    first, second = shown(a, kind, currency), shown(b, kind, currency)
    if first == second:
        return msg.NO_MATERIAL_CHANGE
    x, y = written_value(first), written_value(second)
    if x is None or y is None:
        if kind not in ("rate", "percent") or math.isnan(a) or math.isnan(b):
            return ""  # "n/a": there is nothing to subtract
        difference, step = Decimal(f"{(b - a) * 100:.1f}"), Decimal("0.1")
    else:
        difference, step = y - x, max(written_step(first), written_step(second))
    difference = (difference / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    if difference == 0:
        return msg.NO_MATERIAL_CHANGE
    sign = "+" if difference > 0 else "-"
    size = abs(difference)
    if kind != "money":
        return sign + _exact(size)
    suffix = next((s for s in ("B", "M", "k") if size >= _SIZES[s]), "")
    symbol = CURRENCIES.get(currency, currency + " ")
    return f"{sign}{symbol}{_exact(size / _SIZES[suffix])}{suffix}"


def _exact(number: Decimal) -> str:
    """A decimal written in full, with thousands separators and no trailing zeros."""
    return f"{number.normalize():,f}"


# --- the same numbers in a spreadsheet's number formats (a deck's chart labels and axes) ----
# A native chart keeps numbers as numbers and writes them through an Excel number format, which
# cannot drop trailing zeros or switch units. So each data label gets the format that writes
# its own value exactly as the functions above do, and each value axis a step chosen so that
# one format writes every tick as they do.

_SCALE = {"B": ",,,", "M": ",,", "k": ",", "": ""}


def _literal(text: str) -> str:
    """Text as a quoted literal of a number format (a quote inside it is dropped)."""
    return '"' + text.replace('"', "") + '"' if text else ""


def _digits(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _decimals(text: str) -> int:
    number = text.rstrip("BMk%")
    return len(number.rsplit(".", 1)[1]) if "." in number else 0


def excel_format(value: float, kind: str, currency: str = "USD") -> str:
    """The number format that writes ``value`` as :func:`count`, :func:`money` or :func:`rate`.

    ``kind`` is "count", "money" or "rate". For a deck's data label: PowerPoint and LibreOffice
    then show the brief's own text while the chart keeps the number.
    """
    if kind == "count":
        return _digits(_decimals(count(value)))
    if kind == "rate":
        text = rate(value)
        if not text[0].isdigit():  # "<0.1%" or "n/a": no format writes it from the number
            return _literal(text)
        return _digits(_decimals(text)).replace("#,##", "") + "%"
    if kind == "money":
        text = money(value, currency).lstrip("-")
        symbol = CURRENCIES.get(currency, currency + " ")
        suffix = text[-1] if text[-1] in "BMk" else ""
        return _literal(symbol) + _digits(_decimals(text)) + _SCALE[suffix] + _literal(suffix)
    raise ValueError(f"no number format for {kind!r}")


_STEPS = (1, 2, 2.5, 5, 10)


def axis_scale(top: float, kind: str, currency: str = "USD") -> tuple[float, str]:
    """A value axis's step and number format, so that each tick reads as the kit writes it.

    ``top`` is the largest value the axis shows (0 or more). At most five steps; the step
    is whole in the unit the largest tick is written in, so one format writes them all. A
    rate axis writes every tick with the decimals its step needs (0.0%, 2.5%, 5.0%).
    """
    top = max(float(top), 0.0)
    if kind == "rate":
        # Steps of a tenth of a point or more, and every tick in one format: as many decimals
        # as the step needs (0.0%, 2.5%, 5.0% or 0%, 5%, 10%), never 0.0% beside 3%. A tick
        # is a scale mark, not a figure: rate()'s one decimal below 10% would mix them.
        step = _nice(top, 5, whole=0.001)
        return step, "0%" if round(step * 100, 9).is_integer() else "0.0%"
    if kind == "count":
        step = _nice(top, 5, whole=1 if top >= 4 else 0)
        return step, "#,##0" if float(step).is_integer() else "General"
    if kind == "money":
        size, suffix = next(((s, x) for s, x in _UNITS if top >= s * 0.9995), (1, ""))
        step = _nice(top, 5, whole=size)
        tick_top = math.ceil(top / step) * step if step else 0
        if suffix and tick_top >= size * 1000 * 0.9995:  # the top tick reaches the next unit
            size, suffix = size * 1000, {"k": "M", "M": "B"}.get(suffix, suffix)
            step = max(step, size)
        symbol = _literal(CURRENCIES.get(currency, currency + " "))
        number = symbol + "#,##0" + _SCALE[suffix] + _literal(suffix)
        # Positive; negative; zero, by position: a conditional section ("[=0]...") loses the
        # minus of a loss's ticks in LibreOffice, and a negative section shows none unless
        # it writes its own.
        return step, f"{number};-{number};{symbol}0" if suffix else number
    raise ValueError(f"no axis scale for {kind!r}")


def _nice(top: float, ticks: int, whole: float) -> float:
    """A step of 1, 2, 2.5 or 5 times a power of ten giving at most ``ticks`` steps to ``top``.

    A whole number of ``whole`` when ``whole`` is set, so the ticks are whole in that unit.
    """
    if top <= 0:
        return whole or 1
    raw = max(top / ticks, whole)
    power = 10.0 ** math.floor(math.log10(raw))
    candidates = (m * p for p in (power, power * 10) for m in _STEPS)
    return next(
        round(step, 12)
        for step in candidates
        if step >= raw and (not whole or round(step / whole, 9).is_integer())
    )
