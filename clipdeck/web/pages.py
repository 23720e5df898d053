"""Pages anyone may open: feeds, a video, a profile, a sound, a hashtag.

Feeds render an empty shell that ``feed.js`` fills from the JSON API; the
other pages are rendered here, every read going through the visibility policy.
"""

from __future__ import annotations

import markdown
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clipdeck.accounts.models import Follow, FollowState
from clipdeck.accounts.policies import can_see_videos_of, profile_access
from clipdeck.accounts.selectors import profile_counts, relationship
from clipdeck.feed.explanation import main_parameters_markdown
from clipdeck.kernel.errors import Forbidden, NotFound
from clipdeck.videos import selectors
from clipdeck.videos.media import captions_url, media_urls, sound_url
from clipdeck.videos.models import Video
from clipdeck.videos.presenters import captioned_ids, source_state
from clipdeck.videos.visibility import is_public, sound_access, video_access
from clipdeck.web.viewer import viewer_of

GRID_SIZE = 60


def cards(videos, viewer) -> list[dict]:
    """Grid tiles: each video with the media URLs this viewer may use."""
    viewer_id = viewer.pk if viewer else None
    return [{"video": video, "media": media_urls(video, viewer_id)} for video in videos]


def for_you(request: HttpRequest) -> HttpResponse:
    personalized = request.GET.get("personalized") != "false"
    return render(
        request,
        "web/feed.html",
        {"source": "for-you", "nav": "home", "personalized": personalized},
    )


def following(request: HttpRequest) -> HttpResponse:
    return render(request, "web/feed.html", {"source": "following", "nav": "following"})


def video_page(request: HttpRequest, video_id) -> HttpResponse:
    viewer = viewer_of(request)
    video = source_state([video_access(viewer, video_id)], viewer)[0]
    comments = (
        selectors.comments_on(viewer, video).order_by(
            F("pinned_at").desc(nulls_last=True), "-created_at"
        )[:50]
        if video.allow_comments
        else []
    )
    return render(
        request,
        "web/video.html",
        {
            "video": video,
            "media": media_urls(video, viewer.pk if viewer else None),
            "captions_url": captions_url(_with_captions(video)),
            "captions_when_muted": viewer is None or viewer.captions_when_muted,
            "comments": comments,
            "liked": bool(selectors.liked_ids(viewer, [video])),
            "saved": viewer is not None and video.favorited_by.filter(user=viewer).exists(),
            "is_owner": viewer is not None and viewer.pk == video.author_id,
            "remixable": is_public(video),
            "og_url": request.build_absolute_uri(),
        },
    )


def _with_captions(video: Video) -> Video:
    video.has_captions = bool(captioned_ids([video]))
    return video


def profile_page(request: HttpRequest, handle: str) -> HttpResponse:
    viewer = viewer_of(request)
    owner = profile_access(viewer, handle)
    visible = can_see_videos_of(viewer, owner)
    videos = (
        selectors.with_relations(selectors.profile_videos(viewer, owner)).order_by(
            F("pinned_at").desc(nulls_last=True), "-published_at"
        )[:GRID_SIZE]
        if visible
        else []
    )
    is_owner = viewer is not None and viewer.pk == owner.pk
    return render(
        request,
        "web/profile.html",
        {
            "owner": owner,
            "counts": profile_counts(owner, viewer),
            "relation": relationship(viewer, owner),
            "is_owner": is_owner,
            "can_see_videos": visible,
            "cards": cards(videos, viewer),
            "pending_requests": (
                Follow.objects.filter(followee=owner, state=FollowState.REQUESTED).count()
                if is_owner
                else 0
            ),
            "nav": "profile" if is_owner else None,
        },
    )


def sound_page(request: HttpRequest, sound_id: int) -> HttpResponse:
    """A sound, its "use this sound" button and its videos: only for a sound one may use (R1)."""
    viewer = viewer_of(request)
    try:
        sound = sound_access(viewer, sound_id, for_use=True)
    except Forbidden as refused:
        raise NotFound(refused.message) from None
    videos = selectors.with_relations(selectors.sound_videos(viewer, sound))[:GRID_SIZE]
    return render(
        request,
        "web/sound.html",
        {"sound": sound, "audio": sound_url(sound), "cards": cards(videos, viewer)},
    )


def about_for_you(request: HttpRequest) -> HttpResponse:
    return render(request, "web/about_for_you.html", {"explanation": _feed_explanation()})


def _feed_explanation() -> str:
    """The recommender's own plain-language description of its main parameters, as HTML."""
    return markdown.markdown(main_parameters_markdown())
