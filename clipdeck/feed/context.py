"""Everything the feed knows about one viewer for one page, loaded in a few queries.

Long-term interests come from the event log and likes since the viewer's last
reset (at most 30 days back); short-term ones from the cache (``realtime``).
The non-personalised feed uses none of this: ``ViewerContext.without_profile``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from clipdeck.accounts.models import Follow, FollowState, User
from clipdeck.feed import realtime
from clipdeck.feed.interest_weights import SEEN, interest
from clipdeck.feed.models import Event, EventKind, FeedControl
from clipdeck.videos.models import Like, Video

HISTORY_DAYS = 30
HISTORY_LIMIT = 300
SEEN_DAYS = 3
SHORT_TERM_BOOST = 2.0  # short-term interests weigh this much more than long-term ones


@dataclass
class ViewerContext:
    """A viewer's interests, controls and history, as the sources and ranker need them."""

    viewer: User | None = None
    personalized: bool = False
    following: set[str] = field(default_factory=set)  # followed user ids
    creators: dict[str, float] = field(default_factory=dict)
    sounds: dict[str, float] = field(default_factory=dict)
    hashtags: dict[str, float] = field(default_factory=dict)
    engaged: dict[str, float] = field(default_factory=dict)  # video id -> interest
    seen: set[str] = field(default_factory=set)
    hidden: set[str] = field(default_factory=set)  # "not interested"
    muted_creators: set[str] = field(default_factory=set)
    events: int = 0
    mean_completion: float = 0.0
    recent_hashtags: dict[str, float] = field(default_factory=dict)  # the short term alone

    @classmethod
    def without_profile(cls, viewer: User | None) -> ViewerContext:
        """A context that knows who is asking (for visibility) and nothing else."""
        return cls(viewer=viewer)

    @property
    def user_id(self):
        return self.viewer.pk if self.viewer else None


def _history(user: User, since) -> list[tuple]:
    """``(video id, author, sound, kind, completion permille, at)``, newest first."""
    return list(
        Event.objects.filter(user=user, at__gte=since)
        .order_by("-at")
        .values_list("video_id", "video__author", "video__sound", "kind", "completion_pm", "at")[
            :HISTORY_LIMIT
        ]
    )


def _liked(user: User, since) -> list[tuple]:
    """``(video id, author, sound)`` of up to 100 likes since ``since``."""
    return list(
        Like.objects.filter(user=user, created_at__gte=since).values_list(
            "video_id", "video__author", "video__sound"
        )[:100]
    )


def _hashtags_of(video_ids: set) -> dict:
    """Hashtag names by video id, in one query."""
    tags: dict = defaultdict(list)
    rows = Video.hashtags.through.objects.filter(video_id__in=video_ids).values_list(
        "video_id", "hashtag__name"
    )
    for video_id, name in rows:
        tags[video_id].append(name)
    return tags


def _add(weights: dict[str, float], key, amount: float) -> None:
    if key is not None:
        weights[str(key)] = weights.get(str(key), 0.0) + amount


def fold(context: ViewerContext, video_id, author, sound, tags: list[str], amount: float) -> None:
    """Add one event's interest to the context's creators, sounds, hashtags and videos."""
    _add(context.creators, author, amount)
    _add(context.sounds, sound, amount)
    for tag in tags:
        _add(context.hashtags, tag, amount / len(tags))
    if amount > 0.5:
        _add(context.engaged, video_id, amount)


def _fold_short_term(context: ViewerContext, short: realtime.ShortTerm) -> None:
    for mine, theirs in (
        (context.creators, short.creators),
        (context.sounds, short.sounds),
        (context.hashtags, short.hashtags),
    ):
        for key, amount in theirs.items():
            _add(mine, key, SHORT_TERM_BOOST * amount)
    for key, amount in short.hashtags.items():
        _add(context.recent_hashtags, key, SHORT_TERM_BOOST * amount)
    for rank, video_id in enumerate(short.engaged):
        _add(context.engaged, video_id, SHORT_TERM_BOOST / (1 + rank))
    context.seen.update(short.seen)
    context.muted_creators.update(short.muted_creators)


def viewer_context(viewer: User | None) -> ViewerContext:
    """The personalised context of ``viewer`` (an empty one for anonymous viewers)."""
    if viewer is None:
        return ViewerContext.without_profile(None)
    return with_short_term(long_term_context(viewer))


def with_short_term(context: ViewerContext) -> ViewerContext:
    """``context`` with the viewer's short-term interests as of now folded in."""
    _fold_short_term(context, realtime.load(context.viewer.pk))
    return context


def long_term_context(viewer: User) -> ViewerContext:
    """What the event log, likes, follows and controls say about ``viewer`` (no short term)."""
    now = timezone.now()
    context = ViewerContext(viewer=viewer, personalized=True)
    context.following = {
        str(pk)
        for pk in Follow.objects.filter(follower=viewer, state=FollowState.FOLLOWING).values_list(
            "followee_id", flat=True
        )
    }
    reset_at = FeedControl.objects.filter(user=viewer).values_list("reset_at", flat=True).first()
    since = max(filter(None, [reset_at, now - timedelta(days=HISTORY_DAYS)]))
    history, liked = _history(viewer, since), _liked(viewer, since)
    tags = _hashtags_of({row[0] for row in history} | {row[0] for row in liked})
    completions = []
    for video_id, author, sound, kind, completion_pm, at in history:
        completion = completion_pm / 1000
        fold(context, video_id, author, sound, tags[video_id], interest(kind, completion))
        if kind in SEEN and at >= now - timedelta(days=SEEN_DAYS):
            context.seen.add(str(video_id))
        if kind == EventKind.VIEW:
            completions.append(min(completion, 1.0))
        context.events += 1
    for video_id, author, sound in liked:
        fold(context, video_id, author, sound, tags[video_id], interest(EventKind.LIKE))
    context.mean_completion = sum(completions) / len(completions) if completions else 0.0
    context.hidden = {
        str(video_id)
        for video_id in Event.objects.filter(
            user=viewer, kind=EventKind.NOT_INTERESTED
        ).values_list("video_id", flat=True)
    }
    return context


def interest_totals(context: ViewerContext) -> dict[str, dict[str, float]]:
    """Positive interests by kind, strongest first, for sources and explanations."""
    totals = defaultdict(dict)
    for name in ("creators", "sounds", "hashtags"):
        weights = getattr(context, name)
        ranked = sorted(((k, v) for k, v in weights.items() if v > 0), key=lambda kv: -kv[1])
        totals[name] = dict(ranked)
    return totals
