"""Where media lives, from one URL: a local folder (default) or an S3-compatible bucket.

``CLIPDECK_MEDIA_URL`` names the media store (not the URL prefix browsers see):

* unset, or ``file:///srv/clipdeck/media`` — a local folder (``CLIPDECK_MEDIA_ROOT``);
* ``s3://BUCKET[/PREFIX]?region=REGION[&endpoint=URL][&addressing=path|virtual]
  [&serve=proxy|redirect][&signed_ttl=SECONDS]`` — a bucket through django-storages.

Credentials never go in the URL (it ends up in logs and process lists): boto3 reads
``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` or an instance role as usual.
``region`` is required because the residency policy checks it, and the bucket's
real region is compared with it (``verify_bucket_region``) before serving.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SERVE_MODES = ("proxy", "redirect")
ADDRESSING_STYLES = ("path", "virtual")
S3_PARAMETERS = {"region", "endpoint", "addressing", "serve", "signed_ttl"}
DEFAULT_SIGNED_TTL = 600


@dataclass(frozen=True)
class MediaLocation:
    """The media store this cell writes to.

    ``region`` is the bucket's region for S3 and ``None`` for a local folder (the
    disk of the machine running the cell).
    """

    kind: str  # "local" or "s3"
    region: str | None = None
    root: Path | None = None
    bucket: str = ""
    prefix: str = ""
    endpoint: str | None = None
    addressing: str = "virtual"
    serve: str = "proxy"
    signed_ttl: int = DEFAULT_SIGNED_TTL

    def describe(self) -> str:
        """Where media lives, for logs and error messages (never with credentials)."""
        if self.kind == "local":
            return f"local folder {self.root}"
        where = f" at {self.endpoint}" if self.endpoint else ""
        return f"s3://{self.bucket}/{self.prefix} in {self.region}{where}"


def _fail(message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"CLIPDECK_MEDIA_URL: {message}")


def parse_media_url(url: str, *, default_root: Path) -> MediaLocation:
    """The media location ``url`` names; ``default_root`` when ``url`` is empty."""
    if not url.strip():
        return MediaLocation(kind="local", root=default_root)
    parts = urlsplit(url.strip())
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise _fail(f"a file URL needs an absolute path, like file:///srv/media (got {url!r}).")
        return MediaLocation(kind="local", root=Path(unquote(parts.path)))
    if parts.scheme != "s3":
        raise _fail(f"use file:///PATH or s3://BUCKET?region=REGION, not {url!r}.")
    return _parse_s3(parts)


def _parse_s3(parts) -> MediaLocation:
    if parts.username or parts.password:
        raise _fail(
            "do not put credentials in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        )
    bucket = parts.hostname or ""
    if not bucket:
        raise _fail("the bucket name is missing (s3://BUCKET?region=REGION).")
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
    unknown = sorted(set(query) - S3_PARAMETERS)
    if unknown:
        raise _fail(
            f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(S3_PARAMETERS))}."
        )
    one = {key: values[-1] for key, values in query.items()}
    region = one.get("region", "").strip()
    if not region:
        raise _fail("region is required (s3://BUCKET?region=eu-central-1); residency checks it.")
    endpoint = one.get("endpoint") or None
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise _fail(f"endpoint must be an http:// or https:// URL, not {endpoint!r}.")
    addressing = one.get("addressing") or ("path" if endpoint else "virtual")
    if addressing not in ADDRESSING_STYLES:
        raise _fail(f"addressing must be path or virtual, not {addressing!r}.")
    serve = one.get("serve") or "proxy"
    if serve not in SERVE_MODES:
        raise _fail(f"serve must be proxy or redirect, not {serve!r}.")
    ttl_text = one.get("signed_ttl") or str(DEFAULT_SIGNED_TTL)
    if not ttl_text.isdigit() or int(ttl_text) < 1:
        raise _fail(f"signed_ttl must be a positive number of seconds, not {ttl_text!r}.")
    return MediaLocation(
        kind="s3",
        region=region,
        bucket=bucket,
        prefix=parts.path.strip("/"),
        endpoint=endpoint,
        addressing=addressing,
        serve=serve,
        signed_ttl=int(ttl_text),
    )


def storage_config(location: MediaLocation) -> dict:
    """The ``STORAGES["default"]`` entry for ``location``."""
    if location.kind == "local":
        # No "location" option: the storage follows MEDIA_ROOT (settings set it to root).
        return {"BACKEND": "clipdeck.kernel.storage.AtomicFileSystemStorage"}
    return {
        "BACKEND": "clipdeck.runtime.s3.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": location.bucket,
            "location": location.prefix,
            "region_name": location.region,
            "endpoint_url": location.endpoint,
            "addressing_style": location.addressing,
            "signature_version": "s3v4",
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": location.signed_ttl,
            "serve_mode": location.serve,
        },
    }


def browser_origin(location: MediaLocation) -> str | None:
    """The origin browsers fetch media from, when it is not this cell's own host.

    Only a bucket that serves by redirect (signed URLs) is fetched directly; a
    local folder and a proxying bucket are served through the cell itself.
    The content security policy allows this one origin for images and media.
    """
    if location.kind != "s3" or location.serve != "redirect":
        return None
    if location.endpoint:
        endpoint = urlsplit(location.endpoint)
        if location.addressing == "path":
            return f"{endpoint.scheme}://{endpoint.netloc}"
        return f"{endpoint.scheme}://{location.bucket}.{endpoint.netloc}"
    if location.addressing == "path":
        return f"https://s3.{location.region}.amazonaws.com"
    return f"https://{location.bucket}.s3.{location.region}.amazonaws.com"
