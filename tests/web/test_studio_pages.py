"""Reopening a draft in the studio: only its owner, only a draft, with its edit."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from clipdeck.studio.models import RenderJob
from clipdeck.videos.models import VideoStatus
from tests.factories import UserFactory, VideoFactory

pytestmark = pytest.mark.django_db
ORIGINAL = b"\x00\x00\x00\x18ftypmp42 original bytes"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft_of(user, **fields):
    video = VideoFactory(
        author=user,
        status=fields.pop("status", VideoStatus.DRAFT),
        caption="rough cut #one",
        edit={"speed": 2.0, "filter": "vivid", "texts": [{"text": "hi", "x": 0.5, "y": 0.3}]},
        **fields,
    )
    video.original.save("take.mp4", ContentFile(ORIGINAL))
    return video


def embedded_state(response) -> dict:
    found = re.search(r'<script id="draft-state" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)  # fmt: skip
    assert found, "no draft state on the page"
    return json.loads(found.group(1))


def test_the_owner_reopens_a_draft_with_its_edit_and_original():
    owner = UserFactory()
    video = draft_of(owner)

    response = client_for(owner).get(f"/studio?draft={video.pk}")

    assert response.status_code == 200
    state = embedded_state(response)
    assert state["id"] == str(video.pk)
    assert state["caption"] == "rough cut #one"
    assert state["edit"]["filter"] == "vivid" and state["edit"]["texts"][0]["text"] == "hi"
    original = client_for(owner).get(state["original"])
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == ORIGINAL
    assert original["Cache-Control"] == "private, no-store"


def test_the_draft_keeps_the_length_limit_it_was_made_under():
    owner = UserFactory()
    video = draft_of(owner)
    RenderJob.objects.create(video=video, max_output_ms=60_000)

    state = embedded_state(client_for(owner).get(f"/studio?draft={video.pk}"))

    assert state["length_limit_seconds"] == 60


def test_a_failed_render_can_be_reopened_too():
    owner = UserFactory()
    video = draft_of(owner, status=VideoStatus.FAILED)

    assert client_for(owner).get(f"/studio?draft={video.pk}").status_code == 200


@pytest.mark.parametrize("status", [VideoStatus.PUBLISHED, VideoStatus.PROCESSING])
def test_published_or_rendering_videos_do_not_reopen(status):
    owner = UserFactory()
    video = draft_of(owner, status=status)
    client = client_for(owner)

    assert client.get(f"/studio?draft={video.pk}").status_code == 404
    assert client.get(f"/studio/drafts/{video.pk}/original").status_code == 404


def test_another_user_gets_404_for_my_draft_and_its_original():
    video = draft_of(UserFactory())
    stranger = client_for(UserFactory())

    assert stranger.get(f"/studio?draft={video.pk}").status_code == 404
    assert stranger.get(f"/studio/drafts/{video.pk}/original").status_code == 404


def test_signed_out_visitors_are_sent_to_log_in():
    video = draft_of(UserFactory())

    response = Client().get(f"/studio/drafts/{video.pk}/original")

    assert response.status_code == 302 and response["Location"].startswith("/login")


def test_a_malformed_draft_id_is_a_404():
    assert client_for(UserFactory()).get("/studio?draft=not-a-uuid").status_code == 404


def test_the_drafts_page_links_each_draft_to_the_editor():
    owner = UserFactory()
    video = draft_of(owner)

    page = client_for(owner).get("/me/drafts").content.decode()

    assert f'href="/studio?draft={video.pk}"' in page


def test_the_draft_page_links_to_the_editor():
    owner = UserFactory()
    video = draft_of(owner)

    page = client_for(owner).get(f"/v/{video.pk}").content.decode()

    assert f'href="/studio?draft={video.pk}"' in page
