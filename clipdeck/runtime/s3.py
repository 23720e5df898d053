"""Media in an S3-compatible bucket (AWS S3, MinIO, Ceph, moto) through django-storages.

An object appears under its key only once its upload is complete (a PUT, or
CompleteMultipartUpload), so S3 never shows a half-written file. Renders upload
each output under a fresh key after the render has finished and point the
video at the keys only after every upload succeeded; a crash in between leaves
unreferenced objects, never a referenced partial one.
"""

from __future__ import annotations

from collections.abc import Iterator

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

CHUNK = 64 * 1024
# Fail over in seconds, not minutes, when the object store is unreachable.
TIMEOUTS = Config(
    connect_timeout=5, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"}
)


class MediaS3Storage(S3Storage):
    """``S3Storage`` plus ranged streaming reads and the cell's serving mode.

    ``serve_mode`` is ``proxy`` (Django streams the bytes after the visibility
    check) or ``redirect`` (after the check, a short-lived presigned URL).
    """

    def __init__(self, serve_mode: str = "proxy", **settings) -> None:
        self.serve_mode = serve_mode
        super().__init__(**settings)
        self.client_config = self.client_config.merge(TIMEOUTS)

    def key(self, name: str) -> str:
        """The object key of the stored file ``name`` (the prefix included)."""
        return self._normalize_name(clean_name(name))

    def read_range(self, name: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes ``start``..``end`` (inclusive) of ``name``, fetched with one ranged GET.

        ``S3Storage.open`` downloads the whole object before the first read; a
        browser seeking in a long video must not cost a full download per seek.
        """
        client = self.connection.meta.client
        reply = client.get_object(
            Bucket=self.bucket_name, Key=self.key(name), Range=f"bytes={start}-{end}"
        )
        body = reply["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def direct_url(self, name: str) -> str | None:
        """A presigned GET URL in redirect mode; ``None`` in proxy mode."""
        if self.serve_mode != "redirect":
            return None
        return self.url(name)

    def bucket_region(self) -> str:
        """The region the server says the bucket is in (HEAD bucket)."""
        client = self.connection.meta.client
        reply = client.head_bucket(Bucket=self.bucket_name)
        headers = reply["ResponseMetadata"]["HTTPHeaders"]
        return headers.get("x-amz-bucket-region") or "us-east-1"

    def bucket_location(self) -> str:
        """The bucket's region as S3 records it (``GetBucketLocation``), for residency."""
        client = self.connection.meta.client
        reply = client.get_bucket_location(Bucket=self.bucket_name)
        constraint = str(reply.get("LocationConstraint") or "")
        # No constraint is us-east-1; "EU" is the old name of eu-west-1.
        if not constraint:
            return "us-east-1"
        return "eu-west-1" if constraint == "EU" else constraint


class BucketUnusable(Exception):
    """The bucket cannot be reached, or is not where the configuration says."""


def verify_bucket(storage: MediaS3Storage) -> None:
    """Raise :class:`BucketUnusable` unless the bucket answers and sits in the configured region."""
    try:
        actual = storage.bucket_region()
    except (BotoCoreError, ClientError) as exc:
        raise BucketUnusable(f"bucket {storage.bucket_name!r} is not reachable: {exc}") from exc
    if actual != storage.region_name:
        raise BucketUnusable(
            f"bucket {storage.bucket_name!r} is in {actual}, "
            f"but CLIPDECK_MEDIA_URL says region={storage.region_name}."
        )
