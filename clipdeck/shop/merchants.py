"""Becoming a merchant, and the merchant's protected payout details."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from clipdeck.kernel.errors import Conflict, Forbidden, InvalidInput
from clipdeck.shop import sealed_fields
from clipdeck.shop.models import Merchant
from clipdeck.shop.money import normalise_currency

COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
PAYOUT_RE = re.compile(r"^[A-Z0-9]{4,34}$")


def merchant_of(user) -> Merchant:
    """The caller's shop, or 403 telling them to open one first."""
    merchant = Merchant.objects.select_related("user").filter(user=user).first()
    if merchant is None:
        raise Forbidden(
            "You don't have a shop yet. Open one with POST /api/v1/shop first.",
            code="not_a_merchant",
        )
    return merchant


def _countries(codes: list[str] | None) -> list[str]:
    countries = sorted({(code or "").strip().upper() for code in codes or []})
    for code in countries:
        if not COUNTRY_RE.match(code):
            raise InvalidInput(
                f"{code!r} is not a two-letter country code (ISO 3166, e.g. US, DE, JP).",
                field="shipping_countries",
            )
    return countries


def _payout(account: str) -> str:
    cleaned = re.sub(r"[\s-]", "", account or "").upper()
    if not PAYOUT_RE.match(cleaned):
        raise InvalidInput(
            "The payout account must be an IBAN or account number of 4 to 34 letters and digits.",
            field="payout_account",
        )
    return cleaned


@transaction.atomic
def merchant_create(
    *,
    user,
    name: str,
    currency: str,
    shipping_countries: list[str] | None = None,
    payout_account: str = "",
) -> Merchant:
    """Open ``user``'s shop; an account has at most one."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Give your shop a name.", field="name")
    merchant = Merchant(
        user=user,
        name=name[:80],
        currency=normalise_currency(currency),
        shipping_countries=_countries(shipping_countries),
    )
    if payout_account:
        account = _payout(payout_account)
        merchant.payout_account = sealed_fields.seal_payout_account(user, account)
        merchant.payout_last4 = account[-4:]
    try:
        with transaction.atomic():
            merchant.save()
    except IntegrityError:
        raise Conflict("Your account already has a shop.", code="already_a_merchant") from None
    return merchant


def merchant_update(
    *,
    merchant: Merchant,
    name: str | None = None,
    shipping_countries: list[str] | None = None,
    payout_account: str | None = None,
) -> Merchant:
    """Change the shop's name, shipping countries or payout account (currency is fixed)."""
    fields = []
    if name is not None and name.strip():
        merchant.name = name.strip()[:80]
        fields.append("name")
    if shipping_countries is not None:
        merchant.shipping_countries = _countries(shipping_countries)
        fields.append("shipping_countries")
    if payout_account is not None:
        account = _payout(payout_account)
        merchant.payout_account = sealed_fields.seal_payout_account(merchant.user, account)
        merchant.payout_last4 = account[-4:]
        fields += ["payout_account", "payout_last4"]
    if fields:
        merchant.save(update_fields=fields)
    return merchant
