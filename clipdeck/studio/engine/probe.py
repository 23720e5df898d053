"""``probe``: decide by content whether a file is a video we can use, and describe it.

The file name never matters. Checks, in order: size (empty, too large), whether
FFmpeg can open it as a video or audio container, whether it holds a picture
track, its codecs, its dimensions, its duration (the header's claim and the real
packet timestamps), and that its first frame decodes (which also gives the
rotation from the display matrix).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import asdict, dataclass

import av

from . import inputs, sniff
from .errors import MediaError
from .limits import Limits
from .media import VIDEO_CODECS, audio_codec_accepted, codec_name, open_input, video_streams

FIRST_FRAME_PACKETS = 300
VFR_SAMPLE = 120
REORDER_SLACK = 16  # B-frames arrive out of order: ignore the newest packets' gaps
FPS_TOLERANCE = 1.02  # 59.94 and 60 fps are "60"; timestamps round
VOICEOVER_FRAMES = 50  # sound frames decoded to check a voice-over (about a second)


@dataclass(frozen=True)
class VideoInfo:
    """The picture track. ``rotation`` is clockwise degrees to turn it for display."""

    codec: str
    width: int
    height: int
    display_width: int
    display_height: int
    rotation: int
    fps: float
    is_vfr: bool


@dataclass(frozen=True)
class AudioInfo:
    """The first sound track."""

    codec: str
    sample_rate: int
    channels: int


@dataclass(frozen=True)
class ProbeResult:
    """What ``probe`` found; ``duration_ms`` is the picture track's real length."""

    container: str
    duration_ms: int
    size_bytes: int
    video: VideoInfo
    audio: AudioInfo | None

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ProbeResult:
        """Rebuild from :meth:`to_dict` output."""
        audio = AudioInfo(**data["audio"]) if data.get("audio") else None
        return cls(**{**data, "video": VideoInfo(**data["video"]), "audio": audio})


def probe(path: str | os.PathLike, limits: Limits | None = None) -> ProbeResult:
    """Inspect ``path`` and return a :class:`ProbeResult`, or raise :class:`MediaError`."""
    path, limits = str(path), limits or Limits()
    size = _check_size(path, limits)
    head = sniff.read_head(path)
    try:
        with _open(path, head) as container:
            return _inspect(container, head, size, limits)
    except av.FFmpegError as exc:
        raise _damaged(head) from exc


def _check_size(path: str, limits: Limits) -> int:
    try:
        size = inputs.file_size(path)
    except OSError as exc:
        raise MediaError("corrupt_media", "The uploaded file could not be read.") from exc
    if size == 0:
        raise MediaError("empty_file", "The uploaded file is empty (0 bytes).")
    if size > limits.max_bytes:
        raise MediaError(
            "file_too_large",
            f"This file is {_mb(size)}; the largest video we accept is {_mb(limits.max_bytes)}.",
        )
    return size


def _open(path: str, head: bytes):
    try:
        return open_input(path)
    except av.FFmpegError as exc:
        raise _unreadable(head) from exc


def _unreadable(head: bytes) -> MediaError:
    """The error for a file FFmpeg cannot open as media."""
    if sniff.looks_like_video_container(head):
        return _damaged(head)
    kind = sniff.describe(head)
    detail = f" (it looks like {kind})" if kind else ""
    return MediaError("not_a_video", f"This file is not a video we can read{detail}.")


def _damaged(head: bytes) -> MediaError:
    kind = sniff.describe(head) or "a video"
    return MediaError(
        "corrupt_media",
        f"This file looks like {kind} but it is damaged or "
        "incomplete (it may have been cut off during upload).",
    )


def _inspect(container, head: bytes, size: int, limits: Limits) -> ProbeResult:
    video = _video_stream(container, head)
    check_stream(video, limits)
    audio = _audio_info(container)
    _check_header_duration(container, video, limits)
    duration_ms, fps, is_vfr, rotation = _scan(container, video, limits)
    return ProbeResult(
        container=container.format.name,
        duration_ms=duration_ms,
        size_bytes=size,
        video=_video_info(video, rotation, fps, is_vfr),
        audio=audio,
    )


def _video_stream(container, head: bytes):
    streams = video_streams(container)
    if streams:
        return streams[0]
    if container.streams.audio:
        kind = sniff.describe(head)
        detail = f" (it looks like {kind})" if kind and "video" not in kind else ""
        raise MediaError(
            "no_video_stream", f"This file has sound but no picture{detail}; please upload a video."
        )
    raise MediaError("no_video_stream", "This file has no video track we can play.")


def _audio_info(container) -> AudioInfo | None:
    if not container.streams.audio:
        return None
    stream = container.streams.audio[0]
    name = codec_name(stream)
    if not audio_codec_accepted(name):
        raise MediaError(
            "unsupported_codec",
            f"The sound in this video uses the "
            f"{name.upper()} codec, which we don't support; please export it "
            "with AAC or Opus audio.",
        )
    return AudioInfo(
        codec=name, sample_rate=int(stream.rate or 0), channels=int(stream.channels or 0)
    )


def _video_info(stream, rotation: int, fps: float, is_vfr: bool) -> VideoInfo:
    name = codec_name(stream)
    width, height = int(stream.width), int(stream.height)
    swap = rotation in (90, 270)
    return VideoInfo(
        codec=name,
        width=width,
        height=height,
        display_width=height if swap else width,
        display_height=width if swap else height,
        rotation=rotation,
        fps=round(fps, 3),
        is_vfr=is_vfr,
    )


def check_stream(stream, limits: Limits) -> None:
    """Raise for a video stream whose codec or size we refuse (before decoding it)."""
    name = codec_name(stream)
    if name not in VIDEO_CODECS:
        raise MediaError(
            "unsupported_codec",
            f"This video uses the {name.upper()} codec, "
            "which we don't support; please export it as H.264 (MP4), HEVC, "
            "VP9 or AV1.",
        )
    width, height = int(stream.width or 0), int(stream.height or 0)
    if width <= 0 or height <= 0:
        raise MediaError("corrupt_media", "This video has no picture size; it is damaged.")
    if max(width, height) > limits.max_side:
        raise MediaError(
            "dimensions_too_large",
            f"This video is {width}x{height} pixels; "
            f"the largest side we accept is {limits.max_side} pixels.",
        )
    if min(width, height) < limits.min_side:
        raise MediaError(
            "dimensions_too_small",
            f"This video is {width}x{height} pixels; "
            f"the smallest side we accept is {limits.min_side} pixels.",
        )


def _check_header_duration(container, stream, limits: Limits) -> None:
    claims = [container.duration / 1000 if container.duration else 0]
    if stream.duration and stream.time_base:
        claims.append(float(stream.duration * stream.time_base) * 1000)
    _check_length(max(claims), limits)


def _check_length(duration_ms: float, limits: Limits) -> None:
    if duration_ms > limits.max_source_ms:
        raise MediaError(
            "source_too_long",
            f"This video is {_clock(duration_ms)} long; the "
            f"longest video we accept is {_clock(limits.max_source_ms)}.",
        )


def _scan(container, stream, limits: Limits) -> tuple[int, float, bool, int]:
    """Read every packet of the picture track (decoding only the first frame).

    Returns (duration_ms, fps, is_vfr, rotation). A truncated or damaged file fails
    here with ``corrupt_media``, timestamps spanning more than ``max_source_ms`` with
    ``source_too_long`` (whatever the header claims), more pictures than the frame
    budget with ``too_many_frames`` (as soon as the count passes it), and a measured
    frame rate or pixel rate over the limits with ``frame_rate_too_high`` or
    ``pixel_rate_too_high``.
    """
    scan = _Scan(stream)
    budget = limits.max_frames(limits.max_source_ms)
    for packet in container.demux(stream):
        scan.add(packet)
        if scan.count > min(budget, limits.max_frames(scan.seconds * 1000)):
            raise _over_budget(scan, limits)
    _check_length(scan.seconds * 1000, limits)
    result = scan.result()
    check_rate(stream, result[1], limits)
    return result


def _over_budget(scan: _Scan, limits: Limits) -> MediaError:
    """The error for a picture count past the frame budget: the rate when it is known."""
    if scan.seconds > 0:
        return _frame_rate_error(scan.count / scan.seconds, limits)
    return MediaError(
        "too_many_frames",
        "This video holds more pictures than its length allows (over "
        f"{limits.max_fps:g} a second); it cannot be processed.",
    )


def _frame_rate_error(fps: float, limits: Limits) -> MediaError:
    return MediaError(
        "frame_rate_too_high",
        f"This video has {fps:.0f} frames per second; the most we accept is {limits.max_fps:g}.",
    )


def check_rate(stream, fps: float, limits: Limits) -> None:
    """Raise for a measured frame rate or pixel rate (width x height x fps) over the limits."""
    if fps > limits.max_fps * FPS_TOLERANCE:
        raise _frame_rate_error(fps, limits)
    width, height = int(stream.width), int(stream.height)
    if width * height * fps > limits.max_pixel_rate * FPS_TOLERANCE:
        raise MediaError(
            "pixel_rate_too_high",
            f"This video is {width}x{height} pixels at {fps:.0f} frames per second, more "
            f"than we can process; the most we accept is {limits.max_pixel_rate / 1e6:.0f} "
            "million pixels a second (4K at 60 frames per second).",
        )


class _Scan:
    """What the packets of the picture track say: times, count, first frame's rotation."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.times: list[float] = []
        self.first: float | None = None
        self.last: float | None = None
        self.count = 0
        self.rotation: int | None = None

    @property
    def seconds(self) -> float:
        return 0.0 if self.first is None else self.last - self.first

    def add(self, packet) -> None:
        if self.rotation is None and (self.count < FIRST_FRAME_PACKETS or packet.size == 0):
            self.rotation = _first_frame_rotation(packet)
        if packet.pts is None or packet.size == 0:
            return
        start = float(packet.pts * self.stream.time_base)
        end = start + float((packet.duration or 0) * self.stream.time_base)
        self.first = start if self.first is None else min(self.first, start)
        self.last = end if self.last is None else max(self.last, end)
        self.count += 1
        if len(self.times) < VFR_SAMPLE:
            self.times.append(start)

    def result(self) -> tuple[int, float, bool, int]:
        if self.rotation is None or self.first is None:
            raise MediaError(
                "corrupt_media", "No picture in this video could be decoded; the file is damaged."
            )
        if self.seconds <= 0:
            raise MediaError("corrupt_media", "This video has no playable length; it is damaged.")
        declared = self.stream.frames or 0
        if self.count < declared - max(1, declared // 50):
            raise MediaError(
                "corrupt_media",
                f"This video is incomplete: only {self.count} of "
                f"its {declared} pictures are in the file (the upload may have "
                "been cut off).",
            )
        duration = self.seconds
        return round(duration * 1000), self.count / duration, _is_vfr(self.times), self.rotation


def _first_frame_rotation(packet) -> int | None:
    for frame in packet.decode():
        return round(-frame.rotation / 90) * 90 % 360
    return None


def _is_vfr(times: list[float]) -> bool:
    """A hint: frame intervals that vary by more than a quarter of the typical one."""
    ordered = sorted(times)[: max(2, len(times) - REORDER_SLACK)]
    steps = [b - a for a, b in itertools.pairwise(ordered)]
    if len(steps) < 2:
        return False
    steps.sort()
    typical = steps[len(steps) // 2]
    return typical > 0 and (steps[-1] - steps[0]) > 0.25 * typical


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.1f} KB"


def _clock(ms: float) -> str:
    seconds = int(ms // 1000)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60} s" if seconds % 60 else f"{seconds // 60} min"
    return f"{ms / 1000:.1f} s"


def probe_sound(path: str | os.PathLike, limits: Limits | None = None) -> AudioInfo:
    """Check a background-music file: readable, with an accepted audio codec."""
    path, limits = str(path), limits or Limits()
    unusable = MediaError(
        "sound_unusable", "The selected sound could not be read; please choose another one."
    )
    try:
        if not 0 < inputs.file_size(path) <= limits.max_bytes:
            raise unusable
        with open_input(path) as container:
            if not container.streams.audio:
                raise unusable
            stream = container.streams.audio[0]
            if not audio_codec_accepted(codec_name(stream)):
                raise unusable
            return AudioInfo(
                codec=codec_name(stream),
                sample_rate=int(stream.rate or 0),
                channels=int(stream.channels or 0),
            )
    except (OSError, av.FFmpegError) as exc:
        raise unusable from exc


@dataclass(frozen=True)
class VoiceoverInfo:
    """A usable voice-over: its container (FFmpeg format name), sound and length."""

    container: str
    codec: str
    sample_rate: int
    channels: int
    duration_ms: int


def probe_voiceover(path: str | os.PathLike, limits: Limits | None = None) -> VoiceoverInfo:
    """Check a voice-over: a file with a sound track in an accepted codec (a recording
    with a picture is fine; its picture is ignored). MediaError ``not_audio``,
    ``unsupported_codec``, ``empty_file``, ``file_too_large`` or ``source_too_long``."""
    path, limits = str(path), limits or Limits()
    _check_size(path, limits)
    looks = sniff.describe(sniff.read_head(path))
    refused = MediaError(
        "not_audio",
        "The voice-over is not a sound file we can read"
        + (f" (it looks like {looks})." if looks else "."),
    )
    try:
        with open_input(path) as container:
            if not container.streams.audio:
                raise refused
            stream = container.streams.audio[0]
            if not audio_codec_accepted(codec_name(stream)):
                raise MediaError(
                    "unsupported_codec",
                    f"The voice-over's sound is {codec_name(stream)}, which we cannot use.",
                )
            decoded = sum(1 for _ in itertools.islice(container.decode(stream), VOICEOVER_FRAMES))
            duration_ms = round((container.duration or 0) / 1000)
            if decoded == 0:
                raise refused
            if duration_ms > limits.max_source_ms:
                raise MediaError(
                    "source_too_long",
                    f"The voice-over is {duration_ms / 60000:.0f} min long; the longest we "
                    f"accept is {limits.max_source_ms / 60000:.0f} min.",
                )
            return VoiceoverInfo(
                container=container.format.name,
                codec=codec_name(stream),
                sample_rate=int(stream.rate or 0),
                channels=int(stream.channels or 0),
                duration_ms=duration_ms,
            )
    except (OSError, av.FFmpegError) as exc:
        raise refused from exc
