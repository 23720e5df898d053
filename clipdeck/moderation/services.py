"""Writes of trust and safety: reports, decisions, appeals.

Every moderator action is checked, carried out and audited in one transaction
(the audit chain entry names the moderator, the action and the item, with the
explanation as its justification). Reporters are never named to the reported:
nothing here hands the reporter to anything the reported can read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from clipdeck.accounts.models import User
from clipdeck.accounts.policies import ensure_not_suspended
from clipdeck.inbox.services import notify
from clipdeck.kernel import ratelimit
from clipdeck.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from clipdeck.kernel.gateway import record_staff_action
from clipdeck.moderation import targets
from clipdeck.moderation.models import (
    Action,
    Appeal,
    AppealStatus,
    Case,
    CaseSource,
    CaseStatus,
    Decision,
    Report,
)
from clipdeck.moderation.reasons import CODES, reason_for

APPEAL_WINDOW = timedelta(days=182)  # six months (DSA art. 20(1))
MAX_TEXT = 2000
MIN_EXPLANATION = 10
MAX_SUSPENSION_DAYS = 3650
NO_DECISION = "This decision does not exist or is not yours."


def _clean_reason(reason: str) -> str:
    if reason_for(reason) is None:
        raise InvalidInput(
            f"reason is one of: {', '.join(CODES)} (GET /api/v1/reports/reasons).",
            code="invalid_reason",
            field="reason",
        )
    return reason


def _clean_text(text: str, *, field: str, minimum: int = 0) -> str:
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            f"{field} is at most {MAX_TEXT} characters.", code="too_long", field=field
        )
    if len(text) < minimum:
        raise InvalidInput(
            f"Write at least {minimum} characters in {field}.", code="too_short", field=field
        )
    return text


def _clean_email(email: str | None) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(
            "Give an email address to send a notice without an account.",
            code="email_required",
            field="email",
        ) from None
    return email


# --- reports ------------------------------------------------------------------


def report_create(
    *,
    reporter: User | None,
    email: str | None,
    target_type: str,
    target_id: str,
    reason: str,
    details: str = "",
    ip: str | None = None,
) -> Report:
    """File a report (signed in) or a notice (anonymous, with an email).

    A report on an item with an open case joins that case (duplicates are
    grouped; the case's severity is the highest of its reasons). The same
    person reporting the same open case twice gets their first report back.
    """
    reason = _clean_reason(reason)
    details = _clean_text(details, field="details")
    reporter_email = "" if reporter is not None else _clean_email(email)
    if reporter is not None:
        ensure_not_suspended(reporter)
    target = targets.reportable(reporter, target_type, target_id)
    if reporter is not None and target.owner is not None and target.owner.pk == reporter.pk:
        raise InvalidInput("You cannot report your own content.", code="own_content")
    ratelimit.throttle("report", user_id=reporter.pk if reporter else None, ip=ip)
    for _ in range(3):
        try:
            with transaction.atomic():
                return _file(target, reporter, reporter_email, reason, details)
        except IntegrityError:  # another report opened the case meanwhile: join it
            continue
    raise Conflict("Too many reports at once; try again.", code="busy")


def _file(target, reporter, reporter_email, reason, details) -> Report:
    severity = reason_for(reason).severity  # type: ignore[union-attr]
    case = (
        Case.objects.select_for_update()
        .filter(target_type=target.type, target_id=target.id, status=CaseStatus.OPEN)
        .first()
    )
    if case is None:
        case = Case.objects.create(
            target_type=target.type, target_id=target.id, target_owner=target.owner
        )
    elif reporter is not None:
        earlier = case.reports.filter(reporter=reporter).first()
        if earlier is not None:
            return earlier
    report = Report.objects.create(
        case=case,
        reporter=reporter,
        reporter_email=reporter_email,
        reason=reason,
        details=details,
    )
    Case.objects.filter(pk=case.pk).update(
        report_count=F("report_count") + 1, severity=max(case.severity, severity)
    )
    return report


def case_open_for_match(*, video, matched_video_id) -> Case:
    """Open (or join) the case of a new upload held because it matches a removed video."""
    target = targets.load("video", str(video.pk))
    assert target is not None
    case, _ = Case.objects.get_or_create(
        target_type=target.type,
        target_id=target.id,
        status=CaseStatus.OPEN,
        defaults={"target_owner": target.owner, "source": CaseSource.MATCH, "severity": 4},
    )
    return case


# --- decisions ----------------------------------------------------------------


def _suspension_end(action: str, duration_days: int | None) -> datetime | None:
    if action != Action.SUSPEND:
        return None
    if duration_days is None or not 1 <= duration_days <= MAX_SUSPENSION_DAYS:
        raise InvalidInput(
            f"A suspension lasts 1 to {MAX_SUSPENSION_DAYS} days: give duration_days.",
            code="invalid_duration",
            field="duration_days",
        )
    return timezone.now() + timedelta(days=duration_days)


@transaction.atomic
def case_decide(
    *,
    moderator: User,
    case_id: int,
    action: str,
    ground: str,
    explanation: str,
    duration_days: int | None = None,
) -> Decision:
    """Decide a case: every duplicate report on it is answered by this one decision.

    The action is carried out on the item (or its owner), a statement of
    reasons is kept for the affected person, and the audit chain gets an entry.
    """
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound("This case does not exist.")
    if case.status != CaseStatus.OPEN:
        raise Conflict("This case was already decided.", code="case_decided")
    if action not in Action.values:
        raise InvalidInput(
            f"action is one of: {', '.join(Action.values)}.", code="invalid_action", field="action"
        )
    ground = _clean_reason(ground) if ground else ""
    if not ground:
        raise InvalidInput(
            "Name the ground of the decision.", code="invalid_ground", field="ground"
        )
    explanation = _clean_text(explanation, field="explanation", minimum=MIN_EXPLANATION)
    target = targets.load(case.target_type, case.target_id)
    if target is None and action != Action.DISMISS:
        raise Conflict("The item no longer exists: the case can only be dismissed.", code="gone")
    if target is not None:
        targets.check_action(target.type, action)
    until = _suspension_end(action, duration_days)
    now = timezone.now()
    decision = Decision.objects.create(
        case=case,
        moderator=moderator,
        affected=None if action == Action.DISMISS or target is None else target.owner,
        action=action,
        ground=ground,
        explanation=explanation,
        automated_detection=case.source == CaseSource.MATCH,
        target_type=case.target_type,
        target_id=case.target_id,
        target_summary=target.summary if target else "",
        suspended_until=until,
        created_at=now,
        appealable_until=None if action == Action.DISMISS else now + APPEAL_WINDOW,
    )
    if target is not None:
        targets.apply(target, action, suspended_until=until)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.DECIDED, decided_at=now)
    record_staff_action(
        actor=moderator,
        action=f"moderation.{action}",
        subject=target.obj if target is not None else case,
        purpose=f"Case {case.pk}: {explanation}",
    )
    if target is not None and action == Action.REMOVE and target.type == "video":
        from clipdeck.moderation.matching import fingerprint_later

        fingerprint_later(decision)
    if decision.affected is not None:
        notify(
            decision.affected,
            "moderation",
            decision=decision.pk,
            message=_decision_message(decision),
        )
    return decision


def _decision_message(decision: Decision) -> str:
    """The inbox line of a statement of reasons; the statement itself is one tap away."""
    reason = reason_for(decision.ground)
    ground = reason.label if reason else decision.ground
    return f"{Action(decision.action).label} ({ground}). Read why, and how to appeal."


# --- appeals ------------------------------------------------------------------


@transaction.atomic
def appeal_create(*, user: User, decision_id: int, text: str) -> Appeal:
    """The affected person appeals a decision: once, within six months of it."""
    decision = (
        Decision.objects.select_for_update().filter(pk=decision_id, affected=user).first()
        if str(decision_id).isdigit()
        else None
    )
    if decision is None:
        raise NotFound(NO_DECISION)
    text = _clean_text(text, field="text", minimum=MIN_EXPLANATION)
    if Appeal.objects.filter(decision=decision).exists():
        raise Conflict("You already appealed this decision.", code="already_appealed")
    if decision.appealable_until is None or decision.appealable_until < timezone.now():
        raise Conflict(
            "The six months to appeal this decision are over.", code="appeal_window_closed"
        )
    return Appeal.objects.create(decision=decision, appellant=user, text=text)


@transaction.atomic
def appeal_decide(*, moderator: User, appeal_id: int, outcome: str, explanation: str) -> Appeal:
    """A moderator other than the one who decided answers an appeal.

    ``reverse`` undoes the decision: a removed video comes back with its
    counts, a suspension ends. ``uphold`` keeps it. Either way the appellant
    reads the outcome and its reasons with the statement.
    """
    appeal = (
        Appeal.objects.select_for_update().select_related("decision").filter(pk=appeal_id).first()
    )
    if appeal is None:
        raise NotFound("This appeal does not exist.")
    if appeal.status != AppealStatus.PENDING:
        raise Conflict("This appeal was already decided.", code="appeal_decided")
    if outcome not in ("uphold", "reverse"):
        raise InvalidInput("outcome is uphold or reverse.", code="invalid_outcome", field="outcome")
    decision = appeal.decision
    if decision.moderator_id == moderator.pk:
        raise Forbidden(
            "A different moderator must decide the appeal of your own decision.",
            code="same_moderator",
        )
    explanation = _clean_text(explanation, field="explanation", minimum=MIN_EXPLANATION)
    now = timezone.now()
    target = targets.load(decision.target_type, decision.target_id)
    if outcome == "reverse":
        if target is not None:
            targets.undo(target, decision.action, suspended_until=decision.suspended_until)
        if decision.action == Action.REMOVE and decision.target_type == "video":
            from clipdeck.moderation.matching import forget

            forget(decision.target_id)
        Decision.objects.filter(pk=decision.pk).update(reversed_at=now)
    appeal.status = AppealStatus.REVERSED if outcome == "reverse" else AppealStatus.UPHELD
    appeal.moderator = moderator
    appeal.explanation = explanation
    appeal.decided_at = now
    appeal.save(update_fields=["status", "moderator", "explanation", "decided_at"])
    notify(
        appeal.appellant,
        "moderation",
        decision=decision.pk,
        message=(
            "Your appeal was granted: the decision is reversed."
            if outcome == "reverse"
            else "Your appeal was decided: the decision stands. Read why."
        ),
    )
    record_staff_action(
        actor=moderator,
        action=f"moderation.appeal_{outcome}",
        subject=target.obj if target is not None else decision,
        purpose=f"Appeal {appeal.pk} of decision {decision.pk}: {explanation}",
    )
    return appeal


# --- roles --------------------------------------------------------------------


def moderator_grant(*, user: User) -> User:
    """Give ``user`` the moderator role (staff, in the ``moderator`` group).

    The role works only once the account has two-factor sign-in on.
    """
    from clipdeck.moderation.policies import moderator_group

    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(moderator_group())
    return user


def moderator_enrol(*, user: User) -> tuple[str, str, list[str]]:
    """Grant ``user`` the moderator role and turn their two-factor sign-in on.

    Returns the authenticator secret, its ``otpauth://`` URI and the recovery
    codes, for the operator to hand over once (``clipdeck manage moderator_add``).
    The enrolment is confirmed with the previous time step's code, so that the
    moderator's first sign-in may use the code showing now.
    """
    import base64

    from django_otp.oath import TOTP

    from clipdeck.accounts import two_factor

    moderator_grant(user=user)
    enrolment = two_factor.setup(user)
    code = TOTP(base64.b32decode(enrolment.secret), drift=-1).token()
    codes = two_factor.confirm(user, f"{code:06d}")
    return enrolment.secret, enrolment.otpauth_uri, codes
