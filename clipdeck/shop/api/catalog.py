"""Opening a shop, importing and listing its catalog, product pages and video tags."""

from __future__ import annotations

from django.conf import settings
from ninja import File, Form, Router, Status, UploadedFile
from ninja.pagination import paginate

from clipdeck.kernel.auth import user_auth, viewer_auth, viewer_of
from clipdeck.kernel.errors import DomainError, Kind
from clipdeck.kernel.pagination import CursorPagination
from clipdeck.shop import imports, merchants, presenters, products, selectors, tags
from clipdeck.shop.importers.fetch import DEFAULT_MAX_BYTES
from clipdeck.shop.schemas import (
    CountedOut,
    ImportJobOut,
    MerchantIn,
    MerchantOut,
    MerchantPatch,
    ProductIn,
    ProductOut,
    ProductPage,
    TagsIn,
    VideoProductsOut,
)

router = Router()


@router.post(
    "/shop",
    response={201: MerchantOut},
    auth=user_auth,
    operation_id="shop_create",
    summary="Open a shop: your account becomes a merchant",
)
def shop_create(request, payload: MerchantIn):
    merchant = merchants.merchant_create(user=request.auth, **payload.dict())
    return Status(201, presenters.merchant_out(merchant))


@router.get(
    "/shop", response=MerchantOut, auth=user_auth, operation_id="shop_get", summary="Your shop"
)
def shop_get(request):
    return presenters.merchant_out(merchants.merchant_of(request.auth))


@router.patch(
    "/shop",
    response=MerchantOut,
    auth=user_auth,
    operation_id="shop_update",
    summary="Change your shop's name, shipping countries or payout account",
)
def shop_update(request, payload: MerchantPatch):
    merchant = merchants.merchant_update(
        merchant=merchants.merchant_of(request.auth), **payload.dict(exclude_unset=True)
    )
    return presenters.merchant_out(merchant)


def _upload_bytes(file: UploadedFile | None) -> bytes | None:
    if file is None:
        return None
    limit = getattr(settings, "CLIPDECK_SHOP_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if file.size > limit:
        raise DomainError(
            f"The catalog file is larger than {limit:,} bytes.",
            code="too_large",
            field="file",
            kind=Kind.TOO_LARGE,
        )
    return file.read()


@router.post(
    "/shop/catalog/import",
    response={202: ImportJobOut},
    auth=user_auth,
    operation_id="shop_catalog_import",
    summary="Queue an import of a Shopify product CSV or products.json (file or URL)",
)
def shop_catalog_import(request, file: File[UploadedFile] = None, url: Form[str] = ""):
    merchant = merchants.merchant_of(request.auth)
    job = imports.import_start(merchant=merchant, data=_upload_bytes(file), url=url)
    return Status(202, imports.import_out(job))


@router.get(
    "/shop/catalog/imports/{import_id}",
    response=ImportJobOut,
    auth=user_auth,
    operation_id="shop_catalog_import_get",
    summary="An import's progress and, once done, its result (created, updated, errors)",
)
def shop_catalog_import_get(request, import_id: str):
    merchant = merchants.merchant_of(request.auth)
    return imports.import_out(imports.import_access(merchant=merchant, import_id=import_id))


@router.get(
    "/shop/products",
    response=ProductPage,
    auth=user_auth,
    operation_id="shop_products",
    summary="Your shop's catalog, drafts included, newest first",
)
@paginate(CursorPagination, present=lambda items, _: list(map(presenters.product_out, items)))
def shop_products(request):
    return selectors.merchant_products(merchants.merchant_of(request.auth))


@router.post(
    "/shop/products",
    response={201: ProductOut},
    auth=user_auth,
    operation_id="shop_product_create",
    summary="Add a product by hand (prices in minor units)",
)
def shop_product_create(request, payload: ProductIn):
    data = payload.dict()
    product = products.product_create(merchant=merchants.merchant_of(request.auth), **data)
    return Status(201, presenters.product_out(selectors.product_access(request.auth, product.pk)))


@router.get(
    "/products/{product_id}",
    response=ProductOut,
    auth=viewer_auth,
    operation_id="product_get",
    summary="A product page: variants, images, price, stock and shop",
)
def product_get(request, product_id: int):
    return presenters.product_out(selectors.product_access(viewer_of(request), product_id))


def _tags_out(video, products_) -> dict:
    return {
        "video_id": str(video.pk),
        "commercial": bool(products_),
        "items": [presenters.product_brief(product) for product in products_],
    }


@router.get(
    "/videos/{video_id}/products",
    response=VideoProductsOut,
    auth=viewer_auth,
    operation_id="video_products",
    summary="The products tagged in a video you may see",
)
def video_products(request, video_id: str):
    return _tags_out(*selectors.video_products(viewer_of(request), video_id))


@router.put(
    "/videos/{video_id}/products",
    response=VideoProductsOut,
    auth=user_auth,
    operation_id="video_products_set",
    summary="Tag up to 6 products in your video",
)
def video_products_set(request, video_id: str, payload: TagsIn):
    tags.video_products_set(user=request.auth, video_id=video_id, product_ids=payload.product_ids)
    return _tags_out(*selectors.video_products(request.auth, video_id))


@router.post(
    "/videos/{video_id}/products/impression",
    response=CountedOut,
    auth=viewer_auth,
    operation_id="video_products_impression",
    summary="Count that the video's product chips were shown",
)
def video_products_impression(request, video_id: str):
    counted = tags.video_products_impression(
        viewer=viewer_of(request), video_id=video_id, ip=request.META.get("REMOTE_ADDR")
    )
    return {"counted": counted}


@router.post(
    "/videos/{video_id}/products/{product_id}/tap",
    response=CountedOut,
    auth=viewer_auth,
    operation_id="video_product_tap",
    summary="Count a tap on a product chip",
)
def video_product_tap(request, video_id: str, product_id: int):
    tags.video_product_tap(
        viewer=viewer_of(request),
        video_id=video_id,
        product_id=product_id,
        ip=request.META.get("REMOTE_ADDR"),
    )
    return {"counted": 1}
