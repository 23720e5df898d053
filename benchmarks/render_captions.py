"""What burnt-in captions cost: one render with 0, 30 and 150 cues.

Each cue is one ``overlay`` filter (see docs/studio.md, "Burnt-in captions").
Renders a 15 s 720x1280 synthetic clip (main output only) with evenly spaced
cues of a few words and prints the wall time of each.

    .venv/bin/python benchmarks/render_captions.py [--seconds 15] [--cues 0 30 150]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from clipdeck.studio.engine import CaptionCue, EditSpec, RenderJob, RenderOutputs, render
from clipdeck.studio.engine.synth import make_clip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--cues", type=int, nargs="+", default=[0, 30, 150])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = make_clip(
            Path(folder) / "source.mp4",
            seconds=args.seconds,
            width=720,
            height=1280,
            options={"preset": "ultrafast"},
        )
        for count in args.cues:
            spec = EditSpec(captions=_cues(count, round(args.seconds * 1000)))
            output = RenderOutputs(mp4=str(Path(folder) / f"out-{count}.mp4"))
            started = time.perf_counter()
            render(RenderJob(source=source, outputs=output, spec=spec))
            print(f"{count:4d} cues: {time.perf_counter() - started:.2f} s")


def _cues(count: int, length_ms: int) -> tuple[CaptionCue, ...]:
    step = length_ms // max(count, 1)
    return tuple(
        CaptionCue(i * step, (i + 1) * step, f"caption number {i} with some words")
        for i in range(count)
    )


if __name__ == "__main__":
    main()
