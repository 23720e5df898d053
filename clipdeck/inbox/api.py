"""The activity inbox API: your notifications, the unread count, marking read."""

from __future__ import annotations

from ninja import Query, Router

from clipdeck.inbox import selectors, services
from clipdeck.inbox.schemas import NotificationPage, ReadIn, ReadOut, UnreadOut
from clipdeck.kernel.auth import user_auth
from clipdeck.kernel.pagination import paginate

router = Router(tags=["inbox"])


@router.get(
    "/me/notifications",
    response=NotificationPage,
    auth=user_auth,
    operation_id="notifications",
    summary="Your notifications, newest first, and how many are unread",
)
def notifications(request, cursor: str | None = None, limit: int | None = Query(None)):
    page = paginate(selectors.notifications_for(request.auth), cursor=cursor, limit=limit)
    return {
        "items": page.items,
        "unread": selectors.unread_count(request.auth),
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/me/notifications/unread",
    response=UnreadOut,
    auth=user_auth,
    operation_id="notifications_unread",
    summary="How many notifications are unread (the Inbox badge polls this)",
)
def unread(request):
    return {"unread": selectors.unread_count(request.auth)}


@router.post(
    "/me/notifications/read",
    response=ReadOut,
    auth=user_auth,
    operation_id="notifications_read",
    summary="Mark read everything up to a notification",
)
def mark_read(request, payload: ReadIn):
    marked = services.notifications_mark_read(user=request.auth, up_to=payload.up_to)
    return {"marked": marked, "unread": selectors.unread_count(request.auth)}
