"""Product pictures are copied into the cell at import: fetched through the egress
client, checked, re-encoded without metadata, stored and served by the cell; an
offline cell shows a drawn placeholder until a retry fills them in."""

from __future__ import annotations

import io
import re
import struct
import threading
import zlib
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from clipdeck.kernel.models import AuditEntry
from clipdeck.shop import images, imports
from clipdeck.shop.models import CatalogImport, ImageState, Product, ProductImage, ProductStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHOPIFY_CDN = "https://burst.shopifycdn.com"
GPS_SECRET = b"51.5007N-0.1246W-secret-spot"


def jpeg_with_metadata(colour: str) -> bytes:
    picture = Image.new("RGB", (64, 48), colour)
    exif = Image.Exif()
    exif[0x010E] = GPS_SECRET.decode()  # ImageDescription
    exif[0x013B] = "Photographer Name"  # Artist
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes(), comment=GPS_SECRET)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` pixels (a decompression bomb's shape)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    body = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return b"\x89PNG\r\n\x1a\n" + body


class ImageServer(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        ImageServer.hits.append(self.path)
        if self.path.startswith("/junk"):
            self._send(200, b"<html>not an image</html>", "image/jpeg")
        elif self.path.startswith("/bomb"):
            self._send(200, png_claiming(100_000, 100_000), "image/png")
        elif self.path.startswith("/missing"):
            self._send(404, b"gone", "text/plain")
        else:
            colour = "green" if "green" in self.path else "navy"
            self._send(200, jpeg_with_metadata(colour), "image/jpeg")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def image_server():
    ImageServer.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ImageServer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def loopback(settings):
    """The documented test setting: the egress client may reach this machine."""
    settings.CLIPDECK_EGRESS_ALLOW_LOOPBACK = True
    return settings


def real_export(shopify_dir, server: str) -> bytes:
    """The real legacy Shopify export, its CDN swapped for the local image server."""
    text = (shopify_dir / "shopify_product_template_legacy_headers.csv").read_text()
    assert SHOPIFY_CDN in text
    return text.replace(SHOPIFY_CDN, server).encode()


def run_import(merchant, data: bytes) -> CatalogImport:
    job = imports.import_start(merchant=merchant, data=data)
    imports.import_run(job.pk)
    return CatalogImport.objects.get(pk=job.pk)


def page_sources(html: str) -> list[str]:
    return re.findall(r'(?:src|href|srcset|poster)="([^"]*)"', html)


def test_an_import_copies_every_picture_into_the_cell_without_its_metadata(
    merchant, shopify_dir, image_server, loopback
):
    job = run_import(merchant, real_export(shopify_dir, image_server))

    assert (job.status, job.message) == ("done", "")
    pictures = ProductImage.objects.filter(product__merchant=merchant)
    assert pictures.count() == 11
    assert set(pictures.values_list("state", flat=True)) == {ImageState.STORED}
    for picture in pictures:
        stored = picture.file.read()
        picture.file.close()
        assert stored[:4] == b"RIFF" and stored[8:12] == b"WEBP"
        assert GPS_SECRET not in stored and b"Photographer" not in stored
        with Image.open(io.BytesIO(stored)) as decoded:
            assert decoded.size == (64, 48) and not decoded.getexif()
    audited = AuditEntry.objects.filter(action="egress", justification__startswith="product image")
    assert audited.count() == 11
    assert {entry.subject for entry in audited} == {"host:127.0.0.1"}


def test_the_storefront_and_the_api_reference_only_the_cells_own_copies(
    merchant, shopify_dir, image_server, loopback, api
):
    run_import(merchant, real_export(shopify_dir, image_server))
    shirt = Product.objects.get(merchant=merchant, handle="example-shirt")
    ImageServer.hits.clear()

    page = Client().get(f"/shop/{merchant.user.handle}")
    sheet = Client().get(f"/shop/product/{shirt.pk}/sheet")
    product = api().get(f"products/{shirt.pk}").json()

    assert page.status_code == sheet.status_code == 200
    html = page.content.decode() + sheet.content.decode()
    assert image_server not in html and "shopifycdn" not in html
    sources = [src for src in page_sources(html) if "/shop/images/" in src]
    assert sources, "the pictures are on the page"
    assert all(src.startswith("/shop/images/") for src in sources)
    api_sources = [image["src"] for image in product["images"]]
    api_sources += [variant["image"] for variant in product["variants"] if variant["image"]]
    assert all(src.startswith("/shop/images/") for src in api_sources)
    served = Client().get(sources[0])
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert ImageServer.hits == []  # showing the shop never calls the merchant's CDN


def test_junk_and_oversized_images_are_refused_and_never_retried(merchant, image_server, loopback):
    data = (
        "Handle,Title,Variant Price,Image Src,Image Position\n"
        f"junk,Junk,1,{image_server}/junk.jpg,1\n"
        f"bomb,Bomb,1,{image_server}/bomb.png,1\n"
        f"fine,Fine,1,{image_server}/fine.jpg,1\n"
    ).encode()

    job = run_import(merchant, data)

    states = dict(ProductImage.objects.values_list("product__handle", "state"))
    assert states == {"junk": "refused", "bomb": "refused", "fine": "stored"}
    assert job.status == "done"
    assert job.message == "2 picture(s) were not usable images."
    junk = ProductImage.objects.get(product__handle="junk")
    assert not junk.file
    assert images.image_url(junk) == images.placeholder_url()
    later = timezone.now() + timedelta(days=30)
    assert not images.due_for_retry(later).filter(state=ImageState.REFUSED).exists()


def test_an_offline_cell_finishes_the_import_with_placeholders_and_a_retry_fills_them(
    merchant, shopify_dir, image_server, settings
):
    data = real_export(shopify_dir, image_server)
    # Offline: no destination is reachable (the policy refuses loopback too).
    job = run_import(merchant, data)

    assert job.status == "done" and job.done == 3
    assert "11 picture(s) could not be downloaded yet" in job.message
    assert "placeholder" in job.message
    assert ImageServer.hits == []
    page = Client().get(f"/shop/{merchant.user.handle}").content.decode()
    assert image_server not in page
    assert images.placeholder_url() in page
    placeholder = Client().get(images.placeholder_url())
    assert placeholder.status_code == 200
    assert b"<svg" in b"".join(placeholder.streaming_content)

    settings.CLIPDECK_EGRESS_ALLOW_LOOPBACK = True  # the network is back
    # The import stopped trying after 5 failures in a row: the 6 never tried are due
    # at once; the 5 that failed wait an hour first.
    now = timezone.now()
    assert images.retry_images(now)[ImageState.STORED] == 6
    assert images.retry_images(now + timedelta(hours=1, minutes=1))[ImageState.STORED] == 5
    page = Client().get(f"/shop/{merchant.user.handle}").content.decode()
    assert images.placeholder_url() not in page
    assert "/shop/images/" in page


def test_a_missing_picture_waits_longer_after_each_failure(merchant, image_server, loopback):
    data = f"Handle,Title,Variant Price,Image Src\ngone,Gone,1,{image_server}/missing.jpg\n"
    run_import(merchant, data.encode())
    picture = ProductImage.objects.get()
    assert (picture.state, picture.attempts) == ("failed", 1)

    images.retry_images(picture.tried_at + timedelta(hours=1, seconds=1))
    picture.refresh_from_db()
    assert picture.attempts == 2
    images.retry_images(picture.tried_at + timedelta(hours=1, seconds=1))
    picture.refresh_from_db()
    assert picture.attempts == 2  # the second wait is two hours
    images.retry_images(picture.tried_at + timedelta(hours=2, seconds=1))
    picture.refresh_from_db()
    assert picture.attempts == 3


def test_a_reimport_keeps_the_copies_and_a_removed_picture_takes_its_file(
    merchant, image_server, loopback
):
    first = (
        "Handle,Title,Variant Price,Image Src,Image Position\n"
        f"mug,Mug,1,{image_server}/a.jpg,1\n"
        f"mug,,,{image_server}/b.jpg,2\n"
    )
    run_import(merchant, first.encode())
    a, b = ProductImage.objects.order_by("position")
    b_file = b.file.name
    fetched = len(ImageServer.hits)

    run_import(merchant, first.replace(f"mug,,,{image_server}/b.jpg,2\n", "").encode())

    [kept] = ProductImage.objects.all()
    assert (kept.pk, kept.file.name, kept.state) == (a.pk, a.file.name, "stored")
    assert len(ImageServer.hits) == fetched  # nothing downloaded again
    assert not b.file.storage.exists(b_file)


def test_a_draft_products_picture_is_served_to_its_merchant_only(merchant, image_server, loopback):
    data = f"Handle,Title,Variant Price,Image Src,Status\nsoon,Soon,1,{image_server}/s.jpg,draft\n"
    run_import(merchant, data.encode())
    picture = ProductImage.objects.get()
    assert Product.objects.get().status == ProductStatus.DRAFT
    url = images.image_url(picture)

    owner = Client()
    owner.force_login(merchant.user)
    stranger = Client()
    stranger.force_login(UserFactory())

    assert owner.get(url).status_code == 200
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 404
    assert Client().get("/shop/images/not-a-picture.webp").status_code == 404


def test_a_picture_removed_while_it_downloads_leaves_no_file(merchant, monkeypatch):
    product = Product.objects.create(merchant=merchant, handle="p", title="P")
    picture = ProductImage.objects.create(product=product, src="https://cdn.example/p.jpg")

    def removed_meanwhile(url, *, max_bytes):
        ProductImage.objects.filter(pk=picture.pk).delete()  # a re-import dropped it
        return jpeg_with_metadata("red")

    monkeypatch.setattr(images.fetch, "fetch_image", removed_meanwhile)
    images.copy_image(picture)

    storage = ProductImage._meta.get_field("file").storage
    assert not storage.exists("shop/images") or storage.listdir("shop/images")[1] == []
