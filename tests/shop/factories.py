"""Shop factories: merchants, products with variants, and a shipping address."""

from __future__ import annotations

import factory

from clipdeck.shop.models import Merchant, Product, ProductStatus, Variant
from tests.factories import UserFactory

ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "1 Analytical Way",
    "city": "London",
    "postal_code": "N1 1AA",
    "country": "GB",
}


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Shop {n}")
    currency = "USD"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    merchant = factory.SubFactory(MerchantFactory)
    handle = factory.Sequence(lambda n: f"product-{n}")
    title = factory.Sequence(lambda n: f"Product {n}")
    status = ProductStatus.ACTIVE
    published = True


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    title = "Default Title"
    price = 1999
    stock = 10
    inventory_tracked = True


def product_with_stock(merchant=None, *, stock=10, price=1999, **product) -> Variant:
    """A product on sale with one tracked variant; returns the variant."""
    owner = {"merchant": merchant} if merchant else {}
    return VariantFactory(product=ProductFactory(**owner, **product), stock=stock, price=price)
