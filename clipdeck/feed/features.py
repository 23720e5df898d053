"""Ranking features of a (viewer, video) pair, the same for training and serving.

Video rates are smoothed towards priors so that a video seen twice does not
look perfect. The list and its order are part of the model card.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count
from django.utils import timezone

from clipdeck.accounts.models import Follow, FollowState
from clipdeck.feed.context import ViewerContext
from clipdeck.feed.visible_rows import visible_rows
from clipdeck.videos.models import Video

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
    "ease_score",
)
TAGS_TTL_S = 600  # how stale a video's hashtags may be in the ranker's features
FOLLOWERS_TTL_S = 120  # and a creator's follower count
FACTS_KEEP = 200_000  # memo entries per process (no viewer data); cleared when full
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
    """The viewer's interest in the strongest of ``keys``, squashed to (-1, 1).

    The strongest is the first of the largest magnitude. Asked for about a
    thousand keys a page (the shortlist, then the features), so written as
    one loop.
    """
    strongest = 0.0
    for key in keys:
        if key is None:
            continue
        value = weights.get(key if type(key) is str else str(key), 0.0)
        if abs(value) > abs(strongest):
            strongest = value
    return math.tanh(strongest / 3)


def feature_row(
    context: ViewerContext,
    video: VideoFacts,
    collaborative: float,
    coengagement: float,
    ease: float = 0.0,
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
        ease,
    ]


def visible_facts(context: ViewerContext, video_ids, now) -> dict[str, VideoFacts]:
    """Facts of those of ``video_ids`` the viewer may see: the visibility filter of the feed.

    One query checks every id through ``Video.objects.visible_to(viewer)`` and
    reads the videos' counters as they are now; the slow-changing facts
    (hashtags, the creator's follower count), which hold no viewer data, come
    from a per-process memo that the background work keeps warm (``warm``).
    """
    rows = visible_rows(context.viewer, list(video_ids), _FACT_FIELDS)
    facts = {str(row[0]): _facts_of(row, now) for row in rows}
    _add_hashtags_and_followers(facts, time.monotonic())
    return facts


def warm(video_ids, clock: float | None = None) -> None:
    """Fill the memo of hashtags and follower counts for ``video_ids`` (background work)."""
    facts = {str(row[0]): _facts_of(row, timezone.now()) for row in _rows_of(list(video_ids))}
    _add_hashtags_and_followers(facts, time.monotonic() if clock is None else clock)


def video_facts(video_ids: list[str], clock: float) -> dict[str, VideoFacts]:
    """Facts of ``video_ids`` whatever their visibility (offline work and background warming)."""
    facts = {str(row[0]): _facts_of(row, timezone.now()) for row in _rows_of(video_ids)}
    _add_hashtags_and_followers(facts, clock)
    return facts


_FACT_FIELDS = (
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
_TAGS: dict[str, tuple[float, tuple[str, ...]]] = {}  # video id -> (expires, hashtag names)
_FOLLOWERS: dict[str, tuple[float, int]] = {}  # creator id -> (expires, followers)
_TRAITS: dict[str, tuple[float, tuple]] = {}  # video id -> (expires, (author, sound))


def known_interest(context: ViewerContext, video_id: str, clock: float) -> float:
    """The viewer's interest in a video's creator, sound and hashtags, from this process's memo.

    No query: a video whose facts this process has not read lately (``warm``,
    ``visible_facts``) counts 0. Each part is squashed to (-1, 1) as in the
    ranker's features, so the sum lies in (-3, 3).
    """
    traits = _fresh(_TRAITS, video_id, clock)
    if traits is None:
        return 0.0
    author, sound = traits
    return (
        viewer_interest(context.creators, [author])
        + viewer_interest(context.sounds, [sound])
        + viewer_interest(context.hashtags, _fresh(_TAGS, video_id, clock) or [])
    )


def _rows_of(video_ids: list[str]):
    return Video.objects.filter(pk__in=video_ids).values_list(*_FACT_FIELDS)


def _facts_of(row, now) -> VideoFacts:
    pk, author, handle, sound, title, duration, published, *counts = row
    likes, shares, comments, exposures, completions, completion_sum, skips = counts
    return VideoFacts(
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


def _fresh(memo: dict, key: str, clock: float):
    entry = memo.get(key)
    return entry[1] if entry is not None and entry[0] > clock else None


def _remember(memo: dict, values: dict, expires: float) -> None:
    if len(memo) + len(values) > FACTS_KEEP:
        memo.clear()
    for key, value in values.items():
        memo[key] = (expires, value)


def _add_hashtags_and_followers(facts: dict[str, VideoFacts], clock: float) -> None:
    missing_tags = [pk for pk in facts if _fresh(_TAGS, pk, clock) is None]
    if missing_tags:
        tags: dict[str, list[str]] = {pk: [] for pk in missing_tags}
        tagged = Video.hashtags.through.objects.filter(video_id__in=missing_tags).values_list(
            "video_id", "hashtag__name"
        )
        for video_id, name in tagged:
            tags[str(video_id)].append(name)
        # tuples of text, which the collector stops tracking (lists it walks in every full pass)
        _remember(_TAGS, {pk: tuple(names) for pk, names in tags.items()}, clock + TAGS_TTL_S)
    authors = {video.author for video in facts.values()}
    missing_authors = [a for a in authors if _fresh(_FOLLOWERS, a, clock) is None]
    if missing_authors:
        counted = dict(
            Follow.objects.filter(followee_id__in=missing_authors, state=FollowState.FOLLOWING)
            .values("followee_id")
            .annotate(n=Count("id"))
            .values_list("followee_id", "n")
        )
        found = {a: counted.get(int(a), 0) for a in missing_authors}
        _remember(_FOLLOWERS, found, clock + FOLLOWERS_TTL_S)
    missing_traits = {
        pk: (video.author, video.sound)
        for pk, video in facts.items()
        if _fresh(_TRAITS, pk, clock) is None
    }
    if missing_traits:
        _remember(_TRAITS, missing_traits, clock + TAGS_TTL_S)
    for video in facts.values():
        video.hashtags = list(_fresh(_TAGS, video.id, clock) or [])
        video.creator_followers = _fresh(_FOLLOWERS, video.author, clock) or 0


def forget_creator(creator_id) -> None:
    """Drop a creator's memoised follower count (their followers changed)."""
    _FOLLOWERS.pop(str(creator_id), None)


def forget_memo() -> None:
    """Empty this process's memo of hashtags and follower counts."""
    _TAGS.clear()
    _FOLLOWERS.clear()
    _TRAITS.clear()
