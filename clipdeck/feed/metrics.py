"""The feed's own Prometheus metric; ``/metrics`` exports every registered metric."""

from __future__ import annotations

from prometheus_client import Histogram

FEED_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)

FEED_LATENCY = Histogram(
    "clipdeck_feed_duration_seconds",
    "Time to build one feed page, by feed.",
    ["feed"],
    buckets=FEED_BUCKETS,
)


def feed_timed(feed: str):
    """Decorator (or context manager) recording how long building ``feed`` takes."""
    return FEED_LATENCY.labels(feed=feed).time()
