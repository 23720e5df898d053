"""Statements of reasons (DSA art. 17): what the affected person reads about a decision.

Each statement names the ground (the rule or the law), what was done and to
what, its scope and duration, whether automated means were involved, and how
to appeal. It never names the person who reported the item.
"""

from __future__ import annotations

from clipdeck.moderation.models import Action, Appeal, Decision
from clipdeck.moderation.reasons import reason_for

_SCOPE = {
    Action.REMOVE: "No one can see it any more, anywhere on this service: feeds, search, "
    "profiles, hashtag and sound pages, links and media files.",
    Action.RESTRICT: "Only you can see it. It is out of every feed, search result and page "
    "of others.",
    Action.AGE_GATE: "Only signed-in adults can see it; it is not shown to anyone signed out.",
    Action.SUSPEND: "Your account and everything you posted are hidden, and you cannot post, "
    "comment or report until the suspension ends. You can still sign in to appeal.",
    Action.WARN: "Nothing was hidden. Repeated breaches may lead to removal or suspension.",
}
_AUTOMATION = {
    True: "Automated means detected it (a match with a video removed earlier); a person "
    "reviewed it and took this decision.",
    False: "A person reviewed reports about it and took this decision; no automated means "
    "were used.",
}


def _duration(decision: Decision) -> str:
    if decision.action == Action.SUSPEND and decision.suspended_until:
        return f"Until {decision.suspended_until:%Y-%m-%d %H:%M} UTC."
    if decision.action == Action.WARN:
        return "Not applicable."
    return "Until the decision is reversed."


def _how_to_appeal(decision: Decision, appeal: Appeal | None) -> str:
    if appeal is not None:
        return "You appealed this decision."
    if decision.appealable_until is None:
        return "This decision cannot be appealed."
    return (
        f"You can appeal once, until {decision.appealable_until:%Y-%m-%d} (six months), "
        f"in Settings → Decisions or with POST /api/v1/decisions/{decision.pk}/appeal. "
        "A different moderator will decide. You may also turn to a certified out-of-court "
        "dispute settlement body or to the courts."
    )


def statement(decision: Decision) -> dict:
    """The statement of reasons of ``decision``, with the appeal and its outcome if any."""
    reason = reason_for(decision.ground)
    appeal = getattr(decision, "appeal", None) if hasattr(decision, "appeal") else None
    return {
        "id": decision.pk,
        "action": decision.action,
        "what": f"{Action(decision.action).label}: {decision.target_summary}".strip(": "),
        "target": {"type": decision.target_type, "id": decision.target_id},
        "ground": decision.ground,
        "ground_label": reason.label if reason else decision.ground,
        "ground_text": reason.ground if reason else "",
        "illegal_content": bool(reason and reason.illegal),
        "explanation": decision.explanation,
        "scope": _SCOPE.get(Action(decision.action), ""),
        "duration": _duration(decision),
        "suspended_until": decision.suspended_until,
        "automated_detection": decision.automated_detection,
        "automated_decision": False,
        "automation": _AUTOMATION[decision.automated_detection],
        "how_to_appeal": _how_to_appeal(decision, appeal),
        "appealable_until": decision.appealable_until,
        "created_at": decision.created_at,
        "reversed": decision.reversed_at is not None,
        "appeal": _appeal(appeal),
    }


def _appeal(appeal: Appeal | None) -> dict | None:
    if appeal is None:
        return None
    return {
        "id": appeal.pk,
        "status": appeal.status,
        "text": appeal.text,
        "created_at": appeal.created_at,
        "decided_at": appeal.decided_at,
        "explanation": appeal.explanation,
    }
