"""Bio and caption are sealed with their owner's key: text in Python, ciphertext in the
database and in every dump of it, empty once the key is shredded."""

from __future__ import annotations

import json

import pytest
from django.core import serializers
from django.db import connection, transaction

from clipdeck.accounts.models import User
from clipdeck.accounts.services import user_update_profile
from clipdeck.kernel import keys
from clipdeck.kernel.sealed_fields import SealedValueError, seal_column
from clipdeck.shop.funnel import video_funnels
from clipdeck.shop.models import VideoProduct
from clipdeck.videos.models import Video
from clipdeck.videos.services import video_update
from tests.factories import UserFactory, VideoFactory
from tests.shop.factories import MerchantFactory, product_with_stock

pytestmark = pytest.mark.django_db


def _column(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _video_pk(video) -> str:
    return video.pk.hex if connection.vendor == "sqlite" else str(video.pk)


def test_a_caption_reads_as_text_but_is_stored_sealed():
    video = VideoFactory(caption="sunset over the harbour #golden")

    stored = _column("videos_video", "caption", _video_pk(video))

    assert stored.startswith("cd1.")
    assert "harbour" not in stored
    assert Video.objects.get(pk=video.pk).caption == "sunset over the harbour #golden"


def test_the_owner_edits_bio_and_caption_through_the_services():
    user = User.objects.get(pk=UserFactory().pk)
    video = VideoFactory(author=user, caption="first")

    user_update_profile(user=user, bio="I film tide pools")
    video_update(video=Video.objects.get(pk=video.pk), caption="second #tide")

    assert User.objects.get(pk=user.pk).bio == "I film tide pools"
    assert "tide" not in _column("accounts_user", "bio", user.pk)
    assert Video.objects.get(pk=video.pk).caption == "second #tide"
    assert [t.name for t in Video.objects.get(pk=video.pk).hashtags.all()] == ["tide"]


def test_plain_text_never_reaches_a_sealed_column_through_update():
    video = VideoFactory(caption="kept")

    with pytest.raises(SealedValueError, match="never update"), transaction.atomic():
        Video.objects.filter(pk=video.pk).update(caption="plain text")

    assert Video.objects.get(pk=video.pk).caption == "kept"


def test_a_dump_of_the_database_carries_only_ciphertext():
    user = UserFactory(bio="my secret bio")
    VideoFactory(author=user, caption="a private thought")

    dumped = serializers.serialize("json", [*User.objects.all(), *Video.objects.all()])

    assert "my secret bio" not in dumped
    assert "a private thought" not in dumped
    fields = [row["fields"] for row in json.loads(dumped)]
    assert all(f.get("caption", "cd1.").startswith("cd1.") for f in fields)


def test_a_loaded_dump_reads_back_with_the_key():
    video = VideoFactory(caption="round trip")
    dumped = serializers.serialize("json", [video])
    Video.objects.filter(pk=video.pk).delete()

    for obj in serializers.deserialize("json", dumped):
        obj.save()

    assert Video.objects.get(pk=video.pk).caption == "round trip"


def test_after_the_key_is_shredded_bio_and_caption_read_as_empty():
    user = UserFactory(bio="about me")
    video = VideoFactory(author=user, caption="my words")

    keys.user_key_shred(User.objects.get(pk=user.pk))

    assert User.objects.get(pk=user.pk).bio == ""
    assert Video.objects.get(pk=video.pk).caption == ""


def test_a_caption_copied_onto_another_authors_video_does_not_open():
    mine = VideoFactory(caption="only mine")
    theirs = VideoFactory(caption="theirs")
    sealed = _column("videos_video", "caption", _video_pk(mine))

    Video.objects.filter(pk=theirs.pk).update(caption=sealed)

    assert Video.objects.get(pk=theirs.pk).caption == ""


def test_the_data_migration_seals_captions_written_before_it():
    video = VideoFactory(caption="")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE videos_video SET caption = %s WHERE id = %s", ["legacy text", _video_pk(video)]
        )

    seal_column(Video, "caption")
    seal_column(Video, "caption")  # a second run changes nothing

    assert _column("videos_video", "caption", _video_pk(video)).startswith("cd1.")
    assert Video.objects.get(pk=video.pk).caption == "legacy text"


def test_the_shop_funnel_shows_the_caption_in_clear():
    merchant = MerchantFactory()
    video = VideoFactory(author=merchant.user, caption="try this mug")
    VideoProduct.objects.create(video=video, product=product_with_stock(merchant).product)

    funnels = video_funnels(merchant)

    assert [f.caption for f in funnels] == ["try this mug"]


def test_a_caption_copied_from_another_authors_video_is_sealed_again_for_this_one():
    source = VideoFactory(caption="borrowed words")
    copy = VideoFactory(caption="")

    copy.caption = Video.objects.get(pk=source.pk).caption
    copy.save(update_fields=["caption"])

    assert Video.objects.get(pk=copy.pk).caption == "borrowed words"
