from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field


class ReportReasonOut(Schema):
    code: str
    label: str
    illegal: bool


class ReasonList(Schema):
    items: list[ReportReasonOut]


class TargetIn(Schema):
    type: Literal["video", "comment", "user", "product", "sound"]
    id: str = Field(max_length=64, description="video/product/sound/comment id, or a handle")


class ReportIn(Schema):
    target: TargetIn
    reason: str = Field(max_length=40, description="a code from GET /api/v1/reports/reasons")
    details: str = Field("", max_length=2000)
    email: str | None = Field(
        None, max_length=254, description="required without an account (a notice)"
    )


class ReportOut(Schema):
    id: int
    status: Literal["received"] = "received"
    reason: str
    created_at: datetime


class TargetOut(Schema):
    type: str
    id: str


class MyReportOut(Schema):
    id: int
    target: TargetOut
    reason: str
    created_at: datetime
    status: str = Field(description="open, or decided")
    outcome: str | None = Field(description="the action decided (dismiss: no action)")
    decided_at: datetime | None


class MyReportPage(Schema):
    items: list[MyReportOut]
    next_cursor: str | None


class CaseEntry(Schema):
    id: int
    report_id: int | None
    target: TargetOut
    summary: str
    owner: str | None
    severity: int
    source: str
    reasons: list[str]
    report_count: int
    opened_at: datetime


class CasePage(Schema):
    items: list[CaseEntry]
    next_cursor: str | None


class DecideIn(Schema):
    action: Literal["dismiss", "remove", "restrict", "age_gate", "suspend", "warn"]
    ground: str = Field(max_length=40, description="a reason code: the rule or law applied")
    explanation: str = Field(max_length=2000)
    duration_days: int | None = Field(None, description="for suspend: 1 to 3650 days")


class AppealBrief(Schema):
    id: int
    status: str
    text: str
    created_at: datetime
    decided_at: datetime | None
    explanation: str


class StatementOut(Schema):
    id: int
    action: str
    what: str
    target: TargetOut
    ground: str
    ground_label: str
    ground_text: str
    illegal_content: bool
    explanation: str
    scope: str
    duration: str
    suspended_until: datetime | None
    automated_detection: bool
    automated_decision: bool
    automation: str
    how_to_appeal: str
    appealable_until: datetime | None
    created_at: datetime
    reversed: bool
    appeal: AppealBrief | None


class StatementPage(Schema):
    items: list[StatementOut]
    next_cursor: str | None


class ReportView(Schema):
    id: int
    reason: str
    details: str
    # "account" or "notice": never who.
    source: str = Field(validation_alias="from")
    created_at: datetime


class CaseOut(CaseEntry):
    status: str
    public: bool
    content: dict | None
    allowed_actions: list[str]
    reports: list[ReportView]
    history: list[StatementOut]


class DecisionOut(Schema):
    case_id: int
    reports_answered: int
    statement: StatementOut


class AppealIn(Schema):
    text: str = Field(max_length=2000)


class AppealEntry(Schema):
    id: int
    text: str
    created_at: datetime
    decided_by: str | None
    decision: StatementOut


class AppealPage(Schema):
    items: list[AppealEntry]
    next_cursor: str | None


class AppealDecideIn(Schema):
    outcome: Literal["uphold", "reverse"]
    explanation: str = Field(max_length=2000)


class ReasonCount(Schema):
    reason: str
    label: str
    count: int


class GroundCount(Schema):
    ground: str
    label: str
    illegal_content: bool
    count: int


class NoticeFigures(Schema):
    total: int
    from_accounts: int
    anonymous_notices: int
    by_reason: list[ReasonCount]
    by_target: dict[str, int]


class ActionFigures(Schema):
    total: int
    by_action: dict[str, int]
    by_ground: list[GroundCount]
    automated_detection: int
    automated_share: float
    automated_decisions: int
    held_by_matching: int
    median_hours_to_decision: float | None


class AppealFigures(Schema):
    received: int
    pending: int
    upheld: int
    reversed: int
    median_hours_to_decision: float | None


class SuspensionFigures(Schema):
    total: int
    reversed: int


class AccessCount(Schema):
    role: str
    action: str
    count: int


class TrustAndSafetyOut(Schema):
    period: str
    start: datetime
    end: datetime
    periods: list[str]
    notices: NoticeFigures
    actions: ActionFigures
    appeals: AppealFigures
    suspensions: SuspensionFigures
    staff_accesses: list[AccessCount]
