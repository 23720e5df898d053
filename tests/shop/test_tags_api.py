from __future__ import annotations

import pytest

from clipdeck.shop.models import VideoProduct
from clipdeck.videos.models import Visibility
from tests.factories import FollowFactory, UserFactory, VideoFactory
from tests.shop.factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


def on_sale(merchant=None, **kwargs):
    product = ProductFactory(**({"merchant": merchant} if merchant else {}), **kwargs)
    VariantFactory(product=product)
    return product


def test_a_merchant_tags_own_products_and_viewers_see_them_in_order(api, merchant):
    video = VideoFactory(author=merchant.user)
    first, second = on_sale(merchant), on_sale(merchant)

    response = api(merchant.user).put(
        f"videos/{video.pk}/products", {"product_ids": [second.pk, first.pk, second.pk]}
    )

    assert response.status_code == 200
    listed = api().get(f"videos/{video.pk}/products").json()
    assert listed["commercial"] is True
    assert [item["id"] for item in listed["items"]] == [second.pk, first.pk]


def test_a_creator_may_tag_another_shops_products_on_sale_but_not_its_drafts(api, merchant):
    creator = UserFactory()
    video = VideoFactory(author=creator)
    draft = on_sale(merchant, status="draft")

    allowed = api(creator).put(
        f"videos/{video.pk}/products", {"product_ids": [on_sale(merchant).pk]}
    )
    refused = api(creator).put(f"videos/{video.pk}/products", {"product_ids": [draft.pk]})

    assert allowed.status_code == 200
    assert refused.status_code == 404
    assert VideoProduct.objects.filter(video=video).count() == 1


def test_more_than_six_products_is_refused(api, merchant):
    video = VideoFactory(author=merchant.user)
    products = [on_sale(merchant).pk for _ in range(7)]

    response = api(merchant.user).put(f"videos/{video.pk}/products", {"product_ids": products})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "too_many_products"
    assert not VideoProduct.objects.exists()


def test_tagging_a_video_you_cannot_see_is_404_and_someone_elses_video_is_403(api, merchant):
    private = VideoFactory(visibility=Visibility.PRIVATE)
    public = VideoFactory()
    product = on_sale(merchant)

    hidden = api(merchant.user).put(f"videos/{private.pk}/products", {"product_ids": [product.pk]})
    not_mine = api(merchant.user).put(f"videos/{public.pk}/products", {"product_ids": [product.pk]})

    assert hidden.status_code == 404
    assert not_mine.status_code == 403
    assert not VideoProduct.objects.exists()


def test_a_videos_products_are_hidden_with_the_video(api, merchant):
    author = UserFactory()
    video = VideoFactory(author=author, visibility=Visibility.FOLLOWERS)
    VideoProduct.objects.create(video=video, product=on_sale(merchant))
    follower = UserFactory()
    FollowFactory(follower=follower, followee=author)

    assert api().get(f"videos/{video.pk}/products").status_code == 404
    assert api(UserFactory()).get(f"videos/{video.pk}/products").status_code == 404
    assert len(api(follower).get(f"videos/{video.pk}/products").json()["items"]) == 1
    assert api().post(f"videos/{video.pk}/products/impression").status_code == 404


def test_impressions_and_taps_are_counted_per_tag(api, merchant):
    video = VideoFactory(author=merchant.user)
    product = on_sale(merchant)
    VideoProduct.objects.create(video=video, product=product)

    api(UserFactory()).post(f"videos/{video.pk}/products/impression")
    api(UserFactory()).post(f"videos/{video.pk}/products/impression")
    tap = api().post(f"videos/{video.pk}/products/{product.pk}/tap")
    untagged = api().post(f"videos/{video.pk}/products/{on_sale(merchant).pk}/tap")

    assert tap.status_code == 200
    assert untagged.status_code == 404
    tag = VideoProduct.objects.get()
    assert (tag.impressions, tag.taps) == (2, 1)


def test_a_product_taken_off_sale_disappears_from_the_videos_chips(api, merchant):
    video = VideoFactory(author=merchant.user)
    product = on_sale(merchant)
    VideoProduct.objects.create(video=video, product=product)

    product.status = "archived"
    product.save()

    assert api().get(f"videos/{video.pk}/products").json() == {
        "video_id": str(video.pk),
        "commercial": False,
        "items": [],
    }
