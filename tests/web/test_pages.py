"""Server-rendered pages: each one answers through the visibility policy."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from clipdeck.accounts.models import User
from clipdeck.videos.models import Visibility
from tests.factories import (
    PASSWORD,
    BlockFactory,
    CommentFactory,
    FollowFactory,
    SoundFactory,
    UserFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db


def client_for(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def tiles(response) -> int:
    return response.content.decode().count('class="tile"')


@pytest.mark.parametrize("path", ["/", "/following", "/about/for-you", "/settings/privacy"])
def test_open_pages_render_for_anonymous_visitors(path):
    response = client_for().get(path)

    assert response.status_code == 200
    assert b"<main" in response.content


@pytest.mark.parametrize("path", ["/studio", "/settings", "/me/requests", "/me/drafts"])
def test_own_pages_send_anonymous_visitors_to_log_in(path):
    response = client_for().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"/login?next={path}")


def test_the_video_page_has_open_graph_tags_for_link_previews():
    video = VideoFactory(caption="sunset over the bay #golden")

    page = client_for().get(f"/v/{video.pk}").content.decode()

    assert '<meta property="og:type" content="video.other">' in page
    assert f'content="http://testserver/v/{video.pk}"' in page
    assert "sunset over the bay #golden" in page


@pytest.mark.parametrize(
    ("visibility", "status"),
    [(Visibility.PUBLIC, 200), (Visibility.FOLLOWERS, 404), (Visibility.PRIVATE, 404)],
)
def test_the_video_page_follows_the_policy_for_strangers(visibility, status):
    video = VideoFactory(visibility=visibility)

    assert client_for(UserFactory()).get(f"/v/{video.pk}").status_code == status
    assert client_for(video.author).get(f"/v/{video.pk}").status_code == 200


def test_comments_on_the_video_page_leave_out_blocked_people():
    video = VideoFactory()
    viewer, blocker = UserFactory(), UserFactory()
    CommentFactory(video=video, author=blocker, text="you cannot read me")
    CommentFactory(video=video, text="visible remark")
    BlockFactory(blocker=blocker, blocked=viewer)

    page = client_for(viewer).get(f"/v/{video.pk}").content.decode()

    assert "visible remark" in page
    assert "you cannot read me" not in page


def test_a_private_profile_shows_a_lock_and_a_request_button_not_the_videos():
    owner = UserFactory(is_private=True)
    VideoFactory(author=owner)
    stranger, follower = UserFactory(), UserFactory()
    FollowFactory(follower=follower, followee=owner)

    as_stranger = client_for(stranger).get(f"/@{owner.handle}")
    as_follower = client_for(follower).get(f"/@{owner.handle}")

    assert as_stranger.status_code == 200
    assert "This account is private" in as_stranger.content.decode()
    assert 'data-private="true"' in as_stranger.content.decode()
    assert tiles(as_stranger) == 0
    assert tiles(as_follower) == 1


def test_a_profile_is_404_for_someone_its_owner_blocked():
    owner, blocked = UserFactory(), UserFactory()
    BlockFactory(blocker=owner, blocked=blocked)

    assert client_for(blocked).get(f"/@{owner.handle}").status_code == 404
    assert client_for().get(f"/@{owner.handle}").status_code == 200


def test_the_owner_sees_drafts_only_on_the_drafts_page():
    owner = UserFactory()
    VideoFactory(author=owner, status="draft", published_at=None, caption="secret draft")
    VideoFactory(author=owner, caption="out in the world")

    profile = client_for(owner).get(f"/@{owner.handle}").content.decode()
    drafts = client_for(owner).get("/me/drafts").content.decode()
    stranger_profile = client_for(UserFactory()).get(f"/@{owner.handle}").content.decode()

    assert "secret draft" in drafts and "out in the world" not in drafts
    assert "secret draft" not in stranger_profile
    assert "out in the world" in profile


def test_the_hashtag_and_sound_pages_list_only_visible_videos():
    sound = SoundFactory()
    public = VideoFactory(caption="open #beach", sound=sound)
    hidden = VideoFactory(caption="closed #beach", visibility=Visibility.PRIVATE, sound=sound)
    public.hashtags.create(name="beach")
    hidden.hashtags.add(public.hashtags.get())

    tag_page = client_for().get("/tag/beach")
    sound_page = client_for().get(f"/sounds/{sound.pk}")

    assert tiles(tag_page) == 1 and tiles(sound_page) == 1
    assert "Use this sound" in sound_page.content.decode()


def test_the_follow_requests_page_lists_pending_requests_for_the_owner_only():
    owner = UserFactory(is_private=True)
    FollowFactory(follower=UserFactory(handle="hopeful"), followee=owner, state="requested")

    page = client_for(owner).get("/me/requests").content.decode()

    assert "@hopeful" in page
    assert "@hopeful" not in client_for(UserFactory()).get("/me/requests").content.decode()


def test_the_privacy_page_lists_the_data_inventory():
    page = client_for().get("/settings/privacy").content.decode()

    assert "<code>accounts.User.email</code>" in page
    assert '<span class="badge protected">protected</span>' in page


def test_the_privacy_page_speaks_in_purposes_and_folds_the_technical_table():
    page = client_for().get("/privacy").content.decode()

    summary, technical = page.split('<details class="technical">', 1)
    assert '<h2 id="purpose-account">Your account and signing in</h2>' in summary
    assert "What you watch, to shape For You" in summary
    assert "accounts.User.email" not in summary  # plain words above the fold
    assert "accounts.User.email" in technical


def test_every_declared_field_lands_in_exactly_one_purpose():
    from clipdeck.kernel.personal_data import records
    from clipdeck.web.privacy_summary import purpose_groups

    grouped = [(row.model, row.field) for group in purpose_groups() for row in group.rows]

    assert sorted(grouped) == sorted((row.model, row.field) for row in records())
    assert len(grouped) == len(set(grouped))


# --- sign-up and log-in ---------------------------------------------------------


def test_signing_up_logs_in_and_returns_to_where_the_visitor_was():
    client = client_for()

    response = client.post(
        "/signup",
        {
            "handle": "new_face",
            "email": "new@example.com",
            "password": "long enough pw",
            "next": "/studio",
        },
    )

    assert response.status_code == 302 and response["Location"] == "/studio"
    assert client.get("/studio").status_code == 200


def test_a_bad_sign_up_says_what_to_fix_and_keeps_what_was_typed():
    UserFactory(handle="taken")

    response = client_for().post(
        "/signup", {"handle": "taken", "email": "x@example.com", "password": "long enough pw"}
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "@taken is taken" in page
    assert 'value="x@example.com"' in page


def test_log_in_refuses_a_wrong_password_and_never_redirects_off_site():
    user = UserFactory()
    client = client_for()

    wrong = client.post("/login", {"login": user.handle, "password": "nope nope nope"})
    right = client.post(
        "/login", {"login": user.handle, "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert wrong.status_code == 401 and "do not match" in wrong.content.decode()
    assert right.status_code == 302 and right["Location"] == "/"


def test_logging_out_needs_a_post():
    user = UserFactory()
    client = client_for(user)

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/settings").status_code == 302


def test_the_about_page_explains_the_main_parameters_and_the_controls():
    page = client_for().get("/about/for-you").content.decode()

    assert "<h2>How your For You feed is chosen</h2>" in page
    assert 'href="/?personalized=false"' in page


def test_linked_caption_links_tags_and_mentions_and_escapes_the_rest():
    from clipdeck.web.templatetags.captions import linked_caption

    html = linked_caption("Sun <b>set</b> #Golden_Hour with @ada. #")

    assert html == (
        'Sun &lt;b&gt;set&lt;/b&gt; <a href="/tag/golden_hour">#Golden_Hour</a> '
        'with <a href="/@ada">@ada</a>. #'
    )


def test_the_video_page_has_a_heading_and_a_caption_with_links():
    video = VideoFactory(caption="Morning run #Running with @bo")

    html = client_for().get(f"/v/{video.pk}").content.decode()

    heading = re.search(r'<h1 class="video-author">(.*?)</h1>', html, re.S)
    assert heading is not None
    assert f"@{video.author.handle}" in heading.group(1)
    assert '<a href="/tag/running">#Running</a>' in html
    assert '<a href="/@bo">@bo</a>' in html
