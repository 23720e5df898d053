"""What an importer produces: plain records, checked and parsed, not yet saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class VariantRecord:
    row: int
    option_values: list[str]
    price: int
    sku: str = ""
    barcode: str = ""
    compare_at_price: int | None = None
    inventory_tracked: bool = False
    stock: int = 0
    continue_selling: bool = False
    requires_shipping: bool = True
    weight_grams: Decimal | None = None
    image_url: str = ""


@dataclass
class ImageRecord:
    src: str
    position: int
    alt: str = ""


@dataclass
class ProductRecord:
    row: int
    handle: str
    title: str = ""
    description_html: str = ""
    vendor: str = ""
    product_type: str = ""
    tags: list[str] = field(default_factory=list)
    status: str = "active"
    published: bool = True
    option_names: list[str] = field(default_factory=list)
    variants: list[VariantRecord] = field(default_factory=list)
    images: list[ImageRecord] = field(default_factory=list)


@dataclass
class RowError:
    row: int
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "message": self.message}


@dataclass
class ParseResult:
    products: list[ProductRecord]
    errors: list[RowError]
