"""Own profile (/me), avatars, and other people's profiles with the viewer's relationship."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from clipdeck.accounts.models import Follow, FollowState, User
from tests.factories import BlockFactory, FollowFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db

EXIF_MAKE, EXIF_MODEL = 0x010F, 0x0110


def assert_error(response, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field"}
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"][0].isalpha() and len(error["message"].split()) >= 2


def png_with_exif(size=(640, 480)) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SpyCam"
    exif[EXIF_MODEL] = "Model 7 serial 12345"
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", exif=exif)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str) -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type=content_type)}


# --- /me ----------------------------------------------------------------------


def test_me_returns_the_own_profile_with_email_and_no_relationship(api):
    neo = UserFactory(handle="neo", email="neo@example.com", display_name="Neo")
    FollowFactory(follower=UserFactory(), followee=neo)
    VideoFactory(author=neo, like_count=3)

    response = api(neo).get("me")

    assert response.status_code == 200
    body = response.json()
    assert {k: v for k, v in body.items() if k != "created_at"} == {
        "handle": "neo",
        "display_name": "Neo",
        "avatar": None,
        "is_private": False,
        "bio": "",
        "counts": {"followers": 1, "following": 0, "videos": 1, "likes": 3},
        "relationship": None,
        "email": "neo@example.com",
        "comments_from": "everyone",
        "comment_filter_keywords": [],
        "captions_when_muted": True,
        "suspended_until": None,
    }


def test_me_needs_sign_in(api):
    assert_error(api().get("me"), 401, "not_authenticated")


def test_patch_me_changes_display_name_bio_and_privacy(api, user):
    response = api(user).patch(
        "me", {"display_name": "  The One ", "bio": "I know kung fu.", "is_private": True}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["display_name"], body["bio"], body["is_private"]) == (
        "The One",
        "I know kung fu.",
        True,
    )
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.is_private) == ("The One", "I know kung fu.", True)


def test_patch_me_leaves_fields_that_are_not_sent_alone(api):
    user = UserFactory(display_name="Neo")
    api(user).patch("me", {"bio": "Hello."})

    response = api(user).patch("me", {"is_private": True})

    assert (response.json()["display_name"], response.json()["bio"]) == ("Neo", "Hello.")


def test_a_bio_over_160_characters_is_refused_and_nothing_changes(api):
    user = UserFactory(display_name="Neo")
    api(user).patch("me", {"bio": "Short and sweet."})

    response = api(user).patch("me", {"display_name": "Renamed", "bio": "x" * 161})

    assert_error(response, 400, "bio_too_long", "bio")
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Neo", "Short and sweet.")


def test_a_bio_of_exactly_160_characters_is_fine(api, user):
    response = api(user).patch("me", {"bio": "x" * 160})

    assert response.status_code == 200
    assert response.json()["bio"] == "x" * 160


def test_going_public_approves_every_pending_follow_request(api):
    owner = UserFactory(is_private=True)
    requests = [FollowFactory(followee=owner, state=FollowState.REQUESTED) for _ in range(2)]

    response = api(owner).patch("me", {"is_private": False})

    assert response.json()["is_private"] is False
    states = set(Follow.objects.filter(pk__in=[f.pk for f in requests]).values_list("state"))
    assert states == {(FollowState.FOLLOWING,)}


# --- avatar -------------------------------------------------------------------


def test_avatar_is_stored_as_a_320px_square_jpeg_without_exif(api, user):
    original = png_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()[EXIF_MAKE] == "SpyCam"

    response = api(user).post("me/avatar", upload("me.png", original, "image/png"), multipart=True)

    assert response.status_code == 200
    user.refresh_from_db()
    url = response.json()["avatar"]
    assert url == f"/media/{user.avatar.name}"
    assert url.startswith("/media/avatars/") and url.endswith(".jpg")
    with user.avatar.open("rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size, image.mode) == ("JPEG", (320, 320), "RGB")
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert b"SpyCam" not in data


def test_the_avatar_url_serves_the_stored_image(api, user):
    api(user).post("me/avatar", upload("me.png", png_with_exif(), "image/png"), multipart=True)
    user.refresh_from_db()

    response = Client().get(f"/media/{user.avatar.name}")

    assert response.status_code == 200
    with user.avatar.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_a_new_avatar_replaces_the_old_file(api, user, settings):
    api(user).post("me/avatar", upload("a.png", png_with_exif(), "image/png"), multipart=True)

    api(user).post(
        "me/avatar", upload("b.png", png_with_exif((50, 90)), "image/png"), multipart=True
    )

    user.refresh_from_db()
    files = sorted(p.name for p in (settings.MEDIA_ROOT / "avatars").iterdir())
    assert files == [user.avatar.name.removeprefix("avatars/")]


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("notes.txt", b"definitely not an image\n" * 10, "text/plain"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(
    api, user, settings, name, data, content_type
):
    response = api(user).post("me/avatar", upload(name, data, content_type), multipart=True)

    assert_error(response, 400, "invalid_image", "file")
    user.refresh_from_db()
    assert user.avatar.name == ""
    assert not (settings.MEDIA_ROOT / "avatars").exists()


def png_claiming_to_be(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` (a decompression bomb)."""
    buffer = io.BytesIO()
    Image.new("1", (1, 1)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    ihdr = 8 + 4  # signature, chunk length
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 4 + 13]))
    data[ihdr + 4 + 13 : ihdr + 4 + 17] = struct.pack(">I", crc)
    return bytes(data)


def test_a_decompression_bomb_is_refused_as_an_invalid_image(api, user, settings):
    bomb = png_claiming_to_be(40_000, 40_000)

    response = api(user).post("me/avatar", upload("bomb.png", bomb, "image/png"), multipart=True)

    assert_error(response, 400, "invalid_image", "file")
    user.refresh_from_db()
    assert user.avatar.name == ""
    assert not (settings.MEDIA_ROOT / "avatars").exists()


# --- other profiles -----------------------------------------------------------


@pytest.mark.parametrize("handle", ["Trinity", "trinity", "TRINITY", "@trinity"])
def test_a_profile_is_found_by_handle_in_any_case(api, handle):
    UserFactory(handle="Trinity", display_name="Trinity", bio="")

    response = api().get(f"users/{handle}")

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "handle": "Trinity",
        "display_name": "Trinity",
        "avatar": None,
        "is_private": False,
        "bio": "",
        "counts": {"followers": 0, "following": 0, "videos": 0, "likes": 0},
        "relationship": None,
        "created_at": None,
    }


def test_an_unknown_profile_is_404(api):
    assert_error(api().get("users/nobody_here"), 404, "not_found")


def test_a_private_accounts_profile_is_visible_with_its_counts(api):
    owner = UserFactory(is_private=True)
    FollowFactory(followee=owner)

    response = api().get(f"users/{owner.handle}")

    assert response.status_code == 200
    assert response.json()["is_private"] is True
    assert response.json()["counts"]["followers"] == 1


def relationship(api, viewer, owner) -> dict | None:
    response = api(viewer).get(f"users/{owner.handle}")
    assert response.status_code == 200
    return response.json()["relationship"]


def test_relationship_is_none_for_oneself(api, user):
    assert relationship(api, user, user) is None


def test_relationship_of_a_follower(api):
    viewer, owner = UserFactory(), UserFactory()
    FollowFactory(follower=viewer, followee=owner)

    assert relationship(api, viewer, owner) == {
        "follow": "following",
        "follows_you": False,
        "blocked": False,
        "can_see_videos": True,
    }


def test_relationship_when_they_follow_you_but_you_do_not_follow_them(api):
    viewer, owner = UserFactory(), UserFactory()
    FollowFactory(follower=owner, followee=viewer)

    assert relationship(api, viewer, owner) == {
        "follow": "none",
        "follows_you": True,
        "blocked": False,
        "can_see_videos": True,
    }


def test_relationship_with_a_pending_request_to_a_private_account(api):
    viewer, owner = UserFactory(), UserFactory(is_private=True)
    FollowFactory(follower=viewer, followee=owner, state=FollowState.REQUESTED)

    assert relationship(api, viewer, owner) == {
        "follow": "requested",
        "follows_you": False,
        "blocked": False,
        "can_see_videos": False,
    }


def test_relationship_with_an_approved_follower_of_a_private_account(api):
    viewer, owner = UserFactory(), UserFactory(is_private=True)
    FollowFactory(follower=viewer, followee=owner, state=FollowState.FOLLOWING)

    assert relationship(api, viewer, owner)["can_see_videos"] is True


def test_relationship_with_someone_you_blocked(api):
    viewer, owner = UserFactory(), UserFactory()
    BlockFactory(blocker=viewer, blocked=owner)

    assert relationship(api, viewer, owner) == {
        "follow": "none",
        "follows_you": False,
        "blocked": True,
        "can_see_videos": False,
    }


def test_the_profile_of_someone_who_blocked_you_is_404(api):
    viewer, owner = UserFactory(), UserFactory()
    BlockFactory(blocker=owner, blocked=viewer)

    assert_error(api(viewer).get(f"users/{owner.handle}"), 404, "not_found")
    assert api().get(f"users/{owner.handle}").status_code == 200


def test_a_deactivated_account_is_404(api):
    owner = UserFactory()
    User.objects.filter(pk=owner.pk).update(is_active=False)

    assert_error(api().get(f"users/{owner.handle}"), 404, "not_found")
