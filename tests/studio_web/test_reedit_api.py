"""Re-editing a draft: PATCH {edit} renders it again from the kept original."""

from __future__ import annotations

import pytest

from clipdeck.videos.models import Video
from tests.factories import UserFactory
from tests.studio.conftest import facts
from tests.studio_web.conftest import rendered, stored_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner(db):
    return UserFactory(handle="owner")


def test_a_draft_is_re_edited_from_its_original(api, owner, portrait_clip, run_worker):
    mine = api(owner)
    draft = rendered(mine, portrait_clip, run_worker, draft="true", edit='{"speed": 2}')
    assert (draft["status"], draft["duration_ms"]) == ("draft", 1000)
    first_mp4 = Video.objects.get(pk=draft["id"]).mp4.name

    response = mine.patch(
        f"videos/{draft['id']}",
        {"edit": {"trim": {"start_ms": 500, "end_ms": 2000}, "texts": [{"text": "again"}]}},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "processing"
    run_worker()
    again = mine.get(f"videos/{draft['id']}").json()
    assert (again["status"], again["duration_ms"]) == ("draft", 1500)  # from the original
    video = Video.objects.get(pk=draft["id"])
    assert video.mp4.name != first_mp4
    assert video.edit["texts"][0]["text"] == "again" and video.edit["speed"] == 1.0
    assert facts(stored_file(draft["id"])).frames == 45


def test_a_published_video_cannot_be_re_edited(api, owner, portrait_clip, run_worker):
    body = rendered(api(owner), portrait_clip, run_worker)

    response = api(owner).patch(f"videos/{body['id']}", {"edit": {"speed": 2}})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_a_draft"
    assert Video.objects.get(pk=body["id"]).edit["speed"] == 1.0


def test_only_the_owner_re_edits_and_bad_edits_change_nothing(
    api, owner, portrait_clip, run_worker
):
    draft = rendered(api(owner), portrait_clip, run_worker, draft="true")
    stranger = UserFactory(handle="stranger")

    assert api(stranger).patch(f"videos/{draft['id']}", {"edit": {}}).status_code == 404
    assert api().patch(f"videos/{draft['id']}", {"edit": {}}).status_code in (401, 403)
    bad = api(owner).patch(f"videos/{draft['id']}", {"edit": {"speed": 9}})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "edit.speed"
    past_end = api(owner).patch(f"videos/{draft['id']}", {"edit": {"trim": {"start_ms": 5000}}})
    assert past_end.status_code == 400
    assert past_end.json()["error"]["field"] == "edit.trim.start_ms"
    video = Video.objects.get(pk=draft["id"])
    assert (video.status, video.edit["speed"]) == ("draft", 1.0)
    assert "trim" not in video.edit
