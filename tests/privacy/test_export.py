"""POST /api/v1/me/export builds a ZIP in the background; only its owner downloads it."""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clipdeck.privacy.export import exports_prune
from clipdeck.privacy.models import DataExport
from clipdeck.videos.models import Like
from tests.factories import CommentFactory, FollowFactory, UserFactory
from tests.privacy.conftest import video_with_files

pytestmark = pytest.mark.django_db(transaction=True)


def requested(client, capture) -> dict:
    with capture(execute=True):
        response = client.post("me/export")
    assert response.status_code == 202, response.content
    return response.json()


def download(url: str) -> zipfile.ZipFile:
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_an_export_is_built_in_the_background_with_every_category(
    api, run_worker, django_capture_on_commit_callbacks
):
    user = UserFactory(handle="maker", email="maker@example.com")
    other = UserFactory()
    video = video_with_files(user, edit={"speed": 2, "filter": "warm"})
    CommentFactory(author=user, video=video, text="first!")
    Like.objects.create(user=user, video=video)
    FollowFactory(follower=user, followee=other)
    client = api(user)

    created = requested(client, django_capture_on_commit_callbacks)
    assert (created["status"], created["download_url"]) == ("pending", None)
    run_worker()
    ready = client.get(f"me/export/{created['id']}").json()

    assert ready["status"] == "ready"
    archive = download(ready["download_url"])
    names = set(archive.namelist())
    assert {
        "about.json",
        "profile.json",
        "videos.json",
        "comments.json",
        "likes.json",
        "follows.json",
        "feed_events.json",
        "orders.json",
        "staff_accesses.json",
        f"originals/{video.pk}.mp4",
    } <= names
    assert json.loads(archive.read("profile.json"))["email"] == "maker@example.com"
    videos = json.loads(archive.read("videos.json"))
    assert [(v["id"], v["edit"]) for v in videos] == [
        (str(video.pk), {"speed": 2, "filter": "warm"})
    ]
    assert json.loads(archive.read("comments.json"))[0]["text"] == "first!"
    assert json.loads(archive.read("follows.json"))["following"][0]["account"] == other.handle
    assert archive.read(f"originals/{video.pk}.mp4") == b"original maker"
    about = json.loads(archive.read("about.json"))
    email_kind = next(
        k for k in about["data_kinds"] if (k["model"], k["field"]) == ("accounts.User", "email")
    )
    assert email_kind["data_class"] == "protected"
    assert email_kind["stored_in"] == ["database", "backups"]
    assert about["cell_region"] == "us"


def test_asking_twice_while_one_is_pending_gives_the_same_export(
    api, django_capture_on_commit_callbacks
):
    client = api(UserFactory())

    first = requested(client, django_capture_on_commit_callbacks)
    second = requested(client, django_capture_on_commit_callbacks)

    assert first["id"] == second["id"]
    assert DataExport.objects.count() == 1


def test_building_twice_does_nothing_the_second_time(
    api, run_worker, django_capture_on_commit_callbacks
):
    from clipdeck.privacy.export import export_build

    client = api(UserFactory())
    created = requested(client, django_capture_on_commit_callbacks)
    run_worker()
    export = DataExport.objects.get(pk=created["id"])

    export_build(export.pk)

    assert DataExport.objects.get(pk=export.pk).file.name == export.file.name


def test_someone_elses_export_is_not_found(api, run_worker, django_capture_on_commit_callbacks):
    owner, stranger = UserFactory(), UserFactory()
    created = requested(api(owner), django_capture_on_commit_callbacks)
    run_worker()

    response = api(stranger).get(f"me/export/{created['id']}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_download_link_is_refused_when_tampered_expired_or_opened_by_someone_else(
    api, run_worker, django_capture_on_commit_callbacks, settings
):
    owner = UserFactory()
    created = requested(api(owner), django_capture_on_commit_callbacks)
    run_worker()
    url = api(owner).get(f"me/export/{created['id']}").json()["download_url"]
    stranger = Client()
    stranger.force_login(UserFactory())

    assert Client().get(url.replace("/download", "x/download")).status_code == 404
    assert stranger.get(url).status_code == 404
    settings.CLIPDECK_EXPORT_LINK_SECONDS = -1
    assert Client().get(url).status_code == 404


def test_expired_exports_are_deleted_with_their_files(
    api, run_worker, django_capture_on_commit_callbacks
):
    client = api(UserFactory())
    created = requested(client, django_capture_on_commit_callbacks)
    run_worker()
    export = DataExport.objects.get(pk=created["id"])
    path = export.file.path
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(1))

    assert exports_prune() == 1

    assert not DataExport.objects.exists()
    assert not os.path.exists(path)
    assert client.get(f"me/export/{export.pk}").status_code == 404


def test_the_exports_list_and_the_page_show_the_download(
    api, run_worker, django_capture_on_commit_callbacks
):
    user = UserFactory()
    created = requested(api(user), django_capture_on_commit_callbacks)
    run_worker()
    browser = Client()
    browser.force_login(user)

    listing = api(user).get("me/exports").json()
    page = browser.get("/settings/data")

    assert [item["id"] for item in listing["items"]] == [created["id"]]
    assert page.status_code == 200
    assert listing["items"][0]["download_url"].split("?")[0].encode() in page.content
    assert b"Erase my account" in page.content


def test_three_requests_in_a_row_make_one_export_and_one_zip(
    api, run_worker, django_capture_on_commit_callbacks, settings
):
    client = api(UserFactory())

    first = requested(client, django_capture_on_commit_callbacks)
    run_worker()
    second = requested(client, django_capture_on_commit_callbacks)
    run_worker()
    third = requested(client, django_capture_on_commit_callbacks)
    run_worker()

    assert first["id"] == second["id"] == third["id"]
    assert third["status"] == "ready"
    assert DataExport.objects.count() == 1
    assert len(list((settings.MEDIA_ROOT).rglob("*.zip"))) == 1


def test_a_day_later_a_new_export_replaces_the_old_one(
    api, run_worker, django_capture_on_commit_callbacks
):
    client = api(UserFactory())
    first = requested(client, django_capture_on_commit_callbacks)
    run_worker()
    old_path = DataExport.objects.get(pk=first["id"]).file.path
    DataExport.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))

    second = requested(client, django_capture_on_commit_callbacks)

    assert second["id"] != first["id"]
    assert [str(pk) for pk in DataExport.objects.values_list("pk", flat=True)] == [second["id"]]
    assert not os.path.exists(old_path)
