"""Studio API: upload, duet, react, stitch, and the options the editor offers."""

from __future__ import annotations

import json

from django.http import FileResponse, HttpResponse
from ninja import File, Form, Router, Status, UploadedFile

from clipdeck.kernel import ratelimit
from clipdeck.kernel.auth import user_auth, viewer_auth, viewer_of
from clipdeck.kernel.errors import InvalidInput, NotFound
from clipdeck.studio import auto_captions, captions, options
from clipdeck.studio.captions_api import router as captions_router
from clipdeck.studio.engine.overlays import TEXT_FONT
from clipdeck.studio.engine.stickers import STICKERS, sticker_path
from clipdeck.studio.models import Captions
from clipdeck.studio.schemas import (
    ReactForm,
    StickerOut,
    StitchForm,
    StudioOptions,
    UploadForm,
    UploadOut,
)
from clipdeck.studio.uploads import Remix, VideoFields, upload_video
from clipdeck.videos.models import RemixKind
from clipdeck.videos.visibility import video_access

router = Router(tags=["studio"])
router.add_router("", captions_router)


def _json_field(raw: str, name: str) -> dict:
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{name} must be a JSON object.", code=f"invalid_{name}", field=name
        ) from exc
    if not isinstance(value, dict):
        raise InvalidInput(f"{name} must be a JSON object.", code=f"invalid_{name}", field=name)
    return value


def _fields(form: UploadForm) -> VideoFields:
    return VideoFields(
        caption=form.caption,
        visibility=form.visibility,
        draft=form.draft,
        allow_duet=form.allow_duet,
        allow_react=form.allow_react,
        allow_stitch=form.allow_stitch,
        allow_comments=form.allow_comments,
        edit=_json_field(form.edit, "edit"),
        length_ms=form.length_limit * 1000 if form.length_limit is not None else None,
        publish_at=form.publish_at,
    )


def _extras(request) -> dict:
    """The form's other files (takes, a voice-over), by field name; one file a name."""
    extras = {}
    for name in request.FILES:
        if name == "file":
            continue
        files = request.FILES.getlist(name)
        if len(files) > 1:
            raise InvalidInput(
                f"Send one file as {name!r} (got {len(files)}).", code="duplicate_file", field=name
            )
        extras[name] = files[0]
    return extras


def _throttle_upload(request) -> None:
    ratelimit.throttle("upload", user_id=request.auth.pk, ip=request.META.get("REMOTE_ADDR"))


def _accepted(video) -> Status:
    schedule = getattr(video, "schedule", None)
    publish_at = schedule.publish_at if schedule else None
    return Status(202, {"id": str(video.pk), "status": video.status, "publish_at": publish_at})


@router.post(
    "/videos",
    response={202: UploadOut},
    auth=user_auth,
    operation_id="video_upload",
    summary="Upload a video with its edit; rendering happens in the background",
)
def video_upload(request, form: Form[UploadForm], file: File[UploadedFile]):
    _throttle_upload(request)
    video = upload_video(
        author=request.auth, upload=file, fields=_fields(form), extras=_extras(request)
    )
    return _accepted(video)


@router.post(
    "/videos/{video_id}/duet",
    response={202: UploadOut},
    auth=user_auth,
    operation_id="video_duet",
    summary="Record side by side with a video",
)
def video_duet(request, video_id: str, form: Form[UploadForm], file: File[UploadedFile]):
    return _remix_upload(request, video_id, form, file, RemixKind.DUET)


@router.post(
    "/videos/{video_id}/react",
    response={202: UploadOut},
    auth=user_auth,
    operation_id="video_react",
    summary="React in a movable picture-in-picture window over a video",
)
def video_react(request, video_id: str, form: Form[ReactForm], file: File[UploadedFile]):
    return _remix_upload(request, video_id, form, file, RemixKind.REACT, _window)


@router.post(
    "/videos/{video_id}/stitch",
    response={202: UploadOut},
    auth=user_auth,
    operation_id="video_stitch",
    summary="Start a new video with up to 5 s of a public video, then your recording",
)
def video_stitch(request, video_id: str, form: Form[StitchForm], file: File[UploadedFile]):
    return _remix_upload(request, video_id, form, file, RemixKind.STITCH, _stitched_span)


def _window(form: ReactForm) -> dict:
    return {"pip": _json_field(form.pip, "pip")}


def _stitched_span(form: StitchForm) -> dict:
    return {"source_trim": _json_field(form.source_trim, "source_trim") or None}


def _remix_upload(request, video_id: str, form, file, kind, details=lambda form: {}) -> Status:
    """Upload a duet, react or stitch of ``video_id``, once the viewer may remix it that way.

    ``details`` reads the kind's own fields (the picture-in-picture window, the
    stitched span) after the access check, so a video the viewer cannot see
    answers 404 whatever the form holds.
    """
    _throttle_upload(request)
    source = video_access(request.auth, video_id, for_remix=kind)
    video = upload_video(
        author=request.auth,
        upload=file,
        fields=_fields(form),
        remix=Remix(source=source, kind=kind, **details(form)),
        extras=_extras(request),
    )
    return _accepted(video)


@router.get(
    "/studio/options",
    response=StudioOptions,
    auth=None,
    operation_id="studio_options",
    summary="Filter presets, speeds, length limits and upload limits",
)
def studio_options(request):
    return options.studio_options()


@router.get(
    "/studio/stickers",
    response=list[StickerOut],
    auth=None,
    operation_id="studio_stickers",
    summary="The sticker library (drawn by the project, CC0)",
)
def studio_stickers(request):
    return [
        {"name": name, "label": label, "url": f"/api/v1/studio/stickers/{name}.png"}
        for name, label in STICKERS.items()
    ]


@router.get(
    "/studio/stickers/{name}.png",
    auth=None,
    operation_id="studio_sticker_image",
    summary="One sticker's PNG",
    response={200: None},
)
def studio_sticker_image(request, name: str):
    if name not in STICKERS:
        raise NotFound("There is no sticker of that name.", code="sticker_not_found")
    response = FileResponse(sticker_path(name).open("rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@router.get(
    "/studio/fonts/text.ttf",
    auth=None,
    operation_id="studio_text_font",
    summary="The font text boxes are drawn with (for the editor's preview)",
    response={200: None},
)
def studio_text_font(request):
    response = FileResponse(TEXT_FONT.open("rb"), content_type="font/ttf")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@router.get(
    "/videos/{video_id}/captions",
    auth=viewer_auth,
    operation_id="video_captions_get",
    summary="The video's captions as WebVTT (404 when it has none or you may not see it)",
    response={200: None},
)
def video_captions_get(request, video_id: str):
    video = video_access(viewer_of(request), video_id)
    stored = Captions.objects.filter(video=video).first()
    if stored is None:
        raise NotFound("This video has no captions.", code="no_captions")
    response = HttpResponse(stored.vtt, content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@router.put(
    "/videos/{video_id}/captions",
    auth=user_auth,
    operation_id="video_captions_put",
    summary="Set the video's captions (the request body is a WebVTT document; empty removes)",
    response={200: None},
)
def video_captions_put(request, video_id: str):
    video = video_access(request.auth, video_id, require_owner=True)
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            "Captions must be UTF-8 text.", code="invalid_captions", field="captions"
        ) from None
    if not text.strip():
        Captions.objects.filter(video=video).delete()
        return HttpResponse(status=204)
    vtt = captions.write(captions.parse(text, duration_ms=video.duration_ms or None))
    Captions.objects.update_or_create(video=video, defaults={"vtt": vtt})
    auto_captions.mark_accepted(video)
    return HttpResponse(vtt, content_type="text/vtt; charset=utf-8")
