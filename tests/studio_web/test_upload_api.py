import json

import pytest

from clipdeck.videos.models import Video, VideoStatus
from tests.studio_web.conftest import upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_renders_and_publishes(api, user, portrait_clip, run_worker):
    client = api(user)

    response = upload(
        client,
        portrait_clip,
        caption="first #clip",
        edit=json.dumps({"filter": "vivid", "speed": 2}),
    )
    assert response.status_code == 202, response.content
    video_id = response.json()["id"]
    assert response.json()["status"] == "processing"

    run_worker()

    body = client.get(f"videos/{video_id}").json()
    assert body["status"] == "published"
    assert body["hashtags"] == ["clip"]
    assert abs(body["duration_ms"] - 1000) <= 70
    assert (body["width"], body["height"]) == (360, 640)
    video = Video.objects.get(pk=video_id)
    assert video.status == VideoStatus.PUBLISHED
    assert video.sound.is_original
    media = client.client.get(body["media"]["mp4"])
    assert media.status_code == 200
    assert media["Content-Type"] == "video/mp4"
