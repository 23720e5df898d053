"""Media in an S3-compatible bucket, against moto's S3 server on loopback:
uploads, renders, range reads through the media view, signed URLs and deletes."""

from __future__ import annotations

import io
import secrets
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client, override_settings

from clipdeck.kernel.sealed_media import SealedReader, is_sealed_name
from clipdeck.kernel.storage import local_path
from clipdeck.runtime.health import check_storage
from clipdeck.runtime.media_storage import parse_media_url, storage_config
from clipdeck.runtime.s3 import BucketUnusable, MediaS3Storage, verify_bucket
from clipdeck.studio.engine.synth import make_clip
from clipdeck.videos.models import Video, VideoStatus
from tests.factories import UserFactory
from tests.studio_web.conftest import upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

REGION = "eu-central-1"


@pytest.fixture
def bucket(s3_endpoint, monkeypatch) -> str:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    name = f"media-{secrets.token_hex(4)}"
    client(s3_endpoint).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return name


def client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION)


def use_bucket(endpoint: str, bucket: str, **query):
    """Settings with media in ``bucket`` (restored on exit)."""
    extra = "".join(f"&{key}={value}" for key, value in query.items())
    location = parse_media_url(
        f"s3://{bucket}/cell?region={REGION}&endpoint={endpoint}{extra}", default_root=Path("/")
    )
    return override_settings(
        STORAGES={**settings.STORAGES, "default": storage_config(location)},
        CLIPDECK_MEDIA_LOCATION=location,
    )


def keys(endpoint: str, bucket: str) -> list[str]:
    listing = client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def object_bytes(endpoint: str, bucket: str, name: str) -> bytes:
    return client(endpoint).get_object(Bucket=bucket, Key=f"cell/{name}")["Body"].read()


def plain_bytes(endpoint: str, bucket: str, name: str) -> bytes:
    """The content of a stored object, decrypted when it is sealed with its owner's key."""
    stored = object_bytes(endpoint, bucket, name)
    return SealedReader(io.BytesIO(stored)).read() if is_sealed_name(name) else stored


def local_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("s3")
    return make_clip(folder / "clip.mp4", seconds=1.0, width=180, height=320, scene="bouncing")


@pytest.fixture
def published(api, clip, s3_endpoint, bucket, run_worker):
    """A video uploaded and rendered with media in the bucket."""
    with use_bucket(s3_endpoint, bucket):
        owner = UserFactory()
        response = upload(api(owner), clip)
        assert response.status_code == 202, response.content
        run_worker()
        yield Video.objects.get(pk=response.json()["id"]), owner


def test_upload_and_render_store_every_file_in_the_bucket(published, s3_endpoint, bucket):
    video, _ = published
    assert video.status == VideoStatus.PUBLISHED, video.error_message
    stored = keys(s3_endpoint, bucket)
    for field in (video.original, video.mp4, video.mp4_720, video.poster):
        assert f"cell/{field.name}" in stored
    assert local_files() == []  # nothing went to the local media folder
    assert not any("partial" in key or "tmp" in key for key in stored)


def test_media_view_streams_whole_files_and_ranges_from_the_bucket(published, s3_endpoint, bucket):
    video, _ = published
    url = f"/media/v/{video.pk}/mp4"
    expected = plain_bytes(s3_endpoint, bucket, video.mp4.name)
    assert (
        expected[4:8] == b"ftyp"
        and object_bytes(s3_endpoint, bucket, video.mp4.name)[:5] == b"CDMF1"
    )

    whole = Client().get(url)
    assert whole.status_code == 200
    assert b"".join(whole.streaming_content) == expected
    assert whole["Content-Length"] == str(len(expected))

    part = Client().get(url, headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-1099/{len(expected)}"
    assert b"".join(part.streaming_content) == expected[100:1100]

    tail = Client().get(url, headers={"Range": "bytes=-500"})
    assert b"".join(tail.streaming_content) == expected[-500:]

    beyond = Client().get(url, headers={"Range": f"bytes={len(expected)}-"})
    assert beyond.status_code == 416


def test_private_media_needs_the_signed_url(published, api, s3_endpoint, bucket):
    video, owner = published
    with use_bucket(s3_endpoint, bucket):
        assert api(owner).patch(f"videos/{video.pk}", {"visibility": "private"}).status_code == 200
        signed = api(owner).get(f"videos/{video.pk}").json()["media"]["mp4"]
        assert "?t=" in signed
        assert Client().get(signed.split("?")[0]).status_code == 404
        response = Client().get(signed, headers={"Range": "bytes=0-9"})
        assert response.status_code == 206
        assert (
            b"".join(response.streaming_content)
            == plain_bytes(s3_endpoint, bucket, video.mp4.name)[:10]
        )
        assert response["Cache-Control"] == "private, no-store"


def test_deleting_a_video_deletes_its_objects(published, api, s3_endpoint, bucket):
    video, owner = published
    with use_bucket(s3_endpoint, bucket):
        assert api(owner).delete(f"videos/{video.pk}").status_code == 204
    assert [key for key in keys(s3_endpoint, bucket) if str(video.pk) in key] == []


def test_redirect_mode_never_hands_out_a_sealed_file(published, s3_endpoint, bucket):
    """A presigned URL would give the ciphertext: sealed media streams through the app."""
    video, _ = published
    with use_bucket(s3_endpoint, bucket, serve="redirect", signed_ttl=60):
        response = Client().get(f"/media/v/{video.pk}/mp4", headers={"Range": "bytes=0-99"})
        assert response.status_code == 206
        assert (
            b"".join(response.streaming_content)
            == plain_bytes(s3_endpoint, bucket, video.mp4.name)[:100]
        )


def test_redirect_mode_hands_out_a_presigned_url(s3_endpoint, bucket):
    with use_bucket(s3_endpoint, bucket, serve="redirect", signed_ttl=60):
        name = storages["default"].save("avatars/abcdef.jpg", ContentFile(b"\xff\xd8 jpeg" * 20))
        response = Client().get(f"/media/{name}")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert location.startswith(s3_endpoint) and "X-Amz-Signature=" in location
    assert "X-Amz-Expires=60" in location
    request = urllib.request.Request(location, headers={"Range": "bytes=0-99"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310
        assert reply.status == 206
        assert reply.read() == object_bytes(s3_endpoint, bucket, name)[:100]


def test_a_saved_name_is_never_overwritten(s3_endpoint, bucket):
    with use_bucket(s3_endpoint, bucket):
        storage = storages["default"]
        first = storage.save("videos/x/a.txt", ContentFile(b"first"))
        second = storage.save("videos/x/a.txt", ContentFile(b"second"))
        assert first != second
        assert object_bytes(s3_endpoint, bucket, first) == b"first"


def test_local_path_is_a_temporary_copy_removed_afterwards(s3_endpoint, bucket):
    with use_bucket(s3_endpoint, bucket):
        storage = storages["default"]
        name = storage.save("videos/x/source.mp4", ContentFile(b"0123456789"))
        with local_path(storage, name) as path:
            assert Path(path).read_bytes() == b"0123456789"
            assert path.endswith(".mp4")
        assert not Path(path).exists()


def test_a_bucket_in_another_region_is_refused(s3_endpoint, bucket):
    location = parse_media_url(
        f"s3://{bucket}?region=us-east-1&endpoint={s3_endpoint}", default_root=Path("/")
    )
    storage = MediaS3Storage(**storage_config(location)["OPTIONS"])
    with pytest.raises(BucketUnusable, match=f"is in {REGION}, but CLIPDECK_MEDIA_URL says"):
        verify_bucket(storage)


def test_readyz_names_storage_when_the_bucket_is_missing(s3_endpoint, bucket):
    with use_bucket(s3_endpoint, "no-such-bucket"):
        with pytest.raises(BucketUnusable, match="not reachable"):
            check_storage()
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_readyz_is_ready_with_the_bucket(s3_endpoint, bucket):
    with use_bucket(s3_endpoint, bucket):
        response = Client().get("/readyz")
    assert response.status_code == 200, response.json()
