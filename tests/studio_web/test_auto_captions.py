"""Auto-captions: speech said by espeak-ng comes back as timed cues the owner reviews."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clipdeck.inbox.models import Notification
from clipdeck.studio import auto_captions
from clipdeck.studio.engine.synth.spoken import espeak_available, spoken_clip, word_error_rate
from clipdeck.studio.models import AutoCaptions, Captions
from tests.factories import UserFactory, VideoFactory
from tests.speech import require_espeak
from tests.studio_web.conftest import rendered

pytestmark = pytest.mark.django_db(transaction=True)

SAID = "The weather is nice today. Please open the window. I would like a cup of coffee."


@pytest.fixture(scope="session")
def spoken(clip_dir):
    require_espeak()
    return spoken_clip(clip_dir / "spoken.mp4", SAID)


@pytest.fixture
def owner(db):
    return UserFactory(handle="owner")


def _put(client, video_id, body: str):
    url = f"/api/v1/videos/{video_id}/captions"
    return client.client.put(url, body, content_type="text/vtt", headers=client.headers)


def _auto(api, owner, media, run_worker) -> tuple[str, dict]:
    video = rendered(api(owner), media, run_worker)
    asked = api(owner).post(f"videos/{video['id']}/captions/auto")
    assert asked.status_code == 202, asked.content
    assert asked.json()["status"] == "queued"
    run_worker()
    return video["id"], api(owner).get(f"videos/{video['id']}/captions/auto").json()


def test_the_spoken_words_come_back_as_timed_cues_for_review(api, owner, spoken, run_worker):
    video_id, suggestion = _auto(api, owner, spoken, run_worker)

    assert suggestion["status"] == "ready", suggestion
    heard = " ".join(cue["text"] for cue in suggestion["cues"])
    assert word_error_rate(SAID, heard) <= 0.3, heard
    assert {"weather", "window", "coffee"} <= set(heard.lower().split())
    starts = [cue["start_ms"] for cue in suggestion["cues"]]
    duration = api(owner).get(f"videos/{video_id}").json()["duration_ms"]
    assert starts == sorted(starts) and len(suggestion["cues"]) >= 2
    assert all(0 <= c["start_ms"] < c["end_ms"] <= duration for c in suggestion["cues"])
    assert 300 <= starts[0] <= 1000  # the speech starts 0.5 s in
    first = next(c for c in suggestion["cues"] if "weather" in c["text"].lower())
    last = next(c for c in suggestion["cues"] if "coffee" in c["text"].lower())
    assert first["end_ms"] <= last["start_ms"]
    assert suggestion["vtt"].startswith("WEBVTT")
    news = Notification.objects.get(recipient=owner, type="captions")
    assert str(news.video_id) == video_id
    inbox = api(owner).get("me/notifications").json()["items"]
    assert [(n["type"], n["text"]) for n in inbox] == [
        ("captions", "Your auto-captions are ready to review.")
    ]


def test_a_suggestion_shows_to_nobody_until_the_owner_publishes_it(api, owner, spoken, run_worker):
    video_id, suggestion = _auto(api, owner, spoken, run_worker)
    stranger = UserFactory(handle="stranger")

    for client in (api(), api(stranger), api(owner)):
        assert client.get(f"videos/{video_id}/captions").status_code == 404
    assert api(stranger).get(f"videos/{video_id}/captions/auto").status_code == 404
    assert api().get(f"videos/{video_id}/captions/auto").status_code in (401, 403)

    fixed = suggestion["vtt"].replace(suggestion["cues"][0]["text"], "The weather is lovely")
    assert _put(api(owner), video_id, fixed).status_code == 200

    shown = api(stranger).get(f"videos/{video_id}/captions")
    assert shown.status_code == 200 and "The weather is lovely" in shown.content.decode()
    assert api(owner).get(f"videos/{video_id}/captions/auto").json()["status"] == "accepted"


def test_silence_gives_an_empty_suggestion_that_says_so(api, owner, clip_dir, run_worker):
    if not espeak_available():
        pytest.skip("espeak-ng is not installed")
    quiet = spoken_clip(clip_dir / "quiet.mp4", "", seconds=2.0)

    _, suggestion = _auto(api, owner, quiet, run_worker)

    assert (suggestion["status"], suggestion["vtt"], suggestion["cues"]) == ("empty", "", [])
    assert suggestion["message"] == auto_captions.NO_SPEECH


def test_a_video_without_a_sound_track_says_there_is_nothing_to_caption(
    api, owner, clips, run_worker
):
    mute = clips.make("mute.mp4", acodec=None)

    _, suggestion = _auto(api, owner, mute, run_worker)

    assert suggestion["status"] == "empty"
    assert suggestion["message"] == "This video has no sound, so there is nothing to caption."


def test_only_the_owner_asks_for_auto_captions(api, owner, portrait_clip, run_worker):
    video = rendered(api(owner), portrait_clip, run_worker)
    stranger = UserFactory(handle="stranger")

    assert api(stranger).post(f"videos/{video['id']}/captions/auto").status_code == 404
    assert api().post(f"videos/{video['id']}/captions/auto").status_code in (401, 403)
    assert (
        api(owner).post("videos/00000000-0000-0000-0000-000000000000/captions/auto").status_code
        == 404
    )
    assert not AutoCaptions.objects.exists()


def test_a_video_still_being_made_cannot_be_captioned_yet(api, owner):
    video = VideoFactory(author=owner, status="processing")

    response = api(owner).post(f"videos/{video.pk}/captions/auto")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "video_not_ready"
    assert api(owner).get(f"videos/{video.pk}/captions/auto").status_code == 404


def test_a_crashed_job_leaves_the_published_captions_as_they_were(
    api, owner, portrait_clip, run_worker, monkeypatch
):
    video = rendered(api(owner), portrait_clip, run_worker)
    published = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nMy own words\n"
    assert _put(api(owner), video["id"], published).status_code == 200

    class Broken:
        def words(self, pcm):
            raise RuntimeError("the decoder fell over")

    monkeypatch.setattr(auto_captions, "recognizer", Broken)
    api(owner).post(f"videos/{video['id']}/captions/auto")
    run_worker()

    suggestion = api(owner).get(f"videos/{video['id']}/captions/auto").json()
    assert (suggestion["status"], suggestion["message"]) == ("failed", auto_captions.FAILED)
    assert Captions.objects.get(video_id=video["id"]).vtt == published
    assert api().get(f"videos/{video['id']}/captions").content.decode() == published


def test_asking_again_while_it_listens_queues_nothing_more(api, owner, portrait_clip, run_worker):
    video = rendered(api(owner), portrait_clip, run_worker)
    first = api(owner).post(f"videos/{video['id']}/captions/auto").json()

    again = api(owner).post(f"videos/{video['id']}/captions/auto")

    assert again.status_code == 202
    assert again.json()["requested_at"] == first["requested_at"]
    assert AutoCaptions.objects.filter(video_id=video["id"]).count() == 1


def test_a_job_whose_worker_died_is_replaced_when_asked_again(
    api, owner, portrait_clip, run_worker
):
    video = rendered(api(owner), portrait_clip, run_worker)
    api(owner).post(f"videos/{video['id']}/captions/auto")
    long_ago = timezone.now() - timedelta(hours=1)
    AutoCaptions.objects.filter(video_id=video["id"]).update(
        status="running", requested_at=long_ago
    )

    again = api(owner).post(f"videos/{video['id']}/captions/auto")

    assert again.status_code == 202 and again.json()["status"] == "queued"
    run_worker()
    assert api(owner).get(f"videos/{video['id']}/captions/auto").json()["status"] == "empty"


def test_one_person_has_a_few_transcriptions_under_way_at_most(api, owner, settings):
    settings.CLIPDECK_MAX_RENDERS_IN_FLIGHT = 2
    videos = [VideoFactory(author=owner, mp4="videos/x.mp4") for _ in range(3)]
    for video in videos[:2]:
        assert api(owner).post(f"videos/{video.pk}/captions/auto").status_code == 202

    refused = api(owner).post(f"videos/{videos[2].pk}/captions/auto")

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_auto_captions"
    assert refused.json()["error"]["message"].startswith(
        "You already have 2 videos being captioned"
    )
    assert (
        api(owner).post(f"videos/{videos[0].pk}/captions/auto").status_code == 202
    )  # the same job
