"""Speech to timed words on this machine: PyAV reads the sound, PocketSphinx hears it.

No Django here (the benchmark and the worker both call it). The sound is resampled
to 16 kHz mono 16-bit, split into stretches of speech by PocketSphinx's voice
activity detector, and each stretch is decoded as one utterance, so a long video
never becomes one huge search and silence costs nothing. The English model
shipped in the ``pocketsphinx`` wheel is used unless ``model_dir`` names another.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

RATE = 16_000
BYTES_PER_SECOND = RATE * 2
# Padding kept around each stretch the detector calls speech: it cuts close to
# the first and last phones, and the decoder needs a little silence either side.
PAD_SECONDS = 0.25
# Tuned on espeak-ng English (benchmarks/auto_captions.py, docs/benchmarks.md):
# without the second, flat-lexicon pass and with slightly wider beams than the
# defaults (1e-48, 7e-29) fewer words are missed (19.5 % instead of 25.6 % on the
# test sentences) for less CPU; wider still (1e-60, 1e-40) misses 14.6 % but
# doubles the CPU time, which a busy two-core machine cannot spare.
DECODER_SETTINGS = {"fwdflat": False, "beam": 1e-55, "wbeam": 1e-35}
FILLER = re.compile(r"^(<.*>|\[.*\]|\+\+.*\+\+)$")
ALTERNATE = re.compile(r"\(\d+\)$")


class NoSoundTrack(Exception):
    """The file has no sound at all."""


class ModelMissing(Exception):
    """The configured model folder holds no PocketSphinx acoustic model."""


@dataclass(frozen=True)
class Word:
    """One recognised word, heard from ``start_ms`` to ``end_ms``."""

    text: str
    start_ms: int
    end_ms: int


def load_pcm(path: str) -> bytes:
    """The first sound track of ``path`` as 16 kHz mono signed 16-bit PCM."""
    with av.open(path) as container:
        if not container.streams.audio:
            raise NoSoundTrack(path)
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        chunks = []
        for frame in container.decode(stream):
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
        chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    if not chunks:
        return b""
    return np.concatenate(chunks).astype(np.int16).tobytes()


def model_settings(model_dir: str | None) -> dict:
    """Decoder settings for the acoustic model (and, when present, the language model
    and dictionary) in ``model_dir``; the wheel's English model when it is empty."""
    if not model_dir:
        return {}
    folder = Path(model_dir)
    if not (folder / "mdef").is_file():
        raise ModelMissing(f"{folder} holds no PocketSphinx acoustic model (no mdef file)")
    settings = {"hmm": str(folder)}
    for pattern, key in (("*.lm.bin", "lm"), ("*.lm", "lm"), ("*.dict", "dict"), ("*.dic", "dict")):
        found = sorted(folder.glob(pattern))
        if found and key not in settings:
            settings[key] = str(found[0])
    return settings


class Recognizer:
    """A loaded decoder (about 0.3 s to load), reused for every file it hears."""

    def __init__(self, model_dir: str | None = None) -> None:
        from pocketsphinx import Config, Decoder

        config = Config(loglevel="FATAL", **DECODER_SETTINGS, **model_settings(model_dir))
        self._decoder = Decoder(config)
        self._frame_ms = 1000 / int(config["frate"])
        self._lock = threading.Lock()

    def words(self, pcm: bytes) -> list[Word]:
        """The words heard in ``pcm`` (16 kHz mono s16), in order, with their times."""
        words: list[Word] = []
        with self._lock:
            for start, end in speech_stretches(pcm):
                words.extend(
                    self._decode(pcm[start:end], offset_ms=start * 1000 / BYTES_PER_SECOND)
                )
        return words

    def _decode(self, pcm: bytes, *, offset_ms: float) -> list[Word]:
        decoder = self._decoder
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        heard = []
        for segment in decoder.seg():
            if FILLER.match(segment.word):
                continue
            heard.append(
                Word(
                    text=ALTERNATE.sub("", segment.word),
                    start_ms=round(offset_ms + segment.start_frame * self._frame_ms),
                    end_ms=round(offset_ms + (segment.end_frame + 1) * self._frame_ms),
                )
            )
        return heard


def speech_stretches(pcm: bytes) -> list[tuple[int, int]]:
    """Byte ranges of ``pcm`` holding speech (padded, merged where pads overlap)."""
    from pocketsphinx import Segmenter

    pad = round(PAD_SECONDS * BYTES_PER_SECOND)
    merged: list[list[int]] = []
    for segment in Segmenter(sample_rate=RATE).segment(io.BytesIO(pcm)):
        begin = max(0, round(segment.start_time * BYTES_PER_SECOND) - pad) & ~1
        end = min(len(pcm), round(segment.end_time * BYTES_PER_SECOND) + pad) & ~1
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = end
        else:
            merged.append([begin, end])
    return [(begin, end) for begin, end in merged]
