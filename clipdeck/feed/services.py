"""Writes of the feed: recording events, resetting For You, pruning old events."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from clipdeck.accounts.models import User
from clipdeck.feed import realtime, viewer_state
from clipdeck.feed.interest_weights import COMPLETED, interest
from clipdeck.feed.models import Event, EventKind, FeedControl, TrafficSource, VideoStats
from clipdeck.feed.sources import exploration
from clipdeck.kernel.counting import first_in_window
from clipdeck.kernel.errors import InvalidInput
from clipdeck.videos.models import Video

MAX_BATCH = 100
RETENTION = timedelta(days=90)
KINDS = ", ".join(kind.label for kind in EventKind)
SOURCES = ", ".join(source.label for source in TrafficSource if source)


@dataclass(frozen=True)
class EventIn:
    type: str
    video: str
    watched_ms: int = 0
    at: datetime | None = None
    source: str | None = None


@dataclass(frozen=True)
class Recorded:
    accepted: int
    ignored: int


def _checked(events: list[EventIn]) -> list[tuple[EventKind, uuid.UUID, EventIn]]:
    if len(events) > MAX_BATCH:
        raise InvalidInput(f"Send at most {MAX_BATCH} events at once.", field="events")
    checked = []
    for index, event in enumerate(events):
        kind = EventKind.from_name(event.type)
        if kind is None:
            raise InvalidInput(
                f"Unknown event type {event.type!r}; use one of: {KINDS}.",
                code="bad_event_type",
                field=f"events.{index}.type",
            )
        try:
            video_id = uuid.UUID(str(event.video))
        except ValueError:
            raise InvalidInput(
                "This is not a video id.", code="bad_video", field=f"events.{index}.video"
            ) from None
        _source(event.source, index)
        checked.append((kind, video_id, event))
    return checked


def _source(name: str | None, index: int) -> TrafficSource:
    """The traffic source named by the web app, or a 400 naming the allowed ones."""
    if not name:
        return TrafficSource.UNKNOWN
    source = TrafficSource.from_name(name)
    if source is None or source == TrafficSource.UNKNOWN:
        raise InvalidInput(
            f"Unknown source {name!r}; use one of: {SOURCES}.",
            code="bad_event_source",
            field=f"events.{index}.source",
        )
    return source


def _when(at: datetime | None, now: datetime) -> datetime | None:
    """The event's time, clamped to now; None when it is older than the retention."""
    if at is None or at > now:
        return now
    return at if at > now - RETENTION else None


def _facts(video: Video) -> dict:
    return {
        "id": str(video.pk),
        "author": video.author_id,
        "sound": video.sound_id,
        "hashtags": [tag.name for tag in video.hashtags.all()],
    }


def _completion(watched_ms: int, duration_ms: int) -> float:
    return min(watched_ms / duration_ms, 10.0) if duration_ms else 0.0


def events_record(*, user: User, events: list[EventIn]) -> Recorded:
    """Store a batch of ``user``'s events and update their short-term interests.

    Unknown types and malformed ids refuse the whole batch (nothing is stored);
    events on videos the user may not see, or older than the retention, are
    ignored and counted.
    """
    checked = _checked(events)
    now = timezone.now()
    visible = {
        video.pk: video
        for video in Video.objects.visible_to(user)
        .filter(pk__in={video_id for _, video_id, _ in checked})
        .prefetch_related("hashtags")
    }
    rows, observations = [], []
    for kind, video_id, event in checked:
        video, at = visible.get(video_id), _when(event.at, now)
        if video is None or at is None:
            continue
        completion = _completion(max(event.watched_ms, 0), video.duration_ms)
        rows.append(
            Event(
                user=user,
                video=video,
                kind=kind,
                watched_ms=max(event.watched_ms, 0),
                completion_pm=round(completion * 1000),
                source=_source(event.source, 0),
                at=at,
            )
        )
        observations.append((_facts(video), interest(kind, completion)))
    with transaction.atomic():
        Event.objects.bulk_create(rows)
        _count(_counted_once(rows), now)
    realtime.apply(user.pk, observations)
    viewer_state.refresh_behind(user.pk)
    return Recorded(accepted=len(rows), ignored=len(checked) - len(rows))


def _counted_once(rows: list[Event]) -> list[Event]:
    """The rows that may move public counters: one per viewer, video and kind per window.

    Every event is stored for the viewer's own profile, but replaying a view,
    completion, like or share does not promote a video for everyone else.
    """
    return [
        row
        for row in rows
        if first_in_window(
            f"event:{row.kind}",
            actor=f"user:{row.user_id}",
            subject=str(row.video_id),
        )
    ]


def _tally(rows: list[Event]) -> dict:
    """Counter increments per video for a batch of events."""
    tallies: dict = {}
    for row in rows:
        tally = tallies.setdefault(row.video_id, Counter())
        exposed = row.kind in (EventKind.VIEW, EventKind.SKIP)
        tally["exposures"] += int(exposed)
        tally["completions"] += int(row.kind == EventKind.VIEW and row.completion >= COMPLETED)
        tally["completion_sum"] += min(row.completion, 1.0) if exposed else 0.0
        tally["likes"] += int(row.kind == EventKind.LIKE)
        tally["shares"] += int(row.kind == EventKind.SHARE)
        tally["skips"] += int(row.kind == EventKind.SKIP)
        tally["not_interested"] += int(row.kind == EventKind.NOT_INTERESTED)
        # The public view count leaves out the author watching their own video.
        tally["views"] += int(row.kind == EventKind.VIEW and row.user_id != row.video.author_id)
    return tallies


def _count(rows: list[Event], now: datetime) -> None:
    """Add the events to each video's audience counters; promote exploration pools."""
    for video_id, tally in _tally(rows).items():
        views = tally.pop("views", 0)
        if views:  # the public view count moves once per viewer and window
            Video.objects.filter(pk=video_id).update(view_count=F("view_count") + views)
        VideoStats.objects.get_or_create(video_id=video_id)
        changes = {name: F(name) + amount for name, amount in tally.items()}
        VideoStats.objects.filter(video_id=video_id).update(**changes, updated_at=now)
        stats = VideoStats.objects.get(video_id=video_id)
        pool = exploration.promote(stats)
        if pool != stats.pool:
            VideoStats.objects.filter(video_id=video_id).update(pool=pool)


def feed_reset(*, user: User) -> FeedControl:
    """Forget ``user``'s personalisation: activity before now no longer shapes For You.

    Videos already seen stay hidden, and "not interested" choices stay in force.
    """
    control, _ = FeedControl.objects.update_or_create(
        user=user, defaults={"reset_at": timezone.now()}
    )
    realtime.reset(user.pk)
    viewer_state.forget(user.pk)
    return control


def events_prune(*, now: datetime | None = None) -> int:
    """Delete events older than the retention period; the number deleted."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _ = Event.objects.filter(at__lt=cutoff).delete()
    return deleted
