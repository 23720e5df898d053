"""Threads, comment likes, pinned comments, favourites and profile pins."""

from __future__ import annotations

from ninja import Router, Status
from ninja.pagination import paginate

from clipdeck.kernel.auth import user_auth, viewer_auth, viewer_of
from clipdeck.kernel.pagination import CursorPagination
from clipdeck.videos import saved, selectors, threads
from clipdeck.videos.presenters import video_page
from clipdeck.videos.schemas import (
    CommentLikeOut,
    CommentOut,
    CommentPage,
    FavoriteOut,
    PinOut,
    VideoPage,
)
from clipdeck.videos.visibility import video_access

router = Router(tags=["threads"])


@router.get(
    "/comments/{comment_id}/replies",
    response=CommentPage,
    auth=viewer_auth,
    operation_id="comment_replies",
    summary="Replies to a comment, oldest first",
)
def comment_replies(request, comment_id: int):
    viewer = viewer_of(request)
    replies = selectors.replies_to(viewer, threads.comment_access(viewer, comment_id))
    return {"items": list(replies[:200]), "next_cursor": None}


@router.post(
    "/comments/{comment_id}/like",
    response=CommentLikeOut,
    auth=user_auth,
    operation_id="comment_like",
    summary="Like a comment",
)
def comment_like(request, comment_id: int):
    comment = threads.comment_like_create(
        user=request.auth, comment=threads.comment_access(request.auth, comment_id)
    )
    return {"liked": True, "count": comment.like_count}


@router.delete(
    "/comments/{comment_id}/like",
    response=CommentLikeOut,
    auth=user_auth,
    operation_id="comment_unlike",
    summary="Take back a comment like",
)
def comment_unlike(request, comment_id: int):
    comment = threads.comment_like_delete(
        user=request.auth, comment=threads.comment_access(request.auth, comment_id)
    )
    return {"liked": False, "count": comment.like_count}


@router.delete(
    "/comments/{comment_id}",
    response={204: None},
    auth=user_auth,
    operation_id="comment_delete",
    summary="Delete a comment: its author, or the video's owner",
)
def comment_delete(request, comment_id: int):
    threads.comment_delete(
        actor=request.auth, comment=threads.comment_access(request.auth, comment_id)
    )
    return Status(204, None)


@router.post(
    "/comments/{comment_id}/pin",
    response=CommentOut,
    auth=user_auth,
    operation_id="comment_pin",
    summary="Pin a comment to the top of your video",
)
def comment_pin(request, comment_id: int):
    return threads.comment_pin(
        owner=request.auth, comment=threads.comment_access(request.auth, comment_id)
    )


@router.delete(
    "/comments/{comment_id}/pin",
    response=CommentOut,
    auth=user_auth,
    operation_id="comment_unpin",
    summary="Unpin a comment of your video",
)
def comment_unpin(request, comment_id: int):
    return threads.comment_unpin(
        owner=request.auth, comment=threads.comment_access(request.auth, comment_id)
    )


@router.post(
    "/videos/{video_id}/favorite",
    response=FavoriteOut,
    auth=user_auth,
    operation_id="favorite",
    summary="Save a video to your favourites (only you see them)",
)
def favorite(request, video_id: str):
    saved.favorite_create(user=request.auth, video=video_access(request.auth, video_id))
    return {"saved": True}


@router.delete(
    "/videos/{video_id}/favorite",
    response=FavoriteOut,
    auth=user_auth,
    operation_id="unfavorite",
    summary="Remove a video from your favourites",
)
def unfavorite(request, video_id: str):
    saved.favorite_delete(user=request.auth, video=video_access(request.auth, video_id))
    return {"saved": False}


@router.get(
    "/me/favorites",
    response=VideoPage,
    auth=user_auth,
    operation_id="favorites",
    summary="Your favourites that you may still see",
)
@paginate(CursorPagination, time_field="published_at", present=video_page)
def favorites(request):
    return selectors.with_relations(saved.favorites_of(request.auth))


@router.post(
    "/videos/{video_id}/pin",
    response=PinOut,
    auth=user_auth,
    operation_id="video_pin",
    summary="Pin your video to the top of your profile (at most 3)",
)
def video_pin(request, video_id: str):
    saved.video_pin(
        owner=request.auth, video=video_access(request.auth, video_id, require_owner=True)
    )
    return {"pinned": True}


@router.delete(
    "/videos/{video_id}/pin",
    response=PinOut,
    auth=user_auth,
    operation_id="video_unpin",
    summary="Unpin your video",
)
def video_unpin(request, video_id: str):
    saved.video_unpin(
        owner=request.auth, video=video_access(request.auth, video_id, require_owner=True)
    )
    return {"pinned": False}
