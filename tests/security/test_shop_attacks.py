"""Crafted input against the shop: huge numbers, deep JSON, odd types, hostile URLs,
other people's videos on the dashboard, and imports too big to run in a request."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clipdeck.accounts.models import Block
from clipdeck.shop import funnel
from clipdeck.shop.models import CatalogImport, Order, Product, Variant, VideoProduct
from clipdeck.shop.payments.simulated_card import SUCCEEDS
from clipdeck.videos.models import VideoStatus, Visibility
from tests.factories import UserFactory, VideoFactory
from tests.shop.factories import ADDRESS, MerchantFactory, product_with_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant(db):
    return MerchantFactory(currency="USD")


HUGE = str(2**63)
HEADER = "Handle,Title,Variant SKU,Variant Inventory Tracker,Variant Inventory Qty,Variant Price\n"


def upload(name: str, data: bytes) -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")}


@pytest.fixture
def start_import(api, django_capture_on_commit_callbacks):
    """``start_import(merchant, name, data)`` posts a file; its task is queued on commit."""

    def post(merchant, name: str, data: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            return api(merchant.user).post(
                "shop/catalog/import", upload(name, data), multipart=True
            )

    return post


@pytest.fixture
def imported(api, start_import, run_worker):
    """``imported(merchant, name, data)``: the report of a finished import of ``data``."""

    def run(merchant, name: str, data: bytes) -> dict:
        response = start_import(merchant, name, data)
        assert response.status_code == 202, response.json()
        run_worker()
        return api(merchant.user).get(f"shop/catalog/imports/{response.json()['id']}").json()

    return run


# --- the import runs in the background, in batches ---------------------------


def test_an_import_is_queued_and_its_progress_is_a_report(api, merchant, start_import, run_worker):
    data = (HEADER + "mug,Mug,M1,shopify,5,12.50\ncap,Cap,C1,shopify,1,abc\n").encode()

    response = start_import(merchant, "p.csv", data)

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert not Product.objects.exists()
    run_worker()
    report = api(merchant.user).get(f"shop/catalog/imports/{body['id']}").json()
    assert report["status"] == "done"
    assert (report["total"], report["done"], report["created"], report["updated"]) == (1, 1, 1, 0)
    assert report["errors"] == [
        {"row": 3, "message": "cap: Variant Price 'abc' is not a number."},
        {
            "row": 3,
            "message": "cap: none of this product's variant rows could be read, so it was not "
            "imported.",
        },
    ]
    assert not CatalogImport.objects.get().file  # the upload is deleted after the import


def test_another_merchant_cannot_read_an_import(api, merchant, start_import):
    data = (HEADER + "mug,Mug,M1,shopify,5,12.50\n").encode()
    job_id = start_import(merchant, "p.csv", data).json()["id"]
    other = UserFactory()
    api(other).post("shop", {"name": "Other", "currency": "USD"})

    assert api(other).get(f"shop/catalog/imports/{job_id}").status_code == 404


def test_more_rows_than_the_limit_is_refused_before_anything_is_stored(merchant, start_import):
    rows = "".join(f"p{n},P,S{n},,,1\n" for n in range(50_001))

    response = start_import(merchant, "p.csv", (HEADER + rows).encode())

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_many_rows"
    assert "at most 50,000" in response.json()["error"]["message"]
    assert not CatalogImport.objects.exists()


class Crash(BaseException):
    """A worker killed in the middle of a batch."""


def test_a_crash_leaves_the_committed_batches_and_a_rerun_finishes_without_duplicates(
    merchant, monkeypatch
):
    from clipdeck.shop import catalog, imports

    data = (HEADER + "".join(f"p{n},P{n},S{n},shopify,1,1\n" for n in range(5))).encode()
    job = imports.import_start(merchant=merchant, data=data)
    monkeypatch.setattr(catalog, "BATCH_SIZE", 2)
    real_save = catalog.save_product

    def dies_on_the_third(merchant_, record):
        if record.handle == "p2":
            raise Crash
        return real_save(merchant_, record)

    monkeypatch.setattr(catalog, "save_product", dies_on_the_third)
    with pytest.raises(Crash):
        imports.import_run(job.pk)

    stopped = imports.import_out(CatalogImport.objects.get(pk=job.pk))
    assert (stopped["status"], stopped["done"], stopped["total"]) == ("running", 2, 5)
    assert Product.objects.count() == 2
    monkeypatch.setattr(catalog, "save_product", real_save)
    imports.import_run(job.pk)  # the task queued again after the worker died
    finished = imports.import_out(CatalogImport.objects.get(pk=job.pk))
    assert (finished["status"], finished["done"], finished["created"]) == ("done", 5, 5)
    assert Product.objects.count() == 5 and Variant.objects.count() == 5


def test_one_product_that_cannot_be_saved_is_a_row_error_and_the_others_import(
    merchant, monkeypatch
):
    from clipdeck.shop import catalog, imports

    real_save = catalog.save_product

    def breaks_on_p1(merchant_, record):
        if record.handle == "p1":
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return real_save(merchant_, record)

    monkeypatch.setattr(catalog, "save_product", breaks_on_p1)
    data = (HEADER + "".join(f"p{n},P{n},S{n},shopify,1,1\n" for n in range(3))).encode()
    job = imports.import_start(merchant=merchant, data=data)
    imports.import_run(job.pk)

    report = imports.import_out(CatalogImport.objects.get(pk=job.pk))
    assert report["status"] == "done" and report["created"] == 2
    assert report["errors"] == [{"row": 3, "message": "p1: the product could not be saved."}]


# --- numbers beyond 64 bits -----------------------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"big,Big,B1,shopify,1,{HUGE}", "is larger than the highest price"),
        (f"big,Big,B1,shopify,{HUGE},1", "a stock count can be at most 10,000,000"),
    ],
)
def test_a_csv_price_or_stock_beyond_64_bits_is_a_row_error(api, merchant, imported, row, message):
    report = imported(merchant, "p.csv", (HEADER + row + "\n").encode())

    assert report["status"] == "done"
    assert message in report["errors"][0]["message"]
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("variant", "message"),
    [
        ({"price": HUGE}, "is larger than the highest price"),
        ({"price": "1", "compare_at_price": HUGE}, "is larger than the highest price"),
        ({"price": "1", "inventory_quantity": 2**63}, "a stock count can be at most"),
    ],
)
def test_a_json_price_or_stock_beyond_64_bits_is_a_row_error(
    api, merchant, imported, variant, message
):
    document = {"products": [{"handle": "big", "title": "Big", "variants": [variant]}]}

    report = imported(merchant, "p.json", json.dumps(document).encode())

    assert report["status"] == "done"
    assert message in report["errors"][0]["message"]
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("variant", "field", "message"),
    [
        ({"price": 2**63}, "variants.0.price", "A price can be at most $10,000,000,000.00."),
        (
            {"price": 100, "compare_at_price": 2**63},
            "variants.0.compare_at_price",
            "A price can be at most $10,000,000,000.00.",
        ),
        ({"price": 100, "stock": 2**63}, "variants.0.stock", "at most 10,000,000 units"),
    ],
)
def test_creating_a_product_with_a_number_beyond_64_bits_is_refused(
    api, merchant, variant, field, message
):
    response = api(merchant.user).post("shop/products", {"title": "Big", "variants": [variant]})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert message in response.json()["error"]["message"]
    assert not Product.objects.exists()


def test_an_order_whose_total_would_overflow_is_refused_and_nothing_is_kept(api, merchant):
    variant = product_with_stock(merchant, price=2**62, stock=5)
    buyer = UserFactory()
    api(buyer).post(
        "cart/items", {"product_id": variant.product_id, "variant_id": variant.pk, "quantity": 2}
    )

    response = api(buyer).post(
        "checkout",
        {"shipping_address": ADDRESS, "payment": {"method": "test_card", "card_number": SUCCEEDS}},
        headers={"Idempotency-Key": "big"},
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "order_too_large"
    assert not Order.objects.exists()
    assert Variant.objects.get(pk=variant.pk).stock == 5


# --- products.json shapes --------------------------------------------------------


def test_deeply_nested_json_is_refused_with_a_clear_message(merchant, start_import):
    data = b'{"products": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

    response = start_import(merchant, "p.json", data)

    assert response.status_code == 400
    assert "nested more than 32 levels deep" in response.json()["error"]["message"]
    assert not CatalogImport.objects.exists() and not Product.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tags": 5}, "tags must be a text or a list of texts"),
        ({"tags": [{"a": 1}]}, "tags must be a text or a list of texts"),
        ({"title": {"x": 1}}, "title must be text or a number"),
        ({"options": "Size"}, "options must be a list of objects"),
        ({"variants": [{"price": ["1"]}]}, "price must be text or a number"),
        ({"variants": [{"price": "1", "requires_shipping": "no"}]}, "must be true or false"),
        ({"variants": [{"price": "1", "featured_image": "x"}]}, "must be an object"),
        ({"images": [{"src": 7.5}]}, "is not a web address"),
    ],
)
def test_a_products_json_field_of_the_wrong_type_is_a_row_error(
    api, merchant, imported, change, message
):
    product = {"handle": "mug", "title": "Mug", "variants": [{"price": "1"}], **change}
    document = {
        "products": [product, {"handle": "ok", "title": "OK", "variants": [{"price": "2"}]}]
    }

    report = imported(merchant, "p.json", json.dumps(document).encode())

    assert report["status"] == "done" and report["created"] == 1
    assert [error["row"] for error in report["errors"]] == [1]
    assert message in report["errors"][0]["message"]
    assert list(Product.objects.values_list("handle", flat=True)) == ["ok"]


# --- image URLs of hand-made products ----------------------------------------------


@pytest.mark.parametrize("src", ["javascript:alert(1)", "file:///etc/passwd", "data:image/png,x"])
def test_a_product_image_must_be_a_web_address(api, merchant, src):
    response = api(merchant.user).post(
        "shop/products", {"title": "Mug", "variants": [{"price": 100}], "images": [src]}
    )

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "images.0"
    assert "is not a web address (http or https)" in response.json()["error"]["message"]
    assert not Product.objects.exists()


# --- the dashboard shows only videos the merchant may see -----------------------------


def test_the_dashboard_never_lists_videos_the_merchant_may_not_see(api, merchant):
    product = product_with_stock(merchant).product
    creator = UserFactory()
    public = VideoFactory(author=creator, caption="public video")
    private = VideoFactory(author=creator, caption="secret private", visibility=Visibility.PRIVATE)
    draft = VideoFactory(author=creator, caption="secret draft", status=VideoStatus.DRAFT)
    for video in (public, private, draft):
        VideoProduct.objects.create(video=video, product=product, impressions=5)

    shown = {row.video_id for row in funnel.video_funnels(merchant)}
    body = json.dumps(api(merchant.user).get("shop/dashboard").json())

    assert shown == {str(public.pk)}
    assert "secret" not in body and str(private.pk) not in body and str(draft.pk) not in body
    Block.objects.create(blocker=creator, blocked=merchant.user)
    assert funnel.video_funnels(merchant) == []
    assert "public video" not in json.dumps(api(merchant.user).get("shop/dashboard").json())
