"""``VideoOut`` for a page of videos, the parts every viewer sees alike dumped once per video.

Presenting a page through the schema reads each video with six joined tables
and two prefetches, decrypts its caption and validates every field, for each
viewer again. Most of that is the same for every viewer: for a public video
(rule V6) that neither remixes another nor uses another video's original
sound, only its counters and the viewer's own state (liked, following the
author, owner) differ from one viewer to the next. So ``video_dicts``:

- reads the page's rows in one query through the viewer's visibility policy
  (``visible_rows``): the counters as they are now, the viewer's own state,
  and a stamp of every column the dump depends on;
- takes each such video's dump from a per-process memo while its stamp is
  unchanged and it is younger than ``MEMO_S``, else dumps it through
  ``VideoOut`` (the one schema: same fields, same order, same values) and
  keeps it as the text the API's JSON encoder writes (which the collector
  does not walk); the videos to dump are read by a query compiled once per process
  (``page_videos``);
- writes the counters and the viewer's state (liked, how they follow the
  author, read in the same query) into the kept text, where the schema puts
  them: a page of kept videos is written without parsing or encoding a dump
  again (``video_texts``; the API joins the texts into the page's body).

Everything else — followers-only and private videos, whose media URLs are
signed for the viewer, remixes and videos with another video's sound, whose
sources depend on what the viewer may see (R3) — is presented through the
schema for this viewer on every page, as before. What the memo can hold back
for up to ``MEMO_S`` seconds is what the stamp does not cover: the author's
name, handle and avatar, the sound's title, whether captions were published,
and the hashtags and caption when another process saved them (a save in this
process drops the video's entry at once).
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from uuid import UUID

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from ninja.renderers import JSONRenderer

from clipdeck.accounts.models import Follow, User
from clipdeck.feed import page_videos
from clipdeck.feed.visible_rows import visible_rows
from clipdeck.videos.models import Like, Video
from clipdeck.videos.presenters import source_state
from clipdeck.videos.schemas import VideoOut
from clipdeck.videos.visibility import is_public

MEMO_S = 30.0
KEEP = 20_000  # videos whose dump is kept per process (least recently used go first)
COUNTS = ("like_count", "comment_count", "share_count", "view_count")
COUNT_NAMES = ("likes", "comments", "shares", "views")  # ``VideoCounts``
# Every column of the video (and its author) that the shared dump reads or that
# decides whether it may be shared at all (``_shareable``).
STAMP = (
    "author_id",
    "author__is_private",
    "author__is_active",
    "status",
    "error_code",
    "error_message",
    "visibility",
    "allow_duet",
    "allow_react",
    "allow_stitch",
    "allow_comments",
    "sound_id",
    "remix_of_id",
    "remix_kind",
    "withheld_reason",
    "moderation_state",
    "mp4",
    "mp4_720",
    "poster",
    "duration_ms",
    "width",
    "height",
    "created_at",
    "published_at",
)
FIELDS = ("pk", *COUNTS, *STAMP)
_STAMPED = 1 + len(COUNTS)  # where the stamp starts in a row
_AUTHOR = _STAMPED  # the stamp's first column

# video id -> (kept at, stamp, the dump as the API's JSON encoder writes it, cut where the
# counters and the viewer's state go). Text, not nested dicts: the collector does not
# track strings, so thousands of kept dumps add nothing to a full collection's walk
# (which, over nested dicts, took 80–110 ms).
_memo: OrderedDict[str, tuple[float, tuple, str, str]] = OrderedDict()
_ENCODER = JSONRenderer.encoder_class
_SPLIT_AFTER = "withheld"  # ``VideoOut``: ``… withheld, counts, viewer, created_at …``
_lock = threading.Lock()


def encoded(value) -> str:
    """``value`` as the API's renderer writes it (``NinjaJSONEncoder``, its parameters)."""
    return json.dumps(value, cls=_ENCODER, **JSONRenderer.json_dumps_params)


def page_rows(viewer: User | None, video_ids: list[str]) -> list[tuple]:
    """The rows ``video_dicts`` reads, of those ``video_ids`` the viewer may see (one query)."""
    return visible_rows(viewer, video_ids, FIELDS, _viewer_columns)


def video_texts(
    video_ids: list[str],
    viewer: User | None,
    request: HttpRequest,
    *,
    rows: list[tuple] | None = None,
) -> dict[str, str]:
    """``VideoOut`` as the API writes it for ``viewer`` (JSON text), by id, of those
    ``video_ids`` the viewer may see.

    ``rows``: ``page_rows`` of these ids, read in this request already (a queued page's
    visibility check).
    """
    wanted = set(video_ids)
    found = page_rows(viewer, video_ids) if rows is None else rows
    found = [row for row in found if str(row[0]) in wanted]
    rows = {str(row[0]): row[: len(FIELDS)] for row in found}
    if not rows:
        return {}
    now = time.monotonic()
    liked = {row[0] for row in found if viewer is not None and row[len(FIELDS)]}
    follows = {
        row[_AUTHOR]: row[len(FIELDS) + 1]
        for row in found
        if viewer is not None and row[len(FIELDS) + 1]
    }
    texts: dict[str, str] = {}
    missing = []
    for pk, row in rows.items():
        kept = _recall(pk, _plain(row[_STAMPED:]), now)
        if kept is None:
            missing.append(pk)
            continue
        head, tail = kept
        mine = (
            None
            if viewer is None
            else {
                "liked": row[0] in liked,
                "is_owner": viewer.pk == row[_AUTHOR],
                "author_follow": follows.get(row[_AUTHOR], "none"),
            }
        )
        counts = dict(zip(COUNT_NAMES, row[1:_STAMPED], strict=True))
        texts[pk] = f'{head}, "counts": {encoded(counts)}, "viewer": {encoded(mine)}{tail}'
    if missing:
        dumped = _dumped(missing, rows, viewer, request, now, liked, follows)
        texts.update((pk, encoded(dump)) for pk, dump in dumped.items())
    return texts


def warm(viewer: User, video_ids: list[str]) -> None:
    """Dump and keep, before they are asked for, those of ``video_ids`` every viewer sees alike.

    Behind the requests (``pipeline.rank_behind``): a queued page whose videos
    are kept costs its rows' query and a copy of each dump. The dump reads the
    request only for its viewer.
    """
    request = HttpRequest()
    request.auth = viewer
    video_texts(video_ids, viewer, request)


def _viewer_columns(viewer: User | None) -> dict:
    """The viewer's own state of each video, read in the rows' query."""
    if viewer is None:
        return {}
    likes = Like.objects.filter(user=viewer, video=OuterRef("pk"))
    follow = Follow.objects.filter(follower=viewer, followee=OuterRef("author_id"))
    return {
        "viewer_liked": Exists(likes),
        "viewer_follow": Subquery(follow.values("state")[:1]),
    }


def _plain(stamp: tuple) -> tuple:
    """The stamp with its ids as text: a tuple of atomic values, which the collector drops."""
    return tuple(str(value) if isinstance(value, UUID) else value for value in stamp)


def _recall(pk: str, stamp: tuple, now: float) -> tuple[str, str] | None:
    """The kept dump of ``pk`` as text cut where the counters go, if still good."""
    with _lock:
        found = _memo.get(pk)
        if found is None:
            return None
        at, kept_stamp, head, tail = found
        if kept_stamp != stamp or now - at > MEMO_S:
            del _memo[pk]
            return None
        _memo.move_to_end(pk)
    return head, tail


def _shareable(video: Video) -> bool:
    """Whether ``video``'s dump is the same for every viewer but their own state (see above)."""
    if video.remix_of_id is not None or not is_public(video):
        return False
    sound = video.sound
    return sound is None or not sound.is_original or sound.source_video_id in (None, video.pk)


def _dumped(ids, rows: dict, viewer, request: HttpRequest, now: float, liked, follows) -> dict:
    """Dump ``ids`` through ``VideoOut`` for ``viewer``; keep, without the counters and the
    viewer's state, those every viewer sees alike."""
    videos = page_videos.videos(ids)
    for video in videos:  # what ``presenters.viewer_state`` marks, from the rows' query
        video.viewer_liked = video.pk in liked
        video.viewer_author_follow = follows.get(video.author_id, "none")
    source_state(videos, viewer)
    context = {"request": request}
    out: dict[str, dict] = {}
    for video in videos:
        pk = str(video.pk)
        out[pk] = VideoOut.model_validate(video, context=context).model_dump()
        if _shareable(video):
            shared = {k: v for k, v in out[pk].items() if k not in ("counts", "viewer")}
            _keep(pk, _plain(rows[pk][_STAMPED:]), shared, now)
    return out


def _cut(dump: dict) -> tuple[str, str] | None:
    """``dump``'s text in two: up to ``withheld``'s value, and the rest with its closing
    brace, so that ``counts`` and ``viewer`` can be written between them."""
    keys = list(dump)
    if _SPLIT_AFTER not in keys:
        return None
    text = encoded(dump)
    head = encoded({key: dump[key] for key in keys[: keys.index(_SPLIT_AFTER) + 1]})[:-1]
    if not text.startswith(head):
        return None
    return head, text[len(head) :]


def _keep(pk: str, stamp: tuple, dump: dict, now: float) -> None:
    cut = _cut(dump)
    if cut is None:
        return
    with _lock:
        _memo[pk] = (now, stamp, *cut)
        _memo.move_to_end(pk)
        while len(_memo) > KEEP:
            _memo.popitem(last=False)


def forget(video_id=None) -> None:
    """Drop one video's kept dump, or every one (tests)."""
    with _lock:
        if video_id is None:
            _memo.clear()
        else:
            _memo.pop(str(video_id), None)


@receiver(post_save, sender=Video, dispatch_uid="rendered-video-saved")
@receiver(post_delete, sender=Video, dispatch_uid="rendered-video-deleted")
def _video_changed(sender, instance: Video, **kwargs) -> None:
    forget(instance.pk)


@receiver(post_save, sender=User, dispatch_uid="rendered-author-saved")
def _author_changed(sender, instance: User, **kwargs) -> None:
    """An author's name, handle or avatar changed in this process: drop their videos' dumps."""
    with _lock:
        for pk in [pk for pk, (_, stamp, _, _) in _memo.items() if stamp[0] == instance.pk]:
            del _memo[pk]
