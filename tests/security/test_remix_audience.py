"""A remix never reaches anyone who may not see its source.

Duets, reactions and "use this sound" work only on public videos of public
accounts (V6) whose author allows it and is in no block with the remixer. A
remix whose source stops being public, is deleted, or whose author and the
remixer come to be in a block falls back to its owner, who is told why.
"""

from __future__ import annotations

import importlib
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from clipdeck.videos.models import RemixKind, Sound, Video, Visibility
from tests.factories import BlockFactory, FollowFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db

NOT_PUBLIC = {
    "duet": "Only public videos of public accounts can be duetted.",
    "react": "Only public videos of public accounts can be reacted to.",
}
SOUND_NOT_PUBLIC = "Only sounds of public videos of public accounts can be used."


def _upload(client, path: str = "videos", **fields):
    """A small upload: the remix rules answer before the file is probed."""
    file = SimpleUploadedFile("clip.mp4", b"not really a video", content_type="video/mp4")
    return client.post(path, {"file": file, **fields}, multipart=True)


def _with_files(video: Video) -> Video:
    video.mp4.save(f"{video.pk}.mp4", ContentFile(b"rendition"))
    video.poster.save(f"{video.pk}.jpg", ContentFile(b"poster"))
    return video


def _original_sound(source: Video) -> Sound:
    sound = Sound.objects.create(
        title=f"Original sound – {source.author.name}",
        is_original=True,
        source_video=source,
        created_by=source.author,
        duration_ms=1000,
    )
    sound.audio.save(f"{source.pk}.m4a", ContentFile(b"audio"))
    source.sound = sound
    source.save(update_fields=["sound"])
    return sound


@pytest.fixture
def followers_only(alice, bob):
    """A followers-only video of Alice's private account; Bob is an approved follower."""
    alice.is_private = True
    alice.save(update_fields=["is_private"])
    FollowFactory(follower=bob, followee=alice)
    return VideoFactory(author=alice, visibility=Visibility.FOLLOWERS)


# --- making a remix -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["duet", "react"])
def test_an_approved_follower_cannot_remix_a_followers_only_video(api, bob, followers_only, kind):
    # Given Bob may watch Alice's followers-only video
    assert api(bob).get(f"videos/{followers_only.pk}").status_code == 200
    # When he duets or reacts to it
    response = _upload(api(bob), f"videos/{followers_only.pk}/{kind}")
    # Then it is refused, naming the rule, and nothing is stored
    assert response.status_code == 403, response.content
    assert response.json() == {
        "error": {"code": "remix_not_public", "message": NOT_PUBLIC[kind], "field": None}
    }
    assert Video.objects.count() == 1


@pytest.mark.parametrize(
    ("private_account", "visibility"),
    [(True, Visibility.PUBLIC), (False, Visibility.FOLLOWERS)],
)
def test_a_video_that_is_not_for_everyone_cannot_be_duetted(
    api, alice, bob, private_account, visibility
):
    # Given a video Bob may see that is not public on a public account
    alice.is_private = private_account
    alice.save(update_fields=["is_private"])
    FollowFactory(follower=bob, followee=alice)
    video = VideoFactory(author=alice, visibility=visibility)
    # When he duets it
    response = _upload(api(bob), f"videos/{video.pk}/duet")
    # Then it is refused
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "remix_not_public"


def test_the_author_cannot_duet_their_own_followers_only_video_either(api, alice, followers_only):
    response = _upload(api(alice), f"videos/{followers_only.pk}/duet")

    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "remix_not_public"


def test_a_stranger_still_gets_404_for_a_followers_only_source(api, followers_only):
    response = _upload(api(UserFactory()), f"videos/{followers_only.pk}/duet")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_approved_follower_cannot_use_a_followers_only_original_sound(api, bob, followers_only):
    # Given the original sound of Alice's followers-only video
    sound = _original_sound(followers_only)
    edit = json.dumps({"sound": {"id": sound.pk}})
    # When Bob uploads a video with it
    response = _upload(api(bob), edit=edit)
    # Then it is refused, naming the field, and nothing is stored
    assert response.status_code == 403, response.content
    assert response.json() == {
        "error": {"code": "sound_not_public", "message": SOUND_NOT_PUBLIC, "field": "edit.sound.id"}
    }
    assert Video.objects.count() == 1


def test_a_followers_only_original_sound_has_no_page_and_no_list(api, bob, followers_only):
    sound = _original_sound(followers_only)

    for path in (f"sounds/{sound.pk}", f"sounds/{sound.pk}/videos"):
        follower = api(bob).get(path)
        assert follower.status_code == 403, (path, follower.content)
        assert follower.json()["error"]["code"] == "sound_not_public"
        assert api().get(path).status_code == 404
    assert Client().get(f"/sounds/{sound.pk}").status_code == 404


def test_a_blocked_remixer_cannot_use_the_original_sound(api, alice, bob):
    sound = _original_sound(VideoFactory(author=alice))
    BlockFactory(blocker=alice, blocked=bob)

    response = _upload(api(bob), edit=json.dumps({"sound": {"id": sound.pk}}))

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "edit.sound.id"


# --- an existing remix when its source stops being public ------------------------


@pytest.fixture
def public_duet(alice, bob):
    """Bob's public duet, with files, of Alice's public video."""
    source = VideoFactory(author=alice)
    return _with_files(VideoFactory(author=bob, remix_of=source, remix_kind=RemixKind.DUET))


def _make_followers_only(api, alice, source):
    assert api(alice).patch(f"videos/{source.pk}", {"visibility": "followers"}).status_code == 200


def _make_account_private(api, alice, source):
    assert api(alice).patch("me", {"is_private": True}).status_code == 200


def _delete(api, alice, source):
    assert api(alice).delete(f"videos/{source.pk}").status_code == 204


def _source_author_blocks(api, alice, source):
    assert api(alice).post("users/bob/block").status_code in (200, 201)


def _remixer_blocks(api, alice, source):
    assert api(source.remixes.first().author).post("users/alice/block").status_code in (200, 201)


CHANGES = [
    (_make_followers_only, "source_not_public"),
    (_make_account_private, "source_not_public"),
    (_delete, "source_deleted"),
    (_source_author_blocks, "blocked"),
    (_remixer_blocks, "blocked"),
]


@pytest.mark.parametrize(("change", "reason"), CHANGES, ids=[c[0].__name__ for c in CHANGES])
def test_a_remix_falls_back_to_its_owner_when_its_source_stops_being_public(
    api, alice, bob, public_duet, change, reason
):
    # Given Bob's public duet, which anyone may watch
    anonymous = api()
    shown = anonymous.get(f"videos/{public_duet.pk}")
    assert shown.status_code == 200
    media = shown.json()["media"]
    assert Client().get(media["mp4"]).status_code == 200
    # When the source stops being public (or its author and Bob come to be in a block)
    change(api, alice, public_duet.remix_of)
    # Then a logged-out visitor gets nothing: not the video, its file nor its poster
    assert anonymous.get(f"videos/{public_duet.pk}").status_code == 404
    assert Client().get(media["mp4"]).status_code == 404
    assert Client().get(media["poster"]).status_code == 404
    assert anonymous.get(f"users/{bob.handle}/videos").json()["items"] == []
    # And a signed-in stranger neither
    assert api(UserFactory()).get(f"videos/{public_duet.pk}").status_code == 404
    # But Bob still has it, is told why, and is not shown a source he may not see
    owner = api(bob).get(f"videos/{public_duet.pk}")
    assert owner.status_code == 200
    body = owner.json()
    assert body["withheld_reason"] == reason
    assert body["withheld"]
    assert body["remix_of"] is None
    drafts = api(bob).get("me/drafts").json()["items"]
    assert [item["id"] for item in drafts] == [str(public_duet.pk)]


def test_a_video_using_an_original_sound_falls_back_when_the_sound_stops_being_public(
    api, alice, bob
):
    # Given Bob's public video with the original sound of Alice's public video
    source = VideoFactory(author=alice)
    sound = _original_sound(source)
    video = _with_files(VideoFactory(author=bob, sound=sound))
    assert api().get(f"videos/{video.pk}").status_code == 200
    # When Alice makes her video followers-only
    _make_followers_only(api, alice, source)
    # Then Bob's video is his alone, and he is told why
    assert api().get(f"videos/{video.pk}").status_code == 404
    body = api(bob).get(f"videos/{video.pk}").json()
    assert body["withheld_reason"] == "source_not_public"
    assert body["sound"] is None


def test_a_remix_of_a_withheld_remix_is_withheld_too(api, alice, bob, public_duet):
    carol = UserFactory(handle="carol")
    duet_of_duet = VideoFactory(author=carol, remix_of=public_duet, remix_kind=RemixKind.DUET)

    _make_followers_only(api, alice, public_duet.remix_of)

    assert api().get(f"videos/{duet_of_duet.pk}").status_code == 404
    assert api(carol).get(f"videos/{duet_of_duet.pk}").json()["withheld_reason"] == (
        "source_not_public"
    )


def test_a_remix_stays_public_when_its_public_source_changes_something_else(
    api, alice, public_duet
):
    source = public_duet.remix_of
    api(alice).patch(f"videos/{source.pk}", {"caption": "new words", "allow_duet": False})

    body = api().get(f"videos/{public_duet.pk}").json()
    assert body["withheld_reason"] is None
    assert body["remix_of"]["id"] == str(source.pk)


# --- a remix never names a source its viewer may not see -------------------------


def test_remix_of_is_hidden_from_a_viewer_who_may_not_see_the_source(api, alice, bob, public_duet):
    # Given Carol blocked Alice, so Alice's video is not for her, but Bob's duet is
    carol = UserFactory(handle="carol")
    BlockFactory(blocker=carol, blocked=alice)
    # When Carol opens the duet, Bob's profile list, and the duet's page
    detail = api(carol).get(f"videos/{public_duet.pk}").json()
    listed = api(carol).get(f"users/{bob.handle}/videos").json()["items"]
    client = Client()
    client.force_login(carol)
    page = client.get(f"/v/{public_duet.pk}").content.decode()
    # Then none of them names the source
    assert detail["remix_of"] is None
    assert [item["remix_of"] for item in listed] == [None]
    assert str(public_duet.remix_of.pk) not in page
    assert "@alice" not in page
    # While anyone else sees the credit
    assert api().get(f"videos/{public_duet.pk}").json()["remix_of"]["author"]["handle"] == "alice"


def test_the_migration_withholds_remixes_made_before_the_rule(alice, bob, followers_only):
    # Given remixes made before the rule: of a followers-only video, across a block, of nothing
    from django.apps import apps

    migration = importlib.import_module("clipdeck.videos.migrations.0003_video_withheld_reason")
    carol = UserFactory(handle="carol")
    of_hidden = VideoFactory(author=bob, remix_of=followers_only, remix_kind=RemixKind.DUET)
    on_it = VideoFactory(author=UserFactory(), remix_of=of_hidden, remix_kind=RemixKind.DUET)
    public = VideoFactory(author=carol)
    across = VideoFactory(author=bob, remix_of=public, remix_kind=RemixKind.REACT)
    BlockFactory(blocker=carol, blocked=bob)
    orphan = VideoFactory(author=carol, remix_of=None, remix_kind=RemixKind.DUET)
    fine = VideoFactory(author=alice, remix_of=public, remix_kind=RemixKind.DUET)
    # When the migration runs
    migration.withhold_remixes_already_out_of_bounds(apps, None)
    # Then each is withheld for its reason, and a remix within the rule is left alone
    reasons = dict(Video.objects.values_list("pk", "withheld_reason"))
    assert reasons[of_hidden.pk] == reasons[on_it.pk] == "source_not_public"
    assert (reasons[across.pk], reasons[orphan.pk]) == ("blocked", "source_deleted")
    assert reasons[fine.pk] == reasons[public.pk] == reasons[followers_only.pk] == ""
