"""Pages only their owner sees: the activity inbox and favourites."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clipdeck.accounts.models import Follow, FollowState
from clipdeck.inbox import selectors
from clipdeck.inbox.presenters import link, sentence
from clipdeck.videos import saved
from clipdeck.videos import selectors as video_selectors
from clipdeck.videos.media import media_urls
from clipdeck.web.pages import GRID_SIZE as GRID
from clipdeck.web.pages import cards

PAGE = 50


@login_required(login_url="/login")
def inbox_page(request: HttpRequest) -> HttpResponse:
    """Newest first; the page marks them read once shown (``inbox.js``)."""
    user = request.user
    rows = list(selectors.notifications_for(user)[:PAGE])
    items = [
        {
            "n": n,
            "text": sentence(n),
            "url": link(n),
            "poster": media_urls(n.video, user.pk)["poster"] if n.video else None,
        }
        for n in rows
    ]
    pending = Follow.objects.filter(followee=user, state=FollowState.REQUESTED).count()
    return render(
        request,
        "web/inbox.html",
        {
            "items": items,
            "pending": pending,
            "newest": rows[0].pk if rows else None,
            "nav": "inbox",
        },
    )


@login_required(login_url="/login")
def favorites_page(request: HttpRequest) -> HttpResponse:
    """The videos you saved, that you may still see; nobody else sees this list."""
    videos = video_selectors.with_relations(saved.favorites_of(request.user))
    videos = videos.order_by("-favorited_by__created_at")[:GRID]
    return render(request, "web/favorites.html", {"cards": cards(videos, request.user)})
