"""Product images live in the cell: copied at import, never hot-linked.

A catalog names its pictures by URL on the merchant's CDN. Showing those URLs
would send every storefront visitor's address to that CDN, and an offline
cell would show broken images. So each image is copied once, in the
background import job, into the cell's media storage:

1. fetched through the egress client (public addresses only, size and time
   limits, audited);
2. checked to be a real JPEG, PNG, WebP or GIF no larger than
   :data:`MAX_PIXELS` before any pixel is decoded;
3. decoded, shrunk to at most :data:`MAX_SIDE` pixels a side and re-encoded as
   WebP from pixels only, so no metadata (EXIF, GPS, ICC comments) survives;
4. stored under ``shop/images/`` and served by the cell itself.

Until a copy exists the storefront shows a drawn placeholder
(``shop/img/placeholder.svg``). An image the network could not deliver is
``failed`` (as is one the egress policy refused: the operator may change it)
and tried again by a periodic job, later each time, up to :data:`MAX_ATTEMPTS`
times; one that is not an image is ``refused`` and never tried again.
"""

from __future__ import annotations

import io
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from clipdeck.kernel import egress
from clipdeck.shop.importers import fetch
from clipdeck.shop.models import ImageState, ImportStatus, ProductImage

log = logging.getLogger(__name__)

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
WEBP_QUALITY = 85
DEFAULT_MAX_BYTES = 10_000_000
# After this many network failures in a row the cell is taken to be offline:
# the rest of the batch waits for the retry job instead of timing out one by one.
OFFLINE_AFTER = 5
MAX_ATTEMPTS = 12
PLACEHOLDER = "shop/img/placeholder.svg"
UNFINISHED_IMPORTS = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class NotAnImage(ValueError):
    """The bytes are not an image the cell accepts."""


def placeholder_url() -> str:
    return static(PLACEHOLDER)


def image_url(image: ProductImage | None) -> str:
    """The cell's own URL of ``image``, or the placeholder while there is no copy."""
    if image is None or image.state != ImageState.STORED or not image.file:
        return placeholder_url()
    return reverse("shop-image", kwargs={"name": image.file.name.rsplit("/", 1)[-1]})


def reencoded(data: bytes) -> bytes:
    """``data`` re-encoded as a metadata-free WebP; NotAnImage when it is not a real image."""
    try:
        with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise NotAnImage(f"The image is {width}×{height}, larger than the cell accepts.")
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            picture = ImageOps.exif_transpose(image)
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
            mode = "RGBA" if "A" in picture.getbands() or "transparency" in image.info else "RGB"
            picture = picture.convert(mode)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        if isinstance(exc, NotAnImage):
            raise
        raise NotAnImage("The file is not a JPEG, PNG, WebP or GIF image.") from exc
    out = io.BytesIO()
    picture.save(out, format="WEBP", quality=WEBP_QUALITY)
    return out.getvalue()


def copy_image(image: ProductImage) -> str:
    """Fetch, check, re-encode and store one image; its new state."""
    limit = getattr(settings, "CLIPDECK_SHOP_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES)
    image.attempts += 1
    image.tried_at = timezone.now()
    try:
        picture = reencoded(fetch.fetch_image(image.src, max_bytes=limit))
    except NotAnImage as exc:
        image.state = ImageState.REFUSED
        log.info("product image %s refused: %s", image.pk, exc)
    except (egress.EgressRefused, egress.EgressFailed) as exc:
        # The network, or the egress policy (which the operator may change): try later.
        image.state = ImageState.FAILED
        log.info("product image %s not copied yet: %s", image.pk, exc.code)
    else:
        name = f"{secrets.token_urlsafe(18)}.webp"
        image.file.save(name, ContentFile(picture), save=False)
        image.state = ImageState.STORED
    saved = ProductImage.objects.filter(pk=image.pk).update(
        file=image.file.name or "",
        state=image.state,
        attempts=image.attempts,
        tried_at=image.tried_at,
    )
    if not saved and image.file:  # a re-import removed the picture meanwhile
        image.file.storage.delete(image.file.name)
    return image.state


def copy_pending(images) -> dict[str, int]:
    """Copy each image of ``images`` (a queryset) in turn; counts by resulting state.

    After :data:`OFFLINE_AFTER` network failures in a row the rest are left
    for the retry job (the cell is likely offline).
    """
    counts = {state: 0 for state in ImageState.values}
    failures_in_a_row = 0
    # Ids first: a download can take seconds, and no cursor stays open meanwhile.
    for pk in list(images.order_by("pk").values_list("pk", flat=True)):
        image = ProductImage.objects.filter(pk=pk).first()
        if image is None:  # removed meanwhile (a re-import)
            continue
        if failures_in_a_row >= OFFLINE_AFTER:
            image.state, image.tried_at = ImageState.FAILED, timezone.now()
            image.save(update_fields=["state", "tried_at"])
            counts[ImageState.FAILED] += 1
            continue
        state = copy_image(image)
        counts[state] += 1
        failures_in_a_row = failures_in_a_row + 1 if state == ImageState.FAILED else 0
    return counts


def copy_merchant_images(merchant_id) -> dict[str, int]:
    """Copy every image of the merchant's products that has no copy yet."""
    return copy_pending(
        ProductImage.objects.filter(product__merchant_id=merchant_id, state=ImageState.PENDING)
    )


def due_for_retry(now=None):
    """Failed copies whose wait (longer after each attempt) is over."""
    now = now or timezone.now()
    base = getattr(settings, "CLIPDECK_SHOP_IMAGE_RETRY_SECONDS", 3600)
    due = Q(state=ImageState.PENDING, tried_at__isnull=True)
    for attempts in range(1, MAX_ATTEMPTS):
        wait = timedelta(seconds=base * min(2 ** (attempts - 1), 24))
        due |= Q(state=ImageState.FAILED, attempts=attempts, tried_at__lte=now - wait)
    due |= Q(state=ImageState.FAILED, attempts=0)  # skipped while the cell was offline
    importing = Q(product__merchant__imports__status__in=UNFINISHED_IMPORTS)
    return ProductImage.objects.filter(due).exclude(importing)


def retry_images(now=None) -> dict[str, int]:
    """Try again the copies that are due (the periodic job)."""
    return copy_pending(due_for_retry(now))


def delete_copy(sender, instance: ProductImage, **kwargs) -> None:
    """A deleted image takes its copy with it (connected in ``ShopConfig.ready``)."""
    if instance.file:
        instance.file.storage.delete(instance.file.name)
