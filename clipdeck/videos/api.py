"""Videos API: reading, editing and deleting videos, engagement and sounds."""

from __future__ import annotations

from ninja import Router, Status

from clipdeck.accounts.models import User
from clipdeck.accounts.policies import ProfileContent, profile_access
from clipdeck.kernel import ratelimit
from clipdeck.kernel.auth import user_auth, viewer_auth, viewer_of
from clipdeck.kernel.pagination import paginate
from clipdeck.videos import presenters, selectors, services
from clipdeck.videos.models import Video
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
from clipdeck.videos.visibility import sound_access, video_access

router = Router(tags=["videos"])


def _detail(video_id, viewer: User | None) -> Video:
    video = video_access(viewer, video_id)
    return selectors.with_relations(Video.objects.filter(pk=video.pk)).get()


def _page_out(page, viewer) -> dict:
    return {"items": presenters.videos_out(page.items, viewer), "next_cursor": page.next_cursor}


@router.get(
    "/videos/{video_id}",
    response=VideoOut,
    auth=viewer_auth,
    operation_id="video_get",
    summary="A video, if you may see it",
)
def video_get(request, video_id: str):
    viewer = viewer_of(request)
    return presenters.videos_out([_detail(video_id, viewer)], viewer)[0]


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
    return presenters.videos_out([_detail(video.pk, request.auth)], request.auth)[0]


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
    return presenters.videos_out([_detail(video.pk, request.auth)], request.auth)[0]


@router.get(
    "/me/drafts",
    response=VideoPage,
    auth=user_auth,
    operation_id="drafts",
    summary="Your drafts and videos still processing or failed",
)
def drafts(request, cursor: str | None = None, limit: int | None = None):
    return _page_out(
        paginate(selectors.drafts_of(request.auth), cursor=cursor, limit=limit), request.auth
    )


@router.get(
    "/users/{handle}/videos",
    response=VideoPage,
    auth=viewer_auth,
    operation_id="user_videos",
    summary="The videos of an account you may see",
)
def user_videos(request, handle: str, cursor: str | None = None, limit: int | None = None):
    viewer = viewer_of(request)
    owner = profile_access(viewer, handle, require_content=ProfileContent.VIDEOS)
    page = paginate(
        selectors.profile_videos(viewer, owner),
        cursor=cursor,
        limit=limit,
        time_field="published_at",
    )
    return _page_out(page, viewer)


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
    summary="Comments, newest first",
)
def comments(request, video_id: str, cursor: str | None = None, limit: int | None = None):
    viewer = viewer_of(request)
    video = video_access(viewer, video_id)
    page = paginate(selectors.comments_on(viewer, video), cursor=cursor, limit=limit)
    return {
        "items": [presenters.comment_out(c) for c in page.items],
        "next_cursor": page.next_cursor,
    }


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
    comment = services.comment_create(author=request.auth, video=video, text=payload.text)
    return Status(201, presenters.comment_out(comment))


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
    services.share_create(video=video, user=viewer)
    video.refresh_from_db(fields=["share_count"])
    return {"url": share_url(video), "count": video.share_count}


@router.get(
    "/sounds",
    response=SoundPage,
    auth=viewer_auth,
    operation_id="sounds",
    summary="The music library, optionally by genre",
)
def sounds(request, genre: str | None = None, cursor: str | None = None, limit: int | None = None):
    page = paginate(selectors.sounds(genre), cursor=cursor, limit=limit)
    viewer = viewer_of(request)
    items = [presenters.sound_out(sound, viewer) for sound in page.items]
    return {"items": items, "next_cursor": page.next_cursor}


@router.get(
    "/sounds/{sound_id}",
    response=SoundOut,
    auth=viewer_auth,
    operation_id="sound_get",
    summary="A sound",
)
def sound_get(request, sound_id: int):
    viewer = viewer_of(request)
    return presenters.sound_out(sound_access(viewer, sound_id), viewer)


@router.get(
    "/sounds/{sound_id}/videos",
    response=VideoPage,
    auth=viewer_auth,
    operation_id="sound_videos",
    summary="Videos using this sound",
)
def sound_videos(request, sound_id: int, cursor: str | None = None, limit: int | None = None):
    viewer = viewer_of(request)
    sound = sound_access(viewer, sound_id)
    page = paginate(
        selectors.sound_videos(viewer, sound), cursor=cursor, limit=limit, time_field="published_at"
    )
    return _page_out(page, viewer)
