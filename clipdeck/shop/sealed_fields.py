"""The shop's protected fields, sealed with their owner's data key (crypto-shredding).

``Merchant.payout_account`` is sealed with the merchant's key and
``Order.shipping_address`` (JSON, as text) with the buyer's, so erasing either
account makes the value unreadable everywhere, old backups included. Only
these functions read or write the two columns.
"""

from __future__ import annotations

import json

from clipdeck.kernel import keys

PAYOUT_FIELD = "shop.Merchant.payout_account"
ADDRESS_FIELD = "shop.Order.shipping_address"


def seal_payout_account(user, account: str) -> str:
    """The column value for ``account`` (an IBAN or account number) of ``user``'s shop."""
    return keys.seal_for(user, PAYOUT_FIELD, account)


def payout_account(merchant) -> str:
    """The merchant's full payout account, decrypted (empty when none was given)."""
    if not merchant.payout_account:
        return ""
    return keys.unseal_for(merchant.user, PAYOUT_FIELD, merchant.payout_account)


def seal_shipping_address(buyer, address: dict) -> str:
    """The column value for ``address``, sealed with the buyer's data key."""
    return keys.seal_for(buyer, ADDRESS_FIELD, json.dumps(address, sort_keys=True))


def shipping_address(order) -> dict:
    """The order's shipping address; empty once the buyer's key was shredded."""
    try:
        return json.loads(keys.unseal_for(order.buyer, ADDRESS_FIELD, order.shipping_address))
    except keys.KeyShredded:
        return {}
