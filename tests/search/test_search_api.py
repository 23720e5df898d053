"""Search: accents, case, typos, prefixes, ranking, and never what the viewer may not see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clipdeck.accounts import services as accounts
from clipdeck.search.services import rebuild
from clipdeck.videos import services as videos
from clipdeck.videos.models import Visibility
from tests.factories import BlockFactory, FollowFactory, SoundFactory, UserFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["videos"]]


def test_a_misspelt_word_finds_the_video_and_says_what_was_searched(api, alice, posted):
    dumplings = posted(alice, "Grandma's dumplings, folded by hand #dumplings")
    posted(alice, "Sunset over the harbour #travel")

    response = api().get("search", {"q": "dumplngs"})

    assert _ids(response) == [str(dumplings.pk)]
    assert response.json()["corrected"] == "dumplings"


def test_accents_and_case_are_ignored_both_ways(api, alice, posted):
    creme = posted(alice, "Crème brûlée in five minutes")

    assert _ids(api().get("search", {"q": "CREME BRULEE"})) == [str(creme.pk)]
    assert _ids(api().get("search", {"q": "crème"})) == [str(creme.pk)]


def test_the_last_word_matches_as_a_prefix_while_typing(api, alice, posted):
    video = posted(alice, "Sourdough starter tips")

    assert _ids(api().get("search", {"q": "sourd"})) == [str(video.pk)]
    assert _ids(api().get("search", {"q": "starter tip"})) == [str(video.pk)]


def test_hashtags_and_sound_titles_find_videos(api, alice, posted):
    sound = SoundFactory(title="Midnight Lofi", artist="Kai")
    video = posted(alice, "late night coding #focus", sound=sound)

    assert _ids(api().get("search", {"q": "focus"})) == [str(video.pk)]
    assert _ids(api().get("search", {"q": "midnight lofi"})) == [str(video.pk)]


def test_relevance_comes_first_then_engagement_breaks_ties(api, alice, posted):
    quiet = posted(alice, "ramen at home")
    loved = posted(alice, "ramen at home", like_count=900)
    mention = posted(alice, "noodles with a word about ramen at the end of a long caption here")

    assert _ids(api().get("search", {"q": "ramen"}))[:2] == [str(loved.pk), str(quiet.pk)]
    assert str(mention.pk) in _ids(api().get("search", {"q": "ramen"}))


def test_fresher_videos_rank_above_stale_ones_of_equal_relevance(api, alice, posted):
    old = posted(alice, "pasta night", published_at=timezone.now() - timedelta(days=120))
    new = posted(alice, "pasta night")

    assert _ids(api().get("search", {"q": "pasta"})) == [str(new.pk), str(old.pk)]


def test_a_private_accounts_videos_never_appear_to_non_followers(api, bob, posted):
    secret = UserFactory(handle="secretcook", is_private=True)
    posted(secret, "secret dumplings recipe")
    FollowFactory(follower=bob, followee=secret)
    stranger = UserFactory()

    assert _ids(api().get("search", {"q": "dumplings"})) == []
    assert _ids(api(stranger).get("search", {"q": "dumplings"})) == []
    # Search holds only what anyone may find: followers see them on the profile.
    assert _ids(api(bob).get("search", {"q": "dumplings"})) == []


def test_a_video_made_private_leaves_the_results_on_commit(
    api, alice, posted, django_capture_on_commit_callbacks
):
    video = posted(alice, "dumplings for later")
    with django_capture_on_commit_callbacks(execute=True):
        videos.video_update(video=video, visibility=Visibility.FOLLOWERS)

    assert _ids(api().get("search", {"q": "dumplings"})) == []


def test_an_account_going_private_takes_its_videos_out(
    api, alice, posted, django_capture_on_commit_callbacks
):
    posted(alice, "dumplings again")
    with django_capture_on_commit_callbacks(execute=True):
        accounts.user_update_profile(user=alice, is_private=True)

    assert _ids(api().get("search", {"q": "dumplings"})) == []


def test_blocked_accounts_never_appear_either_way(api, alice, bob, posted):
    posted(alice, "dumplings by alice")
    carol = UserFactory(handle="carol")
    BlockFactory(blocker=alice, blocked=bob)
    BlockFactory(blocker=carol, blocked=alice)
    rebuild()

    assert _ids(api(bob).get("search", {"q": "dumplings"})) == []
    assert _ids(api(carol).get("search", {"q": "dumplings"})) == []
    users = api(bob).get("search", {"q": "alice", "type": "users"}).json()["users"]
    assert users == []
    users = api(alice).get("search", {"q": "bob", "type": "users"}).json()["users"]
    assert users == []
    assert [
        u["handle"] for u in api().get("search", {"q": "alice", "type": "users"}).json()["users"]
    ] == ["alice"]


def test_users_are_found_by_handle_and_display_name_with_a_typo(api, posted):
    maya = UserFactory(handle="maya_cooks", display_name="Maya Lindqvist")
    rebuild()

    found = api().get("search", {"q": "lindquist", "type": "users"}).json()
    assert [u["handle"] for u in found["users"]] == [maya.handle]
    found = api().get("search", {"q": "maya", "type": "users"}).json()
    assert [u["handle"] for u in found["users"]] == [maya.handle]


def test_hashtags_count_only_videos_the_viewer_may_see(api, alice, bob, posted):
    posted(alice, "one #baking")
    posted(alice, "two #baking", visibility=Visibility.FOLLOWERS)

    found = api(bob).get("search", {"q": "bakin", "type": "hashtags"}).json()
    assert found["hashtags"] == [{"name": "baking", "videos": 1}]


def test_an_original_sound_is_found_only_while_its_video_is_public(api, alice, posted):
    video = posted(alice, "my voice")
    sound = SoundFactory(
        title="Morning Chant", is_original=True, source_video=video, created_by=alice
    )
    rebuild()
    assert [
        s["id"] for s in api().get("search", {"q": "chant", "type": "sounds"}).json()["sounds"]
    ] == [sound.pk]

    videos.video_update(video=video, visibility=Visibility.PRIVATE)
    assert api().get("search", {"q": "chant", "type": "sounds"}).json()["sounds"] == []


def test_rebuild_restores_a_lost_index(api, alice, posted):
    video = posted(alice, "dumplings")
    from clipdeck.search.index import search_index

    search_index().clear()
    assert _ids(api().get("search", {"q": "dumplings"})) == []
    assert rebuild() >= 2  # the video and its author at least
    assert _ids(api().get("search", {"q": "dumplings"})) == [str(video.pk)]


def test_bad_input_is_a_clear_400(api):
    response = api().get("search", {"q": "x", "type": "people"})
    assert response.status_code in (400, 422)
    response = api().get("search", {"q": "x" * 101})
    assert response.status_code in (400, 422)


def test_punctuation_alone_finds_nothing_and_quotes_do_not_break_the_query(api, alice, posted):
    posted(alice, "dumplings")
    assert _ids(api().get("search", {"q": '"!?*'})) == []
    assert _ids(api().get("search", {"q": 'dumplings" OR "x'})) == []


def test_paging_moves_through_the_ranked_results(api, alice, posted):
    made = [posted(alice, f"tacos number {n}") for n in range(5)]
    first = api().get("search", {"q": "tacos", "limit": 3}).json()
    second = api().get("search", {"q": "tacos", "limit": 3, "offset": first["next_offset"]}).json()

    ids = [v["id"] for v in first["videos"] + second["videos"]]
    assert sorted(ids) == sorted(str(v.pk) for v in made)
    assert second["next_offset"] is None


def test_suggestions_start_after_two_characters(api, posted):
    UserFactory(handle="dumpling_queen")
    rebuild()

    assert api().get("search/suggestions", {"q": "d"}).json()["items"] == []
    items = api().get("search/suggestions", {"q": "dum"}).json()["items"]
    assert {"type": "user", "text": "@dumpling_queen", "url": "/@dumpling_queen"} in items


def test_a_viewers_filters_hide_videos_and_hashtags_in_search_and_on_the_hashtag_page(
    api, alice, bob, posted
):
    spoiler = posted(alice, "The finale spoilers #showtalk")
    plain = posted(alice, "A quiet walk #showtalk")
    api(bob).put("me/filters", {"keywords": ["spoilers"], "hashtags": []})

    assert _ids(api(bob).get("search", {"q": "showtalk"})) == [str(plain.pk)]
    assert set(_ids(api().get("search", {"q": "showtalk"}))) == {str(spoiler.pk), str(plain.pk)}
    tagged = api(bob).get("hashtags/showtalk/videos").json()["items"]
    assert [item["id"] for item in tagged] == [str(plain.pk)]

    api(bob).put("me/filters", {"keywords": [], "hashtags": ["showtalk"]})
    found = api(bob).get("search", {"q": "showtalk", "type": "hashtags"}).json()
    assert found["hashtags"] == []


def test_a_removed_or_restricted_video_leaves_search_at_once_for_everyone_but_its_author(
    api, alice, bob, posted
):
    from clipdeck.videos.models import ModerationState

    removed = posted(alice, "Street food tour #streetfood")
    restricted = posted(alice, "Street food at night #streetfood")
    kept = posted(alice, "Street food, the sequel #streetfood")
    type(removed).objects.filter(pk=removed.pk).update(moderation_state=ModerationState.REMOVED)
    type(restricted).objects.filter(pk=restricted.pk).update(
        moderation_state=ModerationState.RESTRICTED
    )

    assert _ids(api().get("search", {"q": "street food"})) == [str(kept.pk)]
    assert _ids(api(bob).get("search", {"q": "streetfood"})) == [str(kept.pk)]
    found = api(bob).get("search", {"q": "streetfood", "type": "hashtags"}).json()["hashtags"]
    assert found == [{"name": "streetfood", "videos": 1}]
