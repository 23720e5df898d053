"""Merchants, their catalog, product tags in videos, carts, orders and payments.

Money is always an integer amount of minor units beside an ISO currency code
(``clipdeck.shop.money``); stock changes only through ``clipdeck.shop.stock``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Merchant(models.Model):
    """An account that sells: one shop per account, named by the account's handle."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="merchant"
    )
    name = models.CharField(max_length=80)
    currency = models.CharField(max_length=3)
    shipping_countries = models.JSONField(default=list, blank=True)
    # Sealed with the merchant's data key (shop/sealed_fields.py); write-only, never shown.
    payout_account = models.CharField(max_length=512, blank=True)
    payout_last4 = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class ProductStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DRAFT = "draft", "Draft"
    ARCHIVED = "archived", "Archived"


class ProductQuerySet(models.QuerySet):
    def visible_to(self, viewer, *, for_sale: bool = False) -> ProductQuerySet:
        """Products ``viewer`` may see (rules M1–M3 of ``clipdeck.shop.policies``).

        Only products of a shop whose profile ``viewer`` may open; a merchant
        also sees the drafts and archived products of their own shop, unless
        ``for_sale`` asks for what is on sale only.
        """
        from clipdeck.shop.policies import products_visible_to

        return products_visible_to(self, viewer, for_sale=for_sale)


class Product(models.Model):
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="products")
    handle = models.CharField(max_length=255)
    title = models.CharField(max_length=255)
    description_html = models.TextField(blank=True)  # sanitised with nh3 before saving
    vendor = models.CharField(max_length=255, blank=True)
    product_type = models.CharField(max_length=255, blank=True)
    tags = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=ProductStatus.choices, default=ProductStatus.ACTIVE
    )
    published = models.BooleanField(default=True)
    # Set by a moderation decision: the product is shown to its merchant alone (M4).
    removed = models.BooleanField(default=False)
    option_names = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ProductQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["merchant", "handle"], name="shop_product_handle")
        ]

    def __str__(self) -> str:
        return self.title


class InventoryPolicy(models.TextChoices):
    DENY = "deny", "Stop selling when out of stock"
    CONTINUE = "continue", "Keep selling when out of stock"


class Variant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    title = models.CharField(max_length=255)
    option_values = models.JSONField(default=list, blank=True)
    sku = models.CharField(max_length=255, blank=True)
    barcode = models.CharField(max_length=64, blank=True)
    position = models.PositiveIntegerField(default=1)
    price = models.BigIntegerField()  # minor units of the merchant's currency
    compare_at_price = models.BigIntegerField(null=True, blank=True)
    inventory_tracked = models.BooleanField(default=True)
    stock = models.IntegerField(default=0)  # may go negative under the "continue" policy
    inventory_policy = models.CharField(
        max_length=10, choices=InventoryPolicy.choices, default=InventoryPolicy.DENY
    )
    requires_shipping = models.BooleanField(default=True)
    weight_grams = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    image_url = models.URLField(max_length=2000, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def sells_unlimited(self) -> bool:
        """Whether a purchase never waits for stock (untracked, or "continue selling")."""
        return not self.inventory_tracked or self.inventory_policy == InventoryPolicy.CONTINUE


class ImageState(models.TextChoices):
    PENDING = "pending", "Waiting to be copied into the cell"
    STORED = "stored", "Copied into the cell's media storage"
    FAILED = "failed", "Could not be copied (retried later)"
    REFUSED = "refused", "Not an image the cell accepts"


class ProductImage(models.Model):
    """A product picture. ``src`` is where the merchant's catalog said it was; the
    storefront only ever shows ``file``, the copy in this cell's media storage."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    src = models.URLField(max_length=2000)
    position = models.PositiveIntegerField(default=1)
    alt = models.CharField(max_length=512, blank=True)
    file = models.FileField(upload_to="shop/images/", max_length=200, blank=True, db_index=True)
    state = models.CharField(
        max_length=10, choices=ImageState.choices, default=ImageState.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    tried_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.src


class VideoProduct(models.Model):
    """A product tagged in a video, with the counters of its funnel."""

    video = models.ForeignKey("videos.Video", on_delete=models.CASCADE, related_name="shop_tags")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="video_tags")
    position = models.PositiveSmallIntegerField(default=1)
    impressions = models.PositiveIntegerField(default=0)
    taps = models.PositiveIntegerField(default=0)
    add_to_carts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["video", "product"], name="shop_video_product")
        ]

    def __str__(self) -> str:
        return f"{self.video_id} → {self.product_id}"


class Cart(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"cart {self.pk}"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    source_video = models.ForeignKey(
        "videos.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="shop_cart_variant")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"


class OrderStatus(models.TextChoices):
    PENDING = "pending", "Pending payment"
    PAID = "paid", "Paid"
    FULFILLED = "fulfilled", "Fulfilled"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"


class Order(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_orders"
    )
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(
        max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    currency = models.CharField(max_length=3)
    subtotal = models.BigIntegerField()
    shipping = models.BigIntegerField(default=0)
    total = models.BigIntegerField()
    shipping_address = models.TextField()  # JSON sealed with the buyer key (sealed_fields)
    idempotency_key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)  # keyed hash of the checkout payload
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "idempotency_key"], name="shop_order_idempotency"
            )
        ]

    def __str__(self) -> str:
        return f"order {self.pk}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, null=True, on_delete=models.SET_NULL, related_name="+")
    variant = models.ForeignKey(Variant, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=255)
    variant_title = models.CharField(max_length=255, blank=True)
    sku = models.CharField(max_length=255, blank=True)
    unit_price = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    reserved = models.BooleanField(default=False)  # stock was taken and must be given back
    source_video = models.ForeignKey(
        "videos.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity


class OrderEvent(models.Model):
    """The audit trail of an order: one row per state change, never edited."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class PaymentStatus(models.TextChoices):
    AUTHORIZED = "authorized", "Authorized"
    CAPTURED = "captured", "Captured"
    FAILED = "failed", "Failed"
    REFUNDED = "refunded", "Refunded"


class Payment(models.Model):
    """One payment attempt of an order. Card numbers are never stored: brand and last 4 only."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    provider = models.CharField(max_length=32)
    reference = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=12, choices=PaymentStatus.choices)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    card_brand = models.CharField(max_length=32, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.provider} {self.status}"


class Notification(models.Model):
    """An email as an event (outbox row); a mailer may deliver it later, the log shows it now."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_notifications"
    )
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.subject


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class CatalogImport(models.Model):
    """One catalog import, run by a task worker in batches (``shop/imports.py``).

    ``done`` counts the products handled so far; it is committed with each
    batch, so after a crash it says where the import stopped and a re-run
    resumes there. The uploaded file is private and deleted when the import ends.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="imports")
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    file = models.FileField(upload_to="shop-imports/", blank=True, max_length=255)
    url = models.URLField(max_length=2000, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"
