from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

ProductStatusName = Literal["active", "draft", "archived"]
InventoryPolicyName = Literal["deny", "continue"]
OrderStatusName = Literal["pending", "paid", "fulfilled", "cancelled", "refunded"]
PaymentStatusName = Literal["authorized", "captured", "failed", "refunded"]

# ---- input -------------------------------------------------------------------------------


class MerchantIn(Schema):
    name: str = Field(max_length=80)
    currency: str = Field(max_length=3, description="ISO 4217 code; fixed once the shop opens")
    shipping_countries: list[str] = Field(
        default_factory=list, description="ISO 3166 alpha-2 codes; empty ships everywhere"
    )
    payout_account: str = Field(
        "", max_length=64, description="IBAN or account number; write-only, shown as last 4"
    )


class MerchantPatch(Schema):
    name: str | None = Field(None, max_length=80)
    shipping_countries: list[str] | None = None
    payout_account: str | None = Field(None, max_length=64)


class VariantIn(Schema):
    option_values: list[str] = Field(default_factory=list, max_length=3)
    sku: str = Field("", max_length=255)
    price: int = Field(description="Minor units of the shop's currency (1999 = $19.99)")
    compare_at_price: int | None = Field(None, ge=0)
    inventory_tracked: bool = True
    stock: int = 0
    inventory_policy: Literal["deny", "continue"] = "deny"
    requires_shipping: bool = True


class ProductIn(Schema):
    title: str = Field(min_length=1, max_length=255)
    handle: str = Field("", max_length=255)
    description_html: str = Field("", max_length=100_000)
    status: Literal["active", "draft", "archived"] = "active"
    published: bool = True
    option_names: list[str] = Field(default_factory=list, max_length=3)
    images: list[str] = Field(default_factory=list, max_length=50)
    variants: list[VariantIn] = Field(min_length=1, max_length=100)


class TagsIn(Schema):
    product_ids: list[int] = Field(description="Up to 6 products, in chip order")


class CartItemIn(Schema):
    product_id: int
    variant_id: int
    quantity: int = 1
    video_id: str | None = Field(None, description="The video the shopper tapped, if any")
    buy_now: bool = Field(
        False, description="Buy now: the cart line holds exactly this quantity, not more"
    )


class CartItemPatch(Schema):
    quantity: int


class AddressIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    line1: str = Field(min_length=1, max_length=200)
    line2: str = Field("", max_length=200)
    city: str = Field(min_length=1, max_length=120)
    region: str = Field("", max_length=120)
    postal_code: str = Field("", max_length=20)
    country: str = Field(min_length=2, max_length=2, description="ISO 3166 alpha-2")


class PaymentIn(Schema):
    method: str = Field(description='"test_card" (built in)')
    card_number: str = Field("", max_length=32, description="For test_card; never stored")


class CheckoutIn(Schema):
    shipping_address: AddressIn
    payment: PaymentIn
    shop: str = Field("", description="Shop handle; needed when the cart has several shops")


# ---- output ------------------------------------------------------------------------------


class Money(Schema):
    amount: int = Field(description="Integer minor units")
    currency: str
    display: str


class ShopBrief(Schema):
    handle: str
    name: str
    currency: str


class MerchantOut(ShopBrief):
    shipping_countries: list[str]
    payout_account_last4: str | None
    created_at: datetime


class ImageOut(Schema):
    src: str
    alt: str
    position: int


class VariantOut(Schema):
    id: int
    title: str
    option_values: list[str]
    sku: str
    price: Money
    compare_at_price: Money | None
    available: bool
    stock: int | None = Field(description="null when the shop does not count stock")
    inventory_policy: InventoryPolicyName
    requires_shipping: bool
    image: str | None


class ProductBrief(Schema):
    id: int
    handle: str
    title: str
    shop: ShopBrief
    image: str | None
    price: Money | None = Field(description="The lowest variant price")
    compare_at_price: Money | None
    in_stock: bool
    status: ProductStatusName
    published: bool


class ProductOut(ProductBrief):
    description_html: str
    vendor: str
    product_type: str
    tags: list[str]
    options: list[str]
    images: list[ImageOut]
    variants: list[VariantOut]


class ProductPage(Schema):
    items: list[ProductOut]
    next_cursor: str | None


class ImportError_(Schema):
    row: int
    message: str


class ImportJobOut(Schema):
    id: str
    status: Literal["queued", "running", "done", "failed"] = Field(
        description="queued → running → done, or failed (message says where it stopped)"
    )
    total: int = Field(0, description="Products to save, known once the file is parsed")
    done: int = Field(0, description="Products handled so far")
    created: int = 0
    updated: int = 0
    errors: list[ImportError_] = Field(default_factory=list)
    message: str = ""


class VideoProductsOut(Schema):
    video_id: str
    commercial: bool = Field(description="True when the video shows products (label it)")
    items: list[ProductBrief]


class CountedOut(Schema):
    counted: int


class CartLineOut(Schema):
    id: int
    product: ProductBrief
    variant: VariantOut
    quantity: int
    unit_price: Money
    total: Money
    source_video: str | None


class CartShopOut(ShopBrief):
    subtotal: Money
    item_count: int


class CartOut(Schema):
    items: list[CartLineOut]
    shops: list[CartShopOut]
    item_count: int


class OrderLineOut(Schema):
    product_id: int | None
    variant_id: int | None
    title: str
    variant_title: str
    sku: str
    quantity: int
    unit_price: Money
    total: Money


class PaymentOut(Schema):
    provider: str
    status: PaymentStatusName
    card_brand: str
    card_last4: str


class OrderEventOut(Schema):
    status: OrderStatusName
    note: str
    at: datetime


class OrderOut(Schema):
    id: str
    status: OrderStatusName
    shop: ShopBrief
    buyer: str
    lines: list[OrderLineOut]
    subtotal: Money
    shipping: Money
    total: Money
    shipping_address: dict
    payment: PaymentOut | None
    events: list[OrderEventOut]
    created_at: datetime
    updated_at: datetime


class CheckoutOut(Schema):
    order: OrderOut


class OrderPage(Schema):
    items: list[OrderOut]
    next_cursor: str | None


class FunnelOut(Schema):
    video_id: str
    caption: str
    impressions: int
    taps: int
    add_to_carts: int
    orders: int


class DashboardOut(Schema):
    shop: MerchantOut
    funnels: list[FunnelOut]
    total: FunnelOut
    orders_per_day: list[dict]
