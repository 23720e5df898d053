"""Videos API: reading, editing and deleting videos, engagement and sounds."""

from __future__ import annotations

from ninja import Router, Status
from ninja.pagination import paginate

from clipdeck.accounts.models import User
from clipdeck.accounts.policies import ProfileContent, profile_access
from clipdeck.kernel import ratelimit
from clipdeck.kernel.auth import user_auth, viewer_auth, viewer_of
from clipdeck.kernel.pagination import CursorPagination
from clipdeck.videos import selectors, services
from clipdeck.videos.models import Video
from clipdeck.videos.presenters import video_page, viewer_state
from clipdeck.videos.schemas import (
    CommentIn,
    CommentOut,
    CommentPage,
    LikeOut,
    ShareOut,
    SoundOut,
    SoundPage,
    VideoOut,
    VideoPage,
    VideoPatch,
)
from clipdeck.videos.sharing import share_url
from clipdeck.videos.threads import comment_access
from clipdeck.videos.visibility import sound_access, video_access

router = Router(tags=["videos"])


def _detail(video_id, viewer: User | None) -> Video:
    """One video with its relations and the viewer's state, ready for ``VideoOut``."""
    video = video_access(viewer, video_id)
    return viewer_state(
        [selectors.with_relations(Video.objects.filter(pk=video.pk)).get()], viewer
    )[0]


@router.get(
    "/videos/{video_id}",
    response=VideoOut,
    auth=viewer_auth,
    operation_id="video_get",
    summary="A video, if you may see it",
)
def video_get(request, video_id: str):
    return _detail(video_id, viewer_of(request))


@router.patch(
    "/videos/{video_id}",
    response=VideoOut,
    auth=user_auth,
    operation_id="video_update",
    summary="Change caption, visibility or permissions",
)
def video_update(request, video_id: str, payload: VideoPatch):
    video = services.video_update(
        video=video_access(request.auth, video_id, require_owner=True),
        **payload.dict(exclude_unset=True),
    )
    return _detail(video.pk, request.auth)


@router.delete(
    "/videos/{video_id}",
    response={204: None},
    auth=user_auth,
    operation_id="video_delete",
    summary="Delete your video",
)
def video_delete(request, video_id: str):
    services.video_delete(video=video_access(request.auth, video_id, require_owner=True))
    return Status(204, None)


@router.post(
    "/videos/{video_id}/publish",
    response=VideoOut,
    auth=user_auth,
    operation_id="video_publish",
    summary="Publish a draft",
)
def video_publish(request, video_id: str):
    video = services.video_publish(video=video_access(request.auth, video_id, require_owner=True))
    return _detail(video.pk, request.auth)


@router.get(
    "/me/drafts",
    response=VideoPage,
    auth=user_auth,
    operation_id="drafts",
    summary="Your drafts, videos still processing or failed, and remixes only you can see",
)
@paginate(CursorPagination, present=video_page)
def drafts(request):
    return selectors.drafts_of(request.auth)


@router.get(
    "/users/{handle}/videos",
    response=VideoPage,
    auth=viewer_auth,
    operation_id="user_videos",
    summary="The videos of an account you may see",
)
@paginate(CursorPagination, time_field="published_at", present=video_page)
def user_videos(request, handle: str):
    viewer = viewer_of(request)
    owner = profile_access(viewer, handle, require_content=ProfileContent.VIDEOS)
    return selectors.profile_videos(viewer, owner)


@router.post(
    "/videos/{video_id}/like",
    response=LikeOut,
    auth=user_auth,
    operation_id="like",
    summary="Like a video",
)
def like(request, video_id: str):
    video = services.like_create(user=request.auth, video=video_access(request.auth, video_id))
    return {"liked": True, "count": video.like_count}


@router.delete(
    "/videos/{video_id}/like",
    response=LikeOut,
    auth=user_auth,
    operation_id="unlike",
    summary="Take back a like",
)
def unlike(request, video_id: str):
    video = services.like_delete(user=request.auth, video=video_access(request.auth, video_id))
    return {"liked": False, "count": video.like_count}


@router.get(
    "/videos/{video_id}/comments",
    response=CommentPage,
    auth=viewer_auth,
    operation_id="comments",
    summary="Top-level comments, newest first (replies: /comments/{id}/replies)",
)
@paginate(CursorPagination)
def comments(request, video_id: str):
    viewer = viewer_of(request)
    return selectors.comments_on(viewer, video_access(viewer, video_id))


@router.post(
    "/videos/{video_id}/comments",
    response={201: CommentOut},
    auth=user_auth,
    operation_id="comment_create",
    summary="Comment on a video",
)
def comment_create(request, video_id: str, payload: CommentIn):
    video = video_access(request.auth, video_id)
    ratelimit.throttle("comment", user_id=request.auth.pk, ip=request.META.get("REMOTE_ADDR"))
    reply_to = comment_access(request.auth, payload.reply_to) if payload.reply_to else None
    comment = services.comment_create(
        author=request.auth, video=video, text=payload.text, reply_to=reply_to
    )
    return Status(201, comment)


@router.post(
    "/videos/{video_id}/share",
    response=ShareOut,
    auth=viewer_auth,
    operation_id="share",
    summary="A link to share, counted",
)
def share(request, video_id: str):
    viewer = viewer_of(request)
    video = video_access(viewer, video_id)
    services.share_create(video=video, user=viewer, ip=request.META.get("REMOTE_ADDR"))
    video.refresh_from_db(fields=["share_count"])
    return {"url": share_url(video, request), "count": video.share_count}


@router.get(
    "/sounds",
    response=SoundPage,
    auth=viewer_auth,
    operation_id="sounds",
    summary="The music library, optionally by genre",
)
@paginate(CursorPagination)
def sounds(request, genre: str | None = None):
    return selectors.sounds(genre)


@router.get(
    "/sounds/{sound_id}",
    response=SoundOut,
    auth=viewer_auth,
    operation_id="sound_get",
    summary="A sound",
)
def sound_get(request, sound_id: int):
    return sound_access(viewer_of(request), sound_id, for_use=True)


@router.get(
    "/sounds/{sound_id}/videos",
    response=VideoPage,
    auth=viewer_auth,
    operation_id="sound_videos",
    summary="Videos using this sound",
)
@paginate(CursorPagination, time_field="published_at", present=video_page)
def sound_videos(request, sound_id: int):
    viewer = viewer_of(request)
    return selectors.sound_videos(viewer, sound_access(viewer, sound_id, for_use=True))
