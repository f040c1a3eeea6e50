"""The one money parser (inputs.money): the forms consultants write, read exactly; everything
else refused with a message that says what is allowed, and never anything but MoneyError."""

from __future__ import annotations

import copy
import time
from decimal import Decimal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pilotfunnel.core.errors import ScenarioError
from pilotfunnel.inputs.money import (
    CURRENCY_SIGNS,
    MAX_AMOUNT,
    MAX_MONEY_CHARS,
    MoneyError,
    format_amount,
    parse_count,
    parse_money,
)
from pilotfunnel.inputs.scenario import CURRENCIES, scenario_from_dict

from ..conftest import FIXTURES

VALID = yaml.safe_load((FIXTURES / "scenarios" / "valid.yaml").read_text())


@pytest.mark.parametrize(
    ("text", "currency", "amount"),
    [
        ("450000", "USD", 450_000),
        ("450k", "USD", 450_000),
        ("450 K", "USD", 450_000),
        ("1.2M", "EUR", 1_200_000),
        ("4.35M", "EUR", 4_350_000),  # exactly, not 4,349,999.999...
        ("$1,200,000", "USD", 1_200_000),
        ("$1,200,000.50", "USD", 1_200_000.5),
        ("1 200 000", "GBP", 1_200_000),
        ("1\u202f200\u00a0000", "GBP", 1_200_000),
        ("€1.2M", "EUR", 1_200_000),
        ("1,200,000 €", "EUR", 1_200_000),
        ("EUR 450k", "EUR", 450_000),
        ("450k USD", "USD", 450_000),
        ("£2.5bn", "GBP", 2_500_000_000),
        ("CHF 1'200'000", "CHF", 1_200_000),
        ("A$850", "AUD", 850),
        ("$850", "AUD", 850),  # a bare $ is the scenario's own dollar
        ("C$3m", "CAD", 3_000_000),
        ("+450k", "USD", 450_000),
        ("0", "USD", 0),
        ("1.5", "USD", 1.5),  # a point is a decimal point
        ("1,500", "USD", 1_500),  # a comma before three digits groups thousands
    ],
)
def test_the_forms_consultants_write_are_read(text, currency, amount):
    assert parse_money(text, currency) == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1.200.000,50 €", 1_200_000.5), ("1,5", 1.5), ("1.200", 1_200), ("1 200 000,5", 1_200_000.5)],
)
def test_a_decimal_comma_is_read_only_when_the_caller_says_so(text, amount):
    assert parse_money(text, "EUR", decimal_comma=True) == amount


@pytest.mark.parametrize(
    ("value", "currency", "decimal_comma", "says"),
    [
        ("1,5", "EUR", False, "reads two ways"),
        ("1.200,5", "EUR", False, "reads two ways"),
        ("1.200.000", "EUR", False, "reads two ways"),
        ("1.200.000,50 €", "EUR", False, "reads two ways"),
        ("1,20,000", "USD", False, "reads two ways"),  # groups of three only
        ("1,200 000", "USD", False, "reads two ways"),  # one separator, not two
        ("1,200,000", "EUR", True, "decimal comma"),
        ("1.5", "EUR", True, "decimal comma"),
        ("450x", "USD", False, "'x', which is not a known unit"),
        ("1.2T", "USD", False, "not a known unit"),
        ("-450k", "USD", False, "is negative"),
        ("\u2212450k", "USD", False, "is negative"),
        ("(450k)", "USD", False, "is negative"),
        ("$-450k", "USD", False, "is negative"),
        (-1, "USD", False, "is negative"),
        (float("nan"), "USD", False, "must be an amount"),
        (float("inf"), "USD", False, "must be an amount"),
        ("nan", "USD", False, "must be an amount"),
        ("inf", "USD", False, "must be an amount"),
        ("1e6", "USD", False, "must be an amount"),
        ("", "USD", False, "must be an amount"),
        ("$", "USD", False, "must be an amount"),
        (True, "USD", False, "must be an amount"),
        ([450_000], "USD", False, "must be an amount"),
        ("2000bn", "USD", False, "at most 1,000,000,000,000"),
        (10**400, "USD", False, "at most 1,000,000,000,000"),
        ("$1.2M", "EUR", False, "is in $, but the scenario's currency is EUR"),
        ("€1.2M", "USD", False, "is in €, but the scenario's currency is USD"),
        ("A$850", "CAD", False, "is in A$, but the scenario's currency is CAD"),
        ("$1.2M USD", "USD", False, "names its currency twice"),
        ("1" + " 000" * 10, "USD", False, f"longer than {MAX_MONEY_CHARS} characters"),
    ],
)
def test_what_is_not_plainly_an_amount_is_refused_saying_why(value, currency, decimal_comma, says):
    with pytest.raises(MoneyError, match=None) as caught:
        parse_money(value, currency, decimal_comma=decimal_comma)
    assert says in str(caught.value)


def test_a_mismatched_currency_says_which_signs_are_allowed():
    with pytest.raises(MoneyError) as caught:
        parse_money("$1.2M", "EUR")
    assert str(caught.value).endswith("without a currency, or with € or EUR")


def test_long_text_is_refused_before_it_is_parsed():
    started = time.perf_counter()
    with pytest.raises(MoneyError, match="longer than 40"):
        parse_money("1," * 5_000_000)
    assert time.perf_counter() - started < 0.5


# --- round trips: each accepted form of a generated amount reads back as that amount ---------
_WHOLE = st.integers(0, int(MAX_AMOUNT))
_CENTS = st.integers(0, int(MAX_AMOUNT) * 100).map(lambda c: Decimal(c).scaleb(-2))


@given(_WHOLE, st.sampled_from(list(CURRENCIES)))
def test_a_whole_amount_round_trips_in_every_form(amount, currency):
    sign = CURRENCY_SIGNS[currency][0]
    forms = [
        str(amount),
        f"{amount:,}",
        f"{amount:,}".replace(",", " "),
        f"{sign}{amount:,}",
        f"{amount:,} {currency}",
        f"{currency} {amount}",
    ]
    for form in forms:
        assert parse_money(form, currency) == float(amount), form


@given(_CENTS)
def test_an_amount_with_cents_round_trips_in_both_locales(amount):
    point = f"{amount:,.2f}"
    comma = point.replace(",", " ").replace(".", ",").replace(" ", ".")
    assert parse_money(f"${point}", "USD") == float(amount)
    assert parse_money(f"{comma} €", "EUR", decimal_comma=True) == float(amount)


@given(
    st.decimals(0, 999, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from([("k", 3), ("K", 3), ("M", 6), ("m", 6), ("bn", 9), ("Bn", 9)]),
)
def test_a_suffixed_amount_reads_exactly(mantissa, suffix):
    letters, exponent = suffix
    assert parse_money(f"{mantissa}{letters}") == float(mantissa.scaleb(exponent))


@given(st.one_of(_WHOLE, st.floats(0.01, MAX_AMOUNT)))
def test_what_the_explorer_shows_reads_back_as_the_same_float(amount):
    assert parse_money(format_amount(amount), "USD") == amount


@given(st.one_of(_WHOLE, st.floats(0, MAX_AMOUNT)))
def test_plain_numbers_are_the_floats_they_always_were(amount):
    assert parse_money(amount, "USD") == float(amount)


# --- hostile text: never anything but the kit's own refusal ------------------------------------
_MONEYISH = st.text(alphabet="0123456789.,  '_-+()$€£kKmMbBnNxAUSDEURCHF\u00a0\u2212", max_size=45)


@given(st.one_of(_MONEYISH, st.text(max_size=60)), st.sampled_from([*CURRENCIES, None]))
def test_hostile_text_gives_an_amount_in_range_or_a_money_error(text, currency):
    for decimal_comma in (False, True):
        try:
            amount = parse_money(text, currency, decimal_comma=decimal_comma)
        except MoneyError:
            continue
        assert 0 <= amount <= MAX_AMOUNT


@given(st.one_of(_MONEYISH, st.text(max_size=60)), st.sampled_from(list(CURRENCIES)))
def test_hostile_money_in_a_scenario_is_a_one_line_located_error(text, currency):
    data = copy.deepcopy(VALID)
    data["currency"] = currency
    data["costs"]["per_poc"] = text
    try:
        scenario_from_dict(data, "acme.yaml")
    except ScenarioError as error:
        message = str(error)
        assert message.startswith("acme.yaml: field 'costs.per_poc': "), message
        assert len(message.splitlines()) == 1


def test_a_count_reads_with_the_same_grouping():
    assert parse_count("1,200") == 1200 and parse_count("1 200") == 1200
    assert parse_count("12.0") == 12 and parse_count("-3") == -3
    assert parse_count("1,5") is None and parse_count("twelve") is None
    assert parse_count("1" * 50) is None
