"""Captions follow a re-edit: cues timed on the old render are moved onto the new one.

Captions are timed on the rendered video (that is what the player's track and
the burn-in show). When a draft is re-edited with another trim or speed, each
cue's times are taken back to the recording through the old edit and forward
through the new one; cues cut away by the new trim are dropped and those cut
in part are shortened. Joined videos (several takes, a stitch) keep their cues
as they are: which part a time falls in may change with the edit.
"""

from __future__ import annotations

from clipdeck.studio import captions
from clipdeck.studio.captions import Cue
from clipdeck.studio.edits import Edit
from clipdeck.studio.models import Captions
from clipdeck.videos.models import Video


def follow_edit(video: Video, old_edit: dict, new: Edit, layout: str, duration_ms: int) -> None:
    """Re-time ``video``'s stored captions from ``old_edit`` to ``new`` (lasting
    ``duration_ms``), when both are one recording cut and sped differently."""
    stored = Captions.objects.filter(video=video).first()
    if stored is None or layout == "stitch" or old_edit.get("clips") or new.spec.clips:
        return
    old = ((old_edit.get("trim") or {}).get("start_ms") or 0, old_edit.get("speed", 1.0))
    now = (new.spec.trim.start_ms if new.spec.trim else 0, new.spec.speed)
    if old == now:
        return
    cues = [
        cue for cue in (_moved(c, old, now, duration_ms) for c in captions.parse(stored.vtt)) if cue
    ]
    stored.vtt = captions.write(cues)
    stored.save(update_fields=["vtt", "updated_at"])


def _moved(cue: Cue, old: tuple, now: tuple, duration_ms: int) -> Cue | None:
    def move(ms: int) -> int:
        recording_ms = old[0] + ms * old[1]
        return round((recording_ms - now[0]) / now[1])

    start, end = max(0, move(cue.start_ms)), min(duration_ms, move(cue.end_ms))
    return Cue(start, end, cue.text) if end - start >= 1 and start < duration_ms else None
