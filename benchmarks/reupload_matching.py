"""Re-upload matching: match rate on altered copies, false-match rate on unrelated videos.

Makes ``--originals`` procedural videos and fingerprints them as a removal does
(dense frame sampling), then makes of each a re-encoded (75 % size, CRF 34),
a trimmed (the middle half), a colour-filtered (contrast and a warm tint), a
greyscale, a cropped (a tenth off each side) and a mirrored copy, and checks
each as an upload is checked (sparse sampling, ``matching.is_match`` against
every fingerprint). Then makes ``--unrelated`` videos from other seeds and
counts how many match any fingerprint. Prints rates per alteration, the
false-match rate, the shares of frames matched behind them and the time to
hash a video.

    .venv/bin/python benchmarks/reupload_matching.py [--originals 12] [--unrelated 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipdeck.settings")

from benchmarks.matching_media import ALTERATIONS, altered_copy, make_scene_video
from clipdeck.moderation import hashing


def is_match(hashes: list[int], share: float) -> bool:
    from clipdeck.moderation.matching import is_match as rule

    return rule(hashes, share)


def best(hashes: tuple[list[int], list[int]], fingerprints: list[list[int]]) -> tuple[int, float]:
    plain, mirrored = hashes
    shares = [hashing.match_share(plain, reference, mirrored) for reference in fingerprints]
    index = max(range(len(shares)), key=shares.__getitem__)
    return index, shares[index]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--originals", type=int, default=12)
    parser.add_argument("--unrelated", type=int, default=40)
    args = parser.parse_args()
    import django

    django.setup()
    folder = Path(tempfile.mkdtemp(prefix="matching-"))
    fingerprints, hash_seconds = [], []
    for seed in range(args.originals):
        path = make_scene_video(folder / f"o{seed}.mp4", seed)
        started = time.perf_counter()
        fingerprints.append(hashing.video_hashes(path, per_second=hashing.REFERENCE_PER_SECOND))
        hash_seconds.append(time.perf_counter() - started)

    print(
        f"{args.originals} originals (6 s, 240x426, 15 fps), fingerprints of "
        f"{statistics.mean(len(f) for f in fingerprints):.0f} frames"
    )
    matched_right = {alteration: 0 for alteration in ALTERATIONS}
    shares = {alteration: [] for alteration in ALTERATIONS}
    for seed in range(args.originals):
        for alteration in ALTERATIONS:
            copy = altered_copy(
                folder / f"o{seed}.mp4", folder / f"{alteration}{seed}.mp4", alteration
            )
            started = time.perf_counter()
            hashes = hashing.upload_hashes(copy)
            hash_seconds.append(time.perf_counter() - started)
            index, share = best(hashes, fingerprints)
            shares[alteration].append(share)
            if is_match(hashes[0], share) and index == seed:
                matched_right[alteration] += 1
    for alteration in ALTERATIONS:
        rate = matched_right[alteration] / args.originals
        print(
            f"match rate, {alteration:<9}: {rate:6.1%} "
            f"({matched_right[alteration]}/{args.originals}; median share of frames "
            f"matched {statistics.median(shares[alteration]):.2f})"
        )
    total = sum(matched_right.values())
    print(f"match rate, all copies: {total / (args.originals * len(ALTERATIONS)):6.1%}")

    false, unrelated_shares = 0, []
    for seed in range(1000, 1000 + args.unrelated):
        path = make_scene_video(folder / f"u{seed}.mp4", seed)
        hashes = hashing.upload_hashes(path)
        _, share = best(hashes, fingerprints)
        unrelated_shares.append(share)
        false += is_match(hashes[0], share)
    print(
        f"false-match rate, unrelated: {false / args.unrelated:6.1%} ({false}/{args.unrelated}; "
        f"highest share of frames matched {max(unrelated_shares):.2f})"
    )
    print(f"hashing one video: median {statistics.median(hash_seconds) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
