"""Viewer filters match words inside sealed captions through their derived index."""

from __future__ import annotations

import pytest

from clipdeck.kernel.derived import derived_tables
from clipdeck.videos import filters
from clipdeck.videos.caption_words import rebuild_all, videos_with_words, words_of
from clipdeck.videos.models import CaptionWord, Video
from clipdeck.videos.services import video_update
from tests.factories import UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def visible_ids(viewer):
    return set(
        filters.without_filtered_videos(Video.objects.all(), viewer).values_list("pk", flat=True)
    )


def test_words_are_folded_for_case_and_accents():
    assert words_of("Crème BRÛLÉE, crème again!") == ["creme", "brulee", "again"]


def test_a_keyword_hides_a_caption_holding_it_in_any_case_or_accent():
    viewer = UserFactory()
    spoiler = VideoFactory(caption="The FINALE spoilers are here")
    other = VideoFactory(caption="Dumplings at dawn")
    filters.viewer_filters_set(user=viewer, keywords=["finalé", "spoil"], hashtags=[])

    assert visible_ids(viewer) == {other.pk}
    assert spoiler.pk not in visible_ids(viewer)


def test_a_keyword_of_several_words_needs_all_of_them():
    viewer = UserFactory()
    both = VideoFactory(caption="red wedding tonight")
    one = VideoFactory(caption="a red dress")
    filters.viewer_filters_set(user=viewer, keywords=["red wedding"], hashtags=[])

    assert visible_ids(viewer) == {one.pk}
    assert both.pk not in visible_ids(viewer)


def test_the_index_follows_a_caption_edit():
    author = UserFactory()
    video = VideoFactory(author=author, caption="nothing to hide")
    video_update(video=video, caption="now with spoilers")

    assert list(videos_with_words("spoilers").values_list("video_id", flat=True)) == [video.pk]
    assert not CaptionWord.objects.filter(video=video, word="hide").exists()


def test_the_index_is_a_derived_table_rebuilt_from_the_sealed_captions():
    video = VideoFactory(caption="rebuilt from the seal")
    CaptionWord.objects.all().delete()

    assert "videos.CaptionWord" in derived_tables()
    assert rebuild_all() >= 1
    assert set(CaptionWord.objects.filter(video=video).values_list("word", flat=True)) == {
        "rebuilt",
        "from",
        "the",
        "seal",
    }
