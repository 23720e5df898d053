"""Notifications as sentences people read: "maya and 12 others liked your video"."""

from __future__ import annotations

from clipdeck.inbox.models import Notification
from clipdeck.inbox.models import NotificationType as T

_VERBS = {
    T.LIKE: "liked your video",
    T.COMMENT: "commented:",
    T.REPLY: "replied to your comment:",
    T.MENTION: "mentioned you",
    T.FOLLOW: "started following you",
    T.FOLLOW_REQUEST: "asked to follow you",
    T.FOLLOW_APPROVED: "approved your follow request",
    T.DUET: "duetted your video",
    T.REACT: "reacted to your video",
    T.STITCH: "stitched your video",
    T.COMMENT_LIKE: "liked your comment:",
}
QUOTE = 80


def _who(notification: Notification) -> str:
    name = f"@{notification.actor.handle}" if notification.actor else "Someone"
    others = notification.count - 1
    if others == 1:
        return f"{name} and 1 other"
    return f"{name} and {others} others" if others > 1 else name


def sentence(notification: Notification) -> str:
    """What happened, in one line."""
    if notification.type in (T.ORDER, T.MODERATION, T.CAPTIONS):
        return str(notification.data.get("message", "")) or T(notification.type).label
    text = f"{_who(notification)} {_VERBS[T(notification.type)]}"
    if text.endswith(":") and notification.comment is not None:
        quoted = notification.comment.text
        quoted = quoted if len(quoted) <= QUOTE else quoted[: QUOTE - 1] + "…"
        text = f"{text} “{quoted}”"
    return text.rstrip(":")


def link(notification: Notification) -> str:
    """Where the notification leads."""
    if notification.type == T.FOLLOW_REQUEST:
        return "/me/requests"
    if notification.video_id:
        return f"/v/{notification.video_id}"
    if notification.type == T.MODERATION:
        return "/settings/decisions"
    if notification.type == T.ORDER and notification.data.get("order"):
        return f"/orders/{notification.data['order']}"
    if notification.actor is not None:
        return f"/@{notification.actor.handle}"
    return "/inbox"
