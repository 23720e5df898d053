"""The threaded render loop: decode threads -> filter loop (this thread) -> encode thread.

The filter loop always pushes the earliest pending frame (on the output timeline)
of all inputs, so multi-input filters (hstack, overlay, amix) never have to buffer
a whole input; each frame goes to its own buffer source (``ctx.push``), and both
sinks are drained after every push (``sink.pull`` until it needs more input).
"""

from __future__ import annotations

import av

from .encoder import EncodeThread
from .errors import MediaError
from .feeds import END, Feed
from .graph import BuiltGraph

BlockingIOError_ = av.error.BlockingIOError
EOFError_ = av.error.EOFError


def run(
    built: BuiltGraph, feeds: list[Feed], path: str, size: tuple[int, int], frames: int
) -> tuple[int, int]:
    """Render into the MP4 at ``path``; return (video frames, audio samples) written."""
    encoder = EncodeThread(path, size)
    try:
        for feed in feeds:
            feed.start()
        _filter(built, feeds, encoder)
        encoder.finish()
    except BaseException:
        encoder.abort()
        raise
    finally:
        for feed in feeds:
            feed.close()
    if encoder.frames < frames:
        raise MediaError(
            "corrupt_media", "Too few pictures of this video could be decoded; the file is damaged."
        )
    return encoder.frames, encoder.samples


def _filter(built: BuiltGraph, feeds: list[Feed], encoder: EncodeThread) -> None:
    sinks = {"video": built.video_sink, "audio": built.audio_sink}
    closed: set[str] = set()
    heads = {feed.spec.key: (feed, feed.get()) for feed in feeds}
    while heads:
        key = min(heads, key=lambda k: heads[k][1][0])
        feed, (_, kind, frame) = heads[key]
        if kind == END:
            _close_inputs(built, key, closed)
            del heads[key]
        else:
            _push(built, f"{key}:{kind}", frame, closed)
            heads[key] = (feed, feed.get())
        _drain(sinks, encoder, set())
    _drain_to_end(sinks, encoder)


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


def _drain(sinks: dict, encoder: EncodeThread, finished: set[str]) -> None:
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


def _drain_to_end(sinks: dict, encoder: EncodeThread) -> None:
    """After every input is closed, pull until both sinks are finished."""
    finished: set[str] = set()
    for _ in range(1_000_000):
        _drain(sinks, encoder, finished)
        if len(finished) == len(sinks):
            return
    raise MediaError("processing_failed", "The render stalled before its end.")
