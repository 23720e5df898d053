"""The trained recommender on disk: versioned by content hash, loaded once per version.

A version is a folder ``<recsys dir>/<hash>/`` holding ALS item factors, the
co-engagement neighbours, the HNSW graph over the factors (``ann``), the
LightGBM rankers (text format, no pickle) and
``card.json``; ``current`` names the version in use. The artefacts hold no user
ids, so they are internal data. Share the folder between web servers (or copy
it) when running several.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings

from clipdeck.feed import ann, long_lived

_LOADED: dict[str, Artefacts] = {}


@dataclass
class Artefacts:
    """A trained version: item factors, neighbours and rankers, keyed by video id."""

    version: str
    item_ids: list[str]
    item_factors: np.ndarray
    neighbour_ptr: np.ndarray
    neighbour_idx: np.ndarray
    neighbour_score: np.ndarray
    rankers: dict = field(default_factory=dict)
    card: dict = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict)
    graph: object | None = None  # the usearch HNSW graph over item_factors (``ann``)
    _ranker: object | None = None

    def __post_init__(self) -> None:
        self.index = {item: row for row, item in enumerate(self.item_ids)}

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
    pointer = recsys_dir() / "current"
    return pointer.read_text().strip() if pointer.exists() else None


def _read(folder: Path, version: str) -> Artefacts:
    from clipdeck.feed.ranker import HeadsRanker

    arrays = np.load(folder / "items.npz")
    rankers = HeadsRanker.load(folder).boosters
    return Artefacts(
        version=version,
        item_ids=json.loads((folder / "item_ids.json").read_text()),
        item_factors=arrays["factors"],
        neighbour_ptr=arrays["nptr"],
        neighbour_idx=arrays["nidx"],
        neighbour_score=arrays["nscore"],
        rankers=rankers,
        card=json.loads((folder / "card.json").read_text()),
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
