"""How long a demo clip takes to make: the depth worlds against the old flat scene.

    .venv/bin/python benchmarks/demo_worlds.py

Writes a 6 s 540×960 clip with sound per scene (as ``clipdeck demo`` does) and
prints seconds and the ratio to the flat "bouncing" scene made in the same run.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from clipdeck.studio.engine.synth import make_clip

SCENES = ["bouncing", "hills", "city", "ocean", "bokeh"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        timings = {}
        for scene in SCENES:
            started = time.perf_counter()
            make_clip(
                Path(tmp) / f"{scene}.mp4",
                seconds=6,
                width=540,
                height=960,
                scene=scene,
                sound="melody",
                color=(88, 86, 214),
                seed=3,
                title="" if scene == "bouncing" else "Wait for it…",
            )
            timings[scene] = time.perf_counter() - started
    reference = timings["bouncing"]
    for scene, seconds in timings.items():
        print(f"{scene:9s} {seconds:6.2f} s  {seconds / reference:4.2f}× the flat scene")


if __name__ == "__main__":
    main()
