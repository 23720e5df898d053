"""The reported never learn who reported them, through any API they can call."""

from __future__ import annotations

import re

import pytest

from clipdeck.api.main import api as ninja_api
from clipdeck.moderation.models import Appeal, Case, Decision, Report
from tests.factories import CommentFactory
from tests.moderation.conftest import decide, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _recsys_dir(settings, tmp_path):
    settings.CLIPDECK_RECSYS_DIR = tmp_path / "recsys"


def _get_paths() -> list[str]:
    document = ninja_api.get_openapi_schema()
    return [path for path, ops in document["paths"].items() if "get" in ops]


def test_no_get_endpoint_names_the_reporter_to_the_reported(
    api, moderator, reporter, author, video
):
    comment = CommentFactory(video=video, author=author, text="nice")
    filed = report(api, reporter, "video", video.pk, details="Reported by rita herself").json()
    report(api, reporter, "comment", comment.pk)
    api().post(
        "reports",
        {
            "target": {"type": "user", "id": author.handle},
            "reason": "spam",
            "email": "whistle@example.org",
        },
    )
    statement = decide(api, moderator, filed["id"], action="restrict").json()["statement"]
    api(author).post(
        f"decisions/{statement['id']}/appeal", {"text": "Please look again at this one."}
    )
    values = {
        "video_id": str(video.pk),
        "handle": author.handle,
        "decision_id": str(statement["id"]),
        "case_id": str(Case.objects.first().pk),
        "report_id": str(Report.objects.first().pk),
        "appeal_id": str(Appeal.objects.get().pk),
        "comment_id": str(comment.pk),
        "sound_id": "1",
    }
    secrets = [b"rita", b"Rita", b"whistle@example.org", b"Reported by rita"]

    called = 0
    for path in _get_paths():
        url = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), path)
        response = api(author).get(url.replace("/api/v1/", "/api/v1/", 1))
        called += 1
        if not response["Content-Type"].startswith(("application/json", "text/")):
            continue  # a font, a sticker, a media file: nothing a person wrote
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        for secret in secrets:
            assert secret not in body, (path, secret)

    assert called >= 30
    assert Decision.objects.get().affected == author
