"""Files copied out of the rendered MP4: the rendition of a small frame, the sound.

The 720-wide rendition and the poster of a larger frame come out of the render
itself (see ``pipeline``); what is left here is stream copies of the freshly
written main file into the temporary paths ``render`` commits.
"""

from __future__ import annotations

import av

POSTER_AT = 1.0  # seconds; shorter videos use their middle


def copy_rendition(main: str, dest: str) -> None:
    """Write ``dest`` as a copy of ``main`` (a frame already at most 720 wide)."""
    _remux(main, dest, video=True)


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
