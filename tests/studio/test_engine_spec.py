"""EditSpec / Layout parsing, presets, and the frame geometry (no media needed)."""

from __future__ import annotations

import re

import av
import pytest

from clipdeck.studio.engine import (
    PRESETS,
    Clip,
    EditSpec,
    Layout,
    Pip,
    RenderJob,
    RenderOutputs,
    Sound,
    SpecError,
    Trim,
    geometry,
)
from clipdeck.studio.engine.graph import atempo_chain


def test_full_edit_dict_is_parsed():
    spec = EditSpec.from_dict(
        {
            "trim": {"start_ms": 500, "end_ms": 4500},
            "speed": 2,
            "filter": "vivid",
            "sound": {"path": "/m/12.m4a", "offset_ms": 3000, "volume": 0.5},
            "original_volume": 0,
        }
    )

    assert spec == EditSpec(
        trim=Trim(500, 4500),
        speed=2.0,
        filter="vivid",
        sound=Sound("/m/12.m4a", 3000, 0.5),
        original_volume=0.0,
    )


def test_empty_edit_is_the_identity():
    assert EditSpec.from_dict({}) == EditSpec(
        trim=None, speed=1.0, filter="none", sound=None, original_volume=1.0
    )


@pytest.mark.parametrize(
    ("edit", "field", "message"),
    [
        ({"speed": 4}, "speed", "Speed must be between 0.5 and 3 (got 4)."),
        ({"speed": "fast"}, "speed", "Speed must be a number."),
        ({"speed": True}, "speed", "Speed must be a number."),
        ({"speed": float("nan")}, "speed", "Speed must be a number."),
        (
            {"filter": "sepia2"},
            "filter",
            "Unknown filter 'sepia2'; choose one of " + ", ".join(PRESETS) + ".",
        ),
        (
            {"trim": {"start_ms": 2000, "end_ms": 2050}},
            "trim.end_ms",
            "The trim must keep at least 100 ms (start 2000 ms, end 2050 ms).",
        ),
        ({"trim": {"start_ms": -5}}, "trim.start_ms", "Start cannot be negative."),
        ({"trim": [0, 100]}, "trim", "Expected an object with named values."),
        (
            {"original_volume": 2.5},
            "original_volume",
            "Original volume must be between 0 and 2 (got 2.5).",
        ),
        ({"sound": {"offset_ms": 0}}, "sound.path", "The sound's file path is missing."),
        (
            {"sound": {"path": "/a.m4a", "volume": -1}},
            "sound.volume",
            "Volume must be between 0 and 2 (got -1).",
        ),
        (
            {"sped": 2},
            "sped",
            "Unknown option 'sped'; the options are captions, clips, filter, original_volume, "
            "sound, speed, stickers, texts, trim, voiceover.",
        ),
    ],
)
def test_bad_edit_values_name_the_field(edit, field, message):
    with pytest.raises(SpecError) as error:
        EditSpec.from_dict(edit)

    assert (error.value.field, error.value.message) == (field, message)


def test_spec_round_trips():
    spec = EditSpec.from_dict(
        {"trim": {"start_ms": 0, "end_ms": 900}, "filter": "noir", "sound": {"path": "/x.m4a"}}
    )

    assert EditSpec.from_dict(spec.to_dict()) == spec


def test_layouts():
    assert Layout.from_dict("duet") == Layout(kind="duet", pip=None)
    assert Layout.from_dict({"kind": "react"}) == Layout(kind="react", pip=Pip(0.05, 0.05, 0.35))
    assert Layout.from_dict({"kind": "react", "pip": {"x": 0.6, "y": 0.7, "width": 0.3}}) == Layout(
        kind="react", pip=Pip(0.6, 0.7, 0.3)
    )
    with pytest.raises(SpecError) as error:
        Layout.from_dict({"kind": "triptych"})
    assert error.value.field == "layout.kind"
    with pytest.raises(SpecError) as error:
        Layout.from_dict({"kind": "react", "pip": {"width": 0.01}})
    assert error.value.field == "layout.pip.width"


def test_remix_jobs_need_the_original():
    outputs = RenderOutputs(mp4="/media/x.mp4")
    with pytest.raises(ValueError, match="needs the original"):
        RenderJob(source="/a.mp4", outputs=outputs, layout=Layout("duet"))
    with pytest.raises(ValueError, match="needs the original"):
        RenderJob(source="/a.mp4", outputs=outputs, layout=Layout("stitch", source_trim=Trim(0)))
    with pytest.raises(ValueError, match="takes cannot be joined"):
        RenderJob(
            source="/a.mp4",
            outputs=outputs,
            partner="/b.mp4",
            layout=Layout("duet"),
            spec=EditSpec(clips=(Clip("/c.mp4"),)),
        )
    with pytest.raises(ValueError, match="only used by duet, react and stitch"):
        RenderJob(source="/a.mp4", outputs=outputs, partner="/b.mp4")


def test_job_round_trips():
    job = RenderJob(
        source="/a.mp4",
        partner="/b.mp4",
        outputs=RenderOutputs(mp4="/o.mp4", poster="/p.jpg"),
        spec=EditSpec.from_dict({"speed": 1.5, "sound": {"path": "/s.m4a"}}),
        layout=Layout.from_dict({"kind": "react", "pip": {"x": 0.5}}),
        max_output_ms=60_000,
    )

    assert RenderJob.from_dict(job.to_dict()) == job


def test_a_job_with_takes_a_voiceover_captions_and_a_stitch_round_trips():
    spec = EditSpec.from_dict(
        {
            "clips": [
                {"path": "/t2.mp4", "trim": {"start_ms": 100, "end_ms": 900}},
                {"path": "/t3"},
            ],
            "voiceover": {"path": "/v.m4a", "volume": 0.5},
            "captions": [{"start_ms": 0, "end_ms": 500, "text": "hi"}],
        }
    )
    job = RenderJob(
        source="/a.mp4",
        partner="/b.mp4",
        outputs=RenderOutputs(mp4="/o.mp4"),
        spec=spec,
        layout=Layout.from_dict({"kind": "stitch", "source_trim": {"start_ms": 0, "end_ms": 3000}}),
    )

    assert RenderJob.from_dict(job.to_dict()) == job
    assert EditSpec.from_dict(spec.to_dict()) == spec


def test_presets_use_only_bundled_filters_in_a_cheap_order():
    assert len(PRESETS) >= 8
    assert next(iter(PRESETS)) == "none"
    rgb = {"curves", "colorchannelmixer", "colorbalance", "colortemperature", "vibrance"}
    for preset in PRESETS.values():
        names = [name for name, _ in preset.filters]
        assert set(names) <= av.filter.filters_available
        assert not {"eq", "drawtext"} & set(names)
        rgb_positions = [i for i, name in enumerate(names) if name in rgb]
        if rgb_positions:  # RGB filters are adjacent; YUV ones come before them
            assert rgb_positions == list(range(rgb_positions[0], rgb_positions[-1] + 1))
            assert all(
                names.index(n) < rgb_positions[0] for n in ("hue", "gblur", "lutyuv") if n in names
            )
        assert re.fullmatch(r"none|([a-z-]+\([0-9.a-z-]+\) ?)+", preset.css)
        assert preset.label


@pytest.mark.parametrize(
    ("display", "frame"),
    [
        ((1080, 1920), (1080, 1920)),
        ((2160, 3840), (1080, 1920)),
        ((720, 1280), (720, 1280)),
        ((180, 320), (180, 320)),
        ((1920, 1080), (1080, 1920)),
        ((320, 180), (320, 568)),
        ((720, 720), (720, 1280)),
        ((480, 1080), (608, 1080)),
    ],
)
def test_output_frame_never_upscales_the_picture(display, frame):
    assert geometry.output_frame(*display) == frame
    inside = geometry.fit_inside(*display, frame)
    assert inside[0] <= max(display[0], 2) + 1 and inside[1] <= display[1] + 1


def test_duet_halves_and_pip_boxes():
    assert geometry.duet_halves((1080, 1920)) == ((540, 1920), (540, 1920))
    assert geometry.duet_halves((270, 480)) == ((134, 480), (136, 480))
    assert geometry.pip_box(0.05, 0.05, 0.35, (180, 320), (720, 1280)) == geometry.Box(
        36, 64, 252, 448
    )
    assert geometry.pip_box(0.9, 0.95, 0.5, (180, 320), (720, 1280)) == geometry.Box(
        360, 640, 360, 640
    )  # clamped inside the frame


@pytest.mark.parametrize(
    ("speed", "chain"),
    [
        (1.0, []),
        (2.0, [("atempo", "2.0")]),
        (0.5, [("atempo", "0.5")]),
        (3.0, [("atempo", "2.0"), ("atempo", "1.5")]),
        (0.75, [("atempo", "0.75")]),
    ],
)
def test_atempo_chain_keeps_each_factor_in_range(speed, chain):
    assert atempo_chain(speed) == chain
