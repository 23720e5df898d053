"""Viewer filters and creator comment controls: ``/me/filters``, held comments, deleting
any comment on one's own videos. (Who may comment and the keyword filter are
settings of the account: ``PATCH /api/v1/me``.)"""

from __future__ import annotations

from ninja import Router

from clipdeck.kernel.auth import user_auth
from clipdeck.videos import comment_controls, filters
from clipdeck.videos.schemas import CommentOut, FiltersIn, FiltersOut, HeldCommentOut

router = Router(tags=["videos"])


@router.get(
    "/me/filters",
    response=FiltersOut,
    auth=user_auth,
    operation_id="filters_get",
    summary="Words and hashtags you never want to see",
)
def filters_get(request):
    return filters.viewer_filters(request.auth)


@router.put(
    "/me/filters",
    response=FiltersOut,
    auth=user_auth,
    operation_id="filters_set",
    summary="Replace your filters: hidden in every feed, search, hashtag and sound page, comments",
)
def filters_set(request, payload: FiltersIn):
    return filters.viewer_filters_set(
        user=request.auth, keywords=payload.keywords, hashtags=payload.hashtags
    )


@router.get(
    "/me/held-comments",
    response={200: list[HeldCommentOut]},
    auth=user_auth,
    operation_id="held_comments",
    summary="Comments on your videos waiting for your approval (your keyword filter)",
)
def held_comments(request):
    return list(comment_controls.held_comments(request.auth)[:200])


@router.post(
    "/comments/{comment_id}/approve",
    response=CommentOut,
    auth=user_auth,
    operation_id="comment_approve",
    summary="Let a held comment on your video through",
)
def comment_approve(request, comment_id: int):
    return comment_controls.comment_approve(owner=request.auth, comment_id=comment_id)
