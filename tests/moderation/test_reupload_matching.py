"""Re-upload matching: a copy of a removed video is held at upload; others go live."""

from __future__ import annotations

import pytest

from benchmarks.matching_media import altered_copy, make_scene_video
from clipdeck.moderation import hashing
from clipdeck.moderation.models import Case, CaseSource, Fingerprint
from clipdeck.videos.models import ModerationState, Video
from tests.factories import UserFactory
from tests.moderation.conftest import decide, report
from tests.studio_web.conftest import rendered

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("matching")
    original = make_scene_video(folder / "original.mp4", 7, seconds=4.0)
    return {
        "original": original,
        "reencoded": altered_copy(original, folder / "reencoded.mp4", "reencoded"),
        "trimmed": altered_copy(original, folder / "trimmed.mp4", "trimmed"),
        "unrelated": make_scene_video(folder / "unrelated.mp4", 8, seconds=4.0),
    }


@pytest.fixture
def removed(api, run_worker, media, moderator, author):
    video = rendered(api(author), media["original"], run_worker, caption="original")
    assert video["status"] == "published", video
    filed = report(api, UserFactory(handle="rep"), "video", video["id"]).json()
    decide(api, moderator, filed["id"], action="remove")
    run_worker()  # the fingerprint task
    return video


def test_a_removal_fingerprints_the_video(removed):
    row = Fingerprint.objects.get()

    assert str(row.video_id) == removed["id"]
    assert len(row.hashes) >= 20
    assert all(len(h) == 64 for h in row.hashes)


@pytest.mark.parametrize("copy", ["reencoded", "trimmed"])
def test_an_altered_copy_of_a_removed_video_is_held_at_upload(
    api, run_worker, media, removed, copy
):
    uploader = UserFactory(handle="again")

    video = rendered(api(uploader), media[copy], run_worker, caption="totally new")

    held = Video.objects.get(pk=video["id"])
    assert held.moderation_state == ModerationState.HELD
    assert api(UserFactory()).get(f"videos/{held.pk}").status_code == 404
    assert api().get(f"videos/{held.pk}").status_code == 404
    assert api(uploader).get(f"videos/{held.pk}").status_code == 200
    case = Case.objects.get(source=CaseSource.MATCH)
    assert (case.target_id, case.target_owner, case.status) == (str(held.pk), uploader, "open")


def test_an_unrelated_upload_goes_live(api, run_worker, media, removed):
    video = rendered(api(UserFactory()), media["unrelated"], run_worker)

    assert Video.objects.get(pk=video["id"]).moderation_state == ModerationState.NONE
    assert not Case.objects.filter(source=CaseSource.MATCH).exists()


def test_a_moderator_releases_a_held_upload_by_dismissing_its_case(
    api, run_worker, media, removed, second_moderator
):
    video = rendered(api(UserFactory()), media["reencoded"], run_worker)
    case = Case.objects.get(source=CaseSource.MATCH)

    response = api(second_moderator).post(
        f"moderation/cases/{case.pk}/decide",
        {"action": "dismiss", "ground": "other", "explanation": "A parody, not the same video."},
    )

    assert response.status_code == 200
    assert api().get(f"videos/{video['id']}").status_code == 200


def test_a_reversed_removal_is_no_longer_matched(api, removed, author, second_moderator):
    statement = api(author).get("me/decisions").json()["items"][0]
    lodged = (
        api(author)
        .post(f"decisions/{statement['id']}/appeal", {"text": "This is my own work."})
        .json()
    )

    api(second_moderator).post(
        f"moderation/appeals/{lodged['id']}/decide",
        {"outcome": "reverse", "explanation": "Original work, wrongly removed."},
    )

    assert not Fingerprint.objects.exists()


def test_unrelated_frames_are_far_apart_and_copies_close(media):
    original = hashing.video_hashes(media["original"], per_second=hashing.REFERENCE_PER_SECOND)

    assert hashing.match_share(hashing.video_hashes(media["reencoded"]), original) >= 0.9
    assert hashing.match_share(hashing.video_hashes(media["unrelated"]), original) == 0.0


def test_a_mirrored_copy_matches_through_its_mirror_hashes(media, tmp_path):
    original = hashing.video_hashes(media["original"], per_second=hashing.REFERENCE_PER_SECOND)
    mirrored = altered_copy(media["original"], tmp_path / "mirrored.mp4", "mirrored")

    plain, flipped = hashing.upload_hashes(mirrored)

    assert hashing.match_share(plain, original) < 0.2
    assert hashing.match_share(plain, original, flipped) >= 0.9
