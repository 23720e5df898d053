"""Timed words into readable cues, and the operator's speech model folder."""

from __future__ import annotations

import itertools

import pytest

from clipdeck.studio import captions
from clipdeck.studio.speech import ModelMissing, Word, model_settings


def _words(*spec: tuple[str, int, int]) -> list[Word]:
    return [Word(text, start, end) for text, start, end in spec]


def test_a_pause_starts_a_new_cue_and_text_is_sentence_cased():
    words = _words(
        ("hello", 0, 400), ("there", 400, 800), ("i'm", 1200, 1400), ("back", 1400, 1900)
    )

    cues = captions.cues_from_words(words)

    assert cues == [
        captions.Cue(0, 800, "Hello there"),
        captions.Cue(1200, 1900, "I'm back"),
    ]


def test_a_long_run_is_cut_at_its_longest_gap_within_42_characters():
    text = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"]
    text += ["and", "runs", "far", "away"]
    words, at = [], 0
    for index, word in enumerate(text):
        gap = 150 if index == 6 else 20  # the longest silence: before "the lazy dog"
        words.append(Word(word, at + gap, at + gap + 150))
        at += gap + 150

    cues = captions.cues_from_words(words)

    assert all(len(cue.text) <= captions.MAX_LINE_CHARS for cue in cues)
    assert cues[0].text == "The quick brown fox jumps over"
    assert " ".join(cue.text.lower() for cue in cues) == " ".join(text)
    assert all(a.end_ms <= b.start_ms for a, b in itertools.pairwise(cues))


def test_no_cue_lasts_longer_than_three_seconds_of_speech():
    words = [Word("word", i * 500, i * 500 + 490) for i in range(10)]

    cues = captions.cues_from_words(words)

    assert len(cues) >= 2
    assert all(cue.end_ms - cue.start_ms <= captions.MAX_CUE_MS for cue in cues)


def test_a_lone_short_word_is_held_long_enough_to_read_without_overlapping_the_next():
    cues = captions.cues_from_words(_words(("yes", 0, 200), ("no", 500, 700)))

    assert [(c.start_ms, c.end_ms) for c in cues] == [(0, 500), (500, 1200)]


def test_no_words_make_no_cues():
    assert captions.cues_from_words([]) == []
    assert captions.write([]) == "WEBVTT\n\n"


def test_the_operator_model_folder_must_hold_an_acoustic_model(tmp_path):
    with pytest.raises(ModelMissing, match="no mdef"):
        model_settings(str(tmp_path))

    (tmp_path / "mdef").write_text("")
    (tmp_path / "big.lm.bin").write_bytes(b"")
    (tmp_path / "words.dict").write_text("")

    assert model_settings(str(tmp_path)) == {
        "hmm": str(tmp_path),
        "lm": str(tmp_path / "big.lm.bin"),
        "dict": str(tmp_path / "words.dict"),
    }
    assert model_settings(None) == {} and model_settings("") == {}
