"""The built-in test provider: documented card numbers, no network, no money.

``4242424242424242`` succeeds, ``4000000000000002`` is declined and
``4000000000000119`` fails with a processing error, as in Stripe's test mode.
Any other number is declined with a hint, so a real card is never "charged".
"""

from __future__ import annotations

import re
import uuid

from clipdeck.kernel.errors import InvalidInput
from clipdeck.shop.payments.base import PaymentResult

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
PROCESSING_ERROR = "4000000000000119"
BRANDS = (("4", "visa"), ("5", "mastercard"), ("34", "amex"), ("37", "amex"), ("6", "discover"))


def card_digits(details: dict) -> str:
    return re.sub(r"[\s-]", "", str(details.get("card_number") or ""))


def brand_of(number: str) -> str:
    return next((brand for prefix, brand in BRANDS if number.startswith(prefix)), "card")


class SimulatedCardProvider:
    name = "test_card"

    def validate(self, details: dict) -> None:
        """A card number of 12 to 19 digits is required."""
        if not re.fullmatch(r"\d{12,19}", card_digits(details)):
            raise InvalidInput(
                "Enter a card number of 12 to 19 digits (test card: 4242 4242 4242 4242).",
                code="invalid_card_number",
                field="payment.card_number",
            )

    def authorize(
        self, *, amount: int, currency: str, details: dict, idempotency_key: str
    ) -> PaymentResult:
        number = card_digits(details)
        card = {"card_brand": brand_of(number), "card_last4": number[-4:]}
        if number == SUCCEEDS:
            return PaymentResult(ok=True, reference=f"test_{uuid.uuid4().hex}", **card)
        if number == PROCESSING_ERROR:
            return PaymentResult(
                ok=False,
                error_code="processing_error",
                message="The card could not be processed. Nothing was charged; try again.",
                **card,
            )
        message = (
            "Your card was declined. Try another card."
            if number == DECLINED
            else "Test mode accepts only test cards; use 4242 4242 4242 4242."
        )
        return PaymentResult(
            ok=False, declined=True, error_code="card_declined", message=message, **card
        )

    def capture(self, *, reference: str, amount: int, currency: str) -> PaymentResult:
        return PaymentResult(ok=True, reference=reference)

    def void(self, *, reference: str) -> PaymentResult:
        return PaymentResult(ok=True, reference=reference)

    def refund(
        self, *, reference: str, amount: int, currency: str, idempotency_key: str
    ) -> PaymentResult:
        return PaymentResult(ok=True, reference=reference)
