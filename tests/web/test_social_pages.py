"""Search, Discover, hashtag, Inbox, Favourites and Analytics pages."""

from __future__ import annotations

import pytest

from clipdeck.analytics.aggregation import aggregate_recent
from clipdeck.feed.models import Event, EventKind, TrafficSource
from clipdeck.inbox.services import notify
from clipdeck.search.services import rebuild
from clipdeck.videos.models import Visibility
from clipdeck.videos.services import _sync_caption_links
from tests.factories import BlockFactory, CommentFactory, UserFactory, VideoFactory
from tests.web.test_pages import client_for

pytestmark = pytest.mark.django_db


def _tagged(author, caption, **fields):
    video = VideoFactory(author=author, caption=caption, **fields)
    _sync_caption_links(video)
    return video


def test_search_page_corrects_a_typo_and_links_the_video(alice):
    video = _tagged(alice, "Dumplings from scratch #dumplings")
    rebuild()
    page = client_for().get("/search", {"q": "dumplngs"}).content.decode()
    assert f"/v/{video.pk}" in page
    assert "Showing results for <strong>dumplings</strong>" in page


def test_search_page_tabs_and_never_a_blocked_account(alice, bob):
    _tagged(alice, "Dumplings #dumplings")
    BlockFactory(blocker=alice, blocked=bob)
    rebuild()
    page = client_for(bob).get("/search", {"q": "alice", "type": "users"}).content.decode()
    assert "@alice" not in page
    assert "No accounts match." in page
    page = client_for().get("/search", {"q": "dumpl", "type": "hashtags"}).content.decode()
    assert 'href="/tag/dumplings"' in page


def test_discover_lists_trending_hashtags_and_creators(alice):
    _tagged(alice, "Dumplings #dumplings", view_count=1200)
    _tagged(UserFactory(is_private=True), "secret #hidden")
    page = client_for().get("/discover").content.decode()
    assert 'href="/tag/dumplings"' in page
    assert "#hidden" not in page
    assert "@alice" in page
    assert client_for().get("/explore").status_code == 302


def test_hashtag_page_header_counts_only_visible_videos(alice):
    _tagged(alice, "one #baking", view_count=1500)
    _tagged(alice, "two #baking", view_count=700, visibility=Visibility.PRIVATE)
    page = client_for().get("/tag/baking").content.decode()
    assert '<strong class="tag-views">1.5K</strong> views · 1 video' in page
    assert client_for().get("/tag/nothing-here").status_code == 200


def test_inbox_needs_a_login_and_shows_sentences(alice, bob, django_capture_on_commit_callbacks):
    assert client_for().get("/inbox").status_code == 302
    video = VideoFactory(author=alice)
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice, "like", actor=bob, video=video)
    page = client_for(alice).get("/inbox").content.decode()
    assert "@bob liked your video" in page
    assert 'class="unread"' in page


def test_video_page_shows_threads_with_reply_counts_and_owner_controls(alice, bob):
    video = VideoFactory(author=alice)
    top = CommentFactory(video=video, author=bob, reply_count=2)
    page = client_for(alice).get(f"/v/{video.pk}").content.decode()
    assert "View 2 replies" in page
    assert f'data-delete-comment="{top.pk}"' in page
    assert f'data-pin-comment="{top.pk}"' in page
    page = client_for(UserFactory()).get(f"/v/{video.pk}").content.decode()
    assert f'data-delete-comment="{top.pk}"' not in page


def test_favourites_page_is_the_owners_own(alice, bob, api):
    video = VideoFactory(author=alice)
    api(bob).post(f"videos/{video.pk}/favorite")
    assert f"/v/{video.pk}" in client_for(bob).get("/me/favorites").content.decode()
    assert f"/v/{video.pk}" not in client_for(alice).get("/me/favorites").content.decode()


def test_analytics_page_draws_the_days_views_with_their_source(alice):
    video = VideoFactory(author=alice)
    Event.objects.create(
        user=UserFactory(),
        video=video,
        kind=EventKind.VIEW,
        watched_ms=4000,
        source=TrafficSource.SEARCH,
    )
    aggregate_recent()
    page = client_for(alice).get("/studio/analytics", {"days": 7}).content.decode()
    assert "views per day" in page.lower()
    assert ": 1 views</title>" in page
    assert "Search: 1 views (100%)" in page
    detail = client_for(alice).get(f"/studio/analytics/v/{video.pk}").content.decode()
    assert "Viewers still watching" in detail
    assert client_for(UserFactory()).get(f"/studio/analytics/v/{video.pk}").status_code == 404
    assert client_for().get("/studio/analytics").status_code == 302
