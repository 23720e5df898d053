"""Avatar images: checked from the header before any pixel is decoded.

An avatar is an untrusted image decoded in the web process, so the cost of
decoding must be bounded before it starts:

* only JPEG, PNG and WebP are opened (Pillow tries no other format plugin, so
  TIFF, BMP, GIF, ICO and the rest are refused without being parsed);
* ``Image.open`` reads only the header; the claimed size is checked against
  :data:`MAX_AVATAR_PIXELS` here, per call, before ``load`` (Pillow's global
  ``MAX_IMAGE_PIXELS`` is 89.5 MP and only a warning below twice that);
* JPEGs are decoded at a reduced scale (``draft``) close to the avatar size.

The result is a square JPEG re-encoded from pixels only, so no metadata (EXIF,
GPS) survives.
"""

from __future__ import annotations

import io
import math
from typing import IO

from PIL import Image, UnidentifiedImageError

from clipdeck.kernel.errors import InvalidInput

AVATAR_SIZE = 320
MAX_AVATAR_PIXELS = 40_000_000
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 88

NOT_AN_IMAGE = "The avatar must be a JPEG, PNG or WebP image."
TOO_LARGE = "The avatar image is too large; use one under 40 megapixels."


def avatar_jpeg(upload: IO[bytes]) -> bytes:
    """The avatar made from ``upload``: a square JPEG of ``AVATAR_SIZE`` pixels.

    Raises :class:`InvalidInput` (``invalid_image``) for anything that is not a
    JPEG, PNG or WebP image, or whose header claims more than
    ``MAX_AVATAR_PIXELS`` pixels; such images are never decoded.
    """
    try:
        with open_checked(upload) as image:
            square = _square(_decoded(image))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise _refusal(NOT_AN_IMAGE) from exc
    buffer = io.BytesIO()
    square.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


def open_checked(upload: IO[bytes]) -> Image.Image:
    """Open ``upload`` lazily (header only) and refuse it unless its format and size pass.

    Raises :class:`InvalidInput`; the caller closes the returned image.
    """
    upload.seek(0)
    try:
        image = Image.open(upload, formats=ALLOWED_FORMATS)
    except Image.DecompressionBombError as exc:
        raise _refusal(TOO_LARGE) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise _refusal(NOT_AN_IMAGE) from exc
    try:
        check_header(image)
    except InvalidInput:
        image.close()
        raise
    return image


def check_header(image: Image.Image) -> None:
    """Refuse an opened (not yet decoded) image by its format and claimed size."""
    if image.format not in ALLOWED_FORMATS:
        raise _refusal(NOT_AN_IMAGE)
    width, height = image.size
    if width <= 0 or height <= 0:
        raise _refusal(NOT_AN_IMAGE)
    if width * height > MAX_AVATAR_PIXELS:
        raise _refusal(TOO_LARGE)


def _decoded(image: Image.Image) -> Image.Image:
    """Decode ``image`` as RGB, a JPEG at the smallest scale still above the avatar size."""
    if image.format == "JPEG" and min(image.size) > AVATAR_SIZE:
        factor = min(image.size) / AVATAR_SIZE
        image.draft("RGB", (math.ceil(image.width / factor), math.ceil(image.height / factor)))
    image.load()
    return image.convert("RGB")


def _square(image: Image.Image) -> Image.Image:
    side = min(image.size)
    left = (image.width - side) // 2
    top = (image.height - side) // 2
    cropped = image.crop((left, top, left + side, top + side))
    return cropped.resize((AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)


def _refusal(message: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_image", field="file")
