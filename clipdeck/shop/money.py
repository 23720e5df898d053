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


# Bounds that keep every amount and every sum of them far inside a signed 64-bit
# column: a price or stock count above these is refused with a message, and an
# order total is checked before it is stored.
MAX_PRICE = 10**12  # minor units: 10 billion dollars, 1 trillion yen
MAX_STOCK = 10_000_000  # units on hand of one variant (either sign)
MAX_LINE_QUANTITY = 99  # units of one variant in a cart line or order line
MAX_ORDER_TOTAL = 10**14  # minor units; 99 units at the highest price fit


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


def highest_price(currency: str = "") -> str:
    """``MAX_PRICE`` as the currency displays it (``$10,000,000,000.00``)."""
    return format_money(MAX_PRICE, currency) if currency else f"{MAX_PRICE:,} minor units"


def check_price(amount: int, *, field: str, currency: str = "") -> int:
    """``amount`` (minor units) if it is a price Clipdeck accepts, else ``InvalidInput``."""
    if amount < 0:
        raise InvalidInput("A price cannot be negative.", code="bad_price", field=field)
    if amount > MAX_PRICE:
        most = format_money(MAX_PRICE, currency) if currency else f"{MAX_PRICE:,} minor units"
        raise InvalidInput(f"A price can be at most {most}.", code="price_too_large", field=field)
    return amount


def check_stock(count: int, *, field: str) -> int:
    """``count`` if it is a stock count Clipdeck accepts, else ``InvalidInput``."""
    if abs(count) > MAX_STOCK:
        raise InvalidInput(
            f"A stock count can be at most {MAX_STOCK:,} units.",
            code="stock_too_large",
            field=field,
        )
    return count


def order_total(lines: list[tuple[int, int]]) -> int:
    """The sum of ``unit price × quantity`` over ``lines``, or ``InvalidInput`` when a
    price, a quantity or the total is beyond what an order may hold (no overflow)."""
    total = 0
    for unit_price, quantity in lines:
        if not 0 <= unit_price <= MAX_PRICE or not 1 <= quantity <= MAX_LINE_QUANTITY:
            raise _order_too_large()
        total += unit_price * quantity
    if total > MAX_ORDER_TOTAL:
        raise _order_too_large()
    return total


def _order_too_large() -> InvalidInput:
    return InvalidInput(
        "This order is larger than one order may be; lower the quantities in your cart "
        "or split it into several orders.",
        code="order_too_large",
        field="cart",
    )


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
