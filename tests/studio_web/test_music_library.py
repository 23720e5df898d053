"""The music library a fresh cell ships, and operators' licensed additions."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from clipdeck.studio import music_library
from clipdeck.studio.engine.synth import make_tone
from clipdeck.studio.music_library import ensure_library, missing_tracks, seed_library
from clipdeck.videos.models import Sound

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_fresh_cell_generates_the_library_by_genre_with_licences(api, monkeypatch, run_worker):
    monkeypatch.setattr(music_library, "TRACK_SECONDS", 1)
    assert api().get("sounds").json()["items"] == []

    assert ensure_library() is True  # queued, as `clipdeck serve` does
    run_worker()

    assert missing_tracks() == []
    sounds = Sound.objects.filter(is_original=False)
    assert sounds.count() == len(music_library.TRACKS)
    assert {s.genre for s in sounds} == {
        "lofi",
        "electronic",
        "pop",
        "acoustic",
        "hiphop",
        "ambient",
    }
    assert {s.licence for s in sounds} == {music_library.LICENCE}
    assert api().get("studio/options").json()["genres"] == sorted({s.genre for s in sounds})
    assert ensure_library() is False  # nothing left to make
    assert len(seed_library()) == len(music_library.TRACKS)  # and making it again adds none
    assert Sound.objects.filter(is_original=False).count() == len(music_library.TRACKS)


def test_operator_adds_a_licensed_track(tmp_path):
    track = make_tone(tmp_path / "mine.m4a", seconds=2.0)

    call_command("add_track", track, title="My Song", artist="Me", genre="Pop",
                 licence="CC BY 4.0")  # fmt: skip

    sound = Sound.objects.get(title="My Song")
    assert (sound.artist, sound.genre, sound.licence) == ("Me", "pop", "CC BY 4.0")
    assert sound.duration_ms == pytest.approx(2000, abs=100)
    assert sound.audio.name == "sounds/library/added-my-song.m4a"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"licence": ""}, "Say under which licence"),
        ({"title": " "}, "The track needs a title."),
    ],
)
def test_a_track_without_licence_or_title_is_refused(tmp_path, kwargs, message):
    track = make_tone(tmp_path / "t.m4a", seconds=1.0)
    options = {"title": "T", "artist": "A", "genre": "pop", "licence": "CC0", **kwargs}

    with pytest.raises(CommandError, match=message):
        call_command("add_track", track, **options)
    assert not Sound.objects.exists()


def test_a_file_that_is_not_audio_is_refused(tmp_path):
    bogus = tmp_path / "notes.m4a"
    bogus.write_text("not audio")

    with pytest.raises(CommandError, match=r"notes\.m4a is not a usable audio file"):
        call_command("add_track", str(bogus), title="T", artist="A", genre="pop", licence="CC0")
    assert not Sound.objects.exists()
