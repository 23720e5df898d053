from __future__ import annotations

import pytest

from clipdeck.feed import features, services
from clipdeck.feed.services import EventIn


@pytest.fixture(autouse=True)
def _recsys_dir(settings, tmp_path):
    """Each test trains into its own folder; none sees another's model."""
    settings.CLIPDECK_RECSYS_DIR = tmp_path / "recsys"
    features.forget_memo()  # ids are reused from test to test


def record(user, *events: tuple) -> services.Recorded:
    """Record ``(type, video, watched_ms)`` events for ``user`` through the service."""
    batch = [EventIn(type=kind, video=str(video.pk), watched_ms=ms) for kind, video, ms in events]
    return services.events_record(user=user, events=batch)


def ids(response) -> list[str]:
    return [item["video"]["id"] for item in response.json()["items"]]
