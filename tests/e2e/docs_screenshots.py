"""Screenshots for the docs, taken from a running demo (``make demo``).

    .venv/bin/python -m tests.e2e.docs_screenshots --base http://127.0.0.1:8000

Writes docs/screenshots/*.png at a phone's size (and one desktop view).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from clipdeck.studio.engine.synth import make_clip
from tests.e2e.conftest import BROWSER_ARGS, chromium_path

OUT = Path("docs/screenshots")
PASSWORD = "swipe-up-2026"


def log_in(page, base: str, handle: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Handle or email").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def remix_id(page, base: str, kind: str) -> str:
    for handle in ("lena.paints", "tomas_fixes", "nora.codes", "maya.moves", "beatsbyraj"):
        videos = page.request.get(f"{base}/api/v1/users/{handle}/videos").json()["items"]
        for video in videos:
            if video["remix_of"] and video["remix_of"]["kind"] == kind:
                return video["id"]
    raise SystemExit(f"the demo has no {kind}; run `clipdeck demo` first")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    base = parser.parse_args().base
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
        phone = browser.new_context(viewport={"width": 390, "height": 844})
        page = phone.new_page()
        log_in(page, base, "viewer.vic")
        page.wait_for_selector(".feed-item video")
        page.wait_for_timeout(2500)
        page.screenshot(path=OUT / "feed.png")

        page.locator(".feed-item").first.get_by_role("button", name="Why this video").click()
        page.wait_for_timeout(500)
        page.screenshot(path=OUT / "why-this-video.png")
        page.keyboard.press("Escape")

        duet = remix_id(page, base, "duet")
        page.goto(f"{base}/v/{duet}")
        page.locator("video").evaluate(
            "v => new Promise(r => { v.pause(); v.onseeked = r; v.currentTime = 2; })"
        )
        page.screenshot(path=OUT / "duet.png")

        page.goto(f"{base}/@chef_kofi")
        page.wait_for_timeout(800)
        page.screenshot(path=OUT / "profile-public.png")
        page.goto(f"{base}/@sam.quiet")
        page.wait_for_timeout(500)
        page.screenshot(path=OUT / "profile-private.png")

        desktop = browser.new_context(viewport={"width": 1280, "height": 1000})
        page = desktop.new_page()
        log_in(page, base, "viewer.vic")
        with tempfile.TemporaryDirectory() as folder:
            clip = make_clip(
                Path(folder) / "clip.mp4",
                seconds=4,
                width=360,
                height=640,
                scene="bouncing",
                seed=4,
            )
            page.goto(f"{base}/studio")
            page.wait_for_selector("[data-record]:not([disabled])")
            page.locator("[data-pick]").set_input_files(clip)
            page.get_by_role("heading", name="Trim").wait_for()
            page.get_by_role("button", name="Filter Vivid").click()
            page.locator("[data-sounds] li").first.get_by_role("button", name="Use").click()
            page.wait_for_timeout(1500)
            page.screenshot(path=OUT / "studio-editor.png")

        wide = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        wide.goto(f"{base}/")
        wide.wait_for_selector(".feed-item video")
        wide.wait_for_timeout(2500)
        wide.screenshot(path=OUT / "feed-desktop.png")
        browser.close()
    print(f"wrote {len(list(OUT.glob('*.png')))} screenshots to {OUT}/")


if __name__ == "__main__":
    main()
