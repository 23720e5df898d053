"""The full set (1080 output, 720 rendition, poster) vs the FFmpeg command line.

Generates a 1080x1920 30 fps source and a music file, then renders trim + speed +
colour preset + music (+ one text box and one sticker) into the three outputs
with ``clipdeck.studio.engine.render``, and with ``imageio_ffmpeg``'s ``ffmpeg``
binary given one ``-filter_complex`` that splits the picture into the same three
outputs, with the same encoder settings (x264 veryfast crf 23 High, g=60,
AAC 128 kb/s 48 kHz stereo, faststart; JPEG poster). Runs alternate between the
two; the best of each is compared.

    .venv/bin/python benchmarks/full_set_vs_ffmpeg.py [--seconds 15] [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import tempfile
import time
from pathlib import Path

import imageio_ffmpeg
from reference import reference_clip
from render_vs_ffmpeg import (
    MUSIC_OFFSET_MS,
    MUSIC_VOLUME,
    ORIGINAL_VOLUME,
    PRESET,
    SPEED,
    _describe,
)

from clipdeck.studio.engine import EditSpec, RenderJob, RenderOutputs, get_preset, render
from clipdeck.studio.engine.graph import _overlay_args  # the same placement and timing
from clipdeck.studio.engine.synth import make_music

X264 = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high"]
X264 += ["-g", "60", "-pix_fmt", "yuv420p"]
AAC = ["-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2", "-movflags", "+faststart"]


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = reference_clip(root, args.seconds)
        music = make_music(root / "music.m4a", genre="electronic", seconds=args.seconds + 5)
        edit = _edit(args.seconds, music, root, overlays=not args.plain)
        engine_times, cli_times = [], []
        for run in range(args.runs):
            engine_times.append(_engine(source, edit, root / f"engine-{run}"))
            cli_times.append(_cli(source, music, edit, root / f"cli-{run}"))
        _report(args, engine_times, cli_times, root)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="source length")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (best is kept)")
    parser.add_argument("--plain", action="store_true", help="no text box and no sticker")
    return parser.parse_args()


def _edit(seconds: float, music: str, root: Path, overlays: bool) -> dict:
    edit = {
        "trim": {"start_ms": 500, "end_ms": int(seconds * 1000) - 500},
        "speed": SPEED,
        "filter": PRESET,
        "original_volume": ORIGINAL_VOLUME,
        "sound": {"path": music, "offset_ms": MUSIC_OFFSET_MS, "volume": MUSIC_VOLUME},
    }
    if overlays:
        edit.update(_overlays())
    return edit


def _overlays() -> dict:
    try:
        from clipdeck.studio.engine.overlays import STICKER_EXAMPLE, TEXT_EXAMPLE
    except ImportError:  # an engine without text and stickers
        return {}
    return {"texts": [TEXT_EXAMPLE], "stickers": [STICKER_EXAMPLE]}


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _engine(source: str, edit: dict, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds (all threads) of one engine render of the full set."""
    outputs = RenderOutputs(mp4=f"{out}.mp4", mp4_720=f"{out}-720.mp4", poster=f"{out}.jpg")
    started, cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
    render(RenderJob(source=source, outputs=outputs, spec=EditSpec.from_dict(edit)))
    return time.perf_counter() - started, _cpu(resource.RUSAGE_SELF) - cpu


def _cli(source: str, music: str, edit: dict, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ffmpeg run writing the same three files."""
    start, end = edit["trim"]["start_ms"] / 1000, edit["trim"]["end_ms"] / 1000
    frames = round((end - start) / SPEED * 30)
    pictures, graph = _pictures(edit, out)
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-v", "error"]
    command += ["-ss", f"{start}", "-t", f"{end - start}", "-i", source]
    command += ["-ss", f"{MUSIC_OFFSET_MS / 1000}", "-i", music]
    for picture in pictures:
        command += ["-i", picture]
    command += ["-filter_complex", graph]
    length = ["-frames:v", str(frames), "-t", f"{frames / 30}"]
    command += ["-map", "[v]", "-map", "[a]", *length, *X264, *AAC, f"{out}.mp4"]
    command += ["-map", "[r]", "-map", "[a2]", *length, *X264, *AAC, f"{out}-720.mp4"]
    command += ["-map", "[p]", "-frames:v", "1", "-q:v", "3", f"{out}.jpg"]
    started, cpu = time.perf_counter(), _cpu(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True)
    return time.perf_counter() - started, _cpu(resource.RUSAGE_CHILDREN) - cpu


def _pictures(edit: dict, out: Path) -> tuple[list[str], str]:
    """The overlay images (rendered by the engine's own code, so both draw the same
    pixels) and the filter graph: look -> overlays -> split into the three outputs."""
    look = ",".join(f"{name}={args}" for name, args in get_preset(PRESET).filters)
    chain = f"[0:v]setpts=PTS/{SPEED},fps=30,crop=1080:1920,scale=1080:1920,setsar=1,{look}"
    parts, files, last = [], [], "base"
    parts.append(f"{chain}[base]")
    for index, (path, overlay) in enumerate(_overlay_files(edit, out)):
        files.append(path)
        label = f"o{index}"
        parts.append(f"[{last}][{index + 2}:v]overlay={_overlay_args(overlay)}[{label}]")
        last = label
    parts.append(f"[{last}]format=yuv420p,split=3[v][r0][p0]")
    parts.append("[r0]scale=720:1280:flags=bicubic,setsar=1[r]")
    parts.append("[p0]trim=start_frame=30:end_frame=31[p]")
    audio = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo"
    parts.append(f"[0:a]atempo={SPEED},{audio},volume={ORIGINAL_VOLUME},apad[a0]")
    parts.append(f"[1:a]{audio},volume={MUSIC_VOLUME},apad[a1]")
    parts.append(
        "[a0][a1]amix=inputs=2:duration=first:normalize=0:dropout_transition=0,"
        "alimiter=limit=0.89:level=0:latency=1,asplit=2[a][a2]"
    )
    return files, ";".join(parts)


def _overlay_files(edit: dict, out: Path) -> list[tuple[str, object]]:
    if not edit.get("texts") and not edit.get("stickers"):
        return []
    from clipdeck.studio.engine.overlays import draw_overlays

    spec = EditSpec.from_dict(edit)
    placed = []
    for index, overlay in enumerate(draw_overlays(spec, (1080, 1920))):
        path = f"{out}-overlay{index}.png"
        overlay.image.save(path)
        placed.append((path, overlay))
    return placed


def _report(args, engine, cli, folder: Path) -> None:
    (best_engine, engine_cpu), (best_cli, cli_cpu) = min(engine), min(cli)
    extras = "" if args.plain else ", one text box, one sticker"
    print(
        f"edit: trim 0.5 s..{args.seconds - 0.5:g} s, speed {SPEED}x, filter {PRESET}, "
        f"music{extras}; outputs: 1080x1920 MP4, 720x1280 MP4, JPEG poster"
    )
    for name, runs, stem in (("engine", engine, "engine-0"), ("ffmpeg", cli, "cli-0")):
        walls = ", ".join(f"{wall:.2f}" for wall, _ in runs)
        print(f"{name:6}  wall {walls} s")
        for suffix in (".mp4", "-720.mp4"):
            print(f"        {_describe(folder / f'{stem}{suffix}')}")
    print(
        f"best wall: engine {best_engine:.2f} s, ffmpeg CLI {best_cli:.2f} s, "
        f"ratio {best_engine / best_cli:.2f}x (target < 1.0x)"
    )
    print(
        f"CPU of those runs: engine {engine_cpu:.2f} s, ffmpeg CLI {cli_cpu:.2f} s, "
        f"ratio {engine_cpu / cli_cpu:.2f}x"
    )


if __name__ == "__main__":
    main()
