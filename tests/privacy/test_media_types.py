"""Uploaded media is never served with a type a browser would run, and pages keep their headers."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client, RequestFactory

from clipdeck.kernel.ranged import serve_file
from tests.factories import VideoFactory

pytestmark = pytest.mark.django_db

EVIL = b"<html><script>alert(document.cookie)</script></html>"


def served(name: str, *, range_header: str = ""):
    default_storage.save(name, ContentFile(EVIL))
    headers = {"Range": range_header} if range_header else {}
    return serve_file(RequestFactory().get("/", headers=headers), default_storage, name)


@pytest.mark.parametrize("name", ["v/evil.html", "v/evil.svg", "v/evil.js", "v/evil"])
@pytest.mark.parametrize("range_header", ["", "bytes=0-9"])
def test_an_uploaded_file_with_a_runnable_name_is_a_download(name, range_header):
    response = served(name, range_header=range_header)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("v/a.mp4", "video/mp4"), ("v/p.jpg", "image/jpeg"), ("s/a.m4a", "audio/mp4")],
)
def test_media_on_the_allow_list_plays_inline(name, content_type):
    response = served(name)

    assert response["Content-Type"] == content_type
    assert (
        "Content-Disposition" not in response or "attachment" not in response["Content-Disposition"]
    )


def test_nginx_accel_responses_get_the_same_type(settings):
    settings.CLIPDECK_MEDIA_ACCEL_PREFIX = "/protected"

    response = served("v/evil.html")

    assert response["X-Accel-Redirect"] == "/protected/v/evil.html"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"


def test_a_video_whose_stored_file_is_named_evil_html_is_not_served_as_html():
    video = VideoFactory()
    video.mp4.save("evil.html", ContentFile(EVIL))

    response = Client().get(f"/media/v/{video.pk}/mp4")

    assert response.status_code == 200
    assert not response["Content-Type"].startswith("text/html")
    assert response["Content-Disposition"] == "attachment"


def test_pages_forbid_framing_and_leak_no_referrer_across_origins():
    response = Client().get("/login")

    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    for feature in ("camera=()", "microphone=()", "geolocation=()", "clipboard-read=()"):
        assert feature in response["Permissions-Policy"]
