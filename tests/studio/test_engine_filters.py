"""Colour presets: each one renders and changes the picture in its own direction."""

from __future__ import annotations

import numpy as np
import pytest

from clipdeck.studio.engine import PRESETS, EditSpec, RenderJob, RenderOutputs, render

from .conftest import frame_rgb, mean_rgb


@pytest.fixture(scope="module")
def looks(media, tmp_path_factory):
    """The middle frame of the colour-bars clip rendered with each preset."""
    source = media.clip("bars.mp4", scene="bars", seconds=1.0)
    folder = tmp_path_factory.mktemp("looks")
    pictures = {}
    for name in PRESETS:
        job = RenderJob(source=source, spec=EditSpec(filter=name), outputs=_outputs(folder, name))
        render(job)
        pictures[name] = frame_rgb(job.outputs.mp4).astype(np.float64)
    return pictures


def _outputs(folder, name):
    return RenderOutputs(mp4=str(folder / f"{name}.mp4"))


def saturation(pixels: np.ndarray) -> float:
    return float((pixels.max(axis=2) - pixels.min(axis=2)).mean())


def contrast(pixels: np.ndarray) -> float:
    return float(pixels.mean(axis=2).std())


@pytest.mark.parametrize("name", [name for name in PRESETS if name != "none"])
def test_each_preset_changes_the_picture(looks, name):
    difference = np.abs(looks[name] - looks["none"]).mean()

    assert difference > 4.0


def test_mono_and_noir_remove_colour(looks):
    assert saturation(looks["none"]) > 80
    assert saturation(looks["mono"]) < 3
    assert saturation(looks["noir"]) < 3
    centre = np.s_[130:190, 10:170]  # away from noir's vignette
    assert contrast(looks["noir"][centre]) > contrast(looks["mono"][centre]) * 1.1


def test_vivid_saturates_and_fade_flattens(looks):
    assert saturation(looks["vivid"]) > saturation(looks["none"]) * 1.1
    assert contrast(looks["fade"]) < contrast(looks["none"]) * 0.9
    assert saturation(looks["fade"]) < saturation(looks["none"])


def test_warm_and_cool_shift_the_balance(looks):
    def red_blue(name: str) -> float:
        r, _, b = mean_rgb(looks[name])
        return r - b

    assert red_blue("warm") > red_blue("none") + 10
    assert red_blue("cool") < red_blue("none") - 10


def test_vintage_and_noir_darken_the_corners(looks):
    for name in ("vintage", "noir"):
        corner = looks[name][:20, :20].mean() / max(looks["none"][:20, :20].mean(), 1)
        centre = looks[name][150:170, 80:100].mean() / max(looks["none"][150:170, 80:100].mean(), 1)
        assert corner < centre
