"""Numbers formatted for people: money, counts, percents and returns on spend."""

import math

import pytest

from pilotfunnel.views.formatting import count, money, multiple, percent


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
