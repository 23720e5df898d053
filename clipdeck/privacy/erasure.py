"""Account erasure: shred the data key, delete the rows and the media.

What goes (docs/privacy.md, "Erasure"):

- the user's data key (crypto-shredding: every copy of their protected fields,
  backups included, becomes unreadable) and its id goes to the ledger;
- the account and every row that hangs off it (follows, blocks, likes,
  comments, shares, events, carts, orders, shop, exports, tokens, sessions);
- their videos with every media file (originals, renditions, posters, original
  sounds), their avatar and the sounds they uploaded;
- duets and reactions by other people built on their videos, and remixes of
  those, because every frame of a rendered remix shows the erased person.

Counters of other people's videos (likes, comments) are recounted. Audit
entries that name the account by id stay: the chain must stay verifiable, and
an id alone reveals nothing once the account is gone.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from clipdeck.kernel import keys, ledger
from clipdeck.kernel.errors import InvalidInput
from clipdeck.kernel.models import UserKey
from clipdeck.privacy.models import DataExport

log = logging.getLogger(__name__)


def account_erase_self(*, user, password: str, otp: str | None = None) -> None:
    """Erase the caller's own account after re-checking their password (and 2FA code)."""
    from clipdeck.accounts import two_factor

    if not password or not user.check_password(password):
        raise InvalidInput(
            "The password is not right; your account was not erased.",
            code="invalid_credentials",
            field="password",
        )
    two_factor.require(user, otp)
    account_erase(user=user)


@transaction.atomic
def account_erase(*, user) -> str | None:
    """Erase ``user`` completely; the shredded key id, or None if they had no key."""
    from clipdeck.videos.models import Video

    user_id = user.pk
    key_id = keys.user_key_shred(user)
    videos = _with_remixes(Video.objects.filter(author_id=user_id))
    touched = _engaged_videos(user_id, exclude=videos)
    for video in Video.objects.filter(pk__in=videos):
        _video_delete(video)
    _delete_owned_files(user)
    _delete_shop(user_id)
    user.delete()
    _recount(touched)
    _delete_sessions(user_id)
    log.info("account %s erased (data key %s shredded)", user_id, key_id)
    return key_id


def reapply_ledger() -> int:
    """Erase again every account whose data key id is in the ledger; how many."""
    from clipdeck.accounts.models import User

    shredded = ledger.shredded_key_ids()
    rows = UserKey.objects.filter(key_id__in=list(shredded)).values_list("user_id", flat=True)
    users = list(User.objects.filter(pk__in=list(rows)))
    for user in users:
        account_erase(user=user)
    return len(users)


def _with_remixes(videos) -> set:
    """Ids of ``videos`` and every duet or reaction built on them, transitively."""
    from clipdeck.videos.models import Video

    found = set(videos.values_list("pk", flat=True))
    frontier = set(found)
    while frontier:
        frontier = (
            set(Video.objects.filter(remix_of__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def _engaged_videos(user_id: int, *, exclude: set) -> set:
    from clipdeck.videos.models import Comment, Like

    liked = Like.objects.filter(user_id=user_id).values_list("video_id", flat=True)
    commented = Comment.objects.filter(author_id=user_id).values_list("video_id", flat=True)
    return (set(liked) | set(commented)) - exclude


def _video_delete(video) -> None:
    from clipdeck.videos.services import video_delete

    video_delete(video=video)


def _delete_owned_files(user) -> None:
    from clipdeck.videos.models import Sound

    files = [user.avatar] if user.avatar else []
    files += [s.audio for s in Sound.objects.filter(created_by=user) if s.audio]
    files += [e.file for e in DataExport.objects.filter(user=user) if e.file]
    for field in files:
        transaction.on_commit(lambda f=field: f.storage.delete(f.name))


def _delete_shop(user_id: int) -> None:
    """The user's shop goes with them, with the orders placed in it."""
    from clipdeck.shop.models import Order

    Order.objects.filter(merchant__user_id=user_id).delete()


def _recount(video_ids: set) -> None:
    from clipdeck.videos.models import Video

    counted = Video.objects.filter(pk__in=video_ids).annotate(
        n_likes=Count("likes", distinct=True), n_comments=Count("comments", distinct=True)
    )
    for video in counted:
        Video.objects.filter(pk=video.pk).update(
            like_count=video.n_likes, comment_count=video.n_comments
        )


def _delete_sessions(user_id: int) -> None:
    """Browser sessions of the account (their data names it by id)."""
    live = Session.objects.filter(Q(expire_date__gt=timezone.now()))
    stale = [
        s.session_key
        for s in live.iterator()
        if str(s.get_decoded().get("_auth_user_id")) == str(user_id)
    ]
    Session.objects.filter(session_key__in=stale).delete()
