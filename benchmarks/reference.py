"""The input every render benchmark uses, so their figures compare like with like."""

from __future__ import annotations

import os
import time
from pathlib import Path

from clipdeck.studio.engine.synth import make_clip


def reference_clip(folder: Path, seconds: float) -> str:
    """A portrait 1080x1920 30 fps H.264/AAC clip with motion and a melody, in ``folder``."""
    started = time.perf_counter()
    path = make_clip(
        folder / "source.mp4",
        seconds=seconds,
        width=1080,
        height=1920,
        scene="gradient",
        sound="melody",
    )
    print(
        f"input: {seconds:g} s 1080x1920 30 fps H.264/AAC, {os.path.getsize(path) / 1e6:.1f} MB "
        f"(generated in {time.perf_counter() - started:.1f} s)"
    )
    return path
