"""The one error type the media engine raises for bad media or failed processing.

Every failure a person can cause with a file or an edit becomes a ``MediaError``
with a stable snake_case ``code`` (for the API and the UI) and a one-sentence
``message`` a person understands (shown as is).
"""

from __future__ import annotations

CODES = frozenset(
    {
        "empty_file",  # zero bytes
        "file_too_large",  # more bytes than Limits.max_bytes
        "not_a_video",  # content is an image, text, document, archive or unknown bytes
        "no_video_stream",  # a media file without a picture (audio only, data only)
        "unsupported_codec",  # a video or audio codec outside the accepted list
        "dimensions_too_large",  # a side over Limits.max_side
        "dimensions_too_small",  # a side under Limits.min_side
        "frame_rate_too_high",  # more pictures a second than Limits.max_fps
        "too_many_frames",  # more pictures than the frame budget (duration x max_fps)
        "pixel_rate_too_high",  # width x height x fps over Limits.max_pixel_rate
        "corrupt_media",  # damaged, truncated or undecodable
        "source_too_long",  # the uploaded file is longer than Limits.max_source_ms
        "video_too_long",  # the edited result is longer than the job's max_output_ms
        "trim_out_of_range",  # the trim selects nothing of the video
        "sound_unusable",  # the background music file cannot be used
        "not_audio",  # a voice-over without a sound track we can read
        "processing_timeout",  # wall-clock limit reached, the worker was stopped
        "resources_exceeded",  # CPU time, memory or output size limit reached
        "processing_failed",  # an unexpected engine failure (a bug, not the file)
    }
)


class MediaError(Exception):
    """A media problem with a stable ``code`` and a human ``message``."""

    def __init__(self, code: str, message: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown media error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"MediaError({self.code!r}, {self.message!r})"

    def to_dict(self) -> dict[str, str]:
        """The error as a JSON-ready dict: ``{"code": ..., "message": ...}``."""
        return {"code": self.code, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> MediaError:
        """Rebuild an error sent by :meth:`to_dict` (used across the sandbox boundary)."""
        return cls(data["code"], data["message"])
