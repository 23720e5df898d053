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
    allow_comments: bool = True
    edit: str = Field(
        "",
        description="JSON edit object (trim, speed, filter, sound, "
        "original_volume, texts, stickers); see GET /api/v1/studio/options "
        "and GET /api/v1/studio/stickers",
    )
    length_limit: int | None = Field(None, description="seconds: one of the length options")
    publish_at: datetime | None = Field(
        None,
        description="scheduled posting (ISO 8601 with a time zone, at most 90 days ahead): "
        "the video stays a draft until then",
    )


class ReactForm(UploadForm):
    pip: str = Field("", description='JSON {"x", "y", "width"}: fractions of the frame')


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


class StickerOut(Schema):
    name: str
    label: str
    url: str = Field(description="the sticker's PNG (512 px, transparent background)")
