"""The exploration pool: every new public video gets a guaranteed small audience.

Policy (also in docs/feed.md):

- A new video starts in pool 0. While its exposures (views and skips) are
  below the pool's cap it is a candidate for everyone, its score drawn by
  Thompson sampling from Beta posteriors of its completion and like rates
  (prior Beta(1, 1)), so promising videos are shown more but every video is
  shown.
- When it reaches the cap it is promoted to the next, larger pool if the
  posterior mean completion or like rate clears that pool's bar; otherwise it
  leaves exploration and lives on through the other sources (trending,
  hashtags, sounds, following, co-engagement).
- After the last pool it has graduated.

The open pool is one list for everyone, refreshed every ``CACHE_S`` seconds (so a
video may get a few more exposures than its cap); every candidate still goes
through the viewer's visibility check in the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.utils import timezone

from clipdeck.feed.context import ViewerContext
from clipdeck.feed.features import warm
from clipdeck.feed.models import VideoStats
from clipdeck.feed.shared import shared_list
from clipdeck.feed.sources import Candidate
from clipdeck.videos.models import Video, VideoStatus

CODE = "exploration"
DAYS = 7
KEEP = 2000  # newest open videos kept in the shared pool
CACHE_S = 30
CACHE_KEY = "feed:exploration"
_SAMPLING: np.random.Generator | None = None  # see seed_sampling
LIKE_WEIGHT = 2.0


@dataclass(frozen=True)
class Pool:
    cap: int  # exposures before the video is judged
    completion_bar: float  # posterior mean completion needed to be promoted
    like_bar: float  # or posterior mean like rate


POOLS = (Pool(50, 0.30, 0.05), Pool(500, 0.40, 0.07), Pool(5000, 0.50, 0.10))


def posterior_means(stats: VideoStats) -> tuple[float, float]:
    """Mean completion and like rates under Beta(1, 1) priors."""
    trials = stats.exposures + 2
    return (stats.completions + 1) / trials, (stats.likes + 1) / trials


def promote(stats: VideoStats) -> int:
    """The pool ``stats`` earns once its exposures reach its current pool's cap."""
    if stats.pool >= len(POOLS) or stats.exposures < POOLS[stats.pool].cap:
        return stats.pool
    completion, like = posterior_means(stats)
    bar = POOLS[stats.pool]
    return (
        stats.pool + 1 if completion >= bar.completion_bar or like >= bar.like_bar else stats.pool
    )


def seed_sampling(seed: int | None) -> None:
    """Make the Thompson draws of the feed reproducible (simulations); None undoes it."""
    global _SAMPLING
    _SAMPLING = None if seed is None else np.random.default_rng(seed)


def sample(rows: list[dict], rng: np.random.Generator) -> np.ndarray:
    """One Thompson draw per video: completion + LIKE_WEIGHT x like rate."""
    exposures = np.array([row["exposures"] for row in rows], dtype=float)
    completions = np.array([row["completions"] for row in rows], dtype=float)
    likes = np.array([row["likes"] for row in rows], dtype=float)
    completion = rng.beta(1 + completions, 1 + np.maximum(exposures - completions, 0))
    like = rng.beta(1 + likes, 1 + np.maximum(exposures - likes, 0))
    return completion + LIKE_WEIGHT * like


def open_pool() -> list[dict]:
    """Published videos of the last week whose pool still has room, newest first.

    One list for everyone, refreshed every ``CACHE_S`` seconds (``shared``); it
    holds no personal data, and the pipeline filters it per viewer through the
    visibility policy like every other candidate.
    """
    return shared_list(CACHE_KEY, _compute_pool, fresh_s=CACHE_S)


def _compute_pool() -> list[dict]:
    since = timezone.now() - timedelta(days=DAYS)
    rows = (
        Video.objects.filter(status=VideoStatus.PUBLISHED, published_at__gte=since)
        .order_by("-published_at", "-pk")
        .values_list(
            "pk",
            "feed_stats__exposures",
            "feed_stats__completions",
            "feed_stats__likes",
            "feed_stats__pool",
        )
    )
    pool_rows = []
    for pk, exposures, completions, likes, pool in rows.iterator(chunk_size=2000):
        pool, exposures = pool or 0, exposures or 0
        if pool >= len(POOLS) or exposures >= POOLS[pool].cap:
            continue
        pool_rows.append(
            {
                "id": str(pk),
                "exposures": exposures,
                "completions": completions or 0,
                "likes": likes or 0,
                "pool": pool,
            }
        )
        if len(pool_rows) == KEEP:
            break
    warm(row["id"] for row in pool_rows)  # the shortlist reads their hashtags from the memo
    return pool_rows


def candidates(
    context: ViewerContext,
    *,
    limit: int,
    exclude: set[str],
    rng: np.random.Generator | None = None,
) -> list[Candidate]:
    """New videos still exploring, ordered by a Thompson draw."""
    rows = [row for row in open_pool() if row["id"] not in exclude][: 10 * limit]
    if not rows:
        return []
    draws = sample(rows, rng or _SAMPLING or np.random.default_rng())
    order = np.argsort(-draws)[:limit]
    return [
        Candidate(rows[i]["id"], CODE, float(draws[i]), str(rows[i]["exposures"])) for i in order
    ]
