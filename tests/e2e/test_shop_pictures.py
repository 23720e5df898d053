"""A storefront shows the cell's own copies of product pictures, a drawn placeholder
for one that could not be downloaded, and nothing the content policy refuses."""

from __future__ import annotations

import io
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_journey import sign_up
from tests.e2e.test_shop import call

pytestmark = pytest.mark.xdist_group("browser")


def mug_jpeg() -> bytes:
    picture = Image.new("RGB", (600, 600), "#f4efe6")
    draw = ImageDraw.Draw(picture)
    draw.ellipse((150, 170, 450, 470), fill="#2f6f73")
    draw.rectangle((420, 260, 500, 380), outline="#2f6f73", width=24)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=90)
    return out.getvalue()


class Pictures(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = mug_jpeg()
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def picture_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pictures)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_a_storefront_shows_copied_pictures_and_a_placeholder_never_a_third_party(
    new_page, picture_server
):
    merchant = new_page()
    sign_up(merchant, "wren_pottery")
    call(merchant, "POST", "shop", {"name": "Wren Pottery", "currency": "USD"})
    for title, image in (
        ("Teal mug", f"{picture_server}/mug.jpg"),
        ("Glazed bowl", "http://127.0.0.1:9/unreachable.jpg"),
    ):
        call(
            merchant,
            "POST",
            "shop/products",
            {"title": title, "variants": [{"price": 2200, "stock": 4}], "images": [image]},
        )

    visitor = new_page()
    refused: list[str] = []
    visitor.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security" in message.text else None
        ),
    )
    deadline = time.monotonic() + 30
    while True:  # the worker copies the pictures in the background
        visitor.goto("/shop/wren_pottery")
        sources = visitor.locator(".shop-tiles img, img").evaluate_all(
            "images => images.map(image => image.getAttribute('src'))"
        )
        if any(src.startswith("/shop/images/") for src in sources) or time.monotonic() > deadline:
            break
        time.sleep(0.5)

    assert any(re.fullmatch(r"/shop/images/[\w-]+\.webp", src) for src in sources), sources
    assert any(src.endswith("placeholder.svg") for src in sources), sources
    assert all(src.startswith("/") for src in sources)
    expect(visitor.get_by_text("Teal mug")).to_be_visible()
    for tile in visitor.locator("img").all():
        tile.scroll_into_view_if_needed()  # the tiles load lazily
    # Every picture, placeholder included, draws. Polled with evaluate: wait_for_function
    # would evaluate a string in the page, which the CSP (no 'unsafe-eval') refuses.
    drawn = "() => [...document.images].every(image => image.complete && image.naturalWidth > 0)"
    for _ in range(100):
        if visitor.evaluate(drawn):
            break
        visitor.wait_for_timeout(100)
    assert visitor.evaluate(drawn), "a picture did not draw"
    visitor.locator("img").first.scroll_into_view_if_needed()
    assert refused == []
    assert visitor.errors == []
    screenshot(visitor, "storefront-pictures")
