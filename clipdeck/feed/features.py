"""Ranking features of a (viewer, video) pair, the same for training and serving.

Video rates are smoothed towards priors so that a video seen twice does not
look perfect. The list and its order are part of the model card.
"""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count
from django.utils import timezone

from clipdeck.accounts.models import Follow, FollowState
from clipdeck.feed.context import ViewerContext
from clipdeck.videos.models import Video, VideoStatus

FEATURES = (
    "video_log_exposures",
    "video_completion_rate",
    "video_mean_completion",
    "video_like_rate",
    "video_share_rate",
    "video_comment_rate",
    "video_skip_rate",
    "video_duration_s",
    "video_age_hours",
    "creator_log_followers",
    "viewer_follows_creator",
    "viewer_creator_interest",
    "viewer_sound_interest",
    "viewer_hashtag_interest",
    "viewer_log_events",
    "viewer_mean_completion",
    "collaborative_score",
    "coengagement_score",
)
FACTS_TTL_S = 30  # how stale a video's counters may be in the ranker's features
FACTS_KEEP = 50_000
_FACTS: dict[str, tuple[float, VideoFacts]] = {}  # video id -> (expires, facts), no viewer data
PRIORS = {"completion": (0.35, 10), "like": (0.05, 20), "share": (0.01, 50), "skip": (0.3, 10)}


@dataclass
class VideoFacts:
    """What the ranker and re-ranker know about one candidate video."""

    id: str
    author: str
    handle: str
    sound: str | None
    sound_title: str
    duration_ms: int
    age_hours: float
    hashtags: list[str] = field(default_factory=list)
    exposures: int = 0
    completions: int = 0
    completion_sum: float = 0.0
    skips: int = 0
    likes: int = 0
    shares: int = 0
    comments: int = 0
    creator_followers: int = 0
    published_at: datetime | None = None


def smoothed(count: float, trials: float, prior: str) -> float:
    mean, strength = PRIORS[prior]
    return (count + mean * strength) / (trials + strength)


def viewer_interest(weights: dict[str, float], keys) -> float:
    """The viewer's interest in the strongest of ``keys``, squashed to (-1, 1)."""
    values = [weights.get(str(key), 0.0) for key in keys if key is not None]
    strongest = max(values, key=abs) if values else 0.0
    return math.tanh(strongest / 3)


def feature_row(
    context: ViewerContext, video: VideoFacts, collaborative: float, coengagement: float
) -> list[float]:
    """The feature vector, in ``FEATURES`` order."""
    trials = max(video.exposures, 0)
    return [
        math.log1p(trials),
        smoothed(video.completions, trials, "completion"),
        (video.completion_sum + 0.35 * 10) / (trials + 10),
        smoothed(video.likes, trials, "like"),
        smoothed(video.shares, trials, "share"),
        smoothed(video.comments, trials, "like"),
        smoothed(video.skips, trials, "skip"),
        video.duration_ms / 1000,
        video.age_hours,
        math.log1p(video.creator_followers),
        float(video.author in context.following),
        viewer_interest(context.creators, [video.author]),
        viewer_interest(context.sounds, [video.sound]),
        viewer_interest(context.hashtags, video.hashtags),
        math.log1p(context.events),
        context.mean_completion,
        collaborative,
        coengagement,
    ]


def visible_facts(context: ViewerContext, video_ids, now) -> dict[str, VideoFacts]:
    """Facts of those of ``video_ids`` the viewer may see: the visibility filter of the feed.

    Every id goes through ``Video.objects.visible_to(viewer)`` on every call;
    only the facts about the videos themselves (nothing about the viewer) come
    from a short per-process memo.
    """
    visible = [
        str(pk)
        for pk in Video.objects.visible_to(context.viewer)
        .filter(pk__in=list(video_ids), status=VideoStatus.PUBLISHED)
        .values_list("pk", flat=True)
    ]
    known = video_facts(visible, time.monotonic())
    return {pk: _aged(known[pk], now) for pk in visible if pk in known}


def _aged(facts: VideoFacts, now) -> VideoFacts:
    """A copy of the memoised facts with the age as of ``now``."""
    aged = copy.copy(facts)
    aged.age_hours = (now - (facts.published_at or now)).total_seconds() / 3600
    return aged


def video_facts(video_ids: list[str], clock: float) -> dict[str, VideoFacts]:
    """Facts of ``video_ids`` (age as of when they were read), memoised for ``FACTS_TTL_S``.

    The facts hold no viewer data, so one memo serves every viewer of the
    process; it is cleared when it grows past ``FACTS_KEEP`` videos.
    """
    found, missing = {}, []
    for pk in video_ids:
        entry = _FACTS.get(pk)
        if entry is not None and entry[0] > clock:
            found[pk] = entry[1]
        else:
            missing.append(pk)
    if missing:
        fetched = _read_facts(missing, timezone.now())
        if len(_FACTS) + len(fetched) > FACTS_KEEP:
            _FACTS.clear()
        for pk, facts in fetched.items():
            _FACTS[pk] = (clock + FACTS_TTL_S, facts)
        found.update(fetched)
    return found


def _read_facts(video_ids: list[str], now) -> dict[str, VideoFacts]:
    rows = Video.objects.filter(pk__in=video_ids).values_list(
        "pk",
        "author_id",
        "author__handle",
        "sound_id",
        "sound__title",
        "duration_ms",
        "published_at",
        "like_count",
        "share_count",
        "comment_count",
        "feed_stats__exposures",
        "feed_stats__completions",
        "feed_stats__completion_sum",
        "feed_stats__skips",
    )
    facts = {}
    for pk, author, handle, sound, title, duration, published, *counts in rows:
        likes, shares, comments, exposures, completions, completion_sum, skips = counts
        facts[str(pk)] = VideoFacts(
            id=str(pk),
            author=str(author),
            handle=handle,
            sound=str(sound) if sound else None,
            sound_title=title or "",
            duration_ms=duration,
            age_hours=(now - (published or now)).total_seconds() / 3600,
            exposures=exposures or 0,
            completions=completions or 0,
            completion_sum=completion_sum or 0.0,
            skips=skips or 0,
            likes=likes,
            shares=shares,
            comments=comments,
            published_at=published,
        )
    _add_hashtags_and_followers(facts)
    return facts


def _add_hashtags_and_followers(facts: dict[str, VideoFacts]) -> None:
    tagged = Video.hashtags.through.objects.filter(video_id__in=list(facts)).values_list(
        "video_id", "hashtag__name"
    )
    for video_id, name in tagged:
        facts[str(video_id)].hashtags.append(name)
    authors = {video.author for video in facts.values()}
    followers = dict(
        Follow.objects.filter(followee_id__in=authors, state=FollowState.FOLLOWING)
        .values("followee_id")
        .annotate(n=Count("id"))
        .values_list("followee_id", "n")
    )
    for video in facts.values():
        video.creator_followers = followers.get(int(video.author), 0)
