"""Numbers formatted for people: money, counts, percents and returns on spend."""

import math
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pilotfunnel.inputs.scenario import CURRENCIES
from pilotfunnel.views import messages as msg
from pilotfunnel.views.formatting import (
    KINDS,
    change,
    count,
    displays_alike,
    money,
    multiple,
    percent,
    shown,
    written_step,
    written_value,
)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, "$0"),
        (850, "$850"),
        (1_000, "$1k"),
        (1_234, "$1.2k"),
        (12_345, "$12.3k"),
        (850_000, "$850k"),
        (1_500_000, "$1.5M"),
        (10_600_000, "$10.6M"),
        (63_000_000, "$63M"),
        (2_500_000_000, "$2.5B"),
    ],
)
def test_money_typical_values(amount, shown):
    assert money(amount) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (999.4, "$999"),
        (999.5, "$1k"),  # would print as "1000" below the k: moves up a unit instead
        (999_499, "$999k"),
        (999_500, "$1M"),
        (99_960, "$100k"),
        (9_996, "$10k"),
        (999_600_000, "$1B"),
    ],
)
def test_money_rounds_up_into_the_next_unit_at_its_edge(amount, shown):
    assert money(amount) == shown


def test_money_keeps_trailing_zeros_out():
    assert money(2_000_000) == "$2M" and money(20_000) == "$20k" and money(100_000) == "$100k"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(-3_400_000, "-$3.4M"), (-850_000, "-$850k"), (-12, "-$12")],
)
def test_money_puts_the_sign_before_the_symbol(amount, shown):
    assert money(amount) == shown


def test_money_beyond_billions_stays_in_billions():
    assert money(1.234e12) == "$1234B"


@pytest.mark.parametrize(
    ("currency", "shown"),
    [("USD", "$1.5M"), ("EUR", "€1.5M"), ("GBP", "£1.5M"), ("CHF", "CHF 1.5M"), ("AUD", "A$1.5M")],
)
def test_money_uses_the_currency_symbol(currency, shown):
    assert money(1_500_000, currency) == shown


def test_money_in_an_unknown_currency_prefixes_its_code():
    assert money(-2_000, "XYZ") == "-XYZ 2k"


def test_money_never_shows_minus_zero():
    assert money(-0.4) == "$0"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (0.04, "0"),
        (4.4, "4.4"),
        (3.0, "3"),
        (9.94, "9.9"),
        (10, "10"),
        (1_234_567, "1,234,567"),
    ],
)
def test_count_has_one_decimal_below_ten_and_none_above(value, shown):
    assert count(value) == shown


def test_count_that_rounds_to_ten_shows_no_decimal():
    assert count(9.96) == "10"


@pytest.mark.parametrize(("value", "shown"), [(-2.5, "-2.5"), (-9.96, "-10"), (-1_500, "-1,500")])
def test_count_of_negative_values(value, shown):
    assert count(value) == shown


def test_count_never_shows_minus_zero():
    assert count(-0.04) == "0"


@pytest.mark.parametrize(
    ("share", "shown"), [(0, "0%"), (0.121, "12%"), (0.129, "13%"), (1, "100%"), (1.5, "150%")]
)
def test_percent_is_a_whole_percent_by_default(share, shown):
    assert percent(share) == shown


def test_percent_with_digits():
    assert percent(0.1234, 1) == "12.3%" and percent(0.5, 2) == "50.00%"


def test_percent_of_a_negative_share():
    assert percent(-0.1) == "-10%"


@pytest.mark.parametrize("share", [None, math.nan])
def test_percent_of_a_missing_share_is_not_available(share):
    assert percent(share) == "n/a"


@pytest.mark.parametrize(
    ("roi", "shown"),
    [(1.5, "+150%"), (0, "+0%"), (-0.75, "-75%"), (-1, "-100%"), (0.016, "+2%"), (12.3, "+1230%")],
)
def test_multiple_is_a_signed_percent(roi, shown):
    assert multiple(roi) == shown


def test_a_fractional_count_below_ten_reads_the_same_in_a_total():
    assert msg.HEADLINE_OF_TOTAL.format(value=count(6.6), total=72) == "6.6 of 72"
    assert count(6.62) == count(6.58) == "6.6"


# --- differences that add up on the page ------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "kind", "currency", "written"),
    [
        (18.04e6, 110.3e6, "money", "GBP", "+£92M"),  # the "+£92.1M"
        (13.4, 40.6, "count", "USD", "+28"),  # the "+27"
        (7.84e6, 5.8e6, "money", "USD", "-$2M"),  # the "-$1.9M"
        (123e6, 1.23e9, "money", "USD", "+$1.1B"),  # $1.2B - $123M, at $1.2B's precision
        (74.9e3, 1.4e6, "money", "GBP", "+£1.3M"),  # not "+£1.3251M"
        (850, 1_234, "money", "CHF", "+CHF 400"),  # CHF 1.2k - CHF 850, to the hundred
        (6.6, 41, "count", "USD", "+34"),  # 41 shows whole numbers
        (41, 6.6, "count", "USD", "-34"),
        (9.9, 9.96, "count", "USD", msg.NO_MATERIAL_CHANGE),  # 9.9 -> 10: below what 10 shows
        (0.095, 0.12, "rate", "USD", "+3"),  # 9.5% -> 12%, points, to the whole point
        (0.095, 0.099, "rate", "USD", "+0.4"),
        (0.121, 0.09, "percent", "USD", "-3"),
        (1.5, 2.5, "roi", "USD", "+100"),
    ],
)
def test_change_is_the_difference_of_the_figures_as_written(a, b, kind, currency, written):
    assert change(a, b, kind, currency) == written


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [(0.109, 0.112, "rate"), (13.2, 12.8, "count"), (1.21e6, 1.24e6, "money"), (0, 0, "roi")],
)
def test_figures_written_alike_make_no_material_change(a, b, kind):
    assert displays_alike(a, b, kind)
    assert change(a, b, kind) == msg.NO_MATERIAL_CHANGE


def test_figures_written_differently_are_not_alike():
    assert not displays_alike(0.109, 0.121, "rate")
    assert not displays_alike(1.21e6, 1.26e6, "money")


def test_a_change_from_a_rate_too_small_to_write_is_to_a_tenth_of_a_point():
    assert change(0.0001, 0.0191, "rate") == "+1.9"
    assert change(0.0001, 0.0002, "rate") == msg.NO_MATERIAL_CHANGE  # both "<0.1%"


def test_a_change_from_a_missing_figure_is_blank():
    assert change(math.nan, 0.1, "rate") == ""


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(ValueError, match=r"'share'.*count, money"):
        change(1, 2, "share")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("$1.2M", Decimal(1_200_000)),
        ("-CHF 3.4k", Decimal(-3_400)),
        ("A$850", Decimal(850)),
        ("1,234", Decimal(1_234)),
        ("+150%", Decimal(150)),
        ("9.5%", Decimal("9.5")),
        ("<0.1%", None),
        ("n/a", None),
        (msg.NO_MATERIAL_CHANGE, None),
    ],
)
def test_a_written_figure_reads_as_the_number_it_says(text, value):
    assert written_value(text) == value


_MONEY = st.floats(-2e9, 2e9, allow_nan=False)
_FIGURES = {
    "count": st.floats(-5_000, 5_000, allow_nan=False),
    "money": _MONEY,
    "rate": st.floats(0.0005, 1, allow_nan=False),
    "percent": st.floats(0, 1.5, allow_nan=False),
    "roi": st.floats(-1, 20, allow_nan=False),
}


@st.composite
def _pairs(draw):
    kind = draw(st.sampled_from(KINDS))
    a = draw(_FIGURES[kind])
    # Half the time b is near a, where rounding decides whether the two are written alike.
    near = st.floats(min(a * 0.97, a * 1.03) - 0.01, max(a * 0.97, a * 1.03) + 0.01)
    b = draw(st.one_of(_FIGURES[kind], near))
    return kind, a, b, draw(st.sampled_from(sorted(CURRENCIES)))


@given(_pairs())
@example(("money", 18.04e6, 110.3e6, "GBP"))
@example(("count", 13.4, 40.6, "USD"))
@example(("money", 999_600, 1_000_400, "USD"))  # "$1M" both: across a unit's edge
def test_the_written_change_is_the_written_b_minus_the_written_a(pair):
    kind, a, b, currency = pair
    first, second = shown(a, kind, currency), shown(b, kind, currency)
    written = change(a, b, kind, currency)
    if first == second:
        assert written == msg.NO_MATERIAL_CHANGE
        return
    if written_value(first) is None or written_value(second) is None:
        return  # "<0.1%" says no exact number (test_a_change_from_a_rate_too_small...)
    difference = written_value(second) - written_value(first)
    step = max(written_step(first), written_step(second))
    if written == msg.NO_MATERIAL_CHANGE:
        assert abs(difference) <= step / 2, (first, second)
    else:
        # The written a, b and change agree at the precision the coarser figure shows.
        assert abs(written_value(written) - difference) <= step / 2, (first, second, written)
        assert written_step(written) >= step or written_value(written) % step == 0
        assert written[0] == ("+" if difference > 0 else "-")
        if kind == "money":
            assert CURRENCIES[currency] in written


@given(_pairs())
def test_figures_alike_in_writing_are_alike_to_the_predicate(pair):
    kind, a, b, currency = pair
    alike = shown(a, kind, currency) == shown(b, kind, currency)
    assert displays_alike(a, b, kind, currency) is alike
    first, second = shown(a, kind, currency), shown(b, kind, currency)
    x, y = written_value(first), written_value(second)
    if x is None or y is None:
        return
    # No material change: written alike, or apart by less than the coarser figure shows.
    below = abs(y - x) <= max(written_step(first), written_step(second)) / 2
    assert (change(a, b, kind, currency) == msg.NO_MATERIAL_CHANGE) is (alike or below)
