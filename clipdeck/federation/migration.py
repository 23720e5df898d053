"""Moving an account between servers, and taking the social graph along as files.

- ``aliases_set``: the new account names the old one in ``alsoKnownAs``
  (the old server checks this before it announces the move);
- ``account_move``: the old account announces ``Move`` to its followers, whose
  servers make them follow the new account; the old profile then redirects;
- ``export_csv`` / ``import_csv``: follows, blocks and favourites as CSV files
  (the Mastodon column names, so files travel between implementations).
"""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils import timezone

from clipdeck.accounts.models import Block, Follow, FollowState, User
from clipdeck.accounts.services import block_create, follow_create
from clipdeck.federation import outbox, remote, uris
from clipdeck.federation.models import AccountMove, RemoteVideo
from clipdeck.kernel.errors import Conflict, DomainError, InvalidInput
from clipdeck.videos.models import Like
from clipdeck.videos.services import like_create

MAX_ALIASES = 10
MAX_IMPORT_ROWS = 5000
KINDS = ("follows", "blocks", "favourites")


def _actor_uri(account: str) -> str:
    account = (account or "").strip()
    if account.startswith(("https://", "http://")):
        return account
    username, host = remote.parse_acct(account)
    if host == uris.host().lower():
        user = User.objects.filter(handle__iexact=username).first()
        if user is None:
            raise InvalidInput(
                f"There is no account {account} here.", code="unknown_account", field="account"
            )
        return uris.actor(user)
    return remote.webfinger(account)


def aliases_set(*, user: User, accounts: list[str]) -> list[str]:
    """Name the accounts ``user`` may be moved from (``alsoKnownAs``)."""
    if len(accounts) > MAX_ALIASES:
        raise InvalidInput(
            f"At most {MAX_ALIASES} aliases.", code="too_many_aliases", field="aliases"
        )
    resolved = list(dict.fromkeys(_actor_uri(a) for a in accounts))
    move, _ = AccountMove.objects.get_or_create(user=user)
    move.also_known_as = resolved
    move.save(update_fields=["also_known_as"])
    return resolved


@transaction.atomic
def account_move(*, user: User, target: str) -> AccountMove:
    """Move ``user`` to ``target`` (``name@server``), which must name ``user`` as an alias."""
    target_uri = _actor_uri(target)
    if uris.is_local(target_uri):
        raise InvalidInput(
            "Move to an account on another server.", code="move_local", field="target"
        )
    try:
        new = remote.actor(target_uri, refresh=True)
    except remote.ActorError as exc:
        raise InvalidInput(
            f"The new account could not be reached: {exc}", code="move_target", field="target"
        ) from None
    if uris.actor(user) not in new.also_known_as:
        raise Conflict(
            "The new account must first list this one as an alias (alsoKnownAs).",
            code="alias_missing",
            field="target",
        )
    move, _ = AccountMove.objects.get_or_create(user=user)
    if move.moved_to:
        raise Conflict("This account has already moved.", code="already_moved")
    move.moved_to, move.moved_to_profile, move.moved_at = new.uri, new.profile_url, timezone.now()
    move.save(update_fields=["moved_to", "moved_to_profile", "moved_at"])
    outbox.move(user, new.uri)
    return move


def _acct(user: User) -> str:
    actor = getattr(user, "remote_actor", None)
    return actor.acct if actor is not None else f"{user.handle}@{uris.host()}"


def export_csv(*, user: User, kind: str) -> str:
    """``user``'s follows, blocks or favourites as a CSV file."""
    out = io.StringIO()
    writer = csv.writer(out)
    if kind == "follows":
        writer.writerow(["Account address", "Show boosts"])
        for f in Follow.objects.filter(follower=user, state=FollowState.FOLLOWING).select_related(
            "followee__remote_actor"
        ):
            writer.writerow([_acct(f.followee), "true"])
    elif kind == "blocks":
        for b in Block.objects.filter(blocker=user).select_related("blocked__remote_actor"):
            writer.writerow([_acct(b.blocked)])
    elif kind == "favourites":
        for like in Like.objects.filter(user=user).select_related("video"):
            remote_video = RemoteVideo.objects.filter(video_id=like.video_id).first()
            writer.writerow(
                [remote_video.uri if remote_video else uris.video_object(like.video_id)]
            )
    else:
        raise InvalidInput(f"Export one of {', '.join(KINDS)}.", code="unknown_kind", field="kind")
    return out.getvalue()


def _rows(text: str) -> list[str]:
    rows = [row[0].strip() for row in csv.reader(io.StringIO(text)) if row and row[0].strip()]
    rows = [r for r in rows if r.lower() != "account address"]
    if len(rows) > MAX_IMPORT_ROWS:
        raise InvalidInput(
            f"A file may list at most {MAX_IMPORT_ROWS} rows.", code="too_many_rows", field="file"
        )
    return rows


def _account_user(account: str) -> User:
    uri = _actor_uri(account)
    local_id = uris.local_user_id(uri)
    if local_id is not None:
        return User.objects.get(pk=local_id)
    return remote.resolve_account(uri).user


def import_csv(*, user: User, kind: str, text: str) -> dict[str, int]:
    """Apply an exported file to ``user``: ``{"done": n, "failed": m}``."""
    if kind not in KINDS:
        raise InvalidInput(f"Import one of {', '.join(KINDS)}.", code="unknown_kind", field="kind")
    done = failed = 0
    for row in _rows(text):
        try:
            with transaction.atomic():
                _import_row(user, kind, row)
            done += 1
        except (DomainError, User.DoesNotExist):
            failed += 1
    return {"done": done, "failed": failed}


def _import_row(user: User, kind: str, row: str) -> None:
    if kind == "favourites":
        video_id = uris.local_video_id(row)
        remote_video = (
            RemoteVideo.objects.filter(uri=row).exclude(video=None).select_related("video").first()
        )
        from clipdeck.videos.visibility import video_access

        video = remote_video.video if remote_video else video_access(user, video_id or "")
        like_create(user=user, video=video)
        return
    other = _account_user(row)
    if kind == "follows":
        follow_create(follower=user, followee=other)
    else:
        block_create(blocker=user, blocked=other)
