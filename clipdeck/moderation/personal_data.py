"""The moderation app's personal data: declarations, export, erasure and pruning.

Who reported something is protected: a reporter's account or email is read by
moderators only through the gateway (``reporter_email``), never shown to the
reported. Reports keep the email of an anonymous notice for six months after
their case is decided (to answer the notifier, DSA art. 16(5)), then blank it;
statements of reasons and appeals stay with the affected account until it is
erased, and are counted (never named) in the transparency report.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from clipdeck.kernel.gateway import register_reader
from clipdeck.kernel.personal_data import DataClass, declare, iso, register
from clipdeck.moderation.models import Appeal, Case, Decision, Fingerprint, Report
from clipdeck.moderation.selectors import REVIEW_FIELD, review_content
from clipdeck.moderation.targets import load

PROT, INT = DataClass.PROTECTED, DataClass.INTERNAL
CASE = "Until the account is erased; counted in the transparency report."
NOTICE_EMAIL = "Six months after the case is decided, then blanked."
EMAIL_KEPT = timedelta(days=182)

declare(
    Case,
    {
        "id": (INT, "Internal key.", CASE),
        "target_type": (INT, "What kind of item was reported.", CASE),
        "target_id": (PROT, "Which item was reported.", CASE),
        "target_owner": (PROT, "Whose item it is: the decision's affected person.", CASE),
        "status": (INT, "Open or decided.", CASE),
        "source": (INT, "Reports, or automated re-upload matching.", CASE),
        "severity": (INT, "Orders the moderation queue.", CASE),
        "report_count": (INT, "Duplicates grouped on the case.", CASE),
        "opened_at": (INT, "Orders the queue; time to decision.", CASE),
        "decided_at": (INT, "Time to decision (transparency report).", CASE),
    },
)
declare(
    Report,
    {
        "id": (INT, "Internal key.", CASE),
        "case": (INT, "The case the report is grouped on.", CASE),
        "reporter": (PROT, "Who reported, never shown to the reported.", CASE),
        "reporter_email": (PROT, "Answering an anonymous notice.", NOTICE_EMAIL),
        "reason": (INT, "The reason chosen from the published list.", CASE),
        "details": (PROT, "The reporter's explanation, read by moderators.", CASE),
        "created_at": (INT, "Ordering; time to decision.", CASE),
    },
)
declare(
    Decision,
    {
        "id": (INT, "Internal key.", CASE),
        "case": (INT, "The case decided.", CASE),
        "moderator": (PROT, "Who decided (an appeal needs someone else).", CASE),
        "affected": (PROT, "Who receives the statement of reasons.", CASE),
        "action": (PROT, "What was done.", CASE),
        "ground": (PROT, "The rule or law the decision rests on.", CASE),
        "explanation": (PROT, "The statement of reasons.", CASE),
        "automated_detection": (INT, "Whether automated means detected the item.", CASE),
        "target_type": (INT, "What kind of item.", CASE),
        "target_id": (PROT, "Which item.", CASE),
        "target_summary": (PROT, "The item as the statement describes it.", CASE),
        "suspended_until": (PROT, "End of a suspension.", CASE),
        "created_at": (INT, "When; the appeal window.", CASE),
        "appealable_until": (INT, "End of the six months to appeal.", CASE),
        "reversed_at": (INT, "When an appeal reversed it.", CASE),
    },
)
declare(
    Appeal,
    {
        "id": (INT, "Internal key.", CASE),
        "decision": (INT, "The decision appealed.", CASE),
        "appellant": (PROT, "Who appealed.", CASE),
        "text": (PROT, "What the appellant wrote.", CASE),
        "status": (PROT, "The outcome.", CASE),
        "moderator": (PROT, "Who decided the appeal.", CASE),
        "explanation": (PROT, "The reasons of the outcome.", CASE),
        "created_at": (INT, "Ordering; time to decision.", CASE),
        "decided_at": (INT, "Time to decision.", CASE),
    },
)
declare(
    Fingerprint,
    {
        "id": (INT, "Internal key.", CASE),
        "video_id": (INT, "The removed video.", CASE),
        "decision": (INT, "The removal it follows.", CASE),
        "hashes": (INT, "Perceptual frame hashes: identify no one, match re-uploads.", CASE),
        "created_at": (INT, "When it was taken.", CASE),
    },
)


def _review(model_label: str, kind: str) -> None:
    def reader(obj) -> dict:
        target = load(kind, obj.handle if kind == "user" else str(obj.pk))
        return review_content(target) if target else {}

    register_reader(model_label, REVIEW_FIELD, reader)


for _label, _kind in (
    ("videos.Video", "video"),
    ("videos.Comment", "comment"),
    ("accounts.User", "user"),
    ("shop.Product", "product"),
    ("videos.Sound", "sound"),
):
    _review(_label, _kind)
register_reader("moderation.Report", "reporter_email", lambda report: report.reporter_email)


def export(user) -> dict:
    """The user's reports, the statements of reasons they received and their appeals."""
    from clipdeck.moderation.statements import statement

    reports = Report.objects.filter(reporter=user).select_related("case").order_by("created_at")
    decisions = Decision.objects.filter(affected=user).select_related("appeal")
    return {
        "moderation": {
            "reports": [
                {
                    "target": {"type": r.case.target_type, "id": r.case.target_id},
                    "reason": r.reason,
                    "details": r.details,
                    "created_at": iso(r.created_at),
                    "case_status": r.case.status,
                }
                for r in reports
            ],
            "decisions": [_jsonable(statement(d)) for d in decisions.order_by("created_at", "pk")],
        }
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return iso(value)
    return value


def erase(user) -> None:
    """Detach the user's reports (the case and its count stay); their statements and
    appeals go with the account (cascade)."""
    Report.objects.filter(reporter=user).update(reporter=None)


def prune(now: datetime) -> dict[str, int]:
    """Blank the emails of anonymous notices six months after their case was decided."""
    blanked = (
        Report.objects.exclude(reporter_email="")
        .filter(case__decided_at__lt=now - EMAIL_KEPT)
        .update(reporter_email="")
    )
    return {"notice_emails": blanked}


register("moderation", export=export, erase=erase, prune=prune, prunes=("moderation.Report",))
