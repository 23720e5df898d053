"""``clipdeck bench seed``: a large synthetic catalogue, fast, for load tests and benchmarks.

Writes ``creators`` accounts, ``viewers`` accounts with hidden tastes (two
favourite topics each), ``videos`` published videos with one or two hashtags
(of ``TOPICS``) and a sound (of ``SOUNDS``), five follows per viewer, and
about ``events`` events per viewer over the last two weeks (views, skips and
likes, 70 % on their favourite topics), with the counters those events imply;
then trains the recommender on that log. Every video shares one of a few
real, tiny encoded files (H.264/AAC and a poster), so the web app plays them.

The data is drawn column by column with numpy and written with raw
``executemany`` inserts in one transaction per table (every column the
models define, with the models' defaults for those not drawn); on SQLite the
run also turns off syncing and foreign-key checks (the data is consistent by
construction) and restores them at the end. A million videos and a hundred
thousand viewers take a few minutes.

Seeded accounts have no password: they are reached through API tokens
(``clipdeck manage`` or the benchmarks mint them).
"""

from __future__ import annotations

import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from clipdeck.accounts.models import Follow, FollowState, User
from clipdeck.feed.models import Event, EventKind, VideoStats
from clipdeck.kernel import crypto, keys, keystore
from clipdeck.videos.models import Hashtag, Like, Sound, Video, VideoStatus

TOPICS = 200
SOUNDS = 500
MEDIA_FILES = 4
BATCH = 50_000  # rows per executemany call
FOLLOWS = 5
COMPLETED_PM = 800
CAPTION_LABEL = "videos.Video.caption"
HISTORY_DAYS = 14
TRAIN_SIGNALS = 1_000_000  # training reads about this many events at most (``training_days``)


@dataclass
class Sizes:
    videos: int
    viewers: int
    creators: int = 0  # 0: one creator for every 20 videos (at least 100)
    events: int = 40  # per viewer

    def __post_init__(self) -> None:
        if self.videos < 1 or self.viewers < 1 or self.events < 0 or self.creators < 0:
            raise ValueError("--videos and --viewers must be at least 1, counts not negative.")
        self.creators = self.creators or max(100, self.videos // 20)


def training_days(sizes: Sizes) -> int:
    """The training window: the whole history up to ~1M events, only its latest days beyond.

    Training time grows with the events it reads (the ranker's examples, the
    co-engagement pairs); a window of the latest days keeps a catalogue of a
    million videos trainable in minutes while every video with events in it
    gets factors and neighbours.
    """
    events = sizes.viewers * sizes.events * 1.15  # views and skips, and the likes among them
    if events <= TRAIN_SIGNALS:
        return 30
    return max(1, int(HISTORY_DAYS * TRAIN_SIGNALS / events))


def seed(sizes: Sizes, *, seed: int = 0, log=print) -> list[int]:
    """Fill the (empty) database; the viewers' user ids."""
    if User.objects.exists():
        raise ValueError("The data folder already has accounts; seed an empty one.")
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    media = _media_files()
    with _bulk_loading():
        viewers, creators, data_keys = _accounts(sizes, rng)
        log(f"accounts: {len(viewers)} viewers, {len(creators)} creators ({_since(started)})")
        tags = [
            t.pk
            for t in Hashtag.objects.bulk_create([Hashtag(name=f"topic{n}") for n in range(TOPICS)])
        ]
        sounds = [
            s.pk
            for s in Sound.objects.bulk_create([Sound(title=f"Track {n}") for n in range(SOUNDS)])
        ]
        catalogue = _plan(sizes.videos, creators, sounds, rng)
        history = _history(len(viewers), catalogue, sizes.events, rng)
        _videos(catalogue, history, tags, media, data_keys, rng)
        log(f"videos: {sizes.videos} ({_since(started)})")
        _follows(viewers, creators, rng)
        _store_history(np.asarray(viewers), catalogue, history)
        log(
            f"follows, {history.count} events, {len(history.like_rows)} likes and counters "
            f"({_since(started)})"
        )
    return viewers


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"


def _poster(clip: Path, dest: Path) -> None:
    """A JPEG of the clip's frame at one second, as the studio's posters are."""
    import av

    with av.open(str(clip)) as source:
        chosen = None
        for frame in source.decode(source.streams.video[0]):
            chosen = frame
            if frame.time is not None and frame.time >= 1.0:
                break
    chosen.to_image().save(dest, format="JPEG", quality=85)


def _media_files() -> list[tuple[str, str]]:
    """A few real clips (and posters) that every seeded video points at."""
    from clipdeck.studio.engine.synth import make_clip

    files = []
    with tempfile.TemporaryDirectory() as work:
        for n in range(MEDIA_FILES):
            clip = Path(work, f"bench-{n}.mp4")
            make_clip(clip, seconds=2.0, width=180, height=320, scene="bouncing", seed=n)
            poster = Path(work, f"bench-{n}.jpg")
            _poster(clip, poster)
            with clip.open("rb") as video, poster.open("rb") as image:
                files.append(
                    (
                        default_storage.save(f"videos/bench-{n}.mp4", File(video)),
                        default_storage.save(f"posters/bench-{n}.jpg", File(image)),
                    )
                )
    return files


@contextmanager
def _bulk_loading():
    """SQLite without syncing or foreign-key checks for the seeding run (restored after)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # (tests: a transaction)
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -400000")  # 400 MB while indexes grow
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA cache_size = -2000")
            cursor.execute("PRAGMA foreign_keys = ON")


def _insert(model, columns: list[str], rows) -> None:
    """Insert ``rows`` (tuples of ``columns``, values ready for the database) with raw SQL.

    Every other concrete column gets the model's default, prepared once.
    """
    fields = [
        f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in columns)
    ]
    drawn = {name: n for n, name in enumerate(columns)}
    fixed = {}
    for field in fields:
        if field.attname not in drawn:
            fixed[field.attname] = field.get_db_prep_save(field.get_default(), connection)
    names = [field.attname for field in fields]
    quote = connection.ops.quote_name
    table, columns_sql = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    # names from the models, every value a parameter
    sql = f"INSERT INTO {table} ({columns_sql}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    picks = [(drawn[name], None) if name in drawn else (None, fixed[name]) for name in names]

    def full(row):
        return tuple(row[i] if i is not None else value for i, value in picks)

    batch = []
    with transaction.atomic(), connection.cursor() as cursor:
        for row in rows:
            batch.append(full(row))
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _timestamps(now: datetime, ago_s: np.ndarray) -> list[str]:
    """UTC times ``ago_s`` seconds before ``now``, as the database stores them."""
    base = np.datetime64(now.astimezone(UTC).replace(tzinfo=None), "us")
    stamps = base - (ago_s * 1e6).astype("timedelta64[us]")
    return [text.replace("T", " ") for text in np.datetime_as_string(stamps, unit="us").tolist()]


def _uuid_hex(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` random version-4 UUIDs, as 32 hex digits."""
    raw = rng.integers(0, 256, size=(count, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    text = raw.tobytes().hex()
    return [text[n * 32 : (n + 1) * 32] for n in range(count)]


def _accounts(sizes: Sizes, rng) -> tuple[list[int], list[int], dict[int, tuple[str, bytes]]]:
    """Viewers, then creators; every creator gets a data key (captions are sealed with it)."""
    now = timezone.now()
    for prefix, count in (("viewer", sizes.viewers), ("creator", sizes.creators)):
        indexes = _uuid_hex(rng, count)
        _insert(
            User,
            ["handle", "email", "email_index", "password", "created_at"],
            (
                (
                    f"{prefix}{n}",
                    f"{prefix}{n}@bench.invalid",
                    indexes[n],
                    "!" + indexes[n],  # unusable: seeded accounts use tokens only
                    now,
                )
                for n in range(count)
            ),
        )
    ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    creators = ids[sizes.viewers :]
    data_keys = {}
    db = keystore._connection()
    db.execute("BEGIN")
    try:
        for pk in creators:
            holder = User(pk=pk)
            keys.user_key_assign(holder)
            keys.user_key_save(holder)
            data_keys[pk] = keys.key_of(holder)
    finally:
        db.execute("COMMIT")
    return ids[: sizes.viewers], creators, data_keys


@dataclass
class Catalogue:
    ids: list[str]  # 32 hex digits
    topic: np.ndarray
    duration: np.ndarray
    author: np.ndarray
    sound: np.ndarray
    by_topic: np.ndarray  # video rows sorted by topic
    topic_start: np.ndarray  # where each topic's rows start in ``by_topic``
    topic_count: np.ndarray


def _plan(count: int, creators: list[int], sounds: list[int], rng) -> Catalogue:
    """Each video's id, main topic, duration, author and sound (nothing written yet)."""
    topic = rng.integers(0, TOPICS, size=count)
    by_topic = np.argsort(topic, kind="stable")
    topic_count = np.bincount(topic, minlength=TOPICS)
    return Catalogue(
        ids=_uuid_hex(rng, count),
        topic=topic,
        duration=rng.choice(np.array([8000, 15000, 30000, 60000]), size=count),
        author=np.asarray(creators)[rng.integers(0, len(creators), size=count)],
        sound=np.asarray(sounds)[rng.integers(0, len(sounds), size=count)],
        by_topic=by_topic,
        topic_start=np.concatenate([[0], np.cumsum(topic_count)[:-1]]),
        topic_count=topic_count,
    )


@dataclass
class History:
    viewer: np.ndarray  # index into the viewers
    row: np.ndarray  # video row
    completion: np.ndarray
    ago_s: np.ndarray
    like_rows: np.ndarray  # indexes into the arrays above of the views that were liked
    count: int = 0


def _history(viewers: int, catalogue: Catalogue, per_viewer: int, rng) -> History:
    """Each viewer's views and skips, 70 % on one of two favourite topics, and their likes."""
    total = viewers * per_viewer
    viewer = np.repeat(np.arange(viewers), per_viewer)
    favourites = rng.integers(0, TOPICS, size=(viewers, 2))
    topic = favourites[viewer, rng.integers(0, 2, size=total)]
    in_taste = (rng.random(total) < 0.7) & (catalogue.topic_count[topic] > 0)
    within = (rng.random(total) * catalogue.topic_count[topic]).astype(np.int64)
    taste_row = catalogue.by_topic[
        np.minimum(catalogue.topic_start[topic] + within, len(catalogue.by_topic) - 1)
    ]
    row = np.where(in_taste, taste_row, rng.integers(0, len(catalogue.ids), size=total))
    completion = np.where(in_taste, rng.uniform(0.6, 1.5, total), rng.uniform(0.0, 0.5, total))
    ago_s = rng.uniform(0, HISTORY_DAYS * 24 * 3600, size=total)
    liked = np.flatnonzero(in_taste & (rng.random(total) < 0.2))
    _, first = np.unique(viewer[liked] * len(catalogue.ids) + row[liked], return_index=True)
    like_rows = np.sort(liked[first])
    return History(viewer, row, completion, ago_s, like_rows, total + len(like_rows))


def _videos(catalogue: Catalogue, history: History, tags, media, data_keys, rng) -> None:
    now = timezone.now()
    count = len(catalogue.ids)
    likes = np.bincount(history.row[history.like_rows], minlength=count)
    published = _timestamps(now, rng.uniform(0, 30 * 24 * 3600, size=count))
    now_text = _timestamps(now, np.zeros(1))[0]

    def caption(row: int) -> str:
        key_id, data_key = data_keys[int(catalogue.author[row])]
        plain = f"#topic{catalogue.topic[row]}"
        return crypto.seal(data_key, plain, f"{key_id}:{CAPTION_LABEL}")

    _insert(
        Video,
        [
            "id",
            "author_id",
            "caption",
            "status",
            "sound_id",
            "mp4",
            "poster",
            "duration_ms",
            "width",
            "height",
            "like_count",
            "published_at",
            "created_at",
        ],
        (
            (
                catalogue.ids[row],
                int(catalogue.author[row]),
                caption(row),
                VideoStatus.PUBLISHED.value,
                int(catalogue.sound[row]),
                media[row % len(media)][0],
                media[row % len(media)][1],
                int(catalogue.duration[row]),
                180,
                320,
                int(likes[row]),
                published[row],
                now_text,
            )
            for row in range(count)
        ),
    )
    second = rng.random(count) < 0.3
    other = (catalogue.topic + 1 + rng.integers(0, TOPICS - 1, size=count)) % TOPICS
    rows = np.concatenate([np.arange(count), np.flatnonzero(second)])
    topics = np.concatenate([catalogue.topic, other[second]])
    _insert(
        Video.hashtags.through,
        ["video_id", "hashtag_id"],
        ((catalogue.ids[r], tags[t]) for r, t in zip(rows.tolist(), topics.tolist(), strict=True)),
    )


def _follows(viewers: list[int], creators: list[int], rng) -> None:
    """Five distinct creators per viewer."""
    wanted = min(FOLLOWS, len(creators))
    picks = rng.integers(0, len(creators), size=(len(viewers), wanted)).tolist()
    pairs = []
    for viewer, row in zip(viewers, picks, strict=True):
        chosen = set(row)
        while len(chosen) < wanted:  # a repeat drawn: draw again
            chosen.add(int(rng.integers(0, len(creators))))
        pairs.extend((viewer, creators[creator]) for creator in sorted(chosen))
    now = _timestamps(timezone.now(), np.zeros(1))[0]
    _insert(
        Follow,
        ["follower_id", "followee_id", "state", "created_at"],
        ((a, b, FollowState.FOLLOWING.value, now) for a, b in pairs),
    )


def _store_history(viewers: np.ndarray, catalogue: Catalogue, history: History) -> None:
    """The events, likes and per-video counters of the viewers' histories."""
    now = timezone.now()
    at = _timestamps(now, history.ago_s)
    users = viewers[history.viewer].tolist()
    rows = history.row.tolist()
    completion_pm = (history.completion * 1000).astype(np.int64).tolist()
    watched = (history.completion * catalogue.duration[history.row]).astype(np.int64).tolist()
    view = history.completion > 0.2
    kinds = np.where(view, EventKind.VIEW.value, EventKind.SKIP.value).tolist()
    ids = catalogue.ids

    def events():
        for n in range(len(rows)):
            yield users[n], ids[rows[n]], kinds[n], watched[n], completion_pm[n], at[n]
        for n in history.like_rows.tolist():
            yield users[n], ids[rows[n]], EventKind.LIKE.value, 0, 0, at[n]

    _insert(Event, ["user_id", "video_id", "kind", "watched_ms", "completion_pm", "at"], events())
    _insert(
        Like,
        ["user_id", "video_id", "created_at"],
        ((users[n], ids[rows[n]], at[n]) for n in history.like_rows.tolist()),
    )
    count = len(catalogue.ids)
    exposures = np.bincount(history.row, minlength=count)
    completions = np.bincount(
        history.row, weights=view & (history.completion >= COMPLETED_PM / 1000), minlength=count
    )
    completion_sum = np.bincount(
        history.row, weights=np.minimum(history.completion, 1.0), minlength=count
    )
    skips = np.bincount(history.row, weights=~view, minlength=count)
    likes = np.bincount(history.row[history.like_rows], minlength=count)
    updated = _timestamps(now, np.zeros(1))[0]
    watched_rows = np.flatnonzero(exposures).tolist()
    _insert(
        VideoStats,
        ["video_id", "exposures", "completions", "completion_sum", "skips", "likes", "updated_at"],
        (
            (
                ids[r],
                int(exposures[r]),
                int(completions[r]),
                float(completion_sum[r]),
                int(skips[r]),
                int(likes[r]),
                updated,
            )
            for r in watched_rows
        ),
    )
