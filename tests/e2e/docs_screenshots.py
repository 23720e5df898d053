"""Screenshots for the docs, taken from a running demo (``make demo``).

    .venv/bin/python -m tests.e2e.docs_screenshots --base http://127.0.0.1:8000

Writes docs/screenshots/*.png: the feed on a phone (390×844) and a laptop
(1440×900) in both themes, the video page, the studio (phone: camera, whole
preview, a tool's sheet, captions, a draft reopened; laptop), the sign-in
sheet, the 404 page, the privacy page, two-factor set-up and the orders page.
"""

from __future__ import annotations

import argparse
import secrets
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from clipdeck.studio.engine.synth import make_clip
from tests.e2e.conftest import BROWSER_ARGS, chromium_path

OUT = Path("docs/screenshots")
PASSWORD = "swipe-up-2026"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}


VIEWER = f"visitor{secrets.randbelow(10**6):06d}"  # fresh each run: For You has not been seen


def log_in(page, base: str, handle: str = VIEWER) -> None:
    """Sign in as this run's viewer (signed up on first use)."""
    page.goto(f"{base}/login")
    page.get_by_label("Handle or email").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if page.get_by_role("alert").count():
        page.goto(f"{base}/signup")
        page.get_by_label("Handle").fill(handle)
        page.get_by_label("Email").fill(f"{handle}@example.com")
        page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(f"{base}/")


def context(browser, base: str, viewport: dict, scheme: str, *, touch: bool = False):
    return browser.new_context(
        viewport=viewport,
        base_url=base,
        color_scheme=scheme,
        has_touch=touch,
        is_mobile=touch,
        device_scale_factor=1,
    )


def settle_feed(page) -> None:
    page.wait_for_selector(".feed-item video")
    videos = page.locator(".feed-item video")
    for _ in range(40):  # the page's CSP forbids wait_for_function's eval
        if videos.evaluate_all("vs => vs.some(v => v.readyState >= 2)"):
            break
        page.wait_for_timeout(250)
    page.wait_for_timeout(1500)


def feeds(browser, base: str) -> None:
    for scheme in ("dark", "light"):
        for name, viewport, touch in (("phone", PHONE, True), ("laptop", LAPTOP, False)):
            page = context(browser, base, viewport, scheme, touch=touch).new_page()
            log_in(page, base)
            settle_feed(page)
            page.screenshot(path=OUT / f"feed-{name}-{scheme}.png")
            page.context.close()


def remix_id(page, base: str, kind: str) -> str:
    for handle in ("lena.paints", "tomas_fixes", "nora.codes", "maya.moves", "beatsbyraj"):
        videos = page.request.get(f"{base}/api/v1/users/{handle}/videos").json()["items"]
        for video in videos:
            if video["remix_of"] and video["remix_of"]["kind"] == kind:
                return video["id"]
    raise SystemExit(f"the demo has no {kind}; run `clipdeck demo` first")


def readme(browser, base: str) -> None:
    """The README's three: the feed, "why this video", a profile; and a duet's page."""
    page = context(browser, base, PHONE, "dark", touch=True).new_page()
    log_in(page, base)
    settle_feed(page)
    page.screenshot(path=OUT / "feed.png")
    page.locator(".feed-item").first.get_by_role("button", name="Why this video").click()
    page.wait_for_timeout(500)
    page.screenshot(path=OUT / "why-this-video.png")
    page.keyboard.press("Escape")
    page.goto(f"{base}/@chef_kofi")
    page.wait_for_timeout(800)
    page.screenshot(path=OUT / "profile-public.png")
    page.goto(f"{base}/@sam.quiet")
    page.screenshot(path=OUT / "profile-private.png")
    page.goto(f"{base}/v/{remix_id(page, base, 'duet')}")
    page.locator(".video-stage video").evaluate(
        "v => new Promise(r => { v.pause(); v.onseeked = r; v.currentTime = 2; })"
    )
    page.screenshot(path=OUT / "duet.png")
    page.context.close()


def signed_out(browser, base: str) -> None:
    page = context(browser, base, PHONE, "dark", touch=True).new_page()
    page.goto(f"{base}/")
    settle_feed(page)
    page.locator(".feed-item").first.get_by_role("button", name="Like").click()
    page.get_by_role("dialog", name="Log in to Clipdeck").wait_for()
    page.wait_for_timeout(400)
    page.screenshot(path=OUT / "sign-in-sheet.png")
    page.goto(f"{base}/v/00000000-0000-0000-0000-000000000000")
    page.screenshot(path=OUT / "not-found.png")
    page.goto(f"{base}/privacy")
    page.screenshot(path=OUT / "privacy-phone.png", full_page=False)
    page.context.close()


def video_page(browser, base: str) -> None:
    page = context(browser, base, LAPTOP, "dark").new_page()
    log_in(page, base)
    video = page.request.get(f"{base}/api/v1/users/chef_kofi/videos").json()["items"][0]["id"]
    page.goto(f"{base}/v/{video}")
    page.locator(".video-stage video").evaluate(
        "v => new Promise(r => { v.pause(); v.onseeked = r; v.currentTime = 2; })"
    )
    page.screenshot(path=OUT / "video-laptop.png")
    page.context.close()


def open_tool(page, name: str) -> None:
    """Open an editor tool's sheet (closing another first on a phone)."""
    button = page.locator(f'[data-tool-button="{name}"]')
    if button.get_attribute("aria-expanded") == "true":
        return
    if not button.is_visible():
        page.locator("[data-close-tool]").click()
    button.click()
    page.locator(f'[data-tool="{name}"]').wait_for()


def studio(browser, base: str) -> None:
    """The editor on a phone (whole preview; a tool's sheet open; captions), a draft
    reopened in it, and the laptop layout."""
    page = context(browser, base, PHONE, "dark", touch=True).new_page()
    log_in(page, base)
    with tempfile.TemporaryDirectory() as folder:
        clip = make_clip(
            Path(folder) / "clip.mp4", seconds=4, width=360, height=640, scene="hills", seed=4
        )
        page.goto(f"{base}/studio")
        page.wait_for_selector("[data-record]:not([disabled])")
        page.wait_for_timeout(800)
        page.screenshot(path=OUT / "studio-phone-camera.png")
        page.locator("[data-pick]").set_input_files(clip)
        page.wait_for_selector('[data-step="edit"]:not([hidden])')
        open_tool(page, "text")
        page.get_by_label("Text", exact=True).fill("Golden hour ☀️")
        page.get_by_role("button", name="Add text").click()
        open_tool(page, "stickers")
        page.get_by_role("button", name="Add sticker Star").click()
        layer = page.locator("[data-overlay-layer]")
        size = layer.bounding_box()
        layer.click(position={"x": size["width"] * 0.7, "y": size["height"] * 0.62})
        page.locator("[data-close-tool]").click()
        page.wait_for_timeout(1200)
        page.screenshot(path=OUT / "studio-phone-preview.png")
        open_tool(page, "filters")
        page.wait_for_selector('[data-filters] .swatch[data-frame="clip"]')
        page.get_by_role("button", name="Filter Vivid").click()
        page.wait_for_timeout(1200)
        page.screenshot(path=OUT / "studio-phone.png")
        open_tool(page, "captions")
        page.get_by_role("button", name="Add a cue here").click()
        page.get_by_label("Text of cue 1").fill("the light is perfect right now")
        page.get_by_label("Start of cue 1 (s)").fill("0")
        page.get_by_label("End of cue 1 (s)").fill("3")
        page.get_by_role("button", name="Play from cue 1").click()
        page.wait_for_timeout(800)
        page.screenshot(path=OUT / "studio-phone-captions.png")
        open_tool(page, "post")
        page.get_by_label("Caption", exact=True).fill("golden hour on the hills #sunset")
        page.get_by_role("button", name="Save draft").click()
        page.get_by_role("link", name="Edit again").wait_for(timeout=180_000)
        page.get_by_role("link", name="Edit again").click()
        page.wait_for_selector('[data-step="edit"]:not([hidden])')
        open_tool(page, "trim")
        page.wait_for_selector("[data-filmstrip] canvas")
        page.wait_for_timeout(1500)
        page.screenshot(path=OUT / "studio-draft-reopened.png")
        draft_url = page.url
    page.context.close()

    laptop = context(browser, base, LAPTOP, "dark").new_page()
    log_in(laptop, base)
    laptop.goto(draft_url)
    laptop.wait_for_selector('[data-step="edit"]:not([hidden])')
    open_tool(laptop, "music")
    laptop.wait_for_timeout(1500)
    laptop.screenshot(path=OUT / "studio-laptop.png")
    laptop.context.close()


def buy_something(page, base: str) -> None:
    """One paid order from the demo shop, with the simulated test card."""
    csrf = page.evaluate("document.body.dataset.csrf")
    headers = {"X-CSRFToken": csrf, "Referer": base + "/"}
    videos = page.request.get(f"{base}/api/v1/users/chef_kofi/videos").json()["items"]
    tagged = [
        page.request.get(f"{base}/api/v1/videos/{video['id']}/products").json()["items"]
        for video in videos
    ]
    product = next(items[0] for items in tagged if items)
    variant = page.request.get(f"{base}/api/v1/products/{product['id']}").json()["variants"][0]
    page.request.post(
        f"{base}/api/v1/cart/items",
        headers=headers,
        data={"product_id": product["id"], "variant_id": variant["id"], "quantity": 1},
    )
    page.request.post(
        f"{base}/api/v1/checkout",
        headers={**headers, "Idempotency-Key": "docs-screenshot"},
        data={
            "shipping_address": {
                "name": "Vic Viewer",
                "line1": "1 Main Street",
                "line2": "",
                "city": "Springfield",
                "region": "",
                "postal_code": "12345",
                "country": "US",
            },
            "payment": {"method": "test_card", "card_number": "4242424242424242"},
        },
    )


def account_pages(browser, base: str) -> None:
    page = context(browser, base, PHONE, "light", touch=True).new_page()
    log_in(page, base)
    page.goto(f"{base}/settings")
    page.locator("[data-two-factor-setup]").get_by_label("Your password").fill(PASSWORD)
    page.locator("[data-two-factor-setup]").get_by_role("button", name="Set up").click()
    qr = page.locator("[data-two-factor-qr]")
    qr.wait_for()
    qr.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=OUT / "two-factor.png")
    buy_something(page, base)
    page.goto(f"{base}/orders")
    page.screenshot(path=OUT / "orders.png")
    page.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    steps = {f.__name__: f for f in (readme, feeds, signed_out, video_page, studio, account_pages)}
    parser.add_argument("--only", choices=sorted(steps), action="append", help="these steps only")
    args = parser.parse_args()
    base = args.base
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
        for name in args.only or steps:
            steps[name](browser, base)
        browser.close()
    print(f"wrote {len(list(OUT.glob('*.png')))} screenshots to {OUT}/")


if __name__ == "__main__":
    main()
