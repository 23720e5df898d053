"""``img-src 'self'``: no page makes a visitor's browser fetch a picture from a third
party, and the pages themselves name no third-party host."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

import clipdeck
from clipdeck.kernel.headers import content_security_policy
from clipdeck.runtime.media_storage import browser_origin, parse_media_url
from clipdeck.shop.models import ProductImage
from tests.shop.factories import MerchantFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db
HOTLINK = "https://cdn.shopify.com/s/files/1/0000/hotlink.jpg"
TEMPLATES = sorted(Path(clipdeck.__file__).parent.glob("*/templates/**/*.html"))


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.fixture
def shop_with_an_uncopied_picture(db):
    merchant = MerchantFactory()
    product = ProductFactory(merchant=merchant, title="Lamp")
    VariantFactory(product=product, price=1000, image_url=HOTLINK)
    ProductImage.objects.create(product=product, src=HOTLINK, position=1, alt="A lamp")
    return merchant, product


def external_hosts(html: str) -> set[str]:
    urls = re.findall(r'(?:src|href|srcset|poster|action)="([^"]+)"', html)
    urls += re.findall(r"url\(([^)]+)\)", html)
    return {urlsplit(url.strip("'\" ")).netloc for url in urls} - {""}


@pytest.mark.parametrize(
    "path", ["/", "/login", "/signup", "/privacy", "/transparency", "/about/for-you"]
)
def test_every_page_allows_images_from_this_cell_only(path):
    response = Client().get(path)

    assert response.status_code == 200
    policy = directives(response)
    assert policy["img-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["media-src"] == "'self' blob:"


def test_the_storefront_names_no_third_party_host(shop_with_an_uncopied_picture):
    merchant, product = shop_with_an_uncopied_picture

    storefront = Client().get(f"/shop/{merchant.user.handle}")
    sheet = Client().get(f"/shop/product/{product.pk}/sheet")

    for response in (storefront, sheet):
        assert response.status_code == 200
        assert directives(response)["img-src"] == "'self'"
        html = response.content.decode()
        assert "shopify" not in html
        assert external_hosts(html) == set()
    assert "/static/shop/img/placeholder.svg" in storefront.content.decode()


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_template_loads_anything_from_another_host(template):
    text = template.read_text()
    loaded = re.findall(r'(?:src|srcset|poster)="(https?:)?//[^"]+"', text)
    styles = re.findall(r'<link[^>]+href="(?:https?:)?//', text)

    assert loaded == [] and styles == []


def test_a_bucket_serving_signed_urls_by_redirect_is_the_one_extra_origin(tmp_path):
    redirecting = parse_media_url(
        "s3://cell-media?region=eu-west-1&serve=redirect", default_root=tmp_path
    )
    proxying = parse_media_url("s3://cell-media?region=eu-west-1", default_root=tmp_path)
    local = parse_media_url("", default_root=tmp_path)

    origin = browser_origin(redirecting)
    assert origin == "https://cell-media.s3.eu-west-1.amazonaws.com"
    assert browser_origin(proxying) is None and browser_origin(local) is None
    policy = content_security_policy((origin,))
    assert f"img-src 'self' {origin};" in policy
    assert f"media-src 'self' blob: {origin};" in policy


def test_the_policy_follows_the_configured_bucket(settings):
    settings.CLIPDECK_MEDIA_ORIGINS = ["https://media.cell.example"]

    response = Client().get("/")

    assert directives(response)["img-src"] == "'self' https://media.cell.example"
