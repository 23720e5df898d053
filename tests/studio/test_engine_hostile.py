"""A corpus of malformed and hostile files: each gets a specific MediaError, never a crash.

Every file goes through the sandbox (``safe_probe`` and ``safe_render``), then the
same test process renders a good file, showing the caller survives them all.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from clipdeck.studio.engine import (
    EditSpec,
    Limits,
    MediaError,
    RenderJob,
    RenderOutputs,
    safe_probe,
    safe_render,
)
from clipdeck.studio.engine.synth import make_clip, make_tone

NOT_A_VIDEO = "This file is not a video we can read"
DAMAGED_MP4 = (
    "This file looks like an MP4/MOV video but it is damaged or incomplete (it may "
    "have been cut off during upload)."
)
SOUND_ONLY = "This file has sound but no picture{}; please upload a video."
TEN_HOURS = "This video is 10 h 0 min long; the longest video we accept is 10 min."
VIDEO_CODEC = (
    "This video uses the {} codec, which we don't support; please export it as "
    "H.264 (MP4), HEVC, VP9 or AV1."
)


@dataclass(frozen=True)
class Case:
    path: str
    code: str
    message: str  # exact, or a prefix when it ends with "..."
    limits: Limits = field(default_factory=Limits)
    probe_accepts: bool = False  # damage that only decoding the whole stream finds


def matches(error: MediaError, case: Case) -> bool:
    if case.message.endswith("..."):
        return error.message.startswith(case.message[:-3])
    return error.message == case.message


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Case]:
    folder = tmp_path_factory.mktemp("hostile")
    good = make_clip(folder / "good.mp4", seconds=2.0, width=180, height=320, scene="bouncing")
    silent = make_clip(folder / "silent.mp4", seconds=1.0, width=180, height=320, acodec=None)
    good_bytes = Path(good).read_bytes()
    rng = np.random.default_rng(7)

    def write(name: str, data: bytes) -> str:
        (folder / name).write_bytes(data)
        return str(folder / name)

    def image(kind: str, frames: int = 1) -> bytes:
        buffer = io.BytesIO()
        pictures = [Image.new("RGB", (64, 48), (i * 60, 90, 200)) for i in range(frames)]
        pictures[0].save(buffer, kind, save_all=frames > 1, append_images=pictures[1:])
        return buffer.getvalue()

    def not_video(kind: str = "") -> str:
        return f"{NOT_A_VIDEO} (it looks like {kind})." if kind else f"{NOT_A_VIDEO}."

    random_bytes = rng.integers(0, 256, 64_000, dtype=np.uint8).tobytes()
    cases = {
        "empty.mp4": Case(
            write("empty.mp4", b""), "empty_file", "The uploaded file is empty (0 bytes)."
        ),
        "random.bin": Case(write("random.bin", random_bytes), "not_a_video", not_video()),
        "random.mp4": Case(write("random.mp4", random_bytes), "not_a_video", not_video()),
        "png_renamed.mp4": Case(
            write("png_renamed.mp4", image("PNG")), "not_a_video", not_video("a PNG image")
        ),
        "jpeg_renamed.mov": Case(
            write("jpeg_renamed.mov", image("JPEG")), "not_a_video", not_video("a JPEG image")
        ),
        "animation.gif": Case(
            write("animation.gif", image("GIF", frames=3)), "not_a_video", not_video("a GIF image")
        ),
        "notes.txt": Case(
            write("notes.txt", b"Shopping list\neggs\nmilk\n" * 20),
            "not_a_video",
            not_video("a text file"),
        ),
        "page.mp4": Case(
            write("page.mp4", b"<!doctype html><html><body>hi</body></html>"),
            "not_a_video",
            not_video("an HTML page"),
        ),
        "document.pdf": Case(
            write("document.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF"),
            "not_a_video",
            not_video("a PDF document"),
        ),
        "archive.zip": Case(
            write("archive.zip", _zip()),
            "not_a_video",
            not_video("a ZIP archive or office document"),
        ),
        "playlist.m3u8": Case(
            write("playlist.m3u8", b"#EXTM3U\n#EXTINF:10,\n/etc/passwd\n"),
            "not_a_video",
            not_video("a text file"),
        ),
        "tone.wav": Case(
            make_tone(folder / "tone.wav", seconds=0.5),
            "no_video_stream",
            SOUND_ONLY.format(" (it looks like a WAV audio file)"),
        ),
        "tone.m4a": Case(
            make_tone(folder / "tone.m4a", seconds=0.5),
            "no_video_stream",
            SOUND_ONLY.format(" (it looks like an M4A audio file)"),
        ),
        "tone.mp3": Case(
            make_tone(folder / "tone.mp3", seconds=0.5),
            "no_video_stream",
            SOUND_ONLY.format(" (it looks like an MP3 audio file)"),
        ),
        "data_only.mp4": Case(
            write("data_only.mp4", _data_only(Path(silent).read_bytes())),
            "no_video_stream",
            "This file has no video track we can play.",
        ),
        "cut_50.mp4": Case(
            write("cut_50.mp4", good_bytes[: len(good_bytes) // 2]), "corrupt_media", DAMAGED_MP4
        ),
        "cut_10.mp4": Case(
            write("cut_10.mp4", good_bytes[: len(good_bytes) // 10]), "corrupt_media", DAMAGED_MP4
        ),
        "cut_1k.mp4": Case(write("cut_1k.mp4", good_bytes[:1024]), "corrupt_media", DAMAGED_MP4),
        "faststart_cut.mp4": Case(
            write("faststart_cut.mp4", _faststart_cut(good, folder)),
            "corrupt_media",
            "This video is incomplete: only ...",
        ),
        "bit_flips.mp4": Case(
            write("bit_flips.mp4", _flip_bits(good_bytes, rng)),
            "corrupt_media",
            "This video is damaged: parts of it cannot be decoded.",
            probe_accepts=True,
        ),
        "mjpeg.mkv": Case(
            make_clip(folder / "mjpeg.mkv", vcodec="mjpeg", width=180, height=320, seconds=0.5),
            "unsupported_codec",
            VIDEO_CODEC.format("MJPEG"),
        ),
        "rawvideo.mkv": Case(
            make_clip(
                folder / "rawvideo.mkv",
                vcodec="rawvideo",
                width=180,
                height=320,
                seconds=0.5,
                acodec=None,
            ),
            "unsupported_codec",
            VIDEO_CODEC.format("RAWVIDEO"),
        ),
        "flac_sound.mkv": Case(
            make_clip(folder / "flac_sound.mkv", acodec="flac", width=180, height=320, seconds=0.5),
            "unsupported_codec",
            "The sound in this video uses the FLAC codec, which we don't "
            "support; please export it with AAC or Opus audio.",
        ),
        "wide_4100.mp4": Case(
            make_clip(
                folder / "wide_4100.mp4",
                width=4100,
                height=16,
                seconds=0.2,
                acodec=None,
                scene="bars",
            ),
            "dimensions_too_large",
            "This video is 4100x16 pixels; the largest side we accept is 4096 pixels.",
        ),
        "ten_hours_stts.mp4": Case(
            write("ten_hours_stts.mp4", _ten_hours(Path(silent).read_bytes())),
            "source_too_long",
            TEN_HOURS,
        ),
        "ten_hours_gap.mkv": Case(
            _gap_mkv(folder / "ten_hours_gap.mkv"), "source_too_long", TEN_HOURS
        ),
        "over_max_bytes.mp4": Case(
            good, "file_too_large", "This file is ...", Limits(max_bytes=10_000)
        ),
        "over_max_source.mp4": Case(
            good,
            "source_too_long",
            "This video is 2.0 s long; the longest video we accept is 1.0 s.",
            Limits(max_source_ms=1000),
        ),
    }
    return cases


PROBED = [
    "empty.mp4",
    "random.bin",
    "random.mp4",
    "png_renamed.mp4",
    "jpeg_renamed.mov",
    "animation.gif",
    "notes.txt",
    "page.mp4",
    "document.pdf",
    "archive.zip",
    "playlist.m3u8",
    "tone.wav",
    "tone.m4a",
    "tone.mp3",
    "data_only.mp4",
    "cut_50.mp4",
    "cut_10.mp4",
    "cut_1k.mp4",
    "faststart_cut.mp4",
    "mjpeg.mkv",
    "rawvideo.mkv",
    "flac_sound.mkv",
    "wide_4100.mp4",
    "ten_hours_stts.mp4",
    "ten_hours_gap.mkv",
    "over_max_bytes.mp4",
    "over_max_source.mp4",
]


def test_corpus_is_large_enough(corpus):
    assert len(corpus) >= 20
    assert sorted([*PROBED, "bit_flips.mp4"]) == sorted(corpus)


@pytest.mark.parametrize("name", PROBED)
def test_safe_probe_refuses_with_a_specific_error(corpus, name):
    case = corpus[name]

    with pytest.raises(MediaError) as error:
        safe_probe(case.path, case.limits)

    assert error.value.code == case.code
    assert matches(error.value, case), error.value.message


def test_probe_cannot_see_damage_deep_in_the_stream(corpus):
    info = safe_probe(corpus["bit_flips.mp4"].path)

    assert (info.video.codec, info.duration_ms) == ("h264", 2000)


def test_safe_render_refuses_every_file_then_still_renders(corpus, tmp_path, portrait):
    outputs = RenderOutputs(mp4=str(tmp_path / "video.mp4"), poster=str(tmp_path / "p.jpg"))
    answers = {}
    for name, case in corpus.items():
        with pytest.raises(MediaError) as error:
            safe_render(RenderJob(source=case.path, outputs=outputs), case.limits)
        assert matches(error.value, case), (name, error.value.message)
        answers[name] = error.value.code

    result = safe_render(RenderJob(source=portrait, outputs=outputs, spec=EditSpec(filter="vivid")))

    assert answers == {name: case.code for name, case in corpus.items()}
    assert (result.duration_ms, result.width, result.height) == (2000, 180, 320)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jpg", "video.mp4"]


@pytest.fixture(scope="module")
def heavy(media) -> str:
    """A clip that takes several CPU seconds to render with a blur preset."""
    return media.clip("heavy.mp4", width=720, height=1280, seconds=3.0, scene="gradient")


def test_wall_clock_limit_kills_the_worker(heavy, tmp_path):
    job = RenderJob(
        source=heavy,
        outputs=RenderOutputs(mp4=str(tmp_path / "v.mp4")),
        spec=EditSpec(filter="dream"),
    )

    with pytest.raises(MediaError) as error:
        safe_render(job, Limits(wall_seconds=1.0))

    assert error.value.code == "processing_timeout"
    assert error.value.message == ("Processing this video took too long and was stopped after 1 s.")
    assert not (tmp_path / "v.mp4").exists()


def test_cpu_limit_stops_the_worker(heavy, tmp_path):
    job = RenderJob(
        source=heavy,
        outputs=RenderOutputs(mp4=str(tmp_path / "v.mp4")),
        spec=EditSpec(filter="dream"),
    )

    with pytest.raises(MediaError) as error:
        safe_render(job, Limits(cpu_seconds=1))

    assert error.value.code == "resources_exceeded"
    assert not (tmp_path / "v.mp4").exists()


def test_memory_limit_stops_the_worker(heavy, tmp_path):
    job = RenderJob(source=heavy, outputs=RenderOutputs(mp4=str(tmp_path / "v.mp4")))

    with pytest.raises(MediaError) as error:
        safe_render(job, Limits(memory_bytes=400_000_000))

    assert error.value.code == "resources_exceeded"
    assert error.value.message == (
        "Processing this video needed more memory than allowed and was stopped."
    )


# --- builders ---------------------------------------------------------------------------

BOX_PARENTS = {b"moov", b"trak", b"mdia", b"minf", b"stbl"}


def _boxes(data: bytes, start: int = 0, end: int | None = None, path: tuple = ()):
    """Yield (path of box types, offset, size) for an MP4's boxes, depth first."""
    end = len(data) if end is None else end
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        size = size or end - start
        yield (*path, kind), start, size
        if kind in BOX_PARENTS:
            yield from _boxes(data, start + 8, start + size, (*path, kind))
        start += size


def _find(data: bytes, *path: bytes) -> list[int]:
    return [offset for p, offset, _ in _boxes(data) if p == path]


def _data_only(silent: bytes) -> bytes:
    """The only track's handler ('vide') and sample entry ('avc1') made unknown: a data
    track, as timecode or telemetry tracks are."""
    data = bytearray(silent)
    (hdlr,) = _find(data, b"moov", b"trak", b"mdia", b"hdlr")
    (stsd,) = _find(data, b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsd")
    assert (data[hdlr + 16 : hdlr + 20], data[stsd + 20 : stsd + 24]) == (b"vide", b"avc1")
    data[hdlr + 16 : hdlr + 20] = data[stsd + 20 : stsd + 24] = b"zzzz"
    return bytes(data)


def _ten_hours(silent: bytes) -> bytes:
    """Every sample's duration (stts) stretched so the track claims ten hours."""
    data = bytearray(silent)
    (mdhd,) = _find(data, b"moov", b"trak", b"mdia", b"mdhd")
    timescale = struct.unpack(">I", data[mdhd + 20 : mdhd + 24])[0]
    (stts,) = _find(data, b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stts")
    entries = struct.unpack(">I", data[stts + 12 : stts + 16])[0]
    counts = [
        struct.unpack(">I", data[stts + 16 + 8 * i : stts + 20 + 8 * i])[0] for i in range(entries)
    ]
    delta = 10 * 3600 * timescale // sum(counts)
    for i in range(entries):
        data[stts + 20 + 8 * i : stts + 24 + 8 * i] = struct.pack(">I", delta)
    data[mdhd + 24 : mdhd + 28] = struct.pack(">I", 10 * 3600 * timescale)
    return bytes(data)


def _faststart_cut(good: str, folder: Path) -> bytes:
    """A fast-start copy (index first) cut in half: the index promises missing frames."""
    target = folder / "faststart.mp4"
    with (
        av.open(good) as source,
        av.open(str(target), "w", options={"movflags": "+faststart"}) as out,
    ):
        streams = {s.index: out.add_stream_from_template(s) for s in source.streams}
        for packet in source.demux():
            if packet.dts is not None:
                packet.stream = streams[packet.stream.index]
                out.mux(packet)
    data = target.read_bytes()
    return data[: len(data) // 2]


def _flip_bits(data: bytes, rng) -> bytes:
    damaged = bytearray(data)
    for index in rng.integers(len(data) // 4, len(data) // 2, 200):
        damaged[index] ^= 0xFF
    return bytes(damaged)


def _gap_mkv(path: Path) -> str:
    """Two frames ten hours apart (a tiny file with a huge timestamp)."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 180, 320, "yuv420p"
        stream.codec_context.time_base = Fraction(1, 1000)
        for pts in (0, 10 * 3600 * 1000):
            frame = av.VideoFrame.from_ndarray(np.zeros((480, 180), np.uint8), format="yuv420p")
            frame.pts, frame.time_base = pts, Fraction(1, 1000)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return str(path)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("video.mp4", b"not really")
    return buffer.getvalue()
