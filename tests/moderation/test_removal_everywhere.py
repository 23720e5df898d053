"""A removed video disappears at once from every read path; a reversal brings it back."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from clipdeck.videos.models import Hashtag, Sound
from tests.factories import FollowFactory, UserFactory, VideoFactory
from tests.moderation.conftest import decide, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _recsys_dir(settings, tmp_path):
    settings.CLIPDECK_RECSYS_DIR = tmp_path / "recsys"


@pytest.fixture
def fan(author):
    fan = UserFactory(handle="fan")
    FollowFactory(follower=fan, followee=author)
    return fan


@pytest.fixture
def published(author):
    video = VideoFactory(author=author, caption="moves #dance")
    video.hashtags.add(Hashtag.objects.get_or_create(name="dance")[0])
    video.mp4.save("v.mp4", ContentFile(b"\x00" * 64))
    sound = Sound.objects.create(title="Original", is_original=True, source_video=video)
    video.sound = sound
    video.save(update_fields=["sound"])
    return video


def _everywhere(api, viewer, video) -> dict[str, bool]:
    """Where ``viewer`` finds ``video``: each read path, True when it is there."""
    client = api(viewer) if viewer else api()
    vid = str(video.pk)

    def in_items(path):
        response = client.get(path)
        items = response.json().get("items", []) if response.status_code == 200 else []
        return any((i.get("video") or i).get("id") == vid for i in items)

    web = Client()
    if viewer:
        web.force_login(viewer)
    return {
        "detail": client.get(f"videos/{vid}").status_code == 200,
        "profile": in_items("users/carla/videos"),
        "for_you": in_items("feed/for-you?limit=50"),
        "following": viewer is not None and in_items("feed/following"),
        "sound": in_items(f"sounds/{video.sound_id}/videos"),
        "hashtag_page": vid in web.get("/tag/dance").content.decode(),
        "video_page": web.get(f"/v/{vid}").status_code == 200,
    }


def _media_path(api, viewer, video) -> str:
    url = api(viewer).get(f"videos/{video.pk}").json()["media"]["mp4"]
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_removal_takes_the_video_off_every_read_path_at_once(
    api, moderator, reporter, fan, published
):
    before_fan = _everywhere(api, fan, published)
    media = _media_path(api, fan, published)
    filed = report(api, reporter, "video", published.pk).json()

    decide(api, moderator, filed["id"], action="remove")

    assert all(before_fan.values()), before_fan
    for viewer in (None, fan, reporter, published.author):
        after = _everywhere(api, viewer, published)
        assert not any(after.values()), (viewer, after)
    assert Client().get(media).status_code == 404


def test_a_restricted_video_is_out_of_every_feed_but_the_authors_own(
    api, moderator, reporter, fan, published
):
    filed = report(api, reporter, "video", published.pk).json()

    decide(api, moderator, filed["id"], action="restrict")

    assert not any(_everywhere(api, fan, published).values())
    assert _everywhere(api, published.author, published)["detail"] is True
