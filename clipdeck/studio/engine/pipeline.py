"""The threaded render loop: decode threads -> filter loop (this thread) -> encode threads.

One decode and one filter graph feed every output: the main MP4, the 720-wide
rendition (its own encode thread, fed by the graph's second picture sink and a
copy of the mixed sound) and the poster (taken from the main output's frames
before they are encoded).

The filter loop always pushes the earliest pending frame (on the output timeline)
of all inputs, so multi-input filters (hstack, overlay, amix) never have to buffer
a whole input; each frame goes to its own buffer source (``ctx.push``), and both
sinks are drained after every push (``sink.pull`` until it needs more input).
"""

from __future__ import annotations

from dataclasses import dataclass

import av

from .encoder import EncodeThread, copy_audio, encoder_threads
from .errors import MediaError
from .feeds import END, Feed
from .graph import BuiltGraph

BlockingIOError_ = av.error.BlockingIOError
EOFError_ = av.error.EOFError


POSTER_QUALITY = 85


@dataclass(frozen=True)
class Targets:
    """Where the outputs go: the main MP4 (``size``), optionally the rendition (its own
    size, from the graph's rendition sink) and the poster (main frame ``poster_index``)."""

    path: str
    size: tuple[int, int]
    rendition_path: str | None = None
    rendition_size: tuple[int, int] | None = None
    poster_path: str | None = None
    poster_index: int = 0


class _Poster:
    """Saves one frame of the main output as a JPEG (called in the encode thread)."""

    def __init__(self, path: str, index: int) -> None:
        self.path, self.index = path, index
        self.size: tuple[int, int] | None = None
        self.last: av.VideoFrame | None = None

    def __call__(self, index: int, frame: av.VideoFrame) -> None:
        self.last = frame
        if index == self.index:
            self.save(frame)

    def save(self, frame: av.VideoFrame) -> None:
        image = frame.to_image()
        image.save(self.path, format="JPEG", quality=POSTER_QUALITY, optimize=True)
        self.size = image.size


def run(built: BuiltGraph, feeds: list[Feed], targets: Targets, frames: int) -> dict:
    """Render every target; return the picture sizes written by name (mp4, mp4_720,
    poster). Raise MediaError when too few frames could be decoded."""
    poster = _Poster(targets.poster_path, targets.poster_index) if targets.poster_path else None
    encoders = _encoders(targets, poster)
    try:
        for feed in feeds:
            feed.start()
        _filter(built, feeds, encoders)
        for encoder in encoders.values():
            encoder.finish()
    except BaseException:
        for encoder in encoders.values():
            encoder.abort()
        raise
    finally:
        for feed in feeds:
            feed.close()
    if encoders["main"].frames < frames:
        raise MediaError(
            "corrupt_media", "Too few pictures of this video could be decoded; the file is damaged."
        )
    return _sizes(targets, poster)


def _encoders(targets: Targets, poster: _Poster | None) -> dict[str, EncodeThread]:
    sizes = [targets.size] + ([targets.rendition_size] if targets.rendition_path else [])
    threads = encoder_threads([w * h for w, h in sizes])
    encoders = {"main": EncodeThread(targets.path, targets.size, threads[0], on_picture=poster)}
    if targets.rendition_path and targets.rendition_size:
        try:
            encoders["rendition"] = EncodeThread(
                targets.rendition_path, targets.rendition_size, threads[1]
            )
        except BaseException:
            encoders["main"].abort()
            raise
    return encoders


def _sizes(targets: Targets, poster: _Poster | None) -> dict:
    sizes: dict = {"mp4": targets.size}
    if targets.rendition_path:
        sizes["mp4_720"] = targets.rendition_size
    if poster is not None:
        if poster.size is None and poster.last is not None:  # shorter than the poster time
            poster.save(poster.last)
        sizes["poster"] = poster.size
    return sizes


def _filter(built: BuiltGraph, feeds: list[Feed], encoders: dict[str, EncodeThread]) -> None:
    sinks = {"video": built.video_sink, "audio": built.audio_sink}
    if built.rendition_sink is not None:
        sinks["rendition"] = built.rendition_sink
    outputs = _Outputs(encoders)
    for source, frame in built.stills:  # text and sticker images: one frame each
        source.push(frame)
        source.push(None)
    closed: set[str] = set()
    heads = {feed.spec.key: (feed, feed.get()) for feed in feeds}
    while heads:
        # Earliest first; at equal times an end goes first (a joined part ends, the next starts).
        key = min(heads, key=lambda k: (heads[k][1][0], heads[k][1][1] != END))
        feed, (_, kind, frame) = heads[key]
        if kind == END:
            _close_inputs(built, key, closed)
            del heads[key]
        else:
            _push(built, f"{key}:{kind}", frame, closed)
            heads[key] = (feed, feed.get())
        _drain(sinks, outputs, set())
    _drain_to_end(sinks, outputs)


def _push(built: BuiltGraph, name: str, frame, closed: set[str]) -> None:
    if name in closed:
        return
    try:
        built.sources[name].push(frame)
    except EOFError_:
        closed.add(name)  # the graph needs no more of this input (it has its length)


def _close_inputs(built: BuiltGraph, key: str, closed: set[str]) -> None:
    for name in (f"{key}:video", f"{key}:audio"):
        if name in built.sources and name not in closed:
            _push(built, name, None, closed)
            closed.add(name)


class _Outputs:
    """Routes what the sinks give to the encoders: pictures to their own output, the
    mixed sound to the main output and a copy of it to the rendition."""

    def __init__(self, encoders: dict[str, EncodeThread]) -> None:
        self.main, self.rendition = encoders["main"], encoders.get("rendition")

    def put(self, kind: str, frame) -> None:
        if kind == "rendition":
            self.rendition.put("video", frame)
            return
        if kind == "audio" and self.rendition is not None:
            self.rendition.put("audio", copy_audio(frame))
        self.main.put(kind, frame)


def _drain(sinks: dict, encoder: _Outputs, finished: set[str]) -> None:
    """Pull every frame the sinks have ready; record sinks that reached their end."""
    for kind, sink in sinks.items():
        while kind not in finished:
            try:
                frame = sink.pull()
            except BlockingIOError_:
                break
            except EOFError_:
                finished.add(kind)
                break
            encoder.put(kind, frame)


def _drain_to_end(sinks: dict, encoder: _Outputs) -> None:
    """After every input is closed, pull until both sinks are finished."""
    finished: set[str] = set()
    for _ in range(1_000_000):
        _drain(sinks, encoder, finished)
        if len(finished) == len(sinks):
            return
    raise MediaError("processing_failed", "The render stalled before its end.")
