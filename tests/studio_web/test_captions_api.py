"""Captions: WebVTT stored per video, normalised, and as private as the video."""

from __future__ import annotations

import pytest

from clipdeck.studio import captions
from clipdeck.studio.models import Captions
from clipdeck.videos.models import Video
from tests.factories import BlockFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db

VTT = """WEBVTT

1
00:00.500 --> 00:01.800 align:start
Hello <b>there</b>

00:00:02.000 --> 00:00:03.250
second & last
line two
"""


def _put(client, video_id, body: str):
    url = f"/api/v1/videos/{video_id}/captions"
    return client.client.put(url, body, content_type="text/vtt", headers=client.headers)


@pytest.fixture
def owner(db):
    return UserFactory(handle="owner")


@pytest.fixture
def video(owner):
    return VideoFactory(author=owner, duration_ms=5000)


def test_owner_sets_captions_and_everyone_who_sees_the_video_gets_them(api, owner, video):
    response = _put(api(owner), video.pk, VTT)

    assert response.status_code == 200
    expected = ("WEBVTT\n\n00:00:00.500 --> 00:00:01.800\nHello there\n\n"
                "00:00:02.000 --> 00:00:03.250\nsecond &amp; last\nline two\n")  # fmt: skip
    assert response.content.decode() == expected
    got = api().get(f"videos/{video.pk}/captions")
    assert got.status_code == 200
    assert got["Content-Type"].startswith("text/vtt")
    assert got.content.decode() == expected


def test_captions_are_as_private_as_their_video(api, owner, video):
    _put(api(owner), video.pk, VTT)
    Video.objects.filter(pk=video.pk).update(visibility="private")
    stranger = UserFactory(handle="stranger")

    assert api().get(f"videos/{video.pk}/captions").status_code == 404
    assert api(stranger).get(f"videos/{video.pk}/captions").status_code == 404
    assert api(owner).get(f"videos/{video.pk}/captions").status_code == 200


def test_a_blocked_viewer_gets_no_captions(api, owner, video):
    _put(api(owner), video.pk, VTT)
    blocked = UserFactory(handle="blocked")
    BlockFactory(blocker=owner, blocked=blocked)

    assert api(blocked).get(f"videos/{video.pk}/captions").status_code == 404


def test_only_the_owner_writes_captions(api, owner, video):
    stranger = UserFactory(handle="stranger")

    assert _put(api(stranger), video.pk, VTT).status_code == 404
    assert _put(api(), video.pk, VTT).status_code in (401, 403)
    assert not Captions.objects.exists()


def test_an_empty_body_removes_them(api, owner, video):
    _put(api(owner), video.pk, VTT)

    assert _put(api(owner), video.pk, "").status_code == 204
    assert api(owner).get(f"videos/{video.pk}/captions").status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("hello", "Captions must be WebVTT: the first line is WEBVTT."),
        ("WEBVTT\n\n00:01.000 --> 00:00.500\nx\n", "Line 3: a cue must end after it starts."),
        ("WEBVTT\n\n1 --> 2\nx\n", "Line 3: a cue timing looks like 00:01.000 --> 00:02.500."),
        ("WEBVTT\n\n00:09.000 --> 00:10.000\nx\n", "Line 3: the cue starts after the video ends."),
        ("WEBVTT\n\n00:61.000 --> 00:62.000\nx\n", "Line 3: that time does not exist."),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\n<b></b>\n", "Line 4: a cue needs some text."),
    ],
)
def test_bad_captions_are_refused_and_the_stored_ones_kept(api, owner, video, body, message):
    _put(api(owner), video.pk, VTT)

    response = _put(api(owner), video.pk, body)

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_captions",
        "message": message,
        "field": "captions",
    }
    assert "Hello there" in Captions.objects.get(video=video).vtt


def test_written_captions_parse_back_to_the_same_cues():
    cues = captions.parse(VTT)
    assert captions.parse(captions.write(cues)) == cues
    assert [(c.start_ms, c.end_ms) for c in cues] == [(500, 1800), (2000, 3250)]


def test_captions_go_into_their_owners_export_only(api, owner, video):
    from clipdeck.studio.personal_data import export

    _put(api(owner), video.pk, VTT)

    assert export(owner)["captions"] == [
        {"video": str(video.pk), "vtt": Captions.objects.get(video=video).vtt}
    ]
    assert export(UserFactory(handle="someone"))["captions"] == []


def test_the_feed_names_the_track_and_the_track_is_as_private_as_the_video(api, owner, video):
    plain = VideoFactory(author=UserFactory(handle="other"))
    _put(api(owner), video.pk, VTT)
    viewer = UserFactory(handle="viewer")

    items = api(viewer).get("feed/for-you").json()["items"]
    tracks = {item["video"]["id"]: item["video"]["media"]["captions"] for item in items}

    url = f"/api/v1/videos/{video.pk}/captions"
    assert tracks == {str(video.pk): url, str(plain.pk): None}
    assert api(viewer).get(url).content.decode().startswith("WEBVTT")
    Video.objects.filter(pk=video.pk).update(visibility="private")
    assert api(viewer).get(url).status_code == 404
    assert api().get(url).status_code == 404
    assert api(owner).get(f"videos/{video.pk}").json()["media"]["captions"] == url


def test_the_captions_when_muted_setting_is_kept(api, owner):
    assert api(owner).get("me").json()["captions_when_muted"] is True

    changed = api(owner).patch("me", {"captions_when_muted": False})

    assert changed.status_code == 200 and changed.json()["captions_when_muted"] is False
    owner.refresh_from_db()
    assert owner.captions_when_muted is False
    assert api(owner).patch("me", {"captions_when_muted": "maybe"}).status_code in (400, 422)
