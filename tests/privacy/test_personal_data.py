"""Each app's personal-data hooks: every time-bound retention has a pruner, and
privacy reaches the apps only through the registry."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from clipdeck.accounts.personal_data import erase as accounts_erase
from clipdeck.kernel.personal_data import (
    Retention,
    erasers,
    pruned_models,
    records,
    register,
    registrations,
)
from clipdeck.privacy import retention
from clipdeck.runtime.models import WorkerHeartbeat
from clipdeck.videos.models import Share
from tests.factories import UserFactory, VideoFactory

pytestmark = pytest.mark.django_db

PRIVACY = Path(__file__).parents[2] / "clipdeck" / "privacy"
# "90 days", "365 days", "7 days by default", "a day after its last heartbeat"…
A_PERIOD = re.compile(r"\b(\d+|a|one) (minute|hour|day|week|month|year)s?\b", re.IGNORECASE)


def time_bound(retention_text: str) -> bool:
    """Whether a declared retention ends after a period (rather than with an account)."""
    bounded = {Retention.EVENTS.value, Retention.RATE_LIMIT.value}
    return retention_text in bounded or bool(A_PERIOD.search(retention_text))


def test_every_time_bound_retention_has_a_registered_pruner():
    bounded = {record.model for record in records() if time_bound(record.retention)}
    missing = sorted(bounded - pruned_models())

    assert bounded, "the inventory declares no time-bound retention at all"
    assert not missing, (
        "These models declare a retention that ends after a period, but no app "
        "registers a pruner covering them (register(..., prune=..., prunes=[label])): "
        f"{', '.join(missing)}"
    )


def test_every_model_a_pruner_names_is_declared():
    declared = {record.model for record in records()}

    assert pruned_models() <= declared


def test_naming_pruned_models_without_a_pruner_is_refused():
    with pytest.raises(ValueError, match="no pruner"):
        register("nothing", prunes=("videos.Share",))


def test_the_accounts_hook_erases_last():
    assert erasers()[-1] is accounts_erase


def test_export_and_erasure_reach_the_apps_holding_personal_data():
    exporting = {hooks.app_label for hooks in registrations() if hooks.export}
    erasing = {hooks.app_label for hooks in registrations() if hooks.erase}

    assert {"accounts", "videos", "feed", "shop", "privacy"} <= exporting
    assert {"accounts", "videos", "shop", "privacy"} <= erasing


def test_shares_older_than_90_days_are_pruned_and_newer_ones_kept():
    user, video = UserFactory(), VideoFactory()
    old = Share.objects.create(user=user, video=video)
    kept = Share.objects.create(user=user, video=video)
    Share.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    Share.objects.filter(pk=kept.pk).update(created_at=timezone.now() - timedelta(days=89))

    counts = retention.run()

    assert counts["shares"] == 1
    assert list(Share.objects.all()) == [kept]


def test_heartbeats_of_workers_silent_for_a_day_are_pruned():
    now = timezone.now()
    for worker_id, seen in (("gone", now - timedelta(days=2)), ("alive", now)):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, host="h", pid=1, started_at=seen, last_seen=seen
        )

    assert retention.run()["worker_heartbeats"] == 1
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


def app_imports(path: Path) -> set[str]:
    """The ``clipdeck.<package>`` modules a file imports, other than kernel and privacy."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "clipdeck" and len(parts) > 1 and parts[1] not in {"kernel", "privacy"}:
                found.add(name)
    return found


def test_privacy_imports_no_app():
    offending = {
        str(path.relative_to(PRIVACY)): sorted(imports)
        for path in PRIVACY.rglob("*.py")
        if "migrations" not in path.parts and (imports := app_imports(path))
    }

    assert offending == {}
