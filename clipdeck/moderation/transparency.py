"""The trust and safety part of the transparency report (DSA art. 15 and 24), per half-year.

Every figure is computed from the records (reports, cases, decisions, appeals,
the audit chain) for one half-year (``2026-H1``: January to June, ``2026-H2``:
July to December, UTC), and names nobody.
"""

from __future__ import annotations

import re
import statistics
from datetime import UTC, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from clipdeck.kernel.errors import InvalidInput
from clipdeck.kernel.models import AuditEntry
from clipdeck.moderation.models import (
    Action,
    Appeal,
    AppealStatus,
    Case,
    CaseSource,
    Decision,
    Report,
)
from clipdeck.moderation.reasons import REASONS, reason_for

PERIOD = re.compile(r"(\d{4})-H([12])")


def period_of(moment: datetime) -> str:
    """The half-year ``moment`` falls in, e.g. ``2026-H2``."""
    moment = moment.astimezone(UTC)
    return f"{moment.year}-H{1 if moment.month <= 6 else 2}"


def period_bounds(period: str) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of a half-year; InvalidInput for anything else."""
    match = PERIOD.fullmatch(period or "")
    if not match or not 2000 <= int(match.group(1)) <= 2999:
        raise InvalidInput(
            "period is a half-year such as 2026-H1 or 2026-H2.", code="bad_period", field="period"
        )
    year, half = int(match.group(1)), int(match.group(2))
    start = datetime(year, 1 if half == 1 else 7, 1, tzinfo=UTC)
    end = datetime(year, 7, 1, tzinfo=UTC) if half == 1 else datetime(year + 1, 1, 1, tzinfo=UTC)
    return start, end


def periods() -> list[str]:
    """Half-years from the first report or decision to now, newest first."""
    now = timezone.now()
    first = min(
        [
            d
            for d in (
                Report.objects.order_by("created_at").values_list("created_at", flat=True).first(),
                Decision.objects.order_by("created_at")
                .values_list("created_at", flat=True)
                .first(),
            )
            if d is not None
        ],
        default=now,
    )
    found, moment = [], now
    while True:
        found.append(period_of(moment))
        start, _ = period_bounds(found[-1])
        if start <= first:
            return found
        moment = start - timedelta(seconds=1)


def _hours(deltas: list[timedelta]) -> float | None:
    if not deltas:
        return None
    return round(statistics.median(d.total_seconds() for d in deltas) / 3600, 2)


def _counts(rows, key: str) -> dict[str, int]:
    return {row[key]: row["n"] for row in rows.values(key).annotate(n=Count("id")).order_by(key)}


def moderation_report(period: str | None = None) -> dict:
    """Notices, actions, automation, time to decide, appeals, suspensions and staff
    accesses in ``period`` (the current half-year by default)."""
    period = period or period_of(timezone.now())
    start, end = period_bounds(period)
    reports = Report.objects.filter(created_at__gte=start, created_at__lt=end)
    decisions = Decision.objects.filter(created_at__gte=start, created_at__lt=end)
    appeals = Appeal.objects.filter(created_at__gte=start, created_at__lt=end)
    by_reason = _counts(reports, "reason")
    by_ground = _counts(decisions.exclude(action=Action.DISMISS), "ground")
    decided_cases = Case.objects.filter(decided_at__gte=start, decided_at__lt=end)
    total_decisions = decisions.count()
    automated = decisions.filter(automated_detection=True).count()
    return {
        "period": period,
        "start": start,
        "end": end,
        "periods": periods(),
        "notices": {
            "total": reports.count(),
            "from_accounts": reports.filter(reporter__isnull=False).count(),
            "anonymous_notices": reports.filter(reporter__isnull=True).count(),
            "by_reason": [
                {"reason": r.code, "label": r.label, "count": by_reason[r.code]}
                for r in REASONS
                if r.code in by_reason
            ],
            "by_target": _counts(reports.values("case__target_type"), "case__target_type"),
        },
        "actions": {
            "total": total_decisions,
            "by_action": _counts(decisions, "action"),
            "by_ground": [
                {
                    "ground": code,
                    "label": reason_for(code).label if reason_for(code) else code,
                    "illegal_content": bool(reason_for(code) and reason_for(code).illegal),
                    "count": n,
                }
                for code, n in by_ground.items()
            ],
            "automated_detection": automated,
            "automated_share": round(automated / total_decisions, 3) if total_decisions else 0.0,
            "automated_decisions": 0,
            "held_by_matching": Case.objects.filter(
                source=CaseSource.MATCH, opened_at__gte=start, opened_at__lt=end
            ).count(),
            "median_hours_to_decision": _hours(
                [c.decided_at - c.opened_at for c in decided_cases.only("decided_at", "opened_at")]
            ),
        },
        "appeals": {
            "received": appeals.count(),
            "pending": appeals.filter(status=AppealStatus.PENDING).count(),
            "upheld": appeals.filter(status=AppealStatus.UPHELD).count(),
            "reversed": appeals.filter(status=AppealStatus.REVERSED).count(),
            "median_hours_to_decision": _hours(
                [
                    a.decided_at - a.created_at
                    for a in appeals.exclude(decided_at=None).only("decided_at", "created_at")
                ]
            ),
        },
        "suspensions": {
            "total": decisions.filter(action=Action.SUSPEND).count(),
            "reversed": decisions.filter(action=Action.SUSPEND, reversed_at__isnull=False).count(),
        },
        "staff_accesses": [
            {"role": row["actor_role"], "action": row["action"], "count": row["n"]}
            for row in AuditEntry.objects.filter(at__gte=start, at__lt=end)
            .values("actor_role", "action")
            .annotate(n=Count("id"))
            .order_by("actor_role", "action")
        ],
    }
