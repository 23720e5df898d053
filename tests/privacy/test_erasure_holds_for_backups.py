"""Erasure holds for backups against whoever holds the cell key.

A user with an email, a shipping address, a bio and captions (text and spoken) on public,
followers-only and draft videos (real encoded frames) is backed up, then
erased. The older backup is opened with the cell key (as anyone holding it
can) and restored on a fresh data folder given the cell key and nothing else.
Not one byte of the backup, of its decrypted contents, of the key-store
backups or of the restored data folder holds the user's email, address, bio,
captions, data key, or a chunk of their original or rendered video files.
"""

from __future__ import annotations

import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from clipdeck.accounts.models import User
from clipdeck.kernel import keystore
from clipdeck.kernel.archive import DecryptingReader
from clipdeck.kernel.sealed_media import open_plain
from clipdeck.privacy.backup import backup_create
from clipdeck.privacy.erasure import account_erase
from clipdeck.privacy.restore import backup_restore
from clipdeck.studio.engine.synth.clip import make_clip
from clipdeck.videos.models import Video
from tests.factories import UserFactory
from tests.shop.factories import MerchantFactory, product_with_stock

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "quintessa.marlowe@example.org"
BIO = "Glassblower from Zephyrine Bay"
ADDRESS = {
    "name": "Quintessa Marlowe-Vance",
    "line1": "77 Zephyrine Terrace",
    "city": "Osterwick",
    "postal_code": "ZX9 4QQ",
    "country": "GB",
}
CAPTIONS = {
    "public": "molten amber swirl tutorial",
    "followers": "kiln accident only friends should see",
    "private": "letter to my sister never posted",
}
SPOKEN = "the furnace hums at dawn in Osterwick"
SCENES = ("bouncing", "bars", "quadrants")  # three different videos
CHUNK = 48


def _needles_in_file(path: Path, needles: dict[str, bytes]) -> list[str]:
    data = path.read_bytes()
    return [f"{name} in {path}" for name, needle in needles.items() if needle in data]


def _search(folder: Path, needles: dict[str, bytes]) -> list[str]:
    """Every (needle, file) pair found anywhere under ``folder``."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        found += _needles_in_file(path, needles)
    return found


def _chunk_of(data: bytes, at: float) -> bytes:
    start = int(len(data) * at)
    return data[start : start + CHUNK]


def _upload(api, owner, clip: Path, *, caption: str, visibility="public", draft="false"):
    with open(clip, "rb") as handle:
        response = api(owner).post(
            "videos",
            {"file": handle, "caption": caption, "visibility": visibility, "draft": draft},
            multipart=True,
        )
    assert response.status_code == 202, response.content
    return response.json()["id"]


def _place_order(api, buyer) -> None:
    variant = product_with_stock(MerchantFactory(), stock=5)
    api(buyer).post(
        "cart/items", {"product_id": variant.product_id, "variant_id": variant.pk, "quantity": 1}
    )
    response = api(buyer).post(
        "checkout",
        {
            "shipping_address": ADDRESS,
            "payment": {"method": "test_card", "card_number": "4242424242424242"},
        },
        headers={"Idempotency-Key": "erasure-proof"},
    )
    assert response.status_code in (200, 201), response.content


def _person(api, run_worker, tmp_path) -> tuple[User, dict[str, bytes]]:
    """The user to be erased, and the byte strings that would betray them."""
    user = UserFactory(handle="quintessa", email=EMAIL, bio=BIO)
    _place_order(api, user)
    needles = {
        "email": EMAIL.encode(),
        "bio": BIO.encode(),
        "address": ADDRESS["line1"].encode(),
        "name": ADDRESS["name"].encode(),
    }
    for scene, (kind, caption) in zip(SCENES, CAPTIONS.items(), strict=True):
        clip = Path(
            make_clip(
                tmp_path / f"{kind}.mp4",
                seconds=1.0,
                width=180,
                height=320,
                scene=scene,
                acodec=None,
            )
        )
        visibility = "public" if kind == "public" else "followers"
        draft = "true" if kind == "private" else "false"
        _upload(api, user, clip, caption=caption, visibility=visibility, draft=draft)
        needles[f"caption {kind}"] = caption.encode()
        needles[f"original frames {kind}"] = _chunk_of(clip.read_bytes(), 0.3)
    run_worker()
    for video in Video.objects.filter(author=user):
        assert video.mp4.name.endswith(".sealed.mp4"), video.status
        with open_plain(video.mp4.storage, video.mp4.name) as rendition:
            needles[f"rendered frames {video.pk}"] = _chunk_of(rendition.read(), 0.5)
        with open_plain(video.poster.storage, video.poster.name) as poster:
            needles[f"poster {video.pk}"] = _chunk_of(poster.read(), 0.5)
        vtt = f"WEBVTT\n\n00:00.000 --> 00:00.900\n{SPOKEN} {video.pk}\n"
        owner = api(user)
        response = owner.client.put(
            f"/api/v1/videos/{video.pk}/captions",
            vtt,
            content_type="text/vtt",
            headers=owner.headers,
        )
        assert response.status_code == 200, response.content
    needles["spoken captions"] = SPOKEN.encode()
    stored = keystore.key_of_user(user.pk)
    needles["wrapped data key"] = stored.wrapped
    return user, needles


def _open_backup(path: Path, folder: Path) -> Path:
    with (
        open(path, "rb") as source,
        tarfile.open(fileobj=DecryptingReader(source), mode="r|") as tar,
    ):
        tar.extractall(folder, filter="data")
    return folder


def _fresh_data_folder(settings, root: Path) -> Path:
    """Point this cell at an empty data folder: no media, no key store, no ledger."""
    settings.MEDIA_ROOT = root / "media"
    settings.CLIPDECK_KEYSTORE_PATH = root / "keystore" / "keys.sqlite3"
    settings.CLIPDECK_KEYSTORE_BACKUP_DIR = root / "keystore-backups"
    settings.CLIPDECK_SHREDDED_KEYS_FILE = root / "shredded-keys"
    settings.CLIPDECK_AUDIT_WITNESS_DIR = root / "audit-witness"
    return root


def _copy_live_database(target: Path) -> None:
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="searches the SQLite file itself")
def test_an_erased_user_is_nowhere_in_an_older_backup_or_a_restore_of_it(
    api, run_worker, settings, tmp_path, django_capture_on_commit_callbacks
):
    (tmp_path / "clips").mkdir()
    user, needles = _person(api, run_worker, tmp_path / "clips")
    assert User.objects.get(pk=user.pk).bio == BIO  # what the search would find unsealed
    assert len([n for n in needles if "frames" in n or "poster" in n]) == 9
    assert all(len(needle) >= 12 for needle in needles.values())
    backup = backup_create()
    old_keystore_backups = Path(settings.CLIPDECK_KEYSTORE_BACKUP_DIR)

    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=User.objects.get(pk=user.pk))

    opened = _open_backup(backup.path, tmp_path / "opened")
    fresh = _fresh_data_folder(settings, tmp_path / "fresh")
    with django_capture_on_commit_callbacks(execute=True):
        restored = backup_restore(
            backup.path, without_keystore_reason="new host: the cell key is all we have"
        )
    _copy_live_database(fresh / "database.sqlite3")

    assert backup.keystore_backup is not None
    assert restored.media_files == len(backup.files) - 1  # every member but the database
    assert _needles_in_file(backup.path, needles) == []
    assert _search(opened, needles) == []
    assert _search(old_keystore_backups, needles) == []
    assert _search(fresh, needles) == []
    assert not User.objects.filter(handle="quintessa").exists()


def test_the_search_finds_what_it_looks_for(tmp_path):
    """The search itself works: a file holding a needle is reported."""
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "leak.bin").write_bytes(b"xx" + EMAIL.encode() + b"yy")

    assert _search(tmp_path, {"email": EMAIL.encode()}) == [
        f"email in {tmp_path / 'nested' / 'leak.bin'}"
    ]
