"""Accounts to suggest in the sidebar: creators of well-liked videos the viewer may see."""

from __future__ import annotations

from django.db.models import Sum

from clipdeck.accounts.models import Follow, User
from clipdeck.videos.models import Video

SUGGESTED = 5


def suggested_accounts(viewer: User | None, limit: int = SUGGESTED) -> list[User]:
    """Creators whose public, published videos ``viewer`` may see, most liked first.

    The viewer themself and accounts they already follow (or asked to) are left
    out; blocked accounts never appear because their videos are not visible.
    """
    videos = Video.objects.visible_to(viewer).published()
    if viewer is not None:
        followed = Follow.objects.filter(follower=viewer).values("followee")
        videos = videos.exclude(author=viewer).exclude(author__in=followed)
    ranked = (
        videos.values("author")
        .annotate(likes=Sum("like_count"))
        .order_by("-likes", "author")
        .values_list("author", flat=True)[:limit]
    )
    ids = list(ranked)
    people = User.objects.in_bulk(ids)
    return [people[pk] for pk in ids if pk in people]
