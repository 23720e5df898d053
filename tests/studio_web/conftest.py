from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from clipdeck.kernel.sealed_media import is_sealed_name, open_plain
from clipdeck.studio.engine.synth import make_clip, make_music
from clipdeck.videos.models import Video
from tests.factories import SoundFactory


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("clips")


class Clips:
    """Makes each named clip once per session: ``clips.make("a.webm", vcodec="vp9")``."""

    def __init__(self, folder) -> None:
        self.folder = folder
        self.made: dict[str, str] = {}

    def make(self, name: str, **kwargs) -> str:
        if name not in self.made:
            kwargs.setdefault("width", 180)
            kwargs.setdefault("height", 320)
            kwargs.setdefault("seconds", 1.0)
            self.made[name] = make_clip(self.folder / name, **kwargs)
        return self.made[name]


@pytest.fixture(scope="session")
def clips(clip_dir) -> Clips:
    return Clips(clip_dir)


@pytest.fixture(scope="session")
def portrait_clip(clip_dir):
    """2 s of 360x640 H.264 + AAC with a moving scene and a tone."""
    return make_clip(
        clip_dir / "portrait.mp4", seconds=2.0, width=360, height=640, scene="bouncing", seed=1
    )


@pytest.fixture(scope="session")
def long_clip(clip_dir):
    return make_clip(
        clip_dir / "long.mp4", seconds=20.0, width=96, height=160, fps=10, scene="solid", seed=2
    )


@pytest.fixture(scope="session")
def music_file(clip_dir):
    return make_music(clip_dir / "music.m4a", genre="pop", seconds=6.0, seed=3)


@pytest.fixture
def library_sound(db, music_file):
    sound = SoundFactory(genre="pop", duration_ms=6000)
    with open(music_file, "rb") as handle:
        from django.core.files import File

        sound.audio.save("library/pop.m4a", File(handle))
    return sound


def upload(client, media, *, path="videos", **fields):
    """POST the file ``media`` to /api/v1/videos (or a remix ``path``) as multipart."""
    with open(media, "rb") as handle:
        return client.post(path, {"file": handle, **fields}, multipart=True)


def rendered(client, media, run_worker, **fields) -> dict:
    """Upload ``media``, let the worker render it, and return the owner's view of it."""
    response = upload(client, media, **fields)
    assert response.status_code == 202, response.content
    run_worker()
    return client.get(f"videos/{response.json()['id']}").json()


def stored_file(video_id, kind: str = "mp4") -> str:
    """A local path to the content of one of a video's stored files (a sealed file is
    decrypted into a copy beside the media folder)."""
    stored = getattr(Video.objects.get(pk=video_id), kind)
    if not is_sealed_name(stored.name):
        return stored.path
    target = Path(settings.MEDIA_ROOT).parent / "plain" / stored.name.replace(".sealed", "")
    target.parent.mkdir(parents=True, exist_ok=True)
    with open_plain(stored.storage, stored.name) as source, open(target, "wb") as sink:
        shutil.copyfileobj(source, sink)
    return str(target)
