"""Feed API: For You, Following, events and the reset control."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer

from clipdeck.feed import pipeline, selectors, services
from clipdeck.feed.metrics import feed_timed
from clipdeck.feed.rendered import encoded, page_rows, video_texts
from clipdeck.feed.schemas import EventsIn, EventsOut, FeedPage, ResetOut
from clipdeck.kernel.auth import user_auth, viewer_auth, viewer_of
from clipdeck.kernel.pagination import CursorPagination, check_limit
from clipdeck.videos.models import Video
from clipdeck.videos.presenters import viewer_state

router = Router(tags=["feed"])


def feed_items(videos: list[Video], reasons: list, request: HttpRequest) -> list[dict]:
    """``{video, reason}`` items of a feed page; the viewer's state in two queries."""
    marked = viewer_state(videos, viewer_of(request))
    return [
        {"video": video, "reason": reason} for video, reason in zip(marked, reasons, strict=True)
    ]


def _following_items(videos: list[Video], request: HttpRequest) -> list[dict]:
    return feed_items(videos, [selectors.following_reason(video) for video in videos], request)


@router.get(
    "/feed/for-you",
    response=FeedPage,
    auth=viewer_auth,
    operation_id="feed_for_you",
    summary="The For You feed; personalized=false builds it without profiling you",
)
@feed_timed("for_you")
def feed_for_you(
    request, cursor: str | None = None, limit: int | None = None, personalized: bool = True
):
    viewer = viewer_of(request)
    page = pipeline.for_you_ids(
        viewer,
        cursor=cursor,
        limit=check_limit(limit),
        personalized=personalized,
        rows_of=page_rows,
    )
    # ``FeedPage`` as the API's renderer writes it (``rendered``), joined from each video's
    # text without validating or encoding the kept parts again.
    videos = video_texts([pk for pk, _ in page.items], viewer, request, rows=page.rows)
    items = ", ".join(
        f'{{"video": {videos[pk]}, "reason": {encoded(_reason(reason))}}}'
        for pk, reason in page.items
        if pk in videos
    )
    body = f'{{"items": [{items}], "next_cursor": {encoded(page.next_cursor)}}}'
    return HttpResponse(body, content_type=_JSON_TYPE)


_JSON = JSONRenderer()  # the API's renderer (``NinjaAPI``'s default)
_JSON_TYPE = f"{_JSON.media_type}; charset={_JSON.charset}"


def _reason(reason: dict) -> dict:
    """``ReasonOut`` as dumped."""
    return {
        "source": str(reason["source"]),
        "label": str(reason["label"]),
        "factors": [str(factor) for factor in reason["factors"]],
    }


@router.get(
    "/feed/following",
    response=FeedPage,
    auth=user_auth,
    operation_id="feed_following",
    summary="Newest videos from the accounts you follow",
)
@paginate(CursorPagination, time_field="published_at", present=_following_items)
def feed_following(request):
    return selectors.following_feed(request.auth)


@router.post(
    "/events",
    response=EventsOut,
    auth=user_auth,
    operation_id="events_record",
    summary="Record what you did in the feed (batched)",
)
def events_record(request, payload: EventsIn):
    events = [services.EventIn(**event.dict()) for event in payload.events]
    recorded = services.events_record(user=request.auth, events=events)
    return {"accepted": recorded.accepted, "ignored": recorded.ignored}


@router.post(
    "/feed/reset",
    response=ResetOut,
    auth=user_auth,
    operation_id="feed_reset",
    summary="Forget your For You personalisation",
)
def feed_reset(request):
    control = services.feed_reset(user=request.auth)
    return {"reset_at": control.reset_at}
