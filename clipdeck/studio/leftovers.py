"""What a render killed part-way leaves behind, and how it is cleared.

A worker killed mid-render leaves its work folder (``render-<pid>-…`` in the
temporary directory); one killed between storing its outputs and publishing them
leaves stored files that no row points to. A periodic job on every machine
(``studio/jobs.py``) removes work folders whose worker process is gone, and every
render that publishes or fails clears its video's output folders of files nothing
references.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from clipdeck.studio.engine.atomic import process_alive
from clipdeck.videos.models import Sound, Video

logger = logging.getLogger(__name__)

WORK_PREFIX = "render-"
_WORK_NAME = re.compile(rf"^{WORK_PREFIX}(\d+)-")


def work_prefix() -> str:
    """The prefix of this process's render work folders (names its process)."""
    return f"{WORK_PREFIX}{os.getpid()}-"


def delete_dead_work_dirs(root: str | os.PathLike | None = None) -> list[str]:
    """Remove render work folders under ``root`` (the temporary directory) whose
    process no longer runs; returns their names."""
    removed = []
    for folder in Path(root or tempfile.gettempdir()).glob(f"{WORK_PREFIX}*"):
        match = _WORK_NAME.match(folder.name)
        if not match or not folder.is_dir() or process_alive(int(match.group(1))):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    if removed:
        logger.warning("removed %d work folder(s) of dead renders", len(removed))
    return removed


def delete_unreferenced_outputs(video: Video) -> list[str]:
    """Delete the files in ``video``'s output folders that neither the video nor a sound
    references (an attempt that died after storing them); returns their names."""
    storage = video.mp4.storage
    referenced = {field.name for field in (video.mp4, video.mp4_720, video.poster) if field}
    referenced |= set(Sound.objects.filter(source_video=video).values_list("audio", flat=True))
    removed = []
    for folder in (f"videos/{video.pk}", f"sounds/{video.pk}"):
        for name in _files(storage, folder):
            path = f"{folder}/{name}"
            if name.startswith(".") or path in referenced:
                continue  # a save in progress, or a file in use
            storage.delete(path)
            removed.append(path)
    if removed:
        logger.warning("deleted %d unreferenced output(s) of video %s", len(removed), video.pk)
    return removed


def _files(storage, folder: str) -> list[str]:
    try:
        return storage.listdir(folder)[1]
    except FileNotFoundError:
        return []
