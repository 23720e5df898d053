"""The payment provider interface, and how its failures reach the API.

A provider authorizes an amount against the buyer's payment details, captures
an authorization, and refunds a capture. Each call returns a ``PaymentResult``
and never raises for a business outcome (a decline is a result); the checkout
maps a failed result to ``PaymentDeclined`` (402) or ``PaymentError`` (502).
Providers receive the raw payment details and return only what may be stored:
a reference, the card brand and its last four digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from clipdeck.kernel.errors import DomainError, Kind


@dataclass(frozen=True)
class PaymentResult:
    ok: bool
    reference: str = ""
    card_brand: str = ""
    card_last4: str = ""
    declined: bool = False  # False with ok=False means the provider failed, not the card
    error_code: str = ""
    message: str = ""


class PaymentProvider(Protocol):
    name: str

    def validate(self, details: dict) -> None:
        """Raise ``InvalidInput`` if ``details`` cannot be a payment of this kind."""

    def authorize(
        self, *, amount: int, currency: str, details: dict, idempotency_key: str
    ) -> PaymentResult:
        """Hold ``amount`` minor units on the buyer's payment method."""

    def capture(self, *, reference: str, amount: int, currency: str) -> PaymentResult:
        """Take the money of an authorization."""

    def void(self, *, reference: str) -> PaymentResult:
        """Release an authorization that will not be captured."""

    def refund(
        self, *, reference: str, amount: int, currency: str, idempotency_key: str
    ) -> PaymentResult:
        """Give back a captured amount; the key makes a retried refund a no-op."""


class PaymentDeclined(DomainError):
    kind = Kind.PAYMENT_DECLINED
    code = "payment_declined"


class PaymentError(DomainError):
    kind = Kind.PAYMENT_FAILED
    code = "payment_error"


def error_for(result: PaymentResult) -> DomainError:
    """The API error for a failed result, with the provider's words for the buyer."""
    if result.declined:
        return PaymentDeclined(
            result.message or "Your card was declined. Try another card.",
            code=result.error_code or "payment_declined",
            field="payment",
        )
    return PaymentError(
        result.message or "The payment could not be processed. Nothing was charged; try again.",
        code=result.error_code or "payment_error",
        field="payment",
    )
