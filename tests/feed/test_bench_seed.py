"""``clipdeck bench seed``: a synthetic catalogue the feed and the web app can serve."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from clipdeck.accounts.models import Follow, User
from clipdeck.cli import main
from clipdeck.feed.models import Event, VideoStats
from clipdeck.runtime.bench_seed import Sizes, seed
from clipdeck.videos.models import Like, Video, VideoStatus

pytestmark = pytest.mark.django_db


def test_seeding_writes_creators_videos_follows_and_histories(api):
    viewers = seed(Sizes(videos=60, viewers=8, creators=5, events=10), log=lambda _: None)

    assert len(viewers) == 8
    assert User.objects.count() == 13
    videos = Video.objects.all()
    assert videos.count() == 60
    assert set(videos.values_list("status", flat=True)) == {VideoStatus.PUBLISHED}
    assert all(v.hashtags.exists() and v.sound_id for v in videos[:10])
    for name in set(videos.values_list("mp4", flat=True)) | set(
        videos.values_list("poster", flat=True)
    ):
        assert default_storage.exists(name) and default_storage.size(name) > 1000
    assert Follow.objects.filter(follower_id=viewers[0]).count() == 5
    assert Event.objects.filter(user_id=viewers[0]).count() >= 10
    liked = Like.objects.values_list("video_id", flat=True)
    assert sum(Video.objects.values_list("like_count", flat=True)) == len(liked)
    assert VideoStats.objects.exists()
    viewer = User.objects.get(pk=viewers[0])
    assert not viewer.has_usable_password()
    response = api(viewer).get("feed/for-you", {"limit": 5})
    assert response.status_code == 200 and len(response.json()["items"]) == 5


def test_seeding_refuses_a_folder_that_has_accounts(user):
    with pytest.raises(ValueError, match="already has accounts"):
        seed(Sizes(videos=5, viewers=2), log=lambda _: None)
    assert Video.objects.count() == 0


@pytest.mark.parametrize("sizes", [(0, 5), (5, 0), (5, -1)])
def test_nonsense_sizes_are_refused(sizes):
    with pytest.raises(ValueError, match="at least 1"):
        Sizes(*sizes)


def test_the_command_says_what_is_wrong(user, capsys):
    assert main(["bench", "seed", "--videos", "10", "--viewers", "2", "--no-train"]) == 2
    assert "already has accounts" in capsys.readouterr().err
