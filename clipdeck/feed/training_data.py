"""The event log as training data: interactions for ALS, labelled examples for the ranker.

The ranker learns from the last fifth of the data window: features are what
the feed knew at the cut-off (interests from earlier events, video counters
from earlier events), labels what the viewer did after it. No feature sees a
label.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import scipy.sparse as sp
from django.db.models import Count

from clipdeck.accounts.models import Follow, FollowState
from clipdeck.feed.context import ViewerContext, fold
from clipdeck.feed.features import VideoFacts
from clipdeck.feed.interest_weights import COMPLETED, implicit_weight, interest
from clipdeck.feed.models import Event, EventKind
from clipdeck.videos.models import Comment, Like, Share, Video


@dataclass(frozen=True)
class Row:
    user: int
    video: str
    kind: int
    completion: float
    at: datetime


@dataclass
class Log:
    """Every signal of the window, oldest first, and the videos it mentions."""

    rows: list[Row]
    videos: dict[str, dict] = field(default_factory=dict)
    following: dict[int, set[str]] = field(default_factory=dict)  # user -> followed user ids

    @property
    def start(self) -> datetime | None:
        return self.rows[0].at if self.rows else None

    @property
    def end(self) -> datetime | None:
        return self.rows[-1].at if self.rows else None


def load_log(since: datetime) -> Log:
    """Events, likes, comments and shares since ``since``, with the videos' facts."""
    rows = [
        Row(user, str(video), kind, pm / 1000, at)
        for user, video, kind, pm, at in Event.objects.filter(at__gte=since).values_list(
            "user_id", "video_id", "kind", "completion_pm", "at"
        )
    ]
    for model, user_field, kind in (
        (Like, "user_id", EventKind.LIKE),
        (Comment, "author_id", EventKind.COMMENT),
        (Share, "user_id", EventKind.SHARE),
    ):
        signals = model.objects.filter(created_at__gte=since, **{f"{user_field}__isnull": False})
        for user, video, at in signals.values_list(user_field, "video_id", "created_at"):
            rows.append(Row(user, str(video), kind, 0.0, at))
    rows.sort(key=lambda row: row.at)
    videos = _video_facts({row.video for row in rows})
    return Log(rows=rows, videos=videos, following=_following({row.user for row in rows}))


def _following(users: set[int]) -> dict[int, set[str]]:
    """Who each user follows now, as the feed's context reads it (``viewer_follows_creator``)."""
    following: dict[int, set[str]] = defaultdict(set)
    for part in _chunks(users):
        rows = Follow.objects.filter(follower_id__in=part, state=FollowState.FOLLOWING).values_list(
            "follower_id", "followee_id"
        )
        for follower, followee in rows:
            following[follower].add(str(followee))
    return following


CHUNK = 20_000  # ids per query: SQLite takes at most 250,000 parameters


def _chunks(ids) -> list[list]:
    """``ids`` in lists of at most ``CHUNK``."""
    ids = list(ids)
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _video_facts(ids: set[str]) -> dict[str, dict]:
    facts = {}
    for part in _chunks(ids):
        rows = Video.objects.filter(pk__in=part).values_list(
            "pk", "author_id", "sound_id", "duration_ms", "published_at"
        )
        for pk, a, s, d, p in rows:
            facts[str(pk)] = {
                "author": str(a),
                "sound": str(s) if s else None,
                "tags": [],
                "duration": d,
                "published": p,
            }
        tagged = Video.hashtags.through.objects.filter(video_id__in=part).values_list(
            "video_id", "hashtag__name"
        )
        for video_id, name in tagged:
            facts[str(video_id)]["tags"].append(name)
    authors = {video["author"] for video in facts.values()}
    followers = {}
    for part in _chunks(authors):
        followers.update(
            Follow.objects.filter(followee_id__in=part, state=FollowState.FOLLOWING)
            .values("followee_id")
            .annotate(n=Count("id"))
            .values_list("followee_id", "n")
        )
    for video in facts.values():
        video["followers"] = followers.get(int(video["author"]), 0)
    return facts


def interactions(rows: list[Row], items: list[str]) -> tuple[sp.csr_matrix, list[int]]:
    """Users x items confidence matrix (completion-weighted) and its user ids."""
    index = {item: col for col, item in enumerate(items)}
    users = sorted({row.user for row in rows})
    user_index = {user: r for r, user in enumerate(users)}
    weights: dict[tuple[int, int], float] = defaultdict(float)
    for row in rows:
        if row.video in index:
            weights[(user_index[row.user], index[row.video])] += implicit_weight(
                row.kind, row.completion
            )
    keys = [key for key, weight in weights.items() if weight > 0]
    data = [weights[key] for key in keys]
    matrix = sp.csr_matrix(
        (data, ([k[0] for k in keys], [k[1] for k in keys])),
        shape=(len(users), len(items)),
        dtype=np.float32,
    )
    return matrix, users


def contexts_at(
    rows: list[Row], videos: dict[str, dict], following: dict[int, set[str]] | None = None
) -> dict[int, ViewerContext]:
    """Each user's interests from ``rows`` and follows, as the feed would have known them."""
    contexts: dict[int, ViewerContext] = {}
    following = following or {}
    completions: dict[int, list[float]] = defaultdict(list)
    for row in rows:
        video = videos.get(row.video)
        if video is None:
            continue
        context = contexts.get(row.user)
        if context is None:
            context = ViewerContext(personalized=True, following=set(following.get(row.user, ())))
            contexts[row.user] = context
        fold(
            context,
            row.video,
            video["author"],
            video["sound"],
            video["tags"],
            interest(row.kind, row.completion),
        )
        context.events += 1
        if row.kind == EventKind.VIEW:
            completions[row.user].append(min(row.completion, 1.0))
    for user, values in completions.items():
        contexts[user].mean_completion = sum(values) / len(values)
    return contexts


def facts_at(rows: list[Row], videos: dict[str, dict], when: datetime) -> dict[str, VideoFacts]:
    """Each video's counters from ``rows`` alone, aged as of ``when``."""
    facts = {
        pk: VideoFacts(
            id=pk,
            author=video["author"],
            handle="",
            sound=video["sound"],
            sound_title="",
            duration_ms=video["duration"],
            age_hours=max((when - (video["published"] or when)).total_seconds() / 3600, 0.0),
            hashtags=video["tags"],
            creator_followers=video.get("followers", 0),
        )
        for pk, video in videos.items()
    }
    for row in rows:
        video = facts.get(row.video)
        if video is None:
            continue
        exposed = row.kind in (EventKind.VIEW, EventKind.SKIP)
        video.exposures += int(exposed)
        video.completions += int(row.kind == EventKind.VIEW and row.completion >= COMPLETED)
        video.completion_sum += min(row.completion, 1.0) if exposed else 0.0
        video.skips += int(row.kind == EventKind.SKIP)
        video.likes += int(row.kind == EventKind.LIKE)
        video.shares += int(row.kind == EventKind.SHARE)
        video.comments += int(row.kind == EventKind.COMMENT)
    return facts


def labelled_pairs(rows: list[Row]) -> list[tuple[int, str, dict[str, int]]]:
    """(user, video, labels) for each video a user was shown after the cut-off."""
    shown: dict[tuple[int, str], dict[str, int]] = {}
    acted: dict[tuple[int, str], set[int]] = defaultdict(set)
    for row in rows:
        key = (row.user, row.video)
        acted[key].add(row.kind)
        if row.kind in (EventKind.VIEW, EventKind.SKIP):
            labels = shown.setdefault(key, {"complete": 0, "like": 0, "share": 0})
            if row.kind == EventKind.VIEW and row.completion >= COMPLETED:
                labels["complete"] = 1
    for key, labels in shown.items():
        labels["like"] = int(EventKind.LIKE in acted[key])
        labels["share"] = int(EventKind.SHARE in acted[key])
    return [(user, video, labels) for (user, video), labels in shown.items()]
