"""One way to read an amount of money, for the explorer's fields and the scenario files alike.

Consultants write money as "450k", "1.2M", "$1,200,000" or "1 200 000"; a file or a text box
that refuses those is refused in turn. Each form is read exactly (through ``Decimal``, so
"4.35M" is 4,350,000 and not 4,349,999.999...), and anything that could be read two ways is
refused rather than guessed: "1,5" is one and a half in Paris and fifteen in London, so it is
read only when the caller says the locale writes decimal commas (the inventory knows its
locale; a scenario file and the explorer do not).

Plain numbers (a YAML 450000) pass through as before: the same float, and ``save_scenario``
writes numbers, never the text typed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pilotfunnel.inputs.fields import is_number

# The largest amount of money a field may hold: a trillion of any currency is beyond any
# pilot programme, and keeps every sum the model makes from it a finite float.
MAX_AMOUNT = 1e12
# Longer text is no amount anyone types: refused before any pattern looks at it.
MAX_MONEY_CHARS = 40
# The ISO codes a scenario may use, and the signs written for each (longest first, so "A$" is
# not read as "$"). A bare "$" is the scenario's own dollar: USD, AUD or CAD.
CURRENCY_SIGNS: dict[str, tuple[str, ...]] = {
    "USD": ("$", "US$", "USD"),
    "EUR": ("€", "EUR"),
    "GBP": ("£", "GBP"),
    "CHF": ("CHF", "Fr."),
    "AUD": ("A$", "$", "AUD"),
    "CAD": ("C$", "$", "CAD"),
}
_SIGNS = sorted({s for signs in CURRENCY_SIGNS.values() for s in signs}, key=len, reverse=True)
_SIGN_PATTERN = "|".join(re.escape(s) for s in _SIGNS)
_SUFFIXES = {"k": 3, "m": 6, "mn": 6, "mm": 6, "bn": 9, "b": 9}
# Spaces a number may be grouped with: space, no-break space, narrow no-break space, and the
# apostrophes of Swiss amounts (1'200'000).
_GROUP_SPACES = " \u00a0\u202f'\u2019_"
_MINUS = "-\u2212\u2013("
_SHAPE = re.compile(rf"^(?P<number>[0-9][0-9.,{_GROUP_SPACES}]*?)\s*(?P<suffix>[A-Za-z]+\.?)?$")
# A run of digits grouped by threes with one separator ("1,200,000"); the first group 1-3 digits.
_GROUPED = r"[0-9]{{1,3}}(?:{sep}[0-9]{{3}})+"

ALLOWED = (
    f"an amount of 0 or more, at most {MAX_AMOUNT:,.0f}: a number, or text such as "
    "450k, 1.2M, $1,200,000 or 1 200 000"
)


class MoneyError(ValueError):
    """Text that is not an amount of money; the message says what is allowed."""


def parse_money(
    value: object, currency: str | None = None, *, decimal_comma: bool = False
) -> float:
    """The amount ``value`` holds, as a float from 0 to ``MAX_AMOUNT``.

    ``value`` is a number (taken as is) or text in one of the forms above. ``currency`` is the
    scenario's ISO code: a sign or code in the text must be that currency's ("$" in a EUR
    scenario is refused); None accepts any sign. ``decimal_comma`` reads "1.200.000,50" as
    1200000.5 and "1,5" as 1.5, for a locale that writes them so. Raises ``MoneyError``.
    """
    if isinstance(value, str):
        amount: float | int = _amount_of_text(value, currency, decimal_comma)
    elif is_number(value):  # not a bool, NaN or infinity
        amount = value  # compared before float(): an int of 400 digits has no float
    else:
        raise MoneyError(f"must be {ALLOWED}")
    if amount < 0:
        raise MoneyError(f"is negative; {ALLOWED}")
    if not amount <= MAX_AMOUNT:
        raise MoneyError(f"must be {ALLOWED}")
    return float(amount)


def format_amount(amount: float) -> str:
    """``amount`` as the explorer shows it in a text box ("1,200,000" or "1,200,000.5"): the
    number exactly, so reading it back and saving it changes nothing."""
    if float(amount).is_integer():
        return f"{amount:,.0f}"
    return f"{Decimal(repr(float(amount))):,f}"


def parse_count(text: str) -> int | float | None:
    """A number typed with thousands separators ("1,200" or "1 200") as a number, a minus kept
    (the caller's range check names it); None when the text is not one (the caller passes the
    text on for its own located error)."""
    if not isinstance(text, str) or len(text) > MAX_MONEY_CHARS:
        return None
    text = text.strip()
    negative = text.startswith("-")
    try:
        value = _decimal_of(text[1:] if negative else text, decimal_comma=False)
    except MoneyError:
        return None
    value = -value if negative else value
    return int(value) if value == value.to_integral_value() else float(value)


def _amount_of_text(text: str, currency: str | None, decimal_comma: bool) -> float:
    if len(text) > MAX_MONEY_CHARS:
        raise MoneyError(f"is longer than {MAX_MONEY_CHARS} characters; {ALLOWED}")
    text = text.strip()
    sign = None
    for candidate in _SIGNS:  # longest first: "A$" before "$"
        if text.startswith(candidate):
            sign, text = candidate, text[len(candidate) :].strip()
            break
    for candidate in _SIGNS:
        if text.endswith(candidate) and text != candidate:
            if sign is not None:
                raise MoneyError(f"names its currency twice; {ALLOWED}")
            sign, text = candidate, text[: -len(candidate)].strip()
            break
    if (text and text[0] in _MINUS) or text[-1:] == ")" or (sign and sign.endswith("-")):
        raise MoneyError(f"is negative; {ALLOWED}")
    if text.startswith("+"):
        text = text[1:].lstrip()
    match = _SHAPE.match(text)
    if match is None:
        raise MoneyError(f"must be {ALLOWED}")
    if sign and currency in CURRENCY_SIGNS and sign not in CURRENCY_SIGNS[currency]:
        raise MoneyError(
            f"is in {sign}, but the scenario's currency is {currency}; write the amount "
            f"without a currency, or with {_either(CURRENCY_SIGNS[currency])}"
        )
    exponent = 0
    if match["suffix"]:
        suffix = match["suffix"].rstrip(".").lower()
        if suffix not in _SUFFIXES:
            raise MoneyError(
                f"ends in {match['suffix']!r}, which is not a known unit: use k (thousand), "
                "M (million) or bn (billion)"
            )
        exponent = _SUFFIXES[suffix]
    number = _decimal_of(match["number"].strip(), decimal_comma)
    return float(number.scaleb(exponent))


def _either(signs: tuple[str, ...]) -> str:
    """'$, US$ or USD'."""
    return ", ".join(signs[:-1]) + " or " + signs[-1]


def _decimal_of(number: str, decimal_comma: bool) -> Decimal:
    """The digits of an amount, grouped or not, as a Decimal; refused if it reads two ways."""
    point, comma = (",", ".") if decimal_comma else (".", ",")
    number = re.sub("[\u00a0\u202f]", " ", number)  # a no-break space groups as a space does
    spaces = re.escape(_GROUP_SPACES)
    ambiguous = MoneyError(
        "reads two ways (is the comma or the point the decimal mark?); write it as 1200000.5, "
        "1,200,000.5 or 1.2M"
        if not decimal_comma
        else "does not read as an amount written with a decimal comma, such as 1.200.000,50"
    )
    whole, _, fraction = number.partition(point)
    if point in fraction:
        raise ambiguous
    if fraction and not fraction.isdigit():
        raise ambiguous
    if fraction == "" and number.endswith(point):
        raise ambiguous
    if whole.isdigit():
        digits = whole
    else:
        for sep in (re.escape(comma), f"[{spaces}]"):
            one_separator = len(set(re.sub("[0-9]", "", whole))) == 1
            if one_separator and re.fullmatch(_GROUPED.format(sep=sep), whole):
                digits = re.sub("[^0-9]", "", whole)
                break
        else:
            raise ambiguous
    try:
        return Decimal(f"{digits}.{fraction}" if fraction else digits)
    except InvalidOperation:  # cannot happen for digits; refused rather than raised
        raise ambiguous from None
