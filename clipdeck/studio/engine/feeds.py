"""Decode threads: one per input file, each handing frames over a bounded queue.

A feed reads a window of its file (seeking to the window's start), rebases the
timestamps so the window starts at 0, and tags each frame with its time on the
output timeline (after speed) so the filter loop can interleave the inputs.
PyAV releases the GIL while decoding, so feeds run in parallel with filtering
and encoding.
"""

from __future__ import annotations

import math
import queue
import threading
from dataclasses import dataclass

import av

from .errors import MediaError
from .media import open_input, video_streams

QUEUE_FRAMES = 12
MAX_DECODE_ERRORS = 3
END = "end"


@dataclass(frozen=True)
class FeedSpec:
    """Which window of which file to decode, and how its time maps to the output."""

    key: str  # "source", "partner", "sound", "voiceover" or "part<n>" (a joined part)
    path: str
    start: float  # seconds after the file's start
    length: float  # seconds of the file to read (math.inf: to the end)
    speed: float = 1.0  # output time = offset + file time / speed
    video: bool = True
    audio: bool = True
    offset: float = 0.0  # where the window starts on the output timeline (joined parts)
    end_at: float = math.inf  # output time of its end (a joined part ends before the next)


class Feed:
    """An open input (streams usable as graph templates) and its decode thread."""

    def __init__(self, spec: FeedSpec) -> None:
        self.spec = spec
        self.container = open_input(spec.path)
        streams = video_streams(self.container) if spec.video else []
        self.video = streams[0] if streams else None
        self.audio = (
            self.container.streams.audio[0]
            if (spec.audio and self.container.streams.audio)
            else None
        )
        if self.video is not None:
            self.video.thread_type = "AUTO"
        self.queue: queue.Queue = queue.Queue(maxsize=QUEUE_FRAMES)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"decode-{spec.key}", daemon=True)

    def start(self) -> None:
        """Start decoding in the background."""
        self.thread.start()

    def get(self) -> tuple:
        """The next ``(output_time, kind, frame)``; kind is video, audio, or END."""
        item = self.queue.get()
        if item[1] == "error":
            raise item[2]
        return item

    def close(self) -> None:
        """Stop the thread (if still running) and close the file."""
        self.stop.set()
        while self.thread.is_alive():
            self._drain()
            self.thread.join(timeout=0.05)
        self.container.close()

    def _drain(self) -> None:
        try:
            while True:
                self.queue.get_nowait()
        except queue.Empty:
            pass

    def _put(self, item: tuple) -> bool:
        while not self.stop.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            _Window(self).decode()
            self._put((self.spec.end_at, END, None))
        except MediaError as exc:
            self._put((math.inf, "error", exc))
        except av.FFmpegError as exc:
            error = MediaError(
                "corrupt_media", "The video could not be decoded; the file is damaged."
            )
            error.__cause__ = exc
            self._put((math.inf, "error", error))
        except Exception as exc:
            self._put((math.inf, "error", exc))


class _Window:
    """Decode one feed's window, rebasing timestamps; holds the frame shown at time 0."""

    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        spec = feed.spec
        origin = (feed.container.start_time or 0) / 1_000_000
        self.start = origin + spec.start
        self.streams = [s for s in (feed.video, feed.audio) if s is not None]
        self.done: set = set()
        self.held = None
        self.size = (feed.video.width, feed.video.height) if feed.video else None
        self.errors = 0

    def decode(self) -> None:
        container, spec = self.feed.container, self.feed.spec
        if spec.start > 0:
            container.seek(int(self.start * 1_000_000), backward=True, any_frame=False)
        for packet in container.demux(self.streams):
            if packet.stream.index in self.done:
                continue
            for frame in self._frames(packet):
                if not self._accept(packet.stream, frame):
                    self.done.add(packet.stream.index)
                    break
            if len(self.done) == len(self.streams) or self.feed.stop.is_set():
                break
        self._emit_held()

    def _frames(self, packet) -> list:
        try:
            return packet.decode()
        except av.error.InvalidDataError:
            self.errors += 1
            if self.errors > MAX_DECODE_ERRORS:
                raise MediaError(
                    "corrupt_media", "This video is damaged: parts of it cannot be decoded."
                ) from None
            return []

    def _accept(self, stream, frame) -> bool:
        """Queue ``frame`` if it is inside the window; False once the stream is past it."""
        if frame.pts is None:
            return True
        offset = frame.time - self.start
        if offset >= self.feed.spec.length:
            return False
        if stream.type == "video":
            self._video(frame, offset)
        elif offset + frame.samples / frame.sample_rate > 0:
            self._queue(frame, offset, "audio")
        return True

    def _video(self, frame, offset: float) -> None:
        if self.size and (frame.width, frame.height) != self.size:
            frame = frame.reformat(width=self.size[0], height=self.size[1])
        if offset < 0:
            self.held = frame
            return
        if offset > 0:
            self._emit_held()
        self.held = None
        self._queue(frame, offset, "video")

    def _emit_held(self) -> None:
        """Show the last frame before the window at time 0 (or the file's last frame)."""
        if self.held is not None:
            frame, self.held = self.held, None
            self._queue(frame, 0.0, "video")

    def _queue(self, frame, offset: float, kind: str) -> None:
        frame.pts = round(offset / frame.time_base)
        spec = self.feed.spec
        self.feed._put((spec.offset + offset / spec.speed, kind, frame))
