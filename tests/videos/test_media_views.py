"""Serving media files: byte ranges, signed URLs for non-public videos, no path tricks."""

from __future__ import annotations

import time
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from clipdeck.accounts.services import block_create
from clipdeck.videos import media
from clipdeck.videos.models import VideoStatus, Visibility
from tests.factories import FollowFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db

CONTENT = bytes(range(256)) * 40  # 10 240 bytes, every offset distinguishable
SIZE = len(CONTENT)


def with_files(video, *kinds: str):
    for kind in kinds or ("mp4",):
        getattr(video, kind).save(f"x.{kind}", ContentFile(CONTENT))
    return video


def media_url(api, video, viewer=None, kind: str = "mp4") -> str:
    client = api(viewer) if viewer else api()
    response = client.get(f"videos/{video.pk}")
    assert response.status_code == 200, response.content
    return response.json()["media"][kind]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def split(url: str) -> tuple[str, str]:
    """The path and the ``t`` token of a signed media URL."""
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query)["t"][0]


@pytest.fixture
def public_video():
    return with_files(VideoFactory())


@pytest.fixture
def followers_video():
    """A followers-only video with media, and an approved follower of its author."""
    video = with_files(VideoFactory(visibility=Visibility.FOLLOWERS), "mp4", "poster")
    follower = UserFactory()
    FollowFactory(follower=follower, followee=video.author)
    return SimpleNamespace(video=video, author=video.author, follower=follower)


# --- public media and byte ranges ----------------------------------------------


def test_a_public_video_has_a_stable_unsigned_url_serving_every_byte(api, public_video):
    url = media_url(api, public_video)

    response = Client().get(url)

    assert url.startswith(f"/media/v/{public_video.pk}/mp4?v=")
    assert response.status_code == 200
    assert body_of(response) == CONTENT
    assert response["Content-Length"] == str(SIZE)
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"].startswith("public, max-age=")


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=-10", SIZE - 10, SIZE - 1),
        ("bytes=100-", 100, SIZE - 1),
        ("bytes=10000-20000", 10000, SIZE - 1),
        ("bytes=5-5", 5, 5),
    ],
)
def test_a_byte_range_gets_206_with_exactly_those_bytes(api, public_video, header, start, end):
    url = media_url(api, public_video)

    response = Client().get(url, headers={"Range": header})

    assert response.status_code == 206
    assert body_of(response) == CONTENT[start : end + 1]
    assert response["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert response["Content-Length"] == str(end - start + 1)


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", "bytes=999999-", "bytes=-0", "bytes=9-3"])
def test_an_unsatisfiable_range_gets_416(api, public_video, header):
    response = Client().get(media_url(api, public_video), headers={"Range": header})

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


def test_a_malformed_range_is_ignored_and_the_whole_file_served(api, public_video):
    response = Client().get(media_url(api, public_video), headers={"Range": "lines=1-2"})

    assert response.status_code == 200
    assert body_of(response) == CONTENT


def test_originals_are_never_served(api, public_video):
    with_files(public_video, "original")

    response = Client().get(f"/media/v/{public_video.pk}/original")

    assert response.status_code == 404


# --- signed media of non-public videos ---------------------------------------------


def test_an_approved_follower_gets_a_signed_url_that_works(api, followers_video):
    url = media_url(api, followers_video.video, followers_video.follower)

    response = Client().get(url)

    assert "?t=" in url
    assert response.status_code == 200
    assert body_of(response) == CONTENT
    assert response["Cache-Control"] == "private, no-store"


def test_a_signed_url_also_serves_ranges(api, followers_video):
    url = media_url(api, followers_video.video, followers_video.follower)

    response = Client().get(url, headers={"Range": "bytes=0-99"})

    assert response.status_code == 206
    assert body_of(response) == CONTENT[:100]
    assert response["Content-Range"] == f"bytes 0-99/{SIZE}"


def test_an_altered_token_is_404(api, followers_video):
    path, token = split(media_url(api, followers_video.video, followers_video.follower))
    middle = len(token) // 2
    altered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]

    responses = [Client().get(path, {"t": t}) for t in (altered, token[:-1], "garbage", "")]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]


def test_the_bare_path_is_404_for_an_anonymous_client(api, followers_video):
    path, _ = split(media_url(api, followers_video.video, followers_video.follower))

    assert Client().get(path).status_code == 404


def test_the_bare_path_works_for_a_signed_in_follower_browser(api, followers_video):
    path, _ = split(media_url(api, followers_video.video, followers_video.follower))
    browser = Client()
    browser.force_login(followers_video.follower)

    response = browser.get(path)

    assert response.status_code == 200
    assert body_of(response) == CONTENT


def test_a_token_for_one_video_does_not_open_another(api, followers_video):
    other = with_files(VideoFactory(author=followers_video.author, visibility=Visibility.FOLLOWERS))
    _, token = split(media_url(api, followers_video.video, followers_video.follower))
    other_path, _ = split(media_url(api, other, followers_video.follower))

    response = Client().get(other_path, {"t": token})

    assert response.status_code == 404


def test_a_token_for_the_poster_does_not_open_the_video(api, followers_video):
    poster_path, poster_token = split(
        media_url(api, followers_video.video, followers_video.follower, "poster")
    )
    mp4_path, _ = split(media_url(api, followers_video.video, followers_video.follower))

    assert Client().get(poster_path, {"t": poster_token}).status_code == 200
    assert Client().get(mp4_path, {"t": poster_token}).status_code == 404


def test_a_token_stops_working_once_its_viewer_is_blocked(api, followers_video):
    url = media_url(api, followers_video.video, followers_video.follower)
    assert Client().get(url).status_code == 200

    block_create(blocker=followers_video.author, blocked=followers_video.follower)

    assert Client().get(url).status_code == 404


def test_a_token_stops_working_once_its_viewer_unfollows(api, followers_video):
    url = media_url(api, followers_video.video, followers_video.follower)

    api(followers_video.follower).delete(f"users/{followers_video.author.handle}/follow")

    assert Client().get(url).status_code == 404


def test_an_expired_token_is_404(api, followers_video, monkeypatch):
    url = media_url(api, followers_video.video, followers_video.follower)
    assert Client().get(url).status_code == 200
    later = time.time() + media.SIGNED_URL_SECONDS + 1

    monkeypatch.setattr(media, "time", SimpleNamespace(time=lambda: later))

    assert Client().get(url).status_code == 404


def test_the_owner_gets_working_signed_urls_for_a_draft(api):
    draft = with_files(VideoFactory(status=VideoStatus.DRAFT))
    url = media_url(api, draft, draft.author)

    assert "?t=" in url
    assert Client().get(url).status_code == 200
    assert Client().get(split(url)[0]).status_code == 404


# --- the file store behind /media/ ------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret_key",
        "/media/avatars/../../secret_key",
        "/media/avatars/../../x",
        "/media/avatars/%2e%2e/%2e%2e/secret_key",
        "/media/avatars/..%2f..%2fsecret_key",
        "/media/avatars/../videos/x.mp4",
    ],
)
def test_path_traversal_is_404(public_video, settings, path):
    (settings.MEDIA_ROOT.parent / "secret_key").write_bytes(b"do not serve me")

    response = Client().get(path)

    assert response.status_code == 404
    assert b"do not serve me" not in response.content


@pytest.mark.parametrize("path", ["/media/avatars/", "/media/avatars/nested/"])
def test_a_folder_under_media_is_404(settings, path):
    (settings.MEDIA_ROOT / "avatars" / "nested").mkdir(parents=True)
    (settings.MEDIA_ROOT / "avatars" / "a.jpg").write_bytes(b"jpeg")

    response = Client().get(path)

    assert response.status_code == 404


def test_stored_video_files_are_not_reachable_by_their_storage_path(followers_video):
    video = followers_video.video

    for name in (video.mp4.name, video.poster.name):
        assert Client().get(f"/media/{name}").status_code == 404


# --- original sounds ------------------------------------------------------------


def original_sound_of(video):
    from tests.factories import SoundFactory

    sound = SoundFactory(is_original=True, source_video=video, created_by=video.author)
    sound.audio.save("sounds/own.m4a", ContentFile(CONTENT))
    video.sound = sound
    video.save(update_fields=["sound"])
    return sound


def test_the_original_sound_of_a_non_public_video_is_signed_for_its_viewer(api):
    owner, stranger = UserFactory(), UserFactory()
    video = VideoFactory(author=owner, visibility=Visibility.FOLLOWERS)
    sound = original_sound_of(video)

    # The sound of a video that is not for everyone has no page (rule R1); its video shows it.
    assert api(owner).get(f"sounds/{sound.pk}").status_code == 403
    url = api(owner).get(f"videos/{video.pk}").json()["sound"]["audio"]
    path, token = split(url)

    assert token  # a token-only client has no session: the URL itself grants access
    assert body_of(Client().get(url)) == CONTENT
    assert Client().get(path).status_code == 404
    stranger_client = Client()
    stranger_client.force_login(stranger)
    assert stranger_client.get(path).status_code == 404
    other_sound = original_sound_of(VideoFactory(author=owner, visibility=Visibility.FOLLOWERS))
    assert Client().get(f"/media/s/{other_sound.pk}?t={token}").status_code == 404


def test_the_original_sound_of_a_public_video_has_a_stable_url(api):
    sound = original_sound_of(VideoFactory())

    url = api().get(f"sounds/{sound.pk}").json()["audio"]

    assert "?" not in url
    assert body_of(Client().get(url)) == CONTENT
