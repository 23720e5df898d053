"""Trust and safety API: reports and notices, the moderation queue and decisions,
statements of reasons and appeals.

Moderation endpoints answer 404 to anyone but a moderator (``policies.moderator_of``).
"""

from __future__ import annotations

import base64
import binascii

from django.db.models import QuerySet
from ninja import Router, Status
from ninja.pagination import paginate

from clipdeck.kernel.auth import user_auth, viewer_auth, viewer_of
from clipdeck.kernel.errors import InvalidInput
from clipdeck.kernel.pagination import CursorPagination, check_limit
from clipdeck.moderation import selectors, services
from clipdeck.moderation.policies import moderator_of
from clipdeck.moderation.reasons import REASONS
from clipdeck.moderation.schemas import (
    AppealBrief,
    AppealDecideIn,
    AppealIn,
    AppealPage,
    CaseOut,
    CasePage,
    DecideIn,
    DecisionOut,
    MyReportPage,
    ReasonList,
    ReportIn,
    ReportOut,
    StatementOut,
    StatementPage,
    TrustAndSafetyOut,
)
from clipdeck.moderation.statements import statement
from clipdeck.moderation.transparency import moderation_report

router = Router(tags=["trust and safety"])


def _offset_page(rows: QuerySet, cursor: str | None, limit: int | None, present_all) -> dict:
    """A page of a list in a fixed order other than newest first (the queue, appeals)."""
    size = check_limit(limit)
    start = 0
    if cursor:
        try:
            start = int(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise InvalidInput(
                "The cursor is not valid; start again from the first page.",
                code="bad_cursor",
                field="cursor",
            ) from None
    found = list(rows[start : start + size + 1])
    more = len(found) > size
    following = base64.urlsafe_b64encode(str(start + size).encode()).decode().rstrip("=")
    return {"items": present_all(found[:size]), "next_cursor": following if more else None}


@router.get(
    "/reports/reasons",
    response=ReasonList,
    auth=None,
    operation_id="report_reasons",
    summary="The published list of reasons to report",
)
def report_reasons(request):
    return {"items": [{"code": r.code, "label": r.label, "illegal": r.illegal} for r in REASONS]}


@router.post(
    "/reports",
    response={201: ReportOut},
    auth=viewer_auth,
    operation_id="report_create",
    summary="Report something, or send a notice without an account (with an email)",
)
def report_create(request, payload: ReportIn):
    report = services.report_create(
        reporter=viewer_of(request),
        email=payload.email,
        target_type=payload.target.type,
        target_id=payload.target.id,
        reason=payload.reason,
        details=payload.details,
        ip=request.META.get("REMOTE_ADDR"),
    )
    return Status(201, report)


@router.get(
    "/me/reports",
    response=MyReportPage,
    auth=user_auth,
    operation_id="my_reports",
    summary="The reports you made and what was decided",
)
@paginate(
    CursorPagination,
    present=lambda rows, request: [selectors.report_outcome(r) for r in rows],
)
def my_reports(request):
    return selectors.my_reports(request.auth)


@router.get(
    "/moderation/queue",
    response=CasePage,
    auth=user_auth,
    operation_id="moderation_queue",
    summary="Open cases, most severe first, then oldest (moderators)",
)
def moderation_queue(request, cursor: str | None = None, limit: int | None = None):
    moderator_of(request)
    return _offset_page(selectors.queue(), cursor, limit, selectors.queue_entries)


@router.get(
    "/moderation/cases/{case_id}",
    response=CaseOut,
    auth=user_auth,
    operation_id="moderation_case",
    summary="A case with its item (read through the audited gateway), reports and history",
)
def moderation_case(request, case_id: int):
    return selectors.case_for_review(moderator_of(request), case_id)


def _decided(decision) -> dict:
    return {
        "case_id": decision.case_id,
        "reports_answered": decision.case.report_count if decision.case else 0,
        "statement": statement(decision),
    }


@router.post(
    "/moderation/reports/{report_id}/decide",
    response=DecisionOut,
    auth=user_auth,
    operation_id="moderation_decide",
    summary="Decide the case of a report: every duplicate report on it at once",
)
def moderation_decide(request, report_id: int, payload: DecideIn):
    moderator = moderator_of(request)
    case_id = selectors.case_of_report(report_id)
    decision = services.case_decide(moderator=moderator, case_id=case_id, **payload.dict())
    decision.case.refresh_from_db()
    return _decided(decision)


@router.post(
    "/moderation/cases/{case_id}/decide",
    response=DecisionOut,
    auth=user_auth,
    operation_id="moderation_case_decide",
    summary="Decide a case (all its reports)",
)
def moderation_case_decide(request, case_id: int, payload: DecideIn):
    moderator = moderator_of(request)
    decision = services.case_decide(moderator=moderator, case_id=case_id, **payload.dict())
    decision.case.refresh_from_db()
    return _decided(decision)


@router.get(
    "/moderation/appeals",
    response=AppealPage,
    auth=user_auth,
    operation_id="moderation_appeals",
    summary="Appeals waiting for a decision, oldest first (moderators)",
)
def moderation_appeals(request, cursor: str | None = None, limit: int | None = None):
    moderator_of(request)
    return _offset_page(
        selectors.pending_appeals(),
        cursor,
        limit,
        lambda rows: [selectors.appeal_entry(a) for a in rows],
    )


@router.post(
    "/moderation/appeals/{appeal_id}/decide",
    response=AppealBrief,
    auth=user_auth,
    operation_id="moderation_appeal_decide",
    summary="Uphold or reverse a decision (a moderator other than the one who took it)",
)
def moderation_appeal_decide(request, appeal_id: int, payload: AppealDecideIn):
    return services.appeal_decide(
        moderator=moderator_of(request),
        appeal_id=appeal_id,
        outcome=payload.outcome,
        explanation=payload.explanation,
    )


@router.get(
    "/me/decisions",
    response=StatementPage,
    auth=user_auth,
    operation_id="my_decisions",
    summary="Statements of reasons for decisions about your content or account",
)
@paginate(CursorPagination, present=lambda rows, request: [statement(d) for d in rows])
def my_decisions(request):
    return selectors.my_decisions(request.auth)


@router.get(
    "/decisions/{decision_id}",
    response=StatementOut,
    auth=user_auth,
    operation_id="decision_get",
    summary="One of your statements of reasons",
)
def decision_get(request, decision_id: int):
    return statement(selectors.decision_of(request.auth, decision_id))


@router.post(
    "/decisions/{decision_id}/appeal",
    response={201: AppealBrief},
    auth=user_auth,
    operation_id="decision_appeal",
    summary="Appeal a decision: once, within six months",
)
def decision_appeal(request, decision_id: int, payload: AppealIn):
    appeal = services.appeal_create(user=request.auth, decision_id=decision_id, text=payload.text)
    return Status(201, appeal)


@router.get(
    "/transparency",
    response=TrustAndSafetyOut,
    auth=None,
    operation_id="transparency",
    summary="Trust and safety figures for a half-year (?period=2026-H2), computed from records",
)
def transparency(request, period: str | None = None):
    return moderation_report(period)
