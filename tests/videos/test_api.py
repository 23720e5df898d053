"""Videos API: detail, owner edits, publishing, likes, comments, shares and sounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from clipdeck.videos import services
from clipdeck.videos.models import Comment, Like, Share, Video, VideoStatus, Visibility
from tests.factories import (
    BlockFactory,
    CommentFactory,
    FollowFactory,
    SoundFactory,
    UserFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db

CREATED = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
PUBLISHED = datetime(2026, 3, 1, 12, 5, 0, tzinfo=UTC)


def assert_error(response, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field"}
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"][0].isalpha() and len(error["message"].split()) >= 2


def posted_video(author, caption: str = "", **fields) -> Video:
    """A video made the way the studio makes one: created, then rendered and published."""
    video = services.video_create(author=author, caption=caption)
    services.video_mark_ready(video=video)
    Video.objects.filter(pk=video.pk).update(
        created_at=CREATED,
        published_at=PUBLISHED,
        duration_ms=15000,
        width=1080,
        height=1920,
        **fields,
    )
    video.refresh_from_db()
    return video


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# --- detail -------------------------------------------------------------------


def test_a_published_video_shows_every_field(api):
    author = UserFactory(handle="neo", display_name="Neo")
    UserFactory(handle="trinity")
    video = posted_video(
        author,
        "Dodging #BulletTime with @Trinity and @ghost_user #bullettime #Matrix #matrix",
        like_count=7,
        comment_count=2,
        share_count=1,
        view_count=99,
    )

    response = api().get(f"videos/{video.pk}")

    assert response.status_code == 200
    body = response.json()
    assert sorted(body.pop("hashtags")) == ["bullettime", "matrix"]
    assert body == {
        "id": str(video.pk),
        "author": {"handle": "neo", "display_name": "Neo", "avatar": None, "is_private": False},
        "caption": "Dodging #BulletTime with @Trinity and @ghost_user #bullettime #Matrix #matrix",
        "mentions": ["trinity"],
        "status": "published",
        "error": None,
        "error_code": None,
        "visibility": "public",
        "allow_duet": True,
        "allow_react": True,
        "allow_stitch": True,
        "allow_comments": True,
        "duration_ms": 15000,
        "width": 1080,
        "height": 1920,
        "media": {"mp4": None, "mp4_720": None, "poster": None, "captions": None},
        "sound": None,
        "remix_of": None,
        "withheld_reason": None,
        "withheld": None,
        "counts": {"likes": 7, "comments": 2, "shares": 1, "views": 99},
        "viewer": None,
        "created_at": "2026-03-01T12:00:00Z",
        "published_at": "2026-03-01T12:05:00Z",
    }


def test_mentions_leave_out_accounts_that_blocked_the_author(api):
    author = UserFactory()
    fan, hater = UserFactory(handle="fan"), UserFactory(handle="hater")
    BlockFactory(blocker=hater, blocked=author)

    video = posted_video(author, "hi @fan and @hater")

    assert api().get(f"videos/{video.pk}").json()["mentions"] == ["fan"]
    assert list(video.mentions.all()) == [fan]


def test_the_viewer_block_says_whether_the_viewer_liked_it(api):
    author, fan = UserFactory(), UserFactory()
    video = posted_video(author)
    api(fan).post(f"videos/{video.pk}/like")

    as_fan = api(fan).get(f"videos/{video.pk}").json()
    as_author = api(author).get(f"videos/{video.pk}").json()

    assert as_fan["viewer"] == {"liked": True, "is_owner": False, "author_follow": "none"}
    assert as_fan["counts"]["likes"] == 1
    assert as_author["viewer"] == {"liked": False, "is_owner": True, "author_follow": "none"}


@pytest.mark.parametrize("is_private", [False, True])
def test_the_viewer_block_says_how_the_viewer_follows_the_author(api, is_private):
    author, fan = UserFactory(is_private=is_private), UserFactory()
    video = posted_video(author)

    api(fan).post(f"users/{author.handle}/follow")

    if is_private:  # a request alone shows nothing (V5)
        assert api(fan).get(f"videos/{video.pk}").status_code == 404
        author.follower_set.filter(follower=fan).update(state="following")
    as_fan = api(fan).get(f"users/{author.handle}/videos").json()

    assert as_fan["items"][0]["viewer"]["author_follow"] == "following"


@pytest.mark.parametrize("video_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid"])
def test_an_unknown_video_is_404(api, video_id):
    assert_error(api().get(f"videos/{video_id}"), 404, "not_found")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": VideoStatus.DRAFT},
        {"status": VideoStatus.PROCESSING},
        {"status": VideoStatus.FAILED},
        {"visibility": Visibility.PRIVATE},
        {"visibility": Visibility.FOLLOWERS},
    ],
)
def test_videos_one_may_not_see_are_404_but_the_owner_sees_them(api, fields):
    author, stranger = UserFactory(), UserFactory()
    video = VideoFactory(author=author, **fields)

    assert_error(api(stranger).get(f"videos/{video.pk}"), 404, "not_found")
    assert_error(api().get(f"videos/{video.pk}"), 404, "not_found")
    assert api(author).get(f"videos/{video.pk}").status_code == 200


# --- owner edits --------------------------------------------------------------


def test_the_owner_edits_the_caption_and_hashtags_are_parsed_again(api):
    author = UserFactory()
    video = posted_video(author, "old #OldTag")

    response = api(author).patch(
        f"videos/{video.pk}",
        {"caption": "  new #Fresh #fresh #Take2  ", "allow_comments": False},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["caption"] == "new #Fresh #fresh #Take2"
    assert sorted(body["hashtags"]) == ["fresh", "take2"]
    assert body["allow_comments"] is False
    video.refresh_from_db()
    assert sorted(video.hashtags.values_list("name", flat=True)) == ["fresh", "take2"]
    assert video.allow_comments is False


def test_the_owner_changes_visibility(api):
    author = UserFactory()
    video = posted_video(author)

    response = api(author).patch(f"videos/{video.pk}", {"visibility": "followers"})

    assert response.json()["visibility"] == "followers"
    video.refresh_from_db()
    assert video.visibility == Visibility.FOLLOWERS


def test_an_unknown_visibility_is_refused_and_nothing_changes(api):
    author = UserFactory()
    video = posted_video(author, "keep me")

    response = api(author).patch(
        f"videos/{video.pk}", {"caption": "changed", "visibility": "friends"}
    )

    assert_error(response, 400, "invalid_visibility", "visibility")
    video.refresh_from_db()
    assert (video.caption, video.visibility) == ("keep me", Visibility.PUBLIC)


def test_someone_else_cannot_edit_a_video_and_learns_nothing(api):
    author, other = UserFactory(), UserFactory()
    video = posted_video(author, "mine #mine")

    response = api(other).patch(f"videos/{video.pk}", {"caption": "pwned", "visibility": "private"})

    assert_error(response, 404, "not_found")
    video.refresh_from_db()
    assert (video.caption, video.visibility) == ("mine #mine", Visibility.PUBLIC)
    assert list(video.hashtags.values_list("name", flat=True)) == ["mine"]


def test_someone_else_cannot_delete_a_video(api):
    author, other = UserFactory(), UserFactory()
    video = posted_video(author)

    response = api(other).delete(f"videos/{video.pk}")

    assert_error(response, 404, "not_found")
    assert Video.objects.filter(pk=video.pk).exists()


def test_the_owner_deletes_a_video_with_its_likes_and_comments(api):
    author, fan = UserFactory(), UserFactory()
    video = posted_video(author)
    api(fan).post(f"videos/{video.pk}/like")
    api(fan).post(f"videos/{video.pk}/comments", {"text": "nice"})

    response = api(author).delete(f"videos/{video.pk}")

    assert response.status_code == 204
    assert not Video.objects.filter(pk=video.pk).exists()
    assert (Like.objects.count(), Comment.objects.count()) == (0, 0)
    assert_error(api(author).get(f"videos/{video.pk}"), 404, "not_found")


def test_editing_needs_sign_in(api):
    video = posted_video(UserFactory(), "keep")

    assert_error(api().patch(f"videos/{video.pk}", {"caption": "x"}), 401, "not_authenticated")
    video.refresh_from_db()
    assert video.caption == "keep"


# --- publishing ---------------------------------------------------------------


def test_publishing_a_draft_makes_it_published_now(api):
    author = UserFactory()
    draft = VideoFactory(
        author=author, status=VideoStatus.DRAFT, published_at=None, keep_as_draft=True
    )
    before = datetime.now(tz=UTC)

    response = api(author).post(f"videos/{draft.pk}/publish")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    draft.refresh_from_db()
    assert draft.status == VideoStatus.PUBLISHED
    assert draft.keep_as_draft is False
    assert before <= draft.published_at <= datetime.now(tz=UTC)
    assert api().get(f"videos/{draft.pk}").status_code == 200


@pytest.mark.parametrize("status", [VideoStatus.PROCESSING, VideoStatus.FAILED])
def test_publishing_something_that_is_not_a_draft_is_a_conflict(api, status):
    author = UserFactory()
    video = VideoFactory(author=author, status=status, published_at=None)

    response = api(author).post(f"videos/{video.pk}/publish")

    assert_error(response, 409, "not_a_draft")
    video.refresh_from_db()
    assert (video.status, video.published_at) == (status, None)


def test_someone_else_cannot_publish_a_draft(api):
    author, other = UserFactory(), UserFactory()
    draft = VideoFactory(author=author, status=VideoStatus.DRAFT, published_at=None)

    assert_error(api(other).post(f"videos/{draft.pk}/publish"), 404, "not_found")
    draft.refresh_from_db()
    assert draft.status == VideoStatus.DRAFT


def test_drafts_are_listed_only_for_their_owner(api):
    author, other = UserFactory(), UserFactory()
    draft = VideoFactory(author=author, status=VideoStatus.DRAFT)
    VideoFactory(author=author)
    VideoFactory(author=other, status=VideoStatus.DRAFT)

    assert ids(api(author).get("me/drafts")) == [str(draft.pk)]


# --- likes --------------------------------------------------------------------


def test_liking_twice_counts_one_like(api):
    fan = UserFactory()
    video = posted_video(UserFactory())

    first = api(fan).post(f"videos/{video.pk}/like")
    second = api(fan).post(f"videos/{video.pk}/like")

    assert first.json() == second.json() == {"liked": True, "count": 1}
    assert Like.objects.filter(user=fan, video=video).count() == 1
    video.refresh_from_db()
    assert video.like_count == 1


def test_unlike_takes_the_like_back_and_unliking_again_changes_nothing(api):
    fan, other_fan = UserFactory(), UserFactory()
    video = posted_video(UserFactory())
    api(fan).post(f"videos/{video.pk}/like")
    api(other_fan).post(f"videos/{video.pk}/like")

    first = api(fan).delete(f"videos/{video.pk}/like")
    second = api(fan).delete(f"videos/{video.pk}/like")

    assert first.json() == second.json() == {"liked": False, "count": 1}
    assert list(Like.objects.values_list("user", flat=True)) == [other_fan.pk]


def test_liking_a_video_one_may_not_see_is_404_and_counts_nothing(api):
    author, stranger = UserFactory(), UserFactory()
    video = VideoFactory(author=author, visibility=Visibility.FOLLOWERS)

    assert_error(api(stranger).post(f"videos/{video.pk}/like"), 404, "not_found")
    assert Like.objects.count() == 0
    video.refresh_from_db()
    assert video.like_count == 0


# --- comments -----------------------------------------------------------------


def test_comments_are_listed_newest_first(api):
    video = posted_video(UserFactory())
    fan = UserFactory(handle="fan")
    posted = [api(fan).post(f"videos/{video.pk}/comments", {"text": t}) for t in ("1", "2", "3")]

    response = api().get(f"videos/{video.pk}/comments")

    assert [r.status_code for r in posted] == [201, 201, 201]
    body = response.json()
    assert [c["text"] for c in body["items"]] == ["3", "2", "1"]
    assert body["next_cursor"] is None
    first = body["items"][0]
    assert set(first) == {
        "id",
        "author",
        "text",
        "created_at",
        "reply_to",
        "reply_count",
        "like_count",
        "liked",
        "pinned",
        "held",
    }
    assert (first["reply_to"], first["reply_count"], first["liked"]) == (None, 0, False)
    assert first["held"] is False
    assert first["author"]["handle"] == "fan"
    video.refresh_from_db()
    assert video.comment_count == 3


def test_a_new_comment_is_returned_and_stored(api):
    video = posted_video(UserFactory())
    fan = UserFactory(handle="fan")

    response = api(fan).post(f"videos/{video.pk}/comments", {"text": "  first!  "})

    assert response.status_code == 201
    body = response.json()
    comment = Comment.objects.get()
    assert (body["id"], body["text"], body["author"]["handle"]) == (comment.pk, "first!", "fan")
    assert (comment.text, comment.author, comment.video_id) == ("first!", fan, video.pk)


def test_commenting_when_comments_are_off_is_refused_and_stores_nothing(api):
    author, fan = UserFactory(), UserFactory()
    video = posted_video(author, allow_comments=False)

    response = api(fan).post(f"videos/{video.pk}/comments", {"text": "let me in"})

    assert_error(response, 403, "comments_off")
    assert Comment.objects.count() == 0
    video.refresh_from_db()
    assert video.comment_count == 0


def test_the_owner_can_comment_even_when_comments_are_off(api):
    author = UserFactory()
    video = posted_video(author, allow_comments=False)

    response = api(author).post(f"videos/{video.pk}/comments", {"text": "pinned note"})

    assert response.status_code == 201
    assert list(Comment.objects.values_list("text", flat=True)) == ["pinned note"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_comment_is_refused(api, text):
    video = posted_video(UserFactory())

    response = api(UserFactory()).post(f"videos/{video.pk}/comments", {"text": text})

    assert_error(response, 400, "empty_comment", "text")
    assert Comment.objects.count() == 0


def test_a_comment_over_500_characters_is_refused(api):
    video = posted_video(UserFactory())

    response = api(UserFactory()).post(f"videos/{video.pk}/comments", {"text": "x" * 501})

    assert_error(response, 400, "comment_too_long", "text")
    assert Comment.objects.count() == 0


def test_commenting_needs_sign_in(api):
    video = posted_video(UserFactory())

    assert_error(
        api().post(f"videos/{video.pk}/comments", {"text": "hi"}), 401, "not_authenticated"
    )
    assert Comment.objects.count() == 0


def test_someone_the_author_blocked_cannot_comment_and_learns_nothing(api):
    author, blocked = UserFactory(), UserFactory()
    video = posted_video(author)
    BlockFactory(blocker=author, blocked=blocked)

    response = api(blocked).post(f"videos/{video.pk}/comments", {"text": "hello?"})

    assert_error(response, 404, "not_found")
    assert Comment.objects.count() == 0


def test_comments_by_blocked_accounts_are_hidden_from_the_viewer(api):
    video = posted_video(UserFactory())
    viewer, troll = UserFactory(), UserFactory()
    CommentFactory(video=video, author=troll, text="troll")
    CommentFactory(video=video, text="kind")
    BlockFactory(blocker=viewer, blocked=troll)

    response = api(viewer).get(f"videos/{video.pk}/comments")

    assert [c["text"] for c in response.json()["items"]] == ["kind"]


# --- shares -------------------------------------------------------------------


def test_share_returns_an_absolute_link_and_counts_each_sharer(api):
    video = posted_video(UserFactory())
    fan = UserFactory()

    first = api(fan).post(f"videos/{video.pk}/share")
    again = api(fan).post(f"videos/{video.pk}/share")
    other = api(UserFactory()).post(f"videos/{video.pk}/share")

    assert first.status_code == 200
    assert first.json() == {"url": f"http://testserver/v/{video.pk}", "count": 1}
    assert first.json()["url"].startswith(("http://", "https://"))
    assert again.json()["count"] == 1  # one sharer counts once a day
    assert other.json()["count"] == 2
    assert Share.objects.filter(video=video, user=fan).count() == 2


def test_anonymous_viewers_can_share_a_public_video(api):
    video = posted_video(UserFactory())

    response = api().post(f"videos/{video.pk}/share")

    assert response.json() == {"url": f"http://testserver/v/{video.pk}", "count": 1}
    assert list(Share.objects.values_list("user", flat=True)) == [None]


def test_an_anonymous_api_client_without_cookies_can_share_a_public_video():
    video = posted_video(UserFactory())
    client = Client(enforce_csrf_checks=True)  # like curl or a mobile app: no cookies at all

    response = client.post(f"/api/v1/videos/{video.pk}/share")

    assert response.status_code == 200, response.content
    assert response.json() == {"url": f"http://testserver/v/{video.pk}", "count": 1}
    assert Share.objects.count() == 1


def test_sharing_a_video_one_may_not_see_is_404_and_counts_nothing(api):
    video = VideoFactory(visibility=Visibility.PRIVATE)

    assert_error(api(UserFactory()).post(f"videos/{video.pk}/share"), 404, "not_found")
    assert Share.objects.count() == 0


def test_the_share_link_opens_the_video_page(api, client):
    video = posted_video(UserFactory())
    url = api().post(f"videos/{video.pk}/share").json()["url"]

    response = client.get(url.removeprefix("http://testserver"))

    assert response.status_code == 200


def test_the_operators_public_url_wins_over_the_requests_address(api, settings):
    settings.PUBLIC_URL, settings.PUBLIC_URL_SET = "https://clips.example", True
    video = posted_video(UserFactory())

    response = api().post(f"videos/{video.pk}/share")

    assert response.json()["url"] == f"https://clips.example/v/{video.pk}"


# --- sounds -------------------------------------------------------------------


def test_sounds_are_listed_by_genre_without_original_sounds(api):
    now = datetime.now(tz=UTC)
    older = SoundFactory(title="Rain", genre="lofi", created_at=now - timedelta(minutes=1))
    newer = SoundFactory(title="Night", genre="lofi", created_at=now)
    SoundFactory(title="Riff", genre="rock")
    SoundFactory(title="Mine", genre="lofi", is_original=True)

    response = api().get("sounds", {"genre": "LoFi"})

    assert response.status_code == 200
    body = response.json()
    assert [s["id"] for s in body["items"]] == [newer.pk, older.pk]
    assert body["next_cursor"] is None
    assert body["items"][0] == {
        "id": newer.pk,
        "title": "Night",
        "artist": "Clipdeck Studio",
        "genre": "lofi",
        "licence": "CC0",
        "duration_ms": 30000,
        "is_original": False,
        "audio": None,
        "created_by": None,
    }


def test_all_library_sounds_without_a_genre(api):
    sounds = [SoundFactory(genre=genre) for genre in ("lofi", "rock", "jazz")]

    response = api().get("sounds")

    assert sorted(s["id"] for s in response.json()["items"]) == sorted(s.pk for s in sounds)


def test_a_sound_and_the_videos_using_it_that_the_viewer_may_see(api):
    sound = SoundFactory()
    now = datetime.now(tz=UTC)
    older = VideoFactory(sound=sound, published_at=now - timedelta(hours=1))
    newer = VideoFactory(sound=sound, published_at=now)
    VideoFactory(sound=sound, visibility=Visibility.PRIVATE)
    VideoFactory(sound=sound, status=VideoStatus.DRAFT)
    VideoFactory(sound=SoundFactory())

    detail = api().get(f"sounds/{sound.pk}")
    videos = api().get(f"sounds/{sound.pk}/videos")

    assert detail.json()["title"] == sound.title
    assert ids(videos) == [str(newer.pk), str(older.pk)]
    assert videos.json()["items"][0]["sound"]["id"] == sound.pk


def test_an_unknown_sound_is_404(api):
    assert_error(api().get("sounds/999999"), 404, "not_found")
    assert_error(api().get("sounds/999999/videos"), 404, "not_found")


def test_a_followers_only_video_appears_among_sound_videos_for_followers_only(api):
    sound = SoundFactory()
    author, follower = UserFactory(), UserFactory()
    FollowFactory(follower=follower, followee=author)
    video = VideoFactory(author=author, sound=sound, visibility=Visibility.FOLLOWERS)

    assert ids(api(follower).get(f"sounds/{sound.pk}/videos")) == [str(video.pk)]
    assert ids(api().get(f"sounds/{sound.pk}/videos")) == []
