"""Browser tests: a real `clipdeck serve` (uvicorn + worker) driven by Debian's Chromium.

Chromium comes from the system (``apt-get install chromium``); Playwright only
drives it. Without Chromium the tests skip with a message, except under CI
(``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live_server import free_port, wait_until_up

pytestmark = pytest.mark.xdist_group("browser")

BROWSER_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]
# Records every clipboard call so a test can prove none happened.
CLIPBOARD_SPY = """
window.__clipboardCalls = [];
if (navigator.clipboard) {
  for (const name of ["read", "readText", "write", "writeText"]) {
    navigator.clipboard[name] = () => {
      window.__clipboardCalls.push(name);
      return Promise.resolve();
    };
  }
}
"""
# The data folder of each running server, by its URL (for ``clipdeck manage`` calls).
SERVER_DATA: dict[str, Path] = {}
SCREENSHOTS = Path(os.environ.get("CLIPDECK_SCREENSHOTS", "test-results/screenshots"))
# The data folder of each running test server, by its URL (for seeding it from a test).
SERVER_DATA: dict[str, str] = {}


def chromium_path() -> str | None:
    return (
        os.environ.get("CLIPDECK_CHROMIUM")
        or shutil.which("chromium")
        or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    )


@pytest.fixture(autouse=True)
def _media_and_cache():
    """The browser tests talk to their own server; the unit-test isolation does not apply."""


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """The server under test hashes with argon2, as in production."""


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required in CI: apt-get install -y chromium")
        pytest.skip("browser tests need Chromium (apt-get install chromium); none found")
    return path


@pytest.fixture(scope="session")
def clipdeck_server(chromium, tmp_path_factory):
    """A real server with its worker on a fresh data folder, with the sound library seeded."""
    data = tmp_path_factory.mktemp("clipdeck-e2e")
    port = free_port()
    env = {**os.environ, "CLIPDECK_DATA_DIR": str(data)}
    # Every browser comes from 127.0.0.1: the per-network write limits would
    # stop the dozens of sign-ups these tests make (tests/privacy tests them).
    for limit in (
        "CLIPDECK_SIGNUPS_PER_NETWORK_PER_HOUR",
        "CLIPDECK_UPLOADS_PER_NETWORK_PER_HOUR",
        "CLIPDECK_COMMENTS_PER_NETWORK_PER_10_MINUTES",
    ):
        env[limit] = "0"
    # Product pictures are copied from a local test server (the documented test setting).
    env["CLIPDECK_EGRESS_ALLOW_LOOPBACK"] = "1"
    env.pop("DATABASE_URL", None)  # the embedded default: SQLite + local media
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["CLIPDECK_ANALYTICS_INTERVAL_SECONDS"] = "5"  # the Analytics page shows a view soon
    cli = str(Path(sys.executable).with_name("clipdeck"))
    log = open(data / "serve.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        [cli, "serve", "--port", str(port), "--data-dir", str(data)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    SERVER_DATA[url] = str(data)
    try:
        wait_until_up(url, server, path="/")
        subprocess.run(
            [
                cli,
                "manage",
                "shell",
                "-c",
                "from clipdeck.demo.library import seed_library; seed_library()",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        SERVER_DATA[url] = data
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser, clipdeck_server):
    """``page_factory(init_scripts=(), **context_options)``: a page in a fresh context.

    Each page has its own cookies, the camera and microphone granted (Chromium's
    fake devices), the clipboard spy and ``init_scripts`` installed, a 20 s
    default timeout, and its script errors collected in ``page.errors``.
    """
    contexts = []

    def make(*, init_scripts=(), **context_options):
        context = browser.new_context(
            base_url=clipdeck_server, permissions=["camera", "microphone"], **context_options
        )
        for script in (CLIPBOARD_SPY, *init_scripts):
            context.add_init_script(script)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(page_factory):
    """``new_page()`` opens a phone-sized page in its own context (its own cookies)."""

    def open_page(width: int = 390, height: int = 844):
        return page_factory(viewport={"width": width, "height": height})

    return open_page


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
