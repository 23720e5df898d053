"""One example per rule of ``clipdeck.videos.visibility``, read as given/when/then."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clipdeck.accounts.models import Block, Follow, FollowState
from clipdeck.api.errors import status_for
from clipdeck.kernel.errors import Forbidden, NotFound
from clipdeck.videos.models import Comment, Hashtag, RemixKind, VideoStatus, Visibility
from clipdeck.videos.visibility import remix_source_access
from tests.factories import (
    BlockFactory,
    CommentFactory,
    FollowFactory,
    SoundFactory,
    UserFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db

VIDEO_GONE = {
    "error": {
        "code": "not_found",
        "message": "This video does not exist or is not available.",
        "field": None,
    }
}
ACCOUNT_GONE = {
    "error": {
        "code": "not_found",
        "message": "This account does not exist or is not available.",
        "field": None,
    }
}
FOLLOWERS_ONLY = {
    "error": {
        "code": "not_found",
        "message": "This account's videos are only visible to approved followers.",
        "field": None,
    }
}


def video_ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def comment_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def private_user(**kwargs):
    return UserFactory(is_private=True, **kwargs)


# --- P1–P3: profiles ----------------------------------------------------------


def test_p1_a_deactivated_account_is_seen_by_nobody(api):
    # Given a deactivated account with a public video
    gone = UserFactory(is_active=False)
    video = VideoFactory(author=gone)
    stranger = UserFactory()
    for client in (api(), api(stranger)):
        # When anyone opens its profile, its videos or the video
        # Then every answer is the same 404
        assert client.get(f"users/{gone.handle}").json() == ACCOUNT_GONE
        assert client.get(f"users/{gone.handle}/videos").status_code == 404
        assert client.get(f"videos/{video.pk}").json() == VIDEO_GONE


def test_p1_v2_a_deactivated_authors_videos_vanish(api):
    # Given a public video that everyone can see
    author = UserFactory()
    video = VideoFactory(author=author)
    viewer = UserFactory()
    assert api(viewer).get(f"videos/{video.pk}").status_code == 200
    # When its author is deactivated
    author.is_active = False
    author.save(update_fields=["is_active"])
    # Then it is gone for anonymous and signed-in viewers alike
    assert api().get(f"videos/{video.pk}").json() == VIDEO_GONE
    assert api(viewer).get(f"videos/{video.pk}").json() == VIDEO_GONE
    assert api(viewer).get(f"videos/{video.pk}/comments").json() == VIDEO_GONE


def test_p2_a_blocked_user_cannot_open_the_blockers_profile_videos_or_video(api):
    # Given Ann blocked Bob, and Ann has a public video
    ann, bob = UserFactory(), UserFactory()
    video = VideoFactory(author=ann)
    BlockFactory(blocker=ann, blocked=bob)
    client = api(bob)
    # When Bob looks for Ann
    # Then her profile, her videos and the video are all 404
    assert client.get(f"users/{ann.handle}").json() == ACCOUNT_GONE
    assert client.get(f"users/{ann.handle}/videos").json() == ACCOUNT_GONE
    assert client.get(f"videos/{video.pk}").json() == VIDEO_GONE
    assert client.get(f"videos/{video.pk}/comments").json() == VIDEO_GONE


def test_p2_a_blocked_user_cannot_follow_the_blocker(api):
    # Given Ann blocked Bob
    ann, bob = UserFactory(), UserFactory()
    BlockFactory(blocker=ann, blocked=bob)
    # When Bob tries to follow Ann
    response = api(bob).post(f"users/{ann.handle}/follow")
    # Then it is a 404 and no follow exists
    assert response.json() == ACCOUNT_GONE
    assert Follow.objects.filter(follower=bob, followee=ann).count() == 0


def test_p2_a_blocked_user_cannot_comment_on_the_blockers_video(api):
    # Given Ann blocked Bob, and Ann has a public video
    ann, bob = UserFactory(), UserFactory()
    video = VideoFactory(author=ann)
    BlockFactory(blocker=ann, blocked=bob)
    # When Bob comments on it
    response = api(bob).post(f"videos/{video.pk}/comments", {"text": "hello"})
    # Then it is a 404 and no comment was stored or counted
    assert response.json() == VIDEO_GONE
    assert Comment.objects.filter(video=video).count() == 0
    video.refresh_from_db()
    assert video.comment_count == 0


def test_p2_v3_the_blocker_sees_the_blocked_profile_but_not_their_videos(api):
    # Given Ann blocked Bob, and Bob has a public video
    ann, bob = UserFactory(), UserFactory()
    video = VideoFactory(author=bob)
    BlockFactory(blocker=ann, blocked=bob)
    client = api(ann)
    # When Ann looks at Bob
    profile = client.get(f"users/{bob.handle}")
    # Then she sees his profile, marked as blocked, but none of his videos
    assert profile.status_code == 200
    assert profile.json()["handle"] == bob.handle
    assert profile.json()["relationship"]["blocked"] is True
    assert profile.json()["relationship"]["can_see_videos"] is False
    assert client.get(f"users/{bob.handle}/videos").json() == FOLLOWERS_ONLY
    assert client.get(f"videos/{video.pk}").json() == VIDEO_GONE


def test_p3_a_profile_is_visible_to_anonymous_viewers(api):
    # Given a public account
    ann = UserFactory(display_name="Ann")
    # When an anonymous viewer opens it
    response = api().get(f"users/{ann.handle}")
    # Then the profile is shown, with no relationship
    assert response.status_code == 200
    body = response.json()
    assert (body["handle"], body["display_name"], body["is_private"]) == (ann.handle, "Ann", False)
    assert body["relationship"] is None


def test_p3_a_private_accounts_profile_shows_but_its_videos_are_404_to_non_followers(api):
    # Given a private account with a public video, a follower, a requester and a stranger
    owner = private_user()
    VideoFactory(author=owner)
    VideoFactory(author=owner, status=VideoStatus.DRAFT, published_at=None)
    requester, stranger = UserFactory(), UserFactory()
    FollowFactory(follower=requester, followee=owner, state=FollowState.REQUESTED)
    # When non-followers open the profile and its videos
    for client in (api(), api(stranger), api(requester)):
        # Then the profile is shown, with its follow counts but not how many videos
        # it has, and the videos are 404
        profile = client.get(f"users/{owner.handle}")
        assert profile.status_code == 200
        assert profile.json()["is_private"] is True
        assert profile.json()["counts"]["followers"] == 0
        assert profile.json()["counts"]["videos"] is None
        assert client.get(f"users/{owner.handle}/videos").json() == FOLLOWERS_ONLY


# --- V1–V6: videos ------------------------------------------------------------


@pytest.mark.parametrize("status", list(VideoStatus))
@pytest.mark.parametrize("visibility", list(Visibility))
def test_v1_the_author_sees_every_video_of_theirs(api, status, visibility):
    # Given a video in any status and visibility
    video = VideoFactory(status=status, visibility=visibility)
    # When its author opens it
    response = api(video.author).get(f"videos/{video.pk}")
    # Then it is shown as theirs
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["visibility"]) == (str(video.pk), status, visibility)
    assert body["viewer"] == {"liked": False, "is_owner": True, "author_follow": "none"}


@pytest.mark.parametrize("status", [VideoStatus.PROCESSING, VideoStatus.DRAFT, VideoStatus.FAILED])
def test_v2_nobody_else_sees_an_unpublished_video(api, status):
    # Given an unpublished public video whose author is followed by a fan
    video = VideoFactory(status=status, published_at=None)
    fan = UserFactory()
    FollowFactory(follower=fan, followee=video.author)
    # When anyone but the author opens it
    for client in (api(), api(fan)):
        # Then it is the same 404 as a video that does not exist
        assert client.get(f"videos/{video.pk}").json() == VIDEO_GONE
        assert client.get(f"videos/{uuid.uuid4()}").json() == VIDEO_GONE
        assert client.get(f"videos/{video.pk}/comments").json() == VIDEO_GONE


def test_v2_drafts_appear_only_in_their_owners_drafts(api):
    # Given Ann has a draft, a processing and a failed video, and a published one
    ann, bob = UserFactory(), UserFactory()
    draft = VideoFactory(author=ann, status=VideoStatus.DRAFT, published_at=None)
    rendering = VideoFactory(author=ann, status=VideoStatus.PROCESSING, published_at=None)
    failed = VideoFactory(author=ann, status=VideoStatus.FAILED, published_at=None)
    published = VideoFactory(author=ann)
    # When Ann and Bob open their drafts, and Ann's profile
    # Then only Ann's own drafts list shows them, and Bob gets 404 for each
    assert set(video_ids(api(ann).get("me/drafts"))) == {
        str(draft.pk),
        str(rendering.pk),
        str(failed.pk),
    }
    assert video_ids(api(bob).get("me/drafts")) == []
    assert video_ids(api(bob).get(f"users/{ann.handle}/videos")) == [str(published.pk)]
    assert video_ids(api(ann).get(f"users/{ann.handle}/videos")) == [str(published.pk)]
    for video in (draft, rendering, failed):
        assert api(bob).get(f"videos/{video.pk}").json() == VIDEO_GONE


def test_v3_nobody_sees_videos_across_a_block_either_way(api):
    # Given Ann blocked Bob, and both have public videos
    ann, bob = UserFactory(), UserFactory()
    anns, bobs = VideoFactory(author=ann), VideoFactory(author=bob)
    BlockFactory(blocker=ann, blocked=bob)
    # When each opens the other's video
    # Then both are 404, while an anonymous viewer still sees both
    assert api(bob).get(f"videos/{anns.pk}").json() == VIDEO_GONE
    assert api(ann).get(f"videos/{bobs.pk}").json() == VIDEO_GONE
    assert api().get(f"videos/{anns.pk}").status_code == 200
    assert api().get(f"videos/{bobs.pk}").status_code == 200


def test_v3_a_block_outranks_an_approved_follow(api):
    # Given Bob follows Ann, who then blocks him through the API
    ann, bob = UserFactory(), UserFactory()
    video = VideoFactory(author=ann, visibility=Visibility.FOLLOWERS)
    FollowFactory(follower=bob, followee=ann)
    assert api(bob).get(f"videos/{video.pk}").status_code == 200
    # When Ann blocks Bob
    assert api(ann).post(f"users/{bob.handle}/block").json() == {"ok": True}
    # Then the follow is gone and so is the video
    assert Follow.objects.filter(follower=bob, followee=ann).count() == 0
    assert Block.objects.filter(blocker=ann, blocked=bob).count() == 1
    assert api(bob).get(f"videos/{video.pk}").json() == VIDEO_GONE


def test_v4_an_only_me_video_is_seen_by_its_author_alone(api):
    # Given a private-visibility video and an approved follower of its author
    video = VideoFactory(visibility=Visibility.PRIVATE)
    fan = UserFactory()
    FollowFactory(follower=fan, followee=video.author)
    # When the follower, an anonymous viewer and the author open it
    # Then only the author sees it, also in the profile list
    assert api(fan).get(f"videos/{video.pk}").json() == VIDEO_GONE
    assert api().get(f"videos/{video.pk}").json() == VIDEO_GONE
    assert api(video.author).get(f"videos/{video.pk}").status_code == 200
    assert video_ids(api(fan).get(f"users/{video.author.handle}/videos")) == []
    assert video_ids(api(video.author).get(f"users/{video.author.handle}/videos")) == [
        str(video.pk)
    ]


def test_v5_a_followers_video_is_for_approved_followers_only(api):
    # Given a followers-only video, a follower, a pending requester and a stranger
    video = VideoFactory(visibility=Visibility.FOLLOWERS)
    fan, requester, stranger = UserFactory(), UserFactory(), UserFactory()
    FollowFactory(follower=fan, followee=video.author)
    FollowFactory(follower=requester, followee=video.author, state=FollowState.REQUESTED)
    # When each opens it
    # Then only the approved follower sees it
    assert api(fan).get(f"videos/{video.pk}").status_code == 200
    assert api(requester).get(f"videos/{video.pk}").json() == VIDEO_GONE
    assert api(stranger).get(f"videos/{video.pk}").json() == VIDEO_GONE
    assert api().get(f"videos/{video.pk}").json() == VIDEO_GONE


def test_v5_a_pending_request_does_not_grant_access_and_approving_it_does(api):
    # Given Bob asked (through the API) to follow private Ann, who has a public video
    ann, bob = private_user(), UserFactory()
    video = VideoFactory(author=ann)
    assert api(bob).post(f"users/{ann.handle}/follow").json() == {"state": "requested"}
    # When the request is still pending
    # Then Bob sees neither the video nor the list
    assert api(bob).get(f"videos/{video.pk}").json() == VIDEO_GONE
    assert api(bob).get(f"users/{ann.handle}/videos").json() == FOLLOWERS_ONLY
    # When Ann approves it
    approve = api(ann).post(f"me/follow-requests/{bob.handle}/approve")
    assert approve.json() == {"ok": True}
    # Then Bob sees the video and the list, and strangers still do not
    assert api(bob).get(f"videos/{video.pk}").status_code == 200
    assert video_ids(api(bob).get(f"users/{ann.handle}/videos")) == [str(video.pk)]
    assert api().get(f"videos/{video.pk}").json() == VIDEO_GONE


def test_v5_going_public_approves_pending_requests_and_shows_the_videos(api):
    # Given private Ann, with a public and a followers-only video, and Bob's pending request
    ann, bob = private_user(), UserFactory()
    public = VideoFactory(author=ann, visibility=Visibility.PUBLIC)
    followers = VideoFactory(author=ann, visibility=Visibility.FOLLOWERS)
    FollowFactory(follower=bob, followee=ann, state=FollowState.REQUESTED)
    assert api().get(f"users/{ann.handle}/videos").json() == FOLLOWERS_ONLY
    # When Ann makes her account public
    response = api(ann).patch("me", {"is_private": False})
    # Then Bob's request is approved, he sees both videos, and anonymous viewers the public one
    assert response.status_code == 200
    assert response.json()["is_private"] is False
    assert Follow.objects.get(follower=bob, followee=ann).state == FollowState.FOLLOWING
    assert set(video_ids(api(bob).get(f"users/{ann.handle}/videos"))) == {
        str(public.pk),
        str(followers.pk),
    }
    assert video_ids(api().get(f"users/{ann.handle}/videos")) == [str(public.pk)]
    assert api().get(f"videos/{followers.pk}").json() == VIDEO_GONE


def test_v6_a_public_video_of_a_public_account_is_seen_by_everyone(api):
    # Given a public video of a public account
    video = VideoFactory(visibility=Visibility.PUBLIC)
    # When an anonymous viewer and a stranger open it
    for client in (api(), api(UserFactory())):
        # Then both see it, and it is listed on the profile
        response = client.get(f"videos/{video.pk}")
        assert response.status_code == 200
        assert response.json()["id"] == str(video.pk)
        assert video_ids(client.get(f"users/{video.author.handle}/videos")) == [str(video.pk)]


def test_v6_a_public_video_of_a_private_account_is_for_followers(api):
    # Given a public video of a private account, and one approved follower
    owner = private_user()
    video = VideoFactory(author=owner, visibility=Visibility.PUBLIC)
    fan = UserFactory()
    FollowFactory(follower=fan, followee=owner)
    # When a stranger, anonymous and the follower open it
    # Then only the follower sees it
    assert api(UserFactory()).get(f"videos/{video.pk}").json() == VIDEO_GONE
    assert api().get(f"videos/{video.pk}").json() == VIDEO_GONE
    assert api(fan).get(f"videos/{video.pk}").status_code == 200


@pytest.mark.parametrize("path", ["videos/{}", "videos/{}/comments"])
@pytest.mark.parametrize("video_id", ["not-a-uuid", "123"])
def test_an_id_that_is_not_a_uuid_is_the_same_404_as_a_missing_video(api, path, video_id):
    # Given no video could ever have this id
    # When anyone asks for it
    response = api().get(path.format(video_id))
    # Then the answer is the one "does not exist or is not available" 404
    assert response.status_code == 404
    assert response.json() == VIDEO_GONE


# --- C1–C2: comments ----------------------------------------------------------


def test_c1_comments_are_404_on_a_video_the_viewer_may_not_see(api):
    # Given a followers-only video with a comment
    video = VideoFactory(visibility=Visibility.FOLLOWERS)
    comment = CommentFactory(video=video, author=video.author)
    fan = UserFactory()
    FollowFactory(follower=fan, followee=video.author)
    # When a stranger and a follower read its comments
    # Then the stranger gets 404 and the follower the comment
    assert api(UserFactory()).get(f"videos/{video.pk}/comments").json() == VIDEO_GONE
    assert comment_ids(api(fan).get(f"videos/{video.pk}/comments")) == [comment.pk]


def test_c2_comments_across_a_block_are_hidden_either_way(api):
    # Given a public video with comments by Ann, Bob and Cat; Ann blocked Bob
    ann, bob, cat = UserFactory(), UserFactory(), UserFactory()
    video = VideoFactory()
    by_ann = CommentFactory(video=video, author=ann)
    by_bob = CommentFactory(video=video, author=bob)
    by_cat = CommentFactory(video=video, author=cat)
    BlockFactory(blocker=ann, blocked=bob)
    # When each reads the comments
    # Then Ann and Bob do not see each other's; everyone else sees all three
    assert set(comment_ids(api(ann).get(f"videos/{video.pk}/comments"))) == {by_ann.pk, by_cat.pk}
    assert set(comment_ids(api(bob).get(f"videos/{video.pk}/comments"))) == {by_bob.pk, by_cat.pk}
    everyone = {by_ann.pk, by_bob.pk, by_cat.pk}
    assert set(comment_ids(api(cat).get(f"videos/{video.pk}/comments"))) == everyone
    assert set(comment_ids(api().get(f"videos/{video.pk}/comments"))) == everyone


# --- R1: remix sources --------------------------------------------------------


@pytest.mark.parametrize("kind", [RemixKind.DUET, RemixKind.REACT])
def test_r1_a_visible_published_video_that_allows_it_can_be_remixed(kind):
    # Given a public video that allows duets and reacts
    video = VideoFactory(allow_duet=True, allow_react=True)
    # When a stranger asks for it as a remix source
    source = remix_source_access(UserFactory(), video.pk, kind)
    # Then it is returned
    assert source.pk == video.pk


@pytest.mark.parametrize(
    ("kind", "field"), [(RemixKind.DUET, "allow_duet"), (RemixKind.REACT, "allow_react")]
)
def test_r1_a_video_whose_author_forbids_the_remix_is_refused(kind, field):
    # Given a public video whose author turned this kind of remix off
    video = VideoFactory(**{field: False})
    # When a stranger asks for it as a remix source
    with pytest.raises(Forbidden) as refused:
        remix_source_access(UserFactory(), video.pk, kind)
    # Then it is a 403 naming the rule
    assert (status_for(refused.value), refused.value.code) == (403, f"{kind.value}_not_allowed")


def test_r1_an_unpublished_video_cannot_be_remixed_even_by_its_author():
    # Given the author's own draft
    draft = VideoFactory(status=VideoStatus.DRAFT, published_at=None)
    # When the author asks for it as a remix source
    # Then it is not found
    with pytest.raises(NotFound):
        remix_source_access(draft.author, draft.pk, RemixKind.DUET)


def test_r1_a_video_the_viewer_may_not_see_cannot_be_remixed():
    # Given a followers-only video and a stranger
    video = VideoFactory(visibility=Visibility.FOLLOWERS)
    # When the stranger, or an anonymous viewer, asks for it as a remix source
    # Then it is not found (not forbidden)
    for viewer in (UserFactory(), None):
        with pytest.raises(NotFound):
            remix_source_access(viewer, video.pk, RemixKind.DUET)


# --- query counts -------------------------------------------------------------


def _profile_with_videos(count: int):
    owner = UserFactory()
    tag, _ = Hashtag.objects.get_or_create(name="demo")
    source = VideoFactory()
    for _ in range(count):
        video = VideoFactory(
            author=owner,
            sound=SoundFactory(is_original=True, created_by=owner),
            remix_of=source,
            remix_kind=RemixKind.DUET,
        )
        video.hashtags.add(tag)
        video.mentions.add(source.author)
    return owner


def _queries_for_profile_list(api, owner) -> tuple[int, int]:
    client = api(UserFactory())
    client.get(f"users/{owner.handle}")  # the token's first use of the day writes once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"users/{owner.handle}/videos")
    assert response.status_code == 200
    return len(queries), len(response.json()["items"])


def test_the_profile_video_list_has_no_n_plus_one(api):
    # Given two accounts with 10 and 20 videos, each with a sound, a remix source, tags, mentions
    ten, twenty = _profile_with_videos(10), _profile_with_videos(20)
    # When a signed-in viewer lists each
    small, shown_small = _queries_for_profile_list(api, ten)
    large, shown_large = _queries_for_profile_list(api, twenty)
    # Then both pages take the same number of queries
    assert (shown_small, shown_large) == (10, 20)
    assert small == large


def test_r1_a_video_the_viewer_sees_but_that_is_not_for_everyone_is_refused():
    # Given a followers-only video and an approved follower of its author
    video = VideoFactory(visibility=Visibility.FOLLOWERS)
    follower = UserFactory()
    FollowFactory(follower=follower, followee=video.author)
    # When the follower asks for it as a remix source
    with pytest.raises(Forbidden) as refused:
        remix_source_access(follower, video.pk, RemixKind.REACT)
    # Then it is a 403 naming the rule
    assert (status_for(refused.value), refused.value.code) == (403, "remix_not_public")
