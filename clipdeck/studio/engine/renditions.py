"""Files derived from the rendered MP4: the 720-wide rendition, the poster, the sound.

Each reads the freshly written main file (already normalised to 30 fps H.264 +
AAC) and writes to the temporary path it is given; ``render`` commits them.
"""

from __future__ import annotations

import queue
import threading

import av

from .encoder import NO_PICTURE_TYPE, open_mp4

POSTER_AT = 1.0  # seconds; shorter videos use their middle
POSTER_QUALITY = 85


def make_rendition(main: str, dest: str, size: tuple[int, int] | None) -> None:
    """Write ``dest``: ``main`` scaled to ``size`` (audio copied); a plain copy when
    ``size`` is None (the main file is already at most 720 wide)."""
    if size is None:
        _remux(main, dest, video=True)
        return
    with av.open(main) as source:
        out, video, _ = open_mp4(dest, size, audio=False)
        with out:
            audio = out.add_stream_from_template(source.streams.audio[0])
            for kind, item in _threaded(_decoded(source)):
                if kind == "video":
                    frame = item.reformat(
                        width=size[0], height=size[1], format="yuv420p", interpolation="BICUBIC"
                    )
                    frame.pict_type = NO_PICTURE_TYPE
                    out.mux(video.encode(frame))
                else:
                    item.stream = audio
                    out.mux(item)
            out.mux(video.encode(None))


def _decoded(source):
    """Yield ("video", frame) and ("audio", packet) from the main file, in file order."""
    streams = [source.streams.video[0], source.streams.audio[0]]
    streams[0].thread_type = "AUTO"
    for packet in source.demux(streams):
        if packet.stream.type == "video":
            for frame in packet.decode():
                yield "video", frame
        elif packet.dts is not None:
            yield "audio", packet


def _threaded(generator, size: int = 8):
    """Run ``generator`` in a thread, yielding its items through a bounded queue."""
    items: queue.Queue = queue.Queue(maxsize=size)
    done = object()

    def produce():
        try:
            for item in generator:
                items.put(item)
            items.put(done)
        except BaseException as exc:
            items.put(exc)

    threading.Thread(target=produce, name="rendition-decode", daemon=True).start()
    while (item := items.get()) is not done:
        if isinstance(item, BaseException):
            raise item
        yield item


def _remux(main: str, dest: str, *, video: bool, format: str = "mp4") -> None:
    """Copy the audio (and video) packets of ``main`` into a fast-start ``dest``."""
    with (
        av.open(main) as source,
        av.open(dest, "w", format=format, options={"movflags": "+faststart"}) as out,
    ):
        inputs = ([source.streams.video[0]] if video else []) + [source.streams.audio[0]]
        outputs = {s.index: out.add_stream_from_template(s) for s in inputs}
        for packet in source.demux(inputs):
            if packet.dts is None:
                continue
            packet.stream = outputs[packet.stream.index]
            out.mux(packet)


def extract_audio(main: str, dest: str) -> None:
    """Write the main file's AAC track alone as an .m4a (no re-encoding)."""
    _remux(main, dest, video=False, format="ipod")


def make_poster(main: str, dest: str, duration: float) -> tuple[int, int]:
    """Write a JPEG of the frame at ~1 s (the middle of shorter videos); return its size."""
    at = min(POSTER_AT, duration / 2)
    with av.open(main) as source:
        stream = source.streams.video[0]
        chosen = None
        for frame in source.decode(stream):
            chosen = frame
            if frame.time is not None and frame.time >= at:
                break
    image = chosen.to_image()
    image.save(dest, format="JPEG", quality=POSTER_QUALITY, optimize=True)
    return image.size
