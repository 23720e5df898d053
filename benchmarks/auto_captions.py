"""Auto-captions: word error rate on espeak-ng sentences, and the time to caption a 15 s clip.

Each sentence is spoken by espeak-ng (``en-us+f2``, 160 words a minute), muxed into
an H.264/AAC clip, and transcribed the way the worker does (PyAV → 16 kHz mono →
voice activity → PocketSphinx), once with PocketSphinx's default decoder settings
and once with the tuned ones of ``clipdeck/studio/speech.py``. The timing clip is
15 s of continuous speech (several sentences); its time counts everything the
worker does: loading the model, reading and resampling the sound, decoding and
grouping into cues. Wall and CPU seconds are both printed (the machine is shared).

    .venv/bin/python benchmarks/auto_captions.py [--runs 3] [--try '{"lw": 8}' ...]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from clipdeck.studio import captions, speech
from clipdeck.studio.engine.synth.spoken import spoken_clip, word_error_rate

SENTENCES = [
    "The weather is nice today.",
    "Please open the window.",
    "I would like a cup of coffee.",
    "We are going to the park this afternoon.",
    "My brother plays the guitar every evening.",
    "The children are reading books in the library.",
    "She bought fresh bread at the market.",
    "Turn left at the next street.",
    "The train leaves the station at nine o'clock.",
    "Can you help me carry these boxes upstairs?",
    "Our team won the game last night.",
    "Remember to water the plants on Sunday.",
]
# About 15 s of speech at 160 words a minute.
LONG = " ".join(SENTENCES[:6]) + " Thank you for watching."


def _recognizer(settings: dict) -> speech.Recognizer:
    saved = speech.DECODER_SETTINGS
    speech.DECODER_SETTINGS = settings
    try:
        return speech.Recognizer()
    finally:
        speech.DECODER_SETTINGS = saved


def _error_rate(recognizer: speech.Recognizer, clips: list[tuple[str, str]]) -> tuple[float, str]:
    errors, words, worst = 0.0, 0, ""
    for said, path in clips:
        heard = " ".join(word.text for word in recognizer.words(speech.load_pcm(path)))
        count = len(said.split())
        errors += word_error_rate(said, heard) * count
        words += count
        if word_error_rate(said, heard) > 0:
            worst += f"\n    said  {said}\n    heard {heard}"
    return errors / words, worst


def _caption(path: str, settings: dict) -> tuple[float, float, int, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    recognizer = _recognizer(settings)
    words = recognizer.words(speech.load_pcm(path))
    cues = captions.cues_from_words(words)
    return time.perf_counter() - wall, time.process_time() - cpu, len(words), len(cues)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timing runs per setting")
    parser.add_argument(
        "--try", dest="extra", action="append", default=[], help="more decoder settings (JSON)"
    )
    args = parser.parse_args()
    settings = {
        "default": {},
        "tuned": dict(speech.DECODER_SETTINGS),
        "wider": {"fwdflat": False, "beam": 1e-60, "wbeam": 1e-40},
        **{f"try{n}": json.loads(extra) for n, extra in enumerate(args.extra, 1)},
    }
    with tempfile.TemporaryDirectory() as folder:
        clips = [
            (said, spoken_clip(Path(folder) / f"s{index}.mp4", said))
            for index, said in enumerate(SENTENCES)
        ]
        long_clip = spoken_clip(Path(folder) / "long.mp4", LONG, lead_seconds=0.3)
        length = speech.load_pcm(long_clip)
        seconds = len(length) / speech.BYTES_PER_SECOND
        total = sum(len(s.split()) for s in SENTENCES)
        print(f"{len(SENTENCES)} sentences, {total} words; timing clip {seconds:.1f} s")
        for name, values in settings.items():
            rate, misses = _error_rate(_recognizer(values), clips)
            print(f"{name:8} {values}: word error rate {rate:.1%}{misses}")
            long_rate = word_error_rate(
                LONG,
                " ".join(w.text for w in _recognizer(values).words(speech.load_pcm(long_clip))),
            )
            runs = [_caption(long_clip, values) for _ in range(args.runs)]
            best = min(runs)
            print(
                f"{name:8} caption the {seconds:.1f} s clip: wall "
                + ", ".join(f"{run[0]:.2f}" for run in runs)
                + f" s (best {best[0]:.2f} s = {best[0] / seconds:.2f}x the clip), CPU "
                + ", ".join(f"{run[1]:.2f}" for run in runs)
                + f" s; {best[2]} words, {best[3]} cues, word error rate {long_rate:.1%}"
            )


if __name__ == "__main__":
    main()
