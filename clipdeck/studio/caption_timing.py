"""Captions follow a re-edit: cues timed on the old render are moved onto the new one.

Captions are timed on the rendered video (that is what the player's track and
the burn-in show). When a draft is re-edited, each cue's start is taken back to
the file it shows (the main upload, a take, a stitch's original) through the old
edit and forward through the new one, where that part of that file still is;
its end follows, or, when it no longer can (cut away, or now in another part),
ends with the part its start landed in. Cues whose start was cut away are
dropped. The parts and their lengths are laid out exactly as the engine does
(``engine.plan``): each part lasts whole frames, one after another.
"""

from __future__ import annotations

from dataclasses import dataclass

from clipdeck.studio import captions
from clipdeck.studio.captions import Cue
from clipdeck.studio.engine.graph import FPS
from clipdeck.studio.models import Captions
from clipdeck.videos.models import Video

STITCHED = "<stitched original>"  # the part name of a stitch's original
MAIN = "file"  # the part name of the main upload


@dataclass(frozen=True)
class Part:
    """A window of one file (``name``) on the output: file ms ``start``..``end`` at
    ``speed``, from output ms ``offset`` for ``length`` ms."""

    name: str
    start: int
    end: int
    speed: float
    offset: float
    length: float


def parts(edit: dict, lengths: dict[str, int], stitch_trim: dict | None = None) -> list[Part]:
    """The parts of a stored (API) edit in output order; ``lengths``: each file's length
    in ms by part name (``file``, upload names, and ``STITCHED``)."""
    speed = float(edit.get("speed", 1.0))
    windows = [(STITCHED, stitch_trim, 1.0)] if stitch_trim else []
    windows.append((MAIN, edit.get("trim"), speed))
    windows += [(clip["upload"], clip.get("trim"), speed) for clip in edit.get("clips") or ()]
    laid, offset = [], 0.0
    for name, trim, pace in windows:
        length_ms = lengths.get(name, 0)
        start = (trim or {}).get("start_ms") or 0
        end = min((trim or {}).get("end_ms") or length_ms, length_ms)
        frames = max(1, round((end - start) / pace * FPS / 1000))
        laid.append(Part(name, start, end, pace, offset, frames * 1000 / FPS))
        offset += frames * 1000 / FPS
    return laid


def follow_edit(video: Video, old: list[Part], new: list[Part], duration_ms: int) -> None:
    """Move ``video``'s stored captions from the ``old`` parts onto the ``new`` ones."""
    stored = Captions.objects.filter(video=video).first()
    if stored is None or old == new:
        return
    moved = (_moved(cue, old, new, duration_ms) for cue in captions.parse(stored.vtt))
    kept = sorted((cue for cue in moved if cue is not None), key=lambda c: (c.start_ms, c.end_ms))
    stored.vtt = captions.write(kept)
    stored.save(update_fields=["vtt", "updated_at"])


def _moved(cue: Cue, old: list[Part], new: list[Part], duration_ms: int) -> Cue | None:
    landed = _place(cue.start_ms, old, new)
    if landed is None:
        return None
    start, part = landed
    ended = _place(cue.end_ms, old, new, last=True)
    part_end = part.offset + part.length
    end = ended[0] if ended is not None and ended[1] == part and ended[0] > start else part_end
    start, end = round(start), round(min(end, part_end, duration_ms))
    return Cue(start, end, cue.text) if end > start else None


def _place(ms: int, old: list[Part], new: list[Part], last: bool = False):
    """Where output time ``ms`` of the old parts shows on the new ones: (ms, part) or None."""
    for before in old:
        inside = before.offset <= ms < before.offset + before.length
        if inside or (last and ms == before.offset + before.length):
            file_ms = before.start + (ms - before.offset) * before.speed
            for after in new:
                if after.name == before.name and after.start <= file_ms <= after.end:
                    return after.offset + (file_ms - after.start) / after.speed, after
            return None
    return None
