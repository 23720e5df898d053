from __future__ import annotations

import pytest

from clipdeck.kernel.errors import InvalidInput
from clipdeck.shop.money import MoneyError, format_money, money_out, to_minor

pytestmark = pytest.mark.django_db  # the autouse cache fixture needs the database


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("25", "USD", 2500),
        ("17.99", "USD", 1799),
        ("0.1", "USD", 10),
        ("8000", "JPY", 8000),
        ("8000.00", "JPY", 8000),
        ("1.250", "KWD", 1250),
        ("0.001", "KWD", 1),
        ("19.99", "EUR", 1999),
        ("99999999999999.99", "USD", 9999999999999999),
    ],
)
def test_decimal_strings_become_exact_minor_units_by_the_currencys_exponent(text, currency, minor):
    assert to_minor(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        (
            "12.345",
            "USD",
            "'12.345' has more decimal places than USD allows (at most 2 decimal places)",
        ),
        ("2500.5", "JPY", "'2500.5' has more decimal places than JPY allows (no decimal places)"),
        ("abc", "USD", "'abc' is not a number"),
        ("1e3", "USD", "'1e3' is not a number"),
        ("NaN", "USD", "'NaN' is not a number"),
        ("1,000", "USD", "'1,000' is not a number"),
    ],
)
def test_amounts_a_currency_cannot_hold_are_refused_with_the_reason(text, currency, message):
    with pytest.raises(MoneyError) as error:
        to_minor(text, currency)

    assert str(error.value) == message


def test_an_unknown_currency_is_a_clear_error():
    with pytest.raises(InvalidInput) as error:
        to_minor("1", "XYZ")

    assert error.value.code == "unsupported_currency"


def test_money_is_shown_with_the_currencys_decimals():
    assert format_money(1799, "USD") == "$17.99"
    assert format_money(8000, "JPY") == "¥8,000"
    assert format_money(1250, "KWD") == "KWD 1.250"
    assert money_out(1999, "EUR") == {"amount": 1999, "currency": "EUR", "display": "€19.99"}
    assert money_out(None, "EUR") is None
