"""Parsing the cells both importers share: booleans, counts, weights, prices, URLs."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from clipdeck.shop.money import MAX_PRICE, MAX_STOCK, MoneyError, highest_price, to_minor

TRUE_WORDS = {"true", "yes", "1", "y"}
FALSE_WORDS = {"false", "no", "0", "n"}
INTEGER_RE = re.compile(r"^[+-]?\d+$")
DECIMAL_RE = re.compile(r"^\d+(?:\.\d+)?$")
MAX_GRAMS = Decimal("999999999.999")  # what the weight column holds


class CellError(ValueError):
    """A cell that cannot be read; the message is written for the merchant."""


def boolean(value: str, *, column: str, default: bool) -> bool:
    """TRUE/FALSE in any case; empty means ``default``."""
    word = (value or "").strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"{column} is {value!r}; use TRUE or FALSE.")


def whole_number(value: str, *, column: str) -> int:
    """An integer cell (inventory); empty means 0."""
    text = (value or "").strip()
    if not text:
        return 0
    if not INTEGER_RE.match(text):
        raise CellError(f"{column} is {value!r}, which is not a whole number.")
    if len(text.lstrip("+-")) > 12 or abs(int(text)) > MAX_STOCK:
        raise CellError(f"{column} is {value!r}; a stock count can be at most {MAX_STOCK:,}.")
    return int(text)


def grams(value: str, *, column: str) -> Decimal | None:
    """A weight in grams, kept to the milligram; empty means unknown."""
    text = (value or "").strip()
    if not text:
        return None
    if not DECIMAL_RE.match(text):
        raise CellError(f"{column} is {value!r}, which is not a weight in grams.")
    try:
        weight = Decimal(text).quantize(Decimal("0.001"))
    except InvalidOperation:
        weight = MAX_GRAMS + 1
    if weight > MAX_GRAMS:
        raise CellError(f"{column} is {value!r}, which is too large a weight.")
    return weight


def price(value: str, *, column: str, currency: str, required: bool) -> int | None:
    """A price in minor units of ``currency``; empty is an error when ``required``."""
    text = (value or "").strip()
    if not text:
        if required:
            raise CellError(f"{column} is empty; every variant needs a price.")
        return None
    try:
        amount = to_minor(text, currency)
    except MoneyError as exc:
        raise CellError(f"{column} {exc}.") from None
    if amount < 0:
        raise CellError(f"{column} is {value!r}; a price cannot be negative.")
    if amount > MAX_PRICE:
        raise CellError(
            f"{column} is {value!r}, which is larger than the highest price "
            f"({highest_price(currency)})."
        )
    return amount


def continue_selling(value: str, *, column: str) -> bool:
    """The inventory policy: ``continue`` (or TRUE) keeps selling at zero stock."""
    word = (value or "").strip().lower()
    if word in {"continue", *TRUE_WORDS}:
        return True
    if word in {"deny", "", *FALSE_WORDS}:
        return False
    raise CellError(f"{column} is {value!r}; use deny or continue.")


def web_address(value: str, *, column: str) -> str:
    """An http(s) address, or an error naming the column."""
    text = (value or "").strip()
    if text.startswith("//"):
        text = f"https:{text}"
    if not text.lower().startswith(("http://", "https://")) or len(text) > 2000:
        raise CellError(f"{column} {value!r} is not a web address (http or https).")
    return text
