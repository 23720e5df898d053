from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from clipdeck.videos.schemas import VISIBILITIES, VideoStatusName


class UploadForm(Schema):
    caption: str = Field("", max_length=2200)
    # Listed in the document; the upload service checks it and names the field.
    visibility: str = Field("public", json_schema_extra={"enum": VISIBILITIES})
    draft: bool = False
    allow_duet: bool = True
    allow_react: bool = True
    allow_stitch: bool = True
    allow_comments: bool = True
    edit: str = Field(
        "",
        description="JSON edit object (trim, speed, filter, sound, "
        "original_volume, texts, stickers, clips, voiceover, burn_captions); see "
        "GET /api/v1/studio/options and GET /api/v1/studio/stickers. "
        'More takes and a voice-over are more file fields of this form: "clips": '
        '[{"upload": "<field name>", "trim": {...}}] joins them after `file`, '
        '"voiceover": {"upload": "<field name>", "volume": 1} mixes one over the result',
    )
    length_limit: int | None = Field(None, description="seconds: one of the length options")
    publish_at: datetime | None = Field(
        None,
        description="scheduled posting (ISO 8601 with a time zone, at most 90 days ahead): "
        "the video stays a draft until then",
    )


class ReactForm(UploadForm):
    pip: str = Field("", description='JSON {"x", "y", "width"}: fractions of the frame')


class StitchForm(UploadForm):
    source_trim: str = Field(
        "",
        description='JSON {"start_ms", "end_ms"}: the part of the original the new video '
        "starts with (at most 5 s; the first 5 s when absent)",
    )


class UploadOut(Schema):
    id: str
    status: VideoStatusName
    publish_at: datetime | None = None


class FilterOption(Schema):
    name: str
    label: str
    css: str


class StudioOptions(Schema):
    filters: list[FilterOption]
    speeds: list[float]
    speed_min: float
    speed_max: float
    length_limits_seconds: list[int]
    default_length_seconds: int
    max_upload_mb: int
    max_source_seconds: int
    max_side: int
    containers: list[str]
    video_codecs: list[str]
    audio_codecs: list[str]
    genres: list[str]
    max_takes: int = Field(description="takes one video may join (`file` and `edit.clips`)")
    max_stitch_seconds: int = Field(description="the most of a video a stitch starts with")


class StickerOut(Schema):
    name: str
    label: str
    url: str = Field(description="the sticker's PNG (512 px, transparent background)")
