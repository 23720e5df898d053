"""Reading a video's kept original: the one way the studio gets at its bytes.

Renders and re-edits both go through :func:`original_path`, so how originals are
stored (a local file, object storage, or encrypted at rest) is decided here only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from clipdeck.kernel.storage import local_path
from clipdeck.videos.models import Video


@contextmanager
def original_path(video: Video) -> Iterator[str]:
    """A path on this machine to ``video``'s original upload, for the duration of the block."""
    with local_path(video.original.storage, video.original.name) as path:
        yield path
