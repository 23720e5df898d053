"""Reading a video's kept originals: the one way the studio gets at their bytes.

Renders and re-edits both go through :func:`original_path` (the main upload) and
:func:`extra_original_paths` (its other takes and the voice-over), so how
originals are stored (a local file, object storage, or encrypted at rest) is
decided here only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from clipdeck.kernel.storage import local_path
from clipdeck.studio.models import ExtraOriginal
from clipdeck.videos.models import Video


@contextmanager
def original_path(video: Video) -> Iterator[str]:
    """A path on this machine to ``video``'s original upload, for the duration of the block."""
    with local_path(video.original.storage, video.original.name) as path:
        yield path


@contextmanager
def extra_original_paths(video: Video, names: list[str]) -> Iterator[dict[str, str]]:
    """Paths on this machine to the takes and voice-over named ``names`` (their upload
    names), for the duration of the block. A missing one is simply absent."""
    rows = ExtraOriginal.objects.filter(video=video, upload__in=names)
    with ExitStack() as stack:
        yield {
            row.upload: stack.enter_context(local_path(row.file.storage, row.file.name))
            for row in rows
        }
