"""Sign-up, uploads and comments are rate limited per account and per network."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from clipdeck.kernel import ratelimit
from clipdeck.kernel.errors import TooManyRequests
from tests.factories import UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    """Tiny limits: (per user, per network, window)."""
    settings.CLIPDECK_RATE_LIMITS = {
        "signup": (0, 2, 3600),
        "upload": (1, 10, 3600),
        "comment": (2, 3, 600),
    }
    return settings.CLIPDECK_RATE_LIMITS


def signup(api, n: int, ip: str = "203.0.113.7"):
    return api().post(
        "auth/signup",
        {"handle": f"new{n}", "email": f"new{n}@example.com", "password": "a long pass phrase"},
        REMOTE_ADDR=ip,
    )


def assert_rate_limited(response):
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0


def test_signups_from_one_network_are_limited_but_other_networks_are_not(api, limits):
    assert signup(api, 1).status_code == 201
    assert signup(api, 2, ip="203.0.113.99").status_code == 201  # same /24

    assert_rate_limited(signup(api, 3))
    assert signup(api, 4, ip="198.51.100.1").status_code == 201


def test_the_web_signup_form_is_limited_too(limits):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(2):
        client.post("/signup", {"handle": f"web{n}", "email": "bad", "password": "x"})

    response = client.post(
        "/signup", {"handle": "web9", "email": "web9@example.com", "password": "a long pass phrase"}
    )

    assert response.status_code == 429


def upload(client, path="videos"):
    clip = SimpleUploadedFile("clip.mp4", b"not a video", content_type="video/mp4")
    return client.post(path, {"file": clip, "caption": "hi"}, multipart=True)


def test_uploads_are_limited_per_account_including_duets_and_reactions(api, limits):
    author = UserFactory()
    client = api(author)
    source = VideoFactory()

    assert upload(client).status_code != 429  # refused as not a video, but counted

    assert_rate_limited(upload(client))
    assert_rate_limited(upload(client, f"videos/{source.pk}/duet"))
    assert_rate_limited(upload(client, f"videos/{source.pk}/react"))
    assert upload(api(UserFactory())).status_code != 429  # another account


def test_comments_are_limited_per_account_and_per_network(api, limits):
    video = VideoFactory()
    alice, bob = api(UserFactory()), api(UserFactory())

    assert alice.post(f"videos/{video.pk}/comments", {"text": "one"}).status_code == 201
    assert alice.post(f"videos/{video.pk}/comments", {"text": "two"}).status_code == 201
    assert_rate_limited(alice.post(f"videos/{video.pk}/comments", {"text": "three"}))

    assert bob.post(f"videos/{video.pk}/comments", {"text": "one"}).status_code == 201
    assert_rate_limited(bob.post(f"videos/{video.pk}/comments", {"text": "two"}))  # network


def test_a_refused_request_is_not_counted(limits):
    for _ in range(2):
        ratelimit.throttle("comment", user_id=1, ip="192.0.2.1")
    for _ in range(3):
        with pytest.raises(TooManyRequests):
            ratelimit.throttle("comment", user_id=1, ip="192.0.2.1")

    ratelimit.throttle("comment", user_id=2, ip="192.0.2.1")  # network: 3rd counted use
    with pytest.raises(TooManyRequests):
        ratelimit.throttle("comment", user_id=3, ip="192.0.2.1")


def test_a_zero_limit_means_no_limit(settings):
    settings.CLIPDECK_RATE_LIMITS = {"comment": (0, 0, 600)}

    for _ in range(50):
        ratelimit.throttle("comment", user_id=1, ip="192.0.2.1")
