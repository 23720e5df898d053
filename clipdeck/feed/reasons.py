"""Why a video is in the feed, in words: the source and the top factors.

The shape is ``{"source": code, "label": short words, "factors": [words, …]}``.
Factors about the viewer appear only in the personalised feed, because the
non-personalised one knows nothing about the viewer.
"""

from __future__ import annotations

from clipdeck.feed.context import ViewerContext
from clipdeck.feed.features import VideoFacts, smoothed
from clipdeck.feed.sources import LABELS
from clipdeck.feed.sources.trending import region

MAX_FACTORS = 3
STRONG = 0.5  # an interest weight worth naming


def _label(source: str, because: str) -> str:
    if source == "following" and because:
        return f"From {because}, whom you follow"
    if source in ("hashtags", "sounds") and because:
        return f"{LABELS[source]}: {because}"
    if source == "trending":
        return f"Trending in {region()}"
    return LABELS[source]


def _personal(context: ViewerContext, video: VideoFacts) -> list[str]:
    factors = []
    if video.author in context.following:
        factors.append(f"you follow @{video.handle}")
    elif context.creators.get(video.author, 0) > STRONG:
        factors.append(f"you watch @{video.handle}'s videos")
    tags = [(context.hashtags.get(tag, 0), tag) for tag in video.hashtags]
    strongest = max(tags, default=(0, ""))
    if strongest[0] > STRONG / 2:
        factors.append(f"you engage with #{strongest[1]}")
    if video.sound and context.sounds.get(video.sound, 0) > STRONG:
        factors.append(f"you like the sound “{video.sound_title}”")
    return factors


def _general(video: VideoFacts, trending: bool) -> list[str]:
    factors = []
    if trending:
        factors.append(f"popular in {region()} right now")
    if video.exposures >= 10 and smoothed(video.completions, video.exposures, "completion") > 0.5:
        factors.append("most viewers watch it to the end")
    if video.likes >= 3 and smoothed(video.likes, video.exposures, "like") > 0.08:
        factors.append("often liked")
    if video.shares >= 3 and smoothed(video.shares, video.exposures, "share") > 0.02:
        factors.append("often shared")
    if video.age_hours < 48:
        factors.append(f"posted {max(round(video.age_hours), 1)} h ago")
    return factors


def reason(
    source: str, because: str, video: VideoFacts, context: ViewerContext, *, trending: bool
) -> dict:
    """The reason shown with ``video``."""
    personal = _personal(context, video) if context.personalized else []
    factors = [*personal, *_general(video, trending or source == "trending")]
    return {
        "source": source,
        "label": _label(source, because),
        "factors": factors[:MAX_FACTORS],
    }
