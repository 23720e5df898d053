"""Payment providers by the ``payment.method`` a checkout names.

To add Stripe: write a class with the ``PaymentProvider`` methods (authorize →
a PaymentIntent with ``capture_method=manual``, capture, void → cancel, refund),
taking ``{"method": "stripe", "payment_method": "pm_…"}`` as details, and add it
to ``providers()``; nothing else changes. See docs/shop.md.
"""

from __future__ import annotations

from django.conf import settings

from clipdeck.kernel.errors import InvalidInput
from clipdeck.shop.payments.base import PaymentProvider
from clipdeck.shop.payments.simulated_card import SimulatedCardProvider


def providers() -> dict[str, PaymentProvider]:
    """The enabled providers; the test cards unless the operator turns them off."""
    enabled: dict[str, PaymentProvider] = {}
    if getattr(settings, "CLIPDECK_SHOP_TEST_PAYMENTS", True):
        enabled["test_card"] = SimulatedCardProvider()
    return enabled


def provider_for(method: str) -> PaymentProvider:
    """The provider for ``method``, or an error listing the methods on offer."""
    enabled = providers()
    if method not in enabled:
        offered = ", ".join(sorted(enabled)) or "none"
        raise InvalidInput(
            f"Payment method {method!r} is not available here (available: {offered}).",
            code="unsupported_payment_method",
            field="payment.method",
        )
    return enabled[method]
