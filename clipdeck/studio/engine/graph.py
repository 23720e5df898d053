"""Build the FFmpeg filter graph of a render (PyAV's Graph has no string parser).

Picture, per input: ``setpts`` (speed) -> ``fps=30`` -> rotation (``transpose`` /
``hflip,vflip``) -> layout (fit with blurred background, duet halves or reaction
box) -> colour preset -> ``overlay`` of each text box and sticker (RGBA stills,
shown between their times) -> ``format=yuv420p`` -> ``tpad`` (hold the last frame) ->
``trim`` to exactly the planned frame count -> ``split``: the main output, and
(when the frame is wider than 720) the 720-wide rendition scaled from the same
frames, so one decode and one graph feed every picture output.

Sound, per input: ``atrim`` (drop what precedes the cut) -> ``atempo`` chain
(speed, pitch kept) -> 48 kHz stereo -> ``volume`` -> ``apad``; the inputs are
``amix``-ed, limited with ``alimiter`` and cut to exactly the picture's length.
An edit without any sound gets silence (``anullsrc``).

Joined parts (several takes, a stitch): each part gets its own picture chain
(speed, ``fps``, rotation, fitted into the common frame, ``yuv420p``, exactly its
frame count) and sound chain (speed, 48 kHz stereo, its volume, exactly its
sample count, a 10 ms fade at each join so no click is heard), and ``concat``
joins them in order; the colour preset, overlays and the other sounds (music,
voice-over) then apply to the joined result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import av
from av.filter import Graph

from . import geometry
from .presets import get_preset

FPS = 30
SAMPLE_RATE = 48000
AUDIO_FORMAT = "sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo"
ROTATIONS = {
    90: [("transpose", "clock")],
    180: [("hflip", ""), ("vflip", "")],
    270: [("transpose", "cclock")],
}
BACKGROUND_SCALE = 4  # the blurred background is built at 1/4 size, then scaled up
DARKEN = "y=(val-16)*0.55+16:u=(val-128)*0.55+128:v=(val-128)*0.55+128"  # RGB x 0.55
LIMIT = 0.89  # alimiter ceiling, about -1 dBFS


@dataclass(frozen=True)
class PictureInput:
    """A video stream entering the graph: the stream (as template) and how to show it."""

    key: str
    stream: object
    rotation: int
    display: tuple[int, int]


@dataclass(frozen=True)
class SoundInput:
    """An audio stream entering the graph, its volume, and whether speed applies to it."""

    key: str
    stream: object
    volume: float
    follows_speed: bool = True


@dataclass(frozen=True)
class PartInput:
    """A joined part entering the graph: its streams (audio None: silent), how to show
    it, its speed, kept window (seconds, before speed), frame count and volume."""

    key: str
    stream: object
    audio: object
    rotation: int
    display: tuple[int, int]
    speed: float
    window_seconds: float
    frames: int
    volume: float


@dataclass(frozen=True)
class GraphPlan:
    """Everything the graph needs: inputs, layout, timing and look."""

    layout: str
    pictures: tuple[PictureInput, ...]  # recording first, then the original (duet/react)
    sounds: tuple[SoundInput, ...]
    frame: tuple[int, int]
    speed: float
    window_seconds: float  # length of the kept source part, before speed
    frames: int  # exact number of output frames
    preset: str
    pip: tuple[float, float, float] = (0.05, 0.05, 0.35)
    rendition: tuple[int, int] | None = None  # size of the second picture output
    overlays: tuple = ()  # overlays.Overlay: RGBA stills placed and timed
    parts: tuple[PartInput, ...] = ()  # layout "joined": the parts, in order


@dataclass
class BuiltGraph:
    """The configured graph, its buffer sources by key, and its sinks (the rendition's
    sink is None when the plan asks for no rendition)."""

    graph: Graph
    sources: dict[str, object] = field(default_factory=dict)
    video_sink: object = None
    audio_sink: object = None
    rendition_sink: object = None
    stills: list = field(default_factory=list)  # (buffer source, the one frame it gets)


class _Builder:
    """Small helper to add filters and link them in chains."""

    def __init__(self) -> None:
        self.graph = Graph()

    def chain(self, ctx, filters, output: int = 0):
        """Append ``filters`` after ``ctx`` (from its pad ``output``); return the last."""
        for name, args in filters:
            node = self.graph.add(name, args or None)
            ctx.link_to(node, output, 0)
            ctx, output = node, 0
        return ctx

    def join(self, name: str, args: str, inputs: list):
        node = self.graph.add(name, args)
        for index, ctx in enumerate(inputs):
            ctx.link_to(node, 0, index)
        return node


def build(plan: GraphPlan) -> BuiltGraph:
    """Build and configure the graph for ``plan``."""
    b = _Builder()
    built = BuiltGraph(graph=b.graph)
    joined = _join(b, built, plan) if plan.layout == "joined" else None
    built.video_sink, built.rendition_sink = _picture(b, built, plan, joined)
    built.audio_sink = _sound(b, built, plan, joined)
    b.graph.configure()
    return built


JOIN_FADE_SAMPLES = SAMPLE_RATE // 100  # 10 ms: the sound ramps to silence at each join


def _join(b: _Builder, built: BuiltGraph, plan: GraphPlan):
    """``concat`` of every part, picture and sound: output 0 the picture, 1 the sound."""
    pads, last = [], len(plan.parts) - 1
    for index, part in enumerate(plan.parts):
        source = b.graph.add_buffer(template=part.stream, name=f"in_{part.key}_v")
        built.sources[f"{part.key}:video"] = source
        picture = b.chain(source, _timing(part.speed) + ROTATIONS.get(part.rotation, []))
        picture = fit_to_frame(b, picture, part.display, plan.frame)
        exact = [
            ("format", "yuv420p"),
            ("setsar", "1"),
            ("tpad", "stop=-1:stop_mode=clone"),
            ("trim", f"end_frame={part.frames}"),
        ]
        pads += [b.chain(picture, exact), _part_sound(b, built, part, index > 0, index < last)]
    return b.join("concat", f"n={len(plan.parts)}:v=1:a=1", pads)


def _part_sound(b: _Builder, built: BuiltGraph, part: PartInput, fade_in: bool, fade_out: bool):
    samples = part.frames * SAMPLE_RATE // FPS
    exact = [("atrim", f"end_sample={samples}"), ("aformat", AUDIO_FORMAT)]
    if part.audio is None:
        return b.chain(b.graph.add("anullsrc", f"r={SAMPLE_RATE}:cl=stereo"), exact)
    source = b.graph.add_abuffer(template=part.audio, name=f"in_{part.key}_a")
    built.sources[f"{part.key}:audio"] = source
    fade = min(JOIN_FADE_SAMPLES, samples // 4)
    fades = [("afade", f"t=in:ss=0:ns={fade}")] if fade_in else []
    if fade_out:
        fades.append(("afade", f"t=out:ss={samples - fade}:ns={fade}"))
    return b.chain(
        source,
        [
            ("atrim", f"start=0:end={part.window_seconds!r}"),
            ("asetpts", "PTS-STARTPTS"),
            *atempo_chain(part.speed),
            ("aresample", str(SAMPLE_RATE)),
            ("aformat", AUDIO_FORMAT),
            ("volume", f"{part.volume!r}"),
            ("apad", ""),
            *exact,
            *fades,
        ],
    )


def _picture(b: _Builder, built: BuiltGraph, plan: GraphPlan, joined=None):
    if joined is not None:
        composed = joined
    else:
        branches = []
        for picture in plan.pictures:
            source = b.graph.add_buffer(template=picture.stream, name=f"in_{picture.key}_v")
            built.sources[f"{picture.key}:video"] = source
            timing = _timing(plan.speed) + ROTATIONS.get(picture.rotation, [])
            branches.append(b.chain(source, timing))
        composed = LAYOUTS[plan.layout](b, branches, plan)
    composed = _overlays(b, built, b.chain(composed, get_preset(plan.preset).filters), plan)
    finish = [
        ("format", "yuv420p"),
        ("tpad", "stop=-1:stop_mode=clone"),
        ("trim", f"end_frame={plan.frames}"),
    ]
    finished = b.chain(composed, finish)
    if plan.rendition is None:
        return b.chain(finished, [("buffersink", "")]), None
    split = b.chain(finished, [("split", "2")])
    main = b.chain(split, [("buffersink", "")], output=0)
    width, height = plan.rendition
    small = b.chain(
        split,
        [("scale", f"{width}:{height}:flags=bicubic"), ("setsar", "1"), ("buffersink", "")],
        output=1,
    )
    return main, small


def _overlays(b: _Builder, built: BuiltGraph, ctx, plan: GraphPlan):
    """Composite each still over the picture at its place, only between its times."""
    for index, still in enumerate(plan.overlays):
        frame = rgba_frame(still.image)
        frame.pts, frame.time_base = 0, Fraction(1, FPS)
        source = b.graph.add_buffer(
            width=still.image.width,
            height=still.image.height,
            format="rgba",
            time_base=Fraction(1, FPS),
            name=f"still_{index}",
        )
        built.stills.append((source, frame))
        ctx = b.join("overlay", _overlay_args(still), [ctx, source])
    return ctx


def rgba_frame(image) -> av.VideoFrame:
    """A Pillow RGBA image as an ``rgba`` frame (``VideoFrame.from_image`` drops alpha)."""
    frame = av.VideoFrame(image.width, image.height, "rgba")
    plane, row = frame.planes[0], image.width * 4
    data = image.tobytes()
    if plane.line_size != row:
        pad = bytes(plane.line_size - row)
        data = b"".join(data[i : i + row] + pad for i in range(0, len(data), row))
    plane.update(data)
    return frame


def _overlay_args(still) -> str:
    args = f"x={still.x}:y={still.y}:eof_action=repeat:format=yuv420"
    if still.end is not None:
        return f"{args}:enable='between(t,{still.start!r},{still.end - 1 / (2 * FPS)!r})'"
    if still.start > 0:
        return f"{args}:enable='gte(t,{still.start!r})'"
    return args


def _timing(speed: float) -> list[tuple[str, str]]:
    speed_filter = [("setpts", f"PTS/{speed!r}")] if speed != 1 else []
    return [*speed_filter, ("fps", f"fps={FPS}:start_time=0")]


def _single(b: _Builder, branches: list, plan: GraphPlan):
    return fit_to_frame(b, branches[0], plan.pictures[0].display, plan.frame)


def _duet(b: _Builder, branches: list, plan: GraphPlan):
    halves = geometry.duet_halves(plan.frame)
    sides = [
        b.chain(branch, _cover(picture.display, size))
        for branch, picture, size in zip(branches, plan.pictures, halves, strict=True)
    ]
    return b.join("hstack", "inputs=2", sides)


def _react(b: _Builder, branches: list, plan: GraphPlan):
    reaction, original = branches
    base = fit_to_frame(b, original, plan.pictures[1].display, plan.frame)
    x, y, width = plan.pip
    box = geometry.pip_box(x, y, width, plan.pictures[0].display, plan.frame)
    pip = b.chain(reaction, [("scale", f"{box.width}:{box.height}"), ("setsar", "1")])
    return b.join("overlay", f"x={box.x}:y={box.y}:eof_action=repeat", [base, pip])


LAYOUTS = {"single": _single, "duet": _duet, "react": _react}


def _cover(display: tuple[int, int], size: tuple[int, int], flags: str = "bicubic"):
    """Crop the centre of a ``display``-sized picture to ``size``'s shape, then scale to
    ``size`` (cropping first keeps the scaler's work small: no bars, no upscaled waste)."""
    (w, h), (tw, th) = display, size
    crop_w, crop_h = min(w, round(h * tw / th)), min(h, round(w * th / tw))
    return [("crop", f"{crop_w}:{crop_h}"), ("scale", f"{tw}:{th}:flags={flags}"), ("setsar", "1")]


def fit_to_frame(b: _Builder, ctx, display: tuple[int, int], frame: tuple[int, int]):
    """Fit a picture into the vertical frame.

    A (nearly) 9:16 picture is scaled to cover the frame. Anything else is scaled
    to fit inside it, centred over a background made from the same picture: shrunk
    to a quarter of the frame, cropped to cover it, blurred (``gblur``), darkened
    (``lutyuv``: RGB x 0.55) and scaled back up. Building the background small keeps the blur
    cheap (1/16 of the pixels).
    """
    if geometry.fills_frame(*display, frame):
        return b.chain(ctx, _cover(display, frame))
    split = b.chain(ctx, [("split", "2")])
    small = (geometry.even(frame[0] / BACKGROUND_SCALE), geometry.even(frame[1] / BACKGROUND_SCALE))
    background = b.chain(
        split,
        [
            *_cover(display, small, "bilinear"),
            ("gblur", "sigma=6"),
            ("lutyuv", DARKEN),
            ("scale", f"{frame[0]}:{frame[1]}:flags=bilinear"),
            ("setsar", "1"),
        ],
        output=0,
    )
    inner = geometry.fit_inside(*display, frame)
    foreground = b.chain(split, [("scale", f"{inner[0]}:{inner[1]}"), ("setsar", "1")], output=1)
    x, y = (frame[0] - inner[0]) // 2 & ~1, (frame[1] - inner[1]) // 2 & ~1
    return b.join("overlay", f"x={x}:y={y}", [background, foreground])


def _sound(b: _Builder, built: BuiltGraph, plan: GraphPlan, joined=None):
    total = plan.frames * SAMPLE_RATE // FPS
    branches = [_sound_branch(b, built, sound, plan) for sound in plan.sounds]
    if joined is not None:  # the parts' joined sound, already at speed and volume
        branches.insert(0, b.chain(joined, [("apad", "")], output=1))
    if not branches:
        mixed = b.graph.add("anullsrc", f"r={SAMPLE_RATE}:cl=stereo")
    elif len(branches) == 1:
        mixed = branches[0]
    else:
        mixed = b.join(
            "amix",
            f"inputs={len(branches)}:duration=longest:normalize=0:dropout_transition=0",
            branches,
        )
    limit = [("alimiter", f"limit={LIMIT}:level=0:latency=1")] if branches else []
    return b.chain(
        mixed,
        [*limit, ("atrim", f"end_sample={total}"), ("aformat", AUDIO_FORMAT), ("abuffersink", "")],
    )


def _sound_branch(b: _Builder, built: BuiltGraph, sound: SoundInput, plan: GraphPlan):
    source = b.graph.add_abuffer(template=sound.stream, name=f"in_{sound.key}_a")
    built.sources[f"{sound.key}:audio"] = source
    window = plan.window_seconds if sound.follows_speed else None
    tempo = atempo_chain(plan.speed) if sound.follows_speed else []
    cut = f"start=0:end={window!r}" if window else "start=0"
    return b.chain(
        source,
        [
            ("atrim", cut),
            ("asetpts", "PTS-STARTPTS"),
            *tempo,
            ("aresample", str(SAMPLE_RATE)),
            ("aformat", AUDIO_FORMAT),
            ("volume", f"{sound.volume!r}"),
            ("apad", ""),
        ],
    )


def atempo_chain(speed: float) -> list[tuple[str, str]]:
    """``atempo`` filters whose product is ``speed``, each within 0.5..2 (keeps pitch)."""
    filters, rest = [], speed
    while rest > 2.0:
        filters.append(("atempo", "2.0"))
        rest /= 2.0
    while rest < 0.5:
        filters.append(("atempo", "0.5"))
        rest /= 0.5
    if abs(rest - 1.0) > 1e-9:
        filters.append(("atempo", f"{rest!r}"))
    return filters
