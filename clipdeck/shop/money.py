"""Money as integer minor units plus an ISO 4217 code (DESIGN.md invariant 3).

Amounts arrive as decimal strings ("17.99", "8000") and are parsed exactly with
``Decimal``; a float never touches a price. How many minor units a currency
has comes from its ISO 4217 exponent: JPY has none, USD two, KWD three.
"""

from __future__ import annotations

import re
from decimal import Decimal

from clipdeck.kernel.errors import InvalidInput

# ISO 4217 exponents of the currencies a shop may sell in.
# fmt: off
TWO_PLACES = (
    "AED", "ARS", "AUD", "BDT", "BGN", "BRL", "CAD", "CHF", "CNY", "COP", "CZK", "DKK", "EGP",
    "EUR", "GBP", "GHS", "HKD", "HUF", "IDR", "ILS", "INR", "KES", "MAD", "MXN", "MYR", "NGN",
    "NOK", "NZD", "PEN", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "SAR", "SEK", "SGD", "THB",
    "TRY", "TWD", "UAH", "USD", "ZAR",
)
NO_PLACES = ("CLP", "ISK", "JPY", "KRW", "PYG", "UGX", "VND", "XAF", "XOF")
THREE_PLACES = ("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND")
# fmt: on
EXPONENTS: dict[str, int] = {
    **dict.fromkeys(TWO_PLACES, 2),
    **dict.fromkeys(NO_PLACES, 0),
    **dict.fromkeys(THREE_PLACES, 3),
}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "KRW": "₩", "INR": "₹"}
DECIMAL_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$|^[+-]?\.\d+$")


class MoneyError(ValueError):
    """A value that is not an amount of this currency; the message says why."""


def exponent(currency: str) -> int:
    """The number of decimal places of ``currency``; unknown codes are an error."""
    try:
        return EXPONENTS[currency]
    except KeyError:
        raise InvalidInput(
            f"{currency!r} is not a currency Clipdeck supports; use an ISO 4217 code "
            f"such as USD, EUR or JPY.",
            code="unsupported_currency",
            field="currency",
        ) from None


def normalise_currency(code: str) -> str:
    """The upper-case ISO code, checked to be supported."""
    currency = (code or "").strip().upper()
    exponent(currency)
    return currency


def to_minor(text: str, currency: str) -> int:
    """Parse a decimal string into minor units of ``currency``, exactly.

    Raises ``MoneyError`` for anything that is not a plain decimal number or has
    more decimal places than the currency allows (``"12.345"`` in USD).
    """
    raw = (text or "").strip()
    if not DECIMAL_RE.match(raw):
        raise MoneyError(f"{raw!r} is not a number")
    value = Decimal(raw)
    places = exponent(currency)
    minor = value.scaleb(places)
    if minor != minor.to_integral_value():
        allowed = "no decimal places" if places == 0 else f"at most {places} decimal places"
        raise MoneyError(f"{raw!r} has more decimal places than {currency} allows ({allowed})")
    return int(minor)


def to_decimal(amount: int, currency: str) -> Decimal:
    """The amount in major units, e.g. ``1799 USD`` → ``Decimal("17.99")``."""
    return Decimal(amount).scaleb(-exponent(currency))


def format_money(amount: int, currency: str) -> str:
    """A display string: ``$17.99``, ``¥8,000``, ``KWD 1.250``."""
    places = exponent(currency)
    number = f"{to_decimal(amount, currency):,.{places}f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{currency} {number}"


def money_out(amount: int | None, currency: str) -> dict | None:
    """The API shape ``{"amount": 1999, "currency": "USD", "display": "$19.99"}``."""
    if amount is None:
        return None
    return {"amount": amount, "currency": currency, "display": format_money(amount, currency)}
