"""The trained recommender on disk: versioned by content hash, loaded once per version.

A version is a folder ``<recsys dir>/<hash>/`` holding ALS item factors, the
co-engagement neighbours, the EASE weights, the HNSW graph over the factors (``ann``), the
LightGBM rankers (text format, no pickle) and
``card.json``; ``current`` names the version in use. The artefacts hold no user
ids, so they are internal data. Share the folder between web servers (or copy
it) when running several.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings

from clipdeck.feed import ann, long_lived

_LOADED: dict[str, Artefacts] = {}
_POINTER: dict[Path, tuple[tuple[int, int, int], str]] = {}  # pointer -> (its stat, version)


@dataclass
class Artefacts:
    """A trained version: item factors, neighbours and rankers, keyed by video id."""

    version: str
    item_ids: list[str]
    item_factors: np.ndarray
    neighbour_ptr: np.ndarray
    neighbour_idx: np.ndarray
    neighbour_score: np.ndarray
    ease_ptr: np.ndarray | None = None  # EASE weights per video, CSR rows (``cf.fit_ease``)
    ease_idx: np.ndarray | None = None
    ease_score: np.ndarray | None = None
    rankers: dict = field(default_factory=dict)
    card: dict = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict)
    graph: object | None = None  # the usearch HNSW graph over item_factors (``ann``)
    _ranker: object | None = None

    def __post_init__(self) -> None:
        self.index = {item: row for row, item in enumerate(self.item_ids)}
        if self.ease_ptr is None:  # a version trained before EASE: no weights
            self.ease_ptr = np.zeros(len(self.item_ids) + 1, dtype=np.int32)
            self.ease_idx = np.zeros(0, dtype=np.int32)
            self.ease_score = np.zeros(0, dtype=np.float32)

    @property
    def ranker(self):
        """The served ranker (``ranker.HeadsRanker``) of this version."""
        from clipdeck.feed.ranker import HeadsRanker

        if self._ranker is None:
            self._ranker = HeadsRanker(self.rankers)
        return self._ranker

    def neighbours(self, video_id: str) -> list[tuple[str, float]]:
        row = self.index.get(video_id)
        if row is None:
            return []
        span = slice(self.neighbour_ptr[row], self.neighbour_ptr[row + 1])
        return [
            (self.item_ids[i], float(s))
            for i, s in zip(self.neighbour_idx[span], self.neighbour_score[span], strict=True)
        ]


def ease_scores(artefacts: Artefacts, engaged: dict[str, float]) -> dict[str, float]:
    """EASE score of every video with one: the engagement-weighted sum of the EASE weights
    from each engaged video (one way for training, serving and the EASE source).

    Divided by the viewer's best score (1 is their strongest EASE video), so
    that it keeps its scale as a history grows and across refits: the ranker
    learns from histories and models cut at the label cut-off and serves whole
    ones. A page asks twice for the same viewer (the EASE source, then the
    ``ease_score`` feature), so each thread keeps its last answer for the same
    version and interests; the answer is shared, not to be changed.
    """
    key = (artefacts.version, tuple(engaged.items()))
    last = getattr(_LAST_EASE, "answer", None)
    if last is not None and last[0] == key:
        return last[1]
    scores = _ease_scores(artefacts, engaged)
    _LAST_EASE.answer = (key, scores)
    return scores


_LAST_EASE = threading.local()


def _ease_scores(artefacts: Artefacts, engaged: dict[str, float]) -> dict[str, float]:
    rows, weights = [], []
    for video_id, amount in engaged.items():
        row = artefacts.index.get(video_id)
        if row is not None and amount > 0:
            rows.append(row)
            weights.append(amount)
    if not rows:
        return {}
    ptr = artefacts.ease_ptr
    spans = [np.arange(ptr[row], ptr[row + 1]) for row in rows]
    lengths = np.array([len(span) for span in spans])
    if not lengths.sum():
        return {}
    at = np.concatenate(spans)
    items = artefacts.ease_idx[at]
    values = artefacts.ease_score[at] * np.repeat(np.array(weights, dtype=np.float32), lengths)
    unique, inverse = np.unique(items, return_inverse=True)
    totals = np.bincount(inverse, weights=values)
    top = totals.max()
    totals = totals / top if top > 0 else totals / float(sum(weights))
    return {artefacts.item_ids[i]: float(t) for i, t in zip(unique, totals, strict=True)}


def recsys_dir() -> Path:
    """Where trained versions live (``CLIPDECK_RECSYS_DIR``, default ``<data>/recsys``)."""
    configured = getattr(settings, "CLIPDECK_RECSYS_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "recsys"


def _content_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.name != "card.json":
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def save(staging: Path, card: dict) -> str:
    """Move a staged version into place under its content hash, make it current."""
    version = _content_hash(staging)
    card = {**card, "version": version}
    (staging / "card.json").write_text(json.dumps(card, indent=2, sort_keys=True))
    target = recsys_dir() / version
    if target.exists():
        shutil.rmtree(target)
    shutil.move(str(staging), target)
    pointer = recsys_dir() / "current.tmp"
    pointer.write_text(version)
    pointer.replace(recsys_dir() / "current")
    return version


def current_version() -> str | None:
    """The version the ``current`` pointer names, read again only once the file changed.

    Every page asks several times; a new version replaces the pointer by a
    rename, which gives it a new inode, so a ``stat`` tells whether to read.
    """
    pointer = recsys_dir() / "current"
    try:
        info = os.stat(pointer)
    except FileNotFoundError:
        return None
    seen = (info.st_ino, info.st_mtime_ns, info.st_size)
    found = _POINTER.get(pointer)
    if found is not None and found[0] == seen:
        return found[1]
    version = pointer.read_text().strip()
    _POINTER[pointer] = (seen, version)
    return version


def _read(folder: Path, version: str) -> Artefacts:
    from clipdeck.feed.features import FEATURES
    from clipdeck.feed.ranker import HeadsRanker

    arrays = np.load(folder / "items.npz")
    card = json.loads((folder / "card.json").read_text())
    # rankers trained on another feature list cannot score today's rows: fall back until retrained
    same_features = card.get("features", list(FEATURES)) == list(FEATURES)
    ranker = HeadsRanker.load(folder) if same_features else HeadsRanker()
    return Artefacts(
        version=version,
        item_ids=json.loads((folder / "item_ids.json").read_text()),
        item_factors=arrays["factors"],
        neighbour_ptr=arrays["nptr"],
        neighbour_idx=arrays["nidx"],
        neighbour_score=arrays["nscore"],
        ease_ptr=arrays.get("eptr"),
        ease_idx=arrays.get("eidx"),
        ease_score=arrays.get("escore"),
        rankers=ranker.boosters,
        _ranker=ranker,
        card=card,
        graph=ann.load(folder),
    )


def load_current() -> Artefacts | None:
    """The version in use, or None before the first training (the feed falls back)."""
    version = current_version()
    if version is None:
        return None
    if version not in _LOADED:
        folder = recsys_dir() / version
        if not folder.exists():
            return None
        _LOADED.clear()
        _LOADED[version] = _read(folder, version)
        long_lived.settle()  # the process's long-lived objects now exist: keep GC off them
    return _LOADED[version]
