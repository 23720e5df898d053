"""The web app on a phone (390×844, touch) and a laptop (1440×900), in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from clipdeck.studio.engine.synth import make_clip
from tests.e2e.conftest import screenshot
from tests.e2e.test_journey import PASSWORD, open_tool, post_via_api, sign_up

pytestmark = pytest.mark.xdist_group("browser")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}
COPIED = """
window.__copied = [];
if (navigator.clipboard) {
  navigator.clipboard.writeText = (text) => {
    window.__copied.push(text);
    return Promise.resolve();
  };
}
"""
_posted: dict[str, str] = {}


@pytest.fixture
def open_page(page_factory):
    """``open_page(viewport, touch=False, scheme=None)``: a page in a fresh context."""

    def make(viewport=PHONE, *, touch=False, scheme=None):
        return page_factory(
            viewport=viewport,
            has_touch=touch,
            is_mobile=touch,
            color_scheme=scheme or "dark",
            init_scripts=(COPIED,),
        )

    return make


@pytest.fixture
def posted(open_page, tmp_path):
    """A published video by @ivy_posts (posted once for the module's tests)."""
    if "id" not in _posted:
        page = open_page()
        sign_up(page, "ivy_posts")
        clip = make_clip(tmp_path / "clip.mp4", seconds=3, width=180, height=320, scene="bars")
        _posted["id"] = post_via_api(page, clip, "warm light #goldenhour with @ivy_posts")
        other = make_clip(tmp_path / "b.mp4", seconds=2, width=180, height=320, scene="gradient")
        post_via_api(page, other, "second take #goldenhour")
    return _posted["id"]


def item_of(page, video_id):
    """The feed item of ``video_id``. A video the worker just published reaches the web
    process's shared lists within a second, and may rank below the first page (the
    test server's catalogue holds every module's videos), so the feed is scrolled on
    to later pages, and reloaded, until it shows."""
    item = page.locator(f'.feed-item[data-id="{video_id}"]')
    for attempt in range(24):
        if item.count():
            break
        if attempt in (0, 12):
            page.reload()
        else:
            last = page.locator(".feed-item").last
            if last.count():
                last.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
    return item


def log_in_sheet(page, handle):
    sheet = page.get_by_role("dialog", name="Log in to Clipdeck")
    expect(sheet).to_be_visible()
    sheet.get_by_label("Handle or email").fill(handle)
    sheet.get_by_label("Password").fill(PASSWORD)
    sheet.get_by_role("button", name="Log in").click()
    expect(sheet).to_have_count(0)


# --- bugs -------------------------------------------------------------------------


def test_the_reaction_window_drags_and_resizes_with_the_pointer(open_page, posted):
    page = open_page()
    sign_up(page, "jo_drags")
    page.goto(f"/studio?react={posted}")
    window = page.get_by_role("group", name=re.compile("Your reaction window"))
    expect(window).to_be_visible()
    expect(page.locator("[data-countdown]")).to_be_hidden()  # it covered the stage
    before = window.bounding_box()

    page.mouse.move(before["x"] + 20, before["y"] + 30)
    page.mouse.down()
    page.mouse.move(before["x"] - 40, before["y"] + 110, steps=6)
    page.mouse.up()
    moved = window.bounding_box()
    handle = page.get_by_role("button", name="Resize the reaction window").bounding_box()
    page.mouse.move(handle["x"] + 5, handle["y"] + 5)
    page.mouse.down()
    page.mouse.move(handle["x"] + 35, handle["y"] + 5, steps=6)
    page.mouse.up()
    resized = window.bounding_box()

    assert moved["x"] == pytest.approx(before["x"] - 60, abs=3)
    assert moved["y"] == pytest.approx(before["y"] + 80, abs=3)
    assert resized["width"] == pytest.approx(moved["width"] + 30, abs=3)
    position = window.get_attribute("data-position")
    assert '"width":' in position and page.errors == []


def test_copy_link_copies_the_address_the_page_was_served_from(open_page, posted, clipdeck_server):
    page = open_page()
    page.goto("/?personalized=false")
    item = item_of(page, posted)
    item.scroll_into_view_if_needed()
    item.get_by_role("button", name="Share").click()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status")).to_have_text("Link copied.")

    copied = page.evaluate("window.__copied")
    field = page.get_by_label("Link to this video").input_value()
    assert copied == [f"{clipdeck_server}/v/{posted}"] == [field]
    assert ":8000" not in clipdeck_server  # the server runs on another port


def test_following_signed_out_shows_the_sign_in_state_not_the_api_error(open_page):
    page = open_page()
    page.goto("/following")

    expect(
        page.get_by_role("heading", name="Log in to see the accounts you follow")
    ).to_be_visible()
    expect(page.get_by_text("Sign in to do this.")).to_have_count(0)
    page.locator(".following-signed-out").get_by_role("link", name="Log in").click()
    expect(page.get_by_role("dialog", name="Log in to Clipdeck")).to_be_visible()
    screenshot(page, "following-signed-out")
    assert page.errors == []


# --- sign-in in place ---------------------------------------------------------------


def test_liking_while_signed_out_signs_in_over_the_feed_and_then_likes(open_page, posted):
    sign_up(open_page(), "kai_likes")
    page = open_page()
    page.goto("/?personalized=false")
    item = item_of(page, posted)
    item.scroll_into_view_if_needed()
    likes_before = int(item.get_by_role("button", name="Like").inner_text() or 0)

    item.get_by_role("button", name="Like").click()
    log_in_sheet(page, "kai_likes")

    expect(item.get_by_role("button", name="Unlike")).to_contain_text(str(likes_before + 1))
    assert "/login" not in page.url
    expect(item).to_be_in_viewport(ratio=0.5)
    body = page.request.get(f"/api/v1/videos/{posted}").json()
    assert body["viewer"]["liked"] is True
    assert page.errors == []


def test_commenting_while_signed_out_posts_the_comment_after_sign_in(open_page, posted):
    sign_up(open_page(), "lu_comments")
    page = open_page(LAPTOP)
    page.goto(f"/v/{posted}")
    page.get_by_label("Add a comment").fill("what a glow")
    page.get_by_role("button", name="Post", exact=True).click()
    log_in_sheet(page, "lu_comments")

    expect(page.locator("[data-comments]")).to_contain_text("what a glow")
    assert page.url.endswith(f"/v/{posted}")


def test_a_wrong_password_in_the_sheet_says_so_and_keeps_the_sheet(open_page, posted):
    page = open_page()
    page.goto(f"/v/{posted}")
    page.get_by_role("button", name="Like", exact=True).click()
    sheet = page.get_by_role("dialog", name="Log in to Clipdeck")
    sheet.get_by_label("Handle or email").fill("nobody_here")
    sheet.get_by_label("Password").fill("wrong password 1")
    sheet.get_by_role("button", name="Log in").click()

    expect(sheet.get_by_role("alert")).not_to_be_empty()
    expect(sheet).to_be_visible()
    assert page.evaluate("document.body.dataset.user") == ""


# --- phone ----------------------------------------------------------------------------


def test_the_phone_feed_fills_the_screen_and_double_tap_likes_with_a_heart(open_page, posted):
    page = open_page(PHONE, touch=True)
    sign_up(page, "mo_phone")
    page.goto("/?personalized=false")
    item = item_of(page, posted)
    item.scroll_into_view_if_needed()
    video = item.locator("video")
    box = video.bounding_box()
    tabs = page.get_by_role("navigation", name="Feeds").bounding_box()

    assert box["width"] == 390 and box["y"] <= 0 + 1
    assert tabs["y"] < box["y"] + box["height"]  # the tabs float over the video
    assert video.evaluate("v => getComputedStyle(v).objectFit") == "cover"

    frame = item.locator(".feed-frame")
    frame.dblclick(position={"x": 150, "y": 300})
    expect(item.locator(".tap-heart")).to_have_count(1)
    expect(item.get_by_role("button", name="Unlike")).to_be_visible()
    frame.dblclick(position={"x": 150, "y": 300})  # a second double tap never unlikes
    expect(item.get_by_role("button", name="Unlike")).to_be_visible()
    assert page.errors == []


def test_the_seek_bar_shows_progress_and_seeks(open_page, posted):
    page = open_page(PHONE, touch=True)
    page.goto("/?personalized=false")
    item = item_of(page, posted)
    item.scroll_into_view_if_needed()
    video = item.locator("video")
    video.evaluate("v => new Promise(r => v.readyState >= 1 ? r() : v.onloadedmetadata = r)")
    seek = item.get_by_role("slider", name="Seek")
    expect(seek).to_be_visible()

    seek.focus()
    video.evaluate("v => v.pause()")
    seek.press("End")
    at_end = video.evaluate("v => v.currentTime / v.duration")
    seek.press("Home")
    at_start = video.evaluate("v => v.currentTime")

    assert at_end > 0.9 and at_start < 0.2
    assert "of" in seek.get_attribute("aria-valuetext")


def test_sign_up_is_visible_on_a_phone_when_signed_out(open_page):
    page = open_page(PHONE, touch=True)
    page.goto("/")

    expect(page.get_by_role("link", name="Sign up").first).to_be_visible()
    screenshot(page, "feed-phone-signed-out")


# --- laptop ----------------------------------------------------------------------------


def test_the_laptop_layout_has_a_sidebar_suggestions_and_up_down_buttons(open_page, posted):
    page = open_page(LAPTOP)
    page.goto("/?personalized=false")
    sidebar = page.get_by_role("complementary", name="Sidebar")
    expect(page.locator(".feed-item").first).to_be_visible()

    for name in ("For You", "Following", "Discover", "Upload"):
        expect(sidebar.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(sidebar.get_by_role("heading", name="Suggested accounts")).to_be_visible()
    expect(sidebar.get_by_role("searchbox", name="Search")).to_be_visible()
    expect(page.get_by_role("navigation", name="Tabs")).to_be_hidden()
    assert sidebar.bounding_box()["width"] <= 260

    items = page.locator(".feed-item")
    expect(items.nth(1)).to_be_attached()
    expect(page.get_by_role("button", name="Previous video")).to_be_disabled()
    page.get_by_role("button", name="Next video").click()
    expect(items.nth(1)).to_be_in_viewport(ratio=0.9)
    page.get_by_role("button", name="Previous video").click()
    expect(items.nth(0)).to_be_in_viewport(ratio=0.9)
    screenshot(page, "feed-laptop")
    assert page.errors == []


def test_the_video_page_on_a_laptop_puts_comments_beside_the_player(open_page, posted):
    page = open_page(LAPTOP)
    page.goto(f"/v/{posted}")
    player = page.locator(".video-stage video").bounding_box()
    comments = page.get_by_role("heading", name=re.compile("^Comments")).bounding_box()

    expect(page.get_by_role("heading", level=1)).to_contain_text("@ivy_posts")
    expect(page.get_by_role("link", name="#goldenhour")).to_have_attribute(
        "href", "/tag/goldenhour"
    )
    assert comments["x"] > player["x"] + player["width"] - 1
    assert player["height"] >= 850
    screenshot(page, "video-laptop")


# --- themes, personalisation, dead ends ---------------------------------------------------


def background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_the_theme_follows_the_system_and_the_switch_keeps_a_choice(open_page):
    light = open_page(LAPTOP, scheme="light")
    light.goto("/about/for-you")
    assert background(light) == "rgb(255, 255, 255)"

    switch = light.locator("[data-theme-switch]").first
    switch.click()  # system -> light
    expect(switch).to_contain_text("Light theme")
    switch.click()  # light -> dark
    expect(switch).to_contain_text("Dark theme")
    light.reload()
    assert background(light) == "rgb(11, 11, 15)"

    dark = open_page(LAPTOP, scheme="dark")
    dark.goto("/about/for-you")
    assert background(dark) == "rgb(11, 11, 15)"


def test_the_personalisation_switch_is_visible_and_goes_both_ways(open_page):
    page = open_page(PHONE, touch=True)
    page.goto("/")
    switch = page.get_by_role("switch", name=re.compile("Personalised"))
    expect(switch).to_be_visible()
    expect(switch).to_have_attribute("aria-checked", "true")

    switch.click()
    expect(page).to_have_url(re.compile(r"personalized=false"))
    off = page.get_by_role("switch", name=re.compile("Not personalised"))
    expect(off).to_be_visible()
    expect(off).to_have_attribute("aria-checked", "false")
    off.click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_a_missing_page_is_the_apps_own_404(open_page):
    page = open_page(PHONE, touch=True)
    response = page.goto("/v/00000000-0000-0000-0000-000000000000")

    assert response.status == 404
    expect(page.get_by_role("heading", name="We couldn't find this page")).to_be_visible()
    expect(page.get_by_role("link", name="Watch For You")).to_be_visible()
    screenshot(page, "not-found")


def test_a_file_that_is_not_a_video_is_refused_before_uploading(open_page, tmp_path):
    page = open_page()
    sign_up(page, "nia_picks")
    page.goto("/studio")
    bogus = tmp_path / "notes.mp4"
    bogus.write_bytes(b"shopping list: eggs, milk" * 100)
    uploads = []
    page.on("request", lambda r: uploads.append(r.url) if r.method == "POST" else None)
    expect(page.get_by_role("button", name="Start recording")).to_be_enabled()

    page.locator("[data-pick]").set_input_files(str(bogus))

    expect(page.locator("[data-capture-status]")).to_contain_text("is not a video Clipdeck can use")
    expect(page.get_by_role("heading", name="Trim")).to_be_hidden()
    assert not [url for url in uploads if "/api/v1/videos" in url]


def test_the_app_is_installable(open_page):
    page = open_page(PHONE, touch=True)
    page.goto("/")
    manifest = page.locator('link[rel="manifest"]').get_attribute("href")
    body = page.request.get(manifest).json()

    assert body["display"] == "standalone"
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    assert page.evaluate("navigator.serviceWorker.controller !== undefined")
    cached = page.evaluate(
        "caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.keys()))))"
        ".then(lists => lists.flat().map(r => new URL(r.url).pathname))"
    )
    assert cached and all(path.startswith("/static/") for path in cached)


# --- shop ------------------------------------------------------------------------------


def call(page, method, path, body=None):
    csrf = page.evaluate("document.body.dataset.csrf")
    response = page.request.fetch(
        f"/api/v1/{path}",
        method=method,
        headers={"X-CSRFToken": csrf, "Referer": page.url},
        data=body,
    )
    assert response.ok, response.text()
    return response.json()


def test_a_merchant_tags_products_in_the_studio_and_on_a_posted_video(open_page, tmp_path):
    page = open_page()
    sign_up(page, "pia_shop")
    call(page, "POST", "shop", {"name": "Pia's Pots", "currency": "USD"})
    bowl = call(
        page,
        "POST",
        "shop/products",
        {"title": "Blue bowl", "variants": [{"price": 1500, "stock": 4}]},
    )
    vase = call(
        page,
        "POST",
        "shop/products",
        {"title": "Tall vase", "variants": [{"price": 3200, "stock": 2}]},
    )

    page.goto("/studio")
    clip = make_clip(tmp_path / "pots.mp4", seconds=1.5, width=180, height=320, scene="hills")
    expect(page.get_by_role("button", name="Start recording")).to_be_enabled()
    page.locator("[data-pick]").set_input_files(str(clip))
    open_tool(page, "post")
    tags = page.get_by_role("region", name="Products from your shop")
    expect(tags).to_be_visible()
    tags.get_by_label(re.compile("Blue bowl")).check()
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Posted!")).to_be_visible(timeout=180_000)
    video = page.get_by_role("link", name="View video").get_attribute("href").rsplit("/", 1)[1]
    assert [p["id"] for p in call(page, "GET", f"videos/{video}/products")["items"]] == [bowl["id"]]

    page.goto(f"/v/{video}")
    page.get_by_role("button", name="Tag products").click()
    sheet = page.get_by_role("dialog", name="Products in this video")
    sheet.get_by_label(re.compile("Tall vase")).check()
    sheet.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name=re.compile("Tall vase"))).to_be_visible()
    tagged = [p["id"] for p in call(page, "GET", f"videos/{video}/products")["items"]]
    assert sorted(tagged) == sorted([bowl["id"], vase["id"]])
    assert page.errors == []


def test_only_the_author_with_a_shop_sees_tag_products(open_page, posted):
    page = open_page(LAPTOP)
    sign_up(page, "quin_looks")
    page.goto(f"/v/{posted}")

    expect(page.locator(".video-side")).to_be_visible()
    expect(page.get_by_role("button", name="Tag products")).to_have_count(0)
