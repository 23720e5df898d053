"""Small generated catalogs: bad rows, products.json, URL imports, re-imports."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from clipdeck.kernel.errors import InvalidInput
from clipdeck.shop.catalog import catalog_import
from clipdeck.shop.models import Product, Variant

pytestmark = pytest.mark.django_db

HEADER = (
    "Handle,Title,Body (HTML),Published,Status,Option1 Name,Option1 Value,Variant SKU,"
    "Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Price,"
    "Image Src\n"
)


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def test_bad_rows_get_errors_in_words_and_the_good_rows_still_import(merchant):
    data = csv_bytes(
        "mug,Mug,<p>Nice</p>,TRUE,active,Size,Small,MUG-S,shopify,5,deny,12.50,",
        "mug,,,,,,Large,MUG-L,shopify,3.5,deny,14,",
        "mug,,,,,,Huge,MUG-H,shopify,1,maybe,15,",
        "mug,,,,,,Tiny,MUG-T,shopify,1,deny,abc,",
        "mug,,,,,,Odd,MUG-O,shopify,1,deny,1.999,",
        "mug,,,,,,Neg,MUG-N,shopify,1,deny,-5,",
        "mug,,,,,,None,MUG-X,shopify,1,deny,,",
        ",,,,,,,,,,,,",
        ",,,,,,,SKU-1,,,,3,",
        "cap,Cap,,TRUE,sold,Title,Default Title,CAP,,,,9,ftp://example.com/cap.png",
    )

    result = catalog_import(merchant=merchant, data=data)

    assert result.as_dict() == {
        "created": 2,
        "updated": 0,
        "errors": [
            {
                "row": 3,
                "message": "mug: Variant Inventory Qty is '3.5', which is not a whole number.",
            },
            {
                "row": 4,
                "message": "mug: Variant Inventory Policy is 'maybe'; use deny or continue.",
            },
            {"row": 5, "message": "mug: Variant Price 'abc' is not a number."},
            {
                "row": 6,
                "message": "mug: Variant Price '1.999' has more decimal places than USD allows "
                "(at most 2 decimal places).",
            },
            {"row": 7, "message": "mug: Variant Price is '-5'; a price cannot be negative."},
            {"row": 8, "message": "mug: Variant Price is empty; every variant needs a price."},
            {"row": 10, "message": "This row has neither a handle nor a title."},
            {
                "row": 11,
                "message": "cap: Status is 'sold'; use active, draft or archived. The product "
                "was saved as a draft.",
            },
            {
                "row": 11,
                "message": "cap: Image Src 'ftp://example.com/cap.png' is not a web address "
                "(http or https).",
            },
        ],
    }
    mug = Product.objects.get(merchant=merchant, handle="mug")
    assert [(v.sku, v.price, v.stock) for v in mug.variants.all()] == [("MUG-S", 1250, 5)]
    cap = Product.objects.get(merchant=merchant, handle="cap")
    assert (cap.status, cap.variants.get().price) == ("draft", 900)


def test_a_repeated_variant_row_is_reported_not_duplicated(merchant):
    data = csv_bytes(
        "mug,Mug,,TRUE,active,Size,Small,MUG-S,shopify,5,deny,12,",
        "mug,,,,,,Small,MUG-S,shopify,5,deny,12,",
    )

    result = catalog_import(merchant=merchant, data=data)

    assert result.errors[0].as_dict() == {
        "row": 3,
        "message": "mug: this variant repeats an earlier row (same SKU or options).",
    }
    assert Variant.objects.filter(product__merchant=merchant).count() == 1


def test_a_reimport_updates_price_and_stock_by_sku_and_adds_new_variants(merchant):
    catalog_import(
        merchant=merchant,
        data=csv_bytes("mug,Mug,,TRUE,active,Size,Small,MUG-S,shopify,5,deny,12,"),
    )
    original = Variant.objects.get(sku="MUG-S")

    result = catalog_import(
        merchant=merchant,
        data=csv_bytes(
            "mug,Mug v2,,TRUE,active,Size,S,MUG-S,shopify,7,continue,13.5,",
            "mug,,,,,,M,MUG-M,shopify,2,deny,14,",
        ),
    )

    assert (result.created, result.updated, result.errors) == (0, 1, [])
    updated = Variant.objects.get(pk=original.pk)
    assert (updated.title, updated.price, updated.stock, updated.inventory_policy) == (
        "S",
        1350,
        7,
        "continue",
    )
    assert Product.objects.get(merchant=merchant, handle="mug").title == "Mug v2"
    assert Variant.objects.filter(product__merchant=merchant).count() == 2


def test_descriptions_lose_scripts_styles_and_handlers(merchant):
    body = (
        '"<style>p{color:red}</style><p onclick=""x()"">'
        'Hi <script>alert(1)</script><b>there</b></p>"'
    )
    catalog_import(merchant=merchant, data=csv_bytes(f"mug,Mug,{body},TRUE,active,,,,,,,5,"))

    assert Product.objects.get(handle="mug").description_html == "<p>Hi <b>there</b></p>"


def test_a_file_that_is_not_a_shopify_export_is_refused_as_a_whole(merchant):
    with pytest.raises(InvalidInput) as error:
        catalog_import(merchant=merchant, data=b"name,price\nmug,12\n")

    assert error.value.code == "unrecognised_catalog"
    assert "Handle (or URL handle)" in error.value.message


def test_a_windows_1252_export_with_a_bom_less_header_is_read(merchant):
    data = (HEADER + "caf,Café crème,,TRUE,active,,,,,,,4,\n").encode("cp1252")

    catalog_import(merchant=merchant, data=data)

    assert Product.objects.get(handle="caf").title == "Café crème"


PRODUCTS_JSON = {
    "products": [
        {
            "id": 1,
            "title": "Desk Lamp",
            "handle": "desk-lamp",
            "body_html": "<p>Bright<script>x</script></p>",
            "vendor": "Lumen",
            "product_type": "Lighting",
            "tags": ["home", "office"],
            "options": [{"name": "Color", "position": 1, "values": ["Black", "White"]}],
            "variants": [
                {"id": 11, "title": "Black", "option1": "Black", "sku": "L-B", "price": "49.00",
                 "compare_at_price": "59.00", "requires_shipping": True, "grams": 900},
                {"id": 12, "title": "White", "option1": "White", "sku": "L-W", "price": "49.00",
                 "compare_at_price": None, "inventory_quantity": 4,
                 "inventory_management": "shopify", "inventory_policy": "deny"},
            ],
            "images": [{"src": "https://cdn.example.com/lamp.jpg", "position": 1}],
        },
        {"title": "No handle", "variants": []},
        {"title": "Gift card", "handle": "gift", "options": [{"name": "Title"}],
         "variants": [{"title": "Default Title", "option1": "Default Title", "price": "x"}]},
    ]
}  # fmt: skip


def test_a_storefront_products_json_imports_with_per_product_errors(merchant):
    result = catalog_import(merchant=merchant, data=json.dumps(PRODUCTS_JSON).encode())

    assert result.as_dict() == {
        "created": 1,
        "updated": 0,
        "errors": [
            {"row": 2, "message": "Product 2 needs both a handle and a title."},
            {"row": 3, "message": "gift: variant 1 price 'x' is not a number."},
        ],
    }
    lamp = Product.objects.get(merchant=merchant, handle="desk-lamp")
    black, white = lamp.variants.all()
    assert lamp.description_html == "<p>Bright</p>"
    assert (lamp.tags, lamp.option_names, lamp.images.get().src) == (
        ["home", "office"],
        ["Color"],
        "https://cdn.example.com/lamp.jpg",
    )
    assert (black.price, black.compare_at_price, black.inventory_tracked) == (4900, 5900, False)
    assert (white.price, white.stock, white.inventory_tracked) == (4900, 4, True)


def test_a_products_json_reimport_is_idempotent(merchant):
    data = json.dumps(PRODUCTS_JSON).encode()
    catalog_import(merchant=merchant, data=data)

    again = catalog_import(merchant=merchant, data=data)

    assert (again.created, again.updated) == (0, 1)
    assert Variant.objects.filter(product__merchant=merchant).count() == 2


@pytest.fixture
def catalog_server():
    """A local web server answering /products.json (and /big with too many bytes)."""
    body = json.dumps(PRODUCTS_JSON).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            payload = body if self.path == "/products.json" else b"x" * 5000
            self.send_response(200 if self.path in ("/products.json", "/big") else 404)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_catalog_url_on_a_private_address_is_refused_by_default(merchant, catalog_server):
    with pytest.raises(InvalidInput) as error:
        catalog_import(merchant=merchant, url=f"{catalog_server}/products.json")

    assert error.value.message == "Catalog URLs must point to a public web server."
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/products.json", "http://", "javascript:x"]
)
def test_only_http_and_https_urls_are_fetched(merchant, url):
    with pytest.raises(InvalidInput) as error:
        catalog_import(merchant=merchant, url=url)

    assert error.value.message == "Give a full http:// or https:// address."


def test_a_catalog_url_imports_when_the_operator_allows_private_addresses(
    merchant, catalog_server, settings
):
    settings.CLIPDECK_EGRESS_ALLOW_LOOPBACK = True

    result = catalog_import(merchant=merchant, url=f"{catalog_server}/products.json")

    assert (result.created, len(result.errors)) == (1, 2)


def test_a_catalog_url_over_the_size_limit_or_missing_is_refused(
    merchant, catalog_server, settings
):
    settings.CLIPDECK_EGRESS_ALLOW_LOOPBACK = True
    settings.CLIPDECK_SHOP_IMPORT_MAX_BYTES = 1000

    with pytest.raises(InvalidInput) as too_big:
        catalog_import(merchant=merchant, url=f"{catalog_server}/big")
    with pytest.raises(InvalidInput) as missing:
        catalog_import(merchant=merchant, url=f"{catalog_server}/nothing")

    assert too_big.value.message == "The catalog is larger than 1,000 bytes."
    assert missing.value.message == "The server answered 404 instead of the catalog."
