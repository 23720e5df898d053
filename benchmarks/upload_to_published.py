"""Upload -> published latency, as a ratio to the render alone.

Generates a 1080x1920 30 fps H.264/AAC clip (synth), uploads it through the API
(Django test client: probe, storage, queue), runs the worker inline until the video
is published, and times that whole path. Then renders the same stored original with
the same edit in the same sandbox, alone, and prints the ratio: what the web side
(probe, queue, storage, publishing) adds on top of the render. Everything runs in
this process against a temporary data folder (SQLite, local media).

    .venv/bin/python benchmarks/upload_to_published.py [--seconds 15] [--filter vivid]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
import warnings
from pathlib import Path

from reference import reference_clip

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory(prefix="clipdeck-bench-") as folder:
        _django(Path(folder))
        source = reference_clip(Path(folder), args.seconds)
        edit = {"filter": args.filter}
        video_id, upload_s, published_s = _upload_to_published(source, edit)
        render_s = _render_alone(video_id, edit, Path(folder))
        _report(args, upload_s, published_s, render_s)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="clip length")
    parser.add_argument("--filter", default="vivid", help="colour preset of the edit")
    return parser.parse_args()


def _django(folder: Path) -> None:
    """Settings for a throwaway deployment in ``folder``, migrated."""
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "clipdeck.settings"
    os.environ["CLIPDECK_DATA_DIR"] = str(folder / "data")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("CLIPDECK_MEDIA_ROOT", None)
    os.environ.setdefault("CLIPDECK_LOG_LEVEL", "WARNING")
    warnings.filterwarnings("ignore", "No directory at")  # no collected static files here
    import django

    django.setup()
    from clipdeck.cli import prepare_database

    prepare_database(verbosity=0)


def _upload_to_published(source: str, edit: dict) -> tuple[str, float, float]:
    """(video id, seconds until the 202, seconds until published), timed from the upload."""
    from django.core.management import call_command
    from django.test import Client

    from clipdeck.accounts.services import token_issue, user_create
    from clipdeck.videos.models import Video

    password = secrets.token_urlsafe(16)
    user = user_create(handle="bench", email="bench@example.com", password=password)
    client = Client(headers={"Authorization": f"Bearer {token_issue(user=user)}"})
    started = time.perf_counter()
    with open(source, "rb") as handle:
        response = client.post("/api/v1/videos", {"file": handle, "edit": json.dumps(edit)})
    accepted = time.perf_counter() - started
    if response.status_code != 202:
        raise SystemExit(f"upload refused: {response.status_code} {response.content!r}")
    video_id = response.json()["id"]
    call_command(
        "db_worker", batch=True, startup_delay=False, queue_name="*", reload=False, verbosity=0
    )
    published = time.perf_counter() - started
    video = Video.objects.get(pk=video_id)
    if video.status != "published":
        raise SystemExit(f"render failed: {video.error_code} {video.error_message}")
    return video_id, accepted, published


def _render_alone(video_id: str, edit: dict, folder: Path) -> float:
    """The same sandboxed render the worker ran (same original, edit, outputs, limits)."""
    from clipdeck.studio.engine import EditSpec, RenderJob, RenderOutputs, safe_render
    from clipdeck.studio.limits import render_limits
    from clipdeck.videos.models import Video

    video = Video.objects.get(pk=video_id)
    out = folder / "alone"
    out.mkdir()
    job = RenderJob(
        source=video.original.path,
        outputs=RenderOutputs(
            mp4=str(out / "video.mp4"),
            mp4_720=str(out / "video-720.mp4"),
            poster=str(out / "poster.jpg"),
            audio=str(out / "sound.m4a"),
        ),
        spec=EditSpec.from_dict(edit),
        max_output_ms=video.render_job.max_output_ms,
    )
    started = time.perf_counter()
    safe_render(job, render_limits())
    return time.perf_counter() - started


def _report(args, upload_s: float, published_s: float, render_s: float) -> None:
    print(f"upload request (probe, store, queue): {upload_s:.2f} s")
    print(f"upload -> published: {published_s:.2f} s")
    print(f"render alone (sandboxed, all outputs): {render_s:.2f} s")
    print(
        f"ratio upload->published / render alone: {published_s / render_s:.2f}x "
        f"(web side adds {published_s - render_s:.2f} s; {args.seconds:g} s clip, "
        f"filter {args.filter})"
    )


if __name__ == "__main__":
    main()
