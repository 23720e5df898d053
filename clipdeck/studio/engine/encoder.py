"""The encode+mux thread: H.264 High (x264) + AAC into a fast-start MP4.

Encoder choice (documented in docs/studio.md): x264 ``preset=veryfast``, ``crf=23``,
High profile, yuv420p, a keyframe every 2 s (``g=60``), frame threads (PyAV
defaults encoders to slice threads, which x264 runs less efficiently than the
FFmpeg command line's frame threads); AAC-LC 128 kb/s, 48 kHz stereo.
``movflags=+faststart`` puts the index (moov) before the media data so playback
starts before the whole file has downloaded.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Callable
from fractions import Fraction

import av

FPS = 30
X264_OPTIONS = {"preset": "veryfast", "crf": "23", "profile": "high"}
GOP = 2 * FPS
AUDIO_RATE = 48000
AUDIO_BITRATE = 128_000
QUEUE_FRAMES = 8
NO_PICTURE_TYPE = av.video.frame.PictureType.NONE


def open_mp4(path: str, size: tuple[int, int], audio: bool = True, threads: int = 0):
    """Open ``path`` as a fast-start MP4 with H.264 (and AAC) streams; return (container,
    video stream, audio stream or None). ``threads`` 0 lets x264 choose."""
    container = av.open(path, "w", format="mp4", options={"movflags": "+faststart"})
    video = container.add_stream("libx264", rate=FPS, options=dict(X264_OPTIONS))
    video.width, video.height = size
    video.pix_fmt = "yuv420p"
    video.codec_context.time_base = Fraction(1, FPS)
    video.codec_context.gop_size = GOP
    video.codec_context.thread_type = "AUTO"  # PyAV's default (slices) makes x264 slower
    video.codec_context.thread_count = threads
    sound = None
    if audio:
        sound = container.add_stream("aac", rate=AUDIO_RATE, layout="stereo")
        sound.bit_rate = AUDIO_BITRATE
    return container, video, sound


def encoder_threads(pixels: list[int], cores: int | None = None) -> list[int]:
    """x264 threads for outputs of the given sizes (in pixels), sharing ``cores``.

    x264 alone picks 1.5 threads per core; two encoders each doing so oversubscribe
    the machine and thrash. Each output gets a share of the cores in proportion to
    its pixels (at least one thread), then x264's own 1.5 factor.
    """
    cores = cores or os.cpu_count() or 1
    total = sum(pixels)
    return [max(1, round(cores * 1.5 * p / total)) for p in pixels]


def copy_audio(frame: av.AudioFrame) -> av.AudioFrame:
    """An independent copy of an audio frame (one frame cannot feed two encoders)."""
    copy = av.AudioFrame(format=frame.format.name, layout=frame.layout.name, samples=frame.samples)
    for plane, original in zip(copy.planes, frame.planes, strict=True):
        plane.update(bytes(original)[: plane.buffer_size])
    copy.sample_rate, copy.pts, copy.time_base = frame.sample_rate, frame.pts, frame.time_base
    return copy


class EncodeThread:
    """Encodes frames handed over by the filter loop and muxes them, in its own thread.

    ``on_picture(index, frame)`` is called in that thread before each picture is
    encoded (the poster is taken from the main output that way).
    """

    def __init__(
        self,
        path: str,
        size: tuple[int, int],
        threads: int = 0,
        on_picture: Callable[[int, av.VideoFrame], None] | None = None,
    ) -> None:
        self.container, self.video, self.audio = open_mp4(path, size, threads=threads)
        self.on_picture = on_picture
        self.queue: queue.Queue = queue.Queue(maxsize=QUEUE_FRAMES)
        self.frames = 0
        self.samples = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="encode", daemon=True)
        self.thread.start()

    def put(self, kind: str, frame) -> None:
        """Hand over a video or audio frame (blocks while the queue is full)."""
        self._check()
        while self.thread.is_alive():
            try:
                self.queue.put((kind, frame), timeout=0.1)
                return
            except queue.Full:
                continue
        self._check()

    def finish(self) -> None:
        """Flush the encoders, write the index, close the file; re-raise thread errors."""
        self.put("end", None)
        self.thread.join()
        self._check()

    def abort(self) -> None:
        """Stop without finishing (the caller deletes the temporary file)."""
        while self.thread.is_alive():
            try:
                self.queue.put(("abort", None), timeout=0.1)
            except queue.Full:
                continue
            self.thread.join()
        with contextlib.suppress(av.FFmpegError):
            self.container.close()

    def _check(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        try:
            while (item := self.queue.get())[0] not in ("end", "abort"):
                self._encode(*item)
            if item[0] == "end":
                self.container.mux(self.video.encode(None))
                self.container.mux(self.audio.encode(None))
                self.container.close()
        except BaseException as exc:
            self.error = exc

    def _encode(self, kind: str, frame) -> None:
        if kind == "video":
            if self.on_picture is not None:
                self.on_picture(self.frames, frame)
            frame.pict_type = NO_PICTURE_TYPE
            self.frames += 1
            self.container.mux(self.video.encode(frame))
        else:
            self.samples += frame.samples
            self.container.mux(self.audio.encode(frame))
