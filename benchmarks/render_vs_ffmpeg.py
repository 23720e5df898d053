"""Engine render vs the FFmpeg command line doing the same edit with the same encoders.

Generates a 1080x1920 30 fps source (synth) and a music file, then renders
trim + speed + colour preset + background music with ``clipdeck.studio.engine.render``
and with ``imageio_ffmpeg``'s ``ffmpeg`` binary given the equivalent
``-filter_complex`` (x264 veryfast crf 23 High, g=60, AAC 128k 48 kHz stereo,
faststart). Runs alternate between the two; the best of each is compared.

    .venv/bin/python benchmarks/render_vs_ffmpeg.py [--seconds 15] [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import tempfile
import time
from pathlib import Path

import av
import imageio_ffmpeg
from reference import reference_clip

from clipdeck.studio.engine import EditSpec, RenderJob, RenderOutputs, get_preset, render
from clipdeck.studio.engine.synth import make_music

PRESET = "vivid"
SPEED = 1.25
MUSIC_OFFSET_MS = 2000
MUSIC_VOLUME = 0.8
ORIGINAL_VOLUME = 0.6


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory() as folder:
        source, music = _inputs(Path(folder), args.seconds)
        spec = _spec(args.seconds, music)
        engine_times, cli_times = [], []
        for run in range(args.runs):
            engine_times.append(_engine(source, spec, Path(folder) / f"engine-{run}.mp4"))
            cli_times.append(_cli(source, music, spec, Path(folder) / f"cli-{run}.mp4"))
        _report(args, engine_times, cli_times, Path(folder))


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="source length")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (best is kept)")
    return parser.parse_args()


def _inputs(folder: Path, seconds: float) -> tuple[str, str]:
    source = reference_clip(folder, seconds)
    music = make_music(folder / "music.m4a", genre="electronic", seconds=seconds + 5)
    return source, music


def _spec(seconds: float, music: str) -> EditSpec:
    return EditSpec.from_dict(
        {
            "trim": {"start_ms": 500, "end_ms": int(seconds * 1000) - 500},
            "speed": SPEED,
            "filter": PRESET,
            "original_volume": ORIGINAL_VOLUME,
            "sound": {"path": music, "offset_ms": MUSIC_OFFSET_MS, "volume": MUSIC_VOLUME},
        }
    )


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _engine(source: str, spec: EditSpec, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds (all threads) of one engine render."""
    started, cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
    render(RenderJob(source=source, outputs=RenderOutputs(mp4=str(out)), spec=spec))
    return time.perf_counter() - started, _cpu(resource.RUSAGE_SELF) - cpu


def _cli(source: str, music: str, spec: EditSpec, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ffmpeg run."""
    start, end = spec.trim.start_ms / 1000, spec.trim.end_ms / 1000
    frames = round((end - start) / SPEED * 30)
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-y",
        "-v",
        "error",
        "-ss",
        f"{start}",
        "-t",
        f"{end - start}",
        "-i",
        source,
        "-ss",
        f"{MUSIC_OFFSET_MS / 1000}",
        "-i",
        music,
        "-filter_complex",
        _filter_complex(),
        "-map",
        "[v]",
        "-map",
        "[a]",
        "-frames:v",
        str(frames),
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "23",
        "-profile:v",
        "high",
        "-g",
        "60",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        "-ar",
        "48000",
        "-ac",
        "2",
        "-movflags",
        "+faststart",
        "-t",
        f"{frames / 30}",
        str(out),
    ]
    started, cpu = time.perf_counter(), _cpu(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True)
    return time.perf_counter() - started, _cpu(resource.RUSAGE_CHILDREN) - cpu


def _filter_complex() -> str:
    look = ",".join(f"{name}={args}" for name, args in get_preset(PRESET).filters)
    audio = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo"
    return (
        f"[0:v]setpts=PTS/{SPEED},fps=30,crop=1080:1920,scale=1080:1920,setsar=1,"
        f"{look},format=yuv420p[v];"
        f"[0:a]atempo={SPEED},{audio},volume={ORIGINAL_VOLUME},apad[a0];"
        f"[1:a]{audio},volume={MUSIC_VOLUME},apad[a1];"
        "[a0][a1]amix=inputs=2:duration=first:normalize=0:dropout_transition=0,"
        "alimiter=limit=0.89:level=0:latency=1[a]"
    )


def _describe(path: Path) -> str:
    with av.open(str(path)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        return (
            f"{video.codec_context.name} {video.profile} {video.width}x{video.height} "
            f"{video.frames} frames, {audio.codec_context.name} {audio.rate} Hz, "
            f"{container.duration / 1e6:.2f} s, {path.stat().st_size / 1e6:.2f} MB"
        )


def _report(
    args, engine: list[tuple[float, float]], cli: list[tuple[float, float]], folder: Path
) -> None:
    (best_engine, engine_cpu), (best_cli, cli_cpu) = min(engine), min(cli)
    print(
        f"edit: trim 0.5 s..{args.seconds - 0.5:g} s, speed {SPEED}x, filter {PRESET}, "
        f"music at {MUSIC_OFFSET_MS} ms x{MUSIC_VOLUME}, original x{ORIGINAL_VOLUME}"
    )
    for name, runs, path in (("engine", engine, "engine-0.mp4"), ("ffmpeg", cli, "cli-0.mp4")):
        walls = ", ".join(f"{wall:.2f}" for wall, _ in runs)
        print(f"{name:6}  wall {walls} s -> {_describe(folder / path)}")
    print(
        f"best wall: engine {best_engine:.2f} s, ffmpeg CLI {best_cli:.2f} s, "
        f"ratio {best_engine / best_cli:.2f}x (target <= 1.15x)"
    )
    print(
        f"CPU of those runs: engine {engine_cpu:.2f} s, ffmpeg CLI {cli_cpu:.2f} s, "
        f"ratio {engine_cpu / cli_cpu:.2f}x"
    )


if __name__ == "__main__":
    main()
