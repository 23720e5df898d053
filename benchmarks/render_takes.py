"""Joined takes vs one recording of the same length: what joining parts costs.

Renders the reference clip (1080x1920 30 fps, ``--seconds`` long) once as one
recording, and once cut into ``--takes`` equal takes joined with ``edit.clips``
(the same file, each take a different window of it), with the same edit (speed
1.25, ``vivid``) and all three outputs (1080, 720, poster). Runs alternate; the
best of each is compared.

    .venv/bin/python benchmarks/render_takes.py [--seconds 15] [--takes 3] [--runs 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from reference import reference_clip

from clipdeck.studio.engine import Clip, EditSpec, RenderJob, RenderOutputs, Trim, render


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory() as folder:
        source = reference_clip(Path(folder), args.seconds)
        whole = EditSpec(speed=1.25, filter="vivid")
        step = round(args.seconds * 1000 / args.takes)
        joined = EditSpec(
            speed=1.25,
            filter="vivid",
            trim=Trim(0, step),
            clips=tuple(Clip(source, Trim(n * step, (n + 1) * step)) for n in range(1, args.takes)),
        )
        times: dict[str, list[float]] = {"one recording": [], f"{args.takes} takes": []}
        for run in range(args.runs):
            for (name, spec), runs in zip(
                (("one", whole), ("takes", joined)), times.values(), strict=True
            ):
                runs.append(_render(source, spec, Path(folder) / f"{name}-{run}"))
        for name, runs in times.items():
            print(f"{name:>14}: " + ", ".join(f"{t:.2f}" for t in runs) + " s")
        one, takes = (min(runs) for runs in times.values())
        print(f"best wall: one recording {one:.2f} s, joined takes {takes:.2f} s, "
              f"ratio {takes / one:.2f}x")  # fmt: skip


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="source length")
    parser.add_argument("--takes", type=int, default=3, help="takes to cut it into")
    parser.add_argument("--runs", type=int, default=2, help="runs of each (best is kept)")
    return parser.parse_args()


def _render(source: str, spec: EditSpec, folder: Path) -> float:
    folder.mkdir()
    outputs = RenderOutputs(
        mp4=str(folder / "video.mp4"),
        mp4_720=str(folder / "video-720.mp4"),
        poster=str(folder / "poster.jpg"),
    )
    started = time.perf_counter()
    result = render(RenderJob(source=source, outputs=outputs, spec=spec))
    wall = time.perf_counter() - started
    print(f"  {folder.name}: {wall:.2f} s -> {result.duration_ms} ms")
    return wall


if __name__ == "__main__":
    main()
