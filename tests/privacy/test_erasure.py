"""Erasure: DELETE /api/v1/me with the password, and the admin action."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.test import Client

from clipdeck.accounts.models import Follow, User
from clipdeck.kernel import keystore
from clipdeck.kernel.ledger import shredded_key_ids
from clipdeck.kernel.models import AuditEntry
from clipdeck.videos.models import Comment, Like, Video
from tests.factories import PASSWORD, CommentFactory, UserFactory
from tests.privacy.conftest import media_paths, video_with_files
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db


def test_a_wrong_password_erases_nothing(api):
    user = UserFactory()
    video = video_with_files(user)

    response = api(user).delete("me", {"password": "not my password"})

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_credentials",
            "message": "The password is not right; your account was not erased.",
            "field": "password",
        }
    }
    assert User.objects.filter(pk=user.pk).exists()
    assert keystore.key_of_user(user.pk) is not None
    assert all(os.path.exists(path) for path in media_paths(video))
    assert shredded_key_ids() == frozenset()


def test_a_missing_password_is_a_validation_error(api):
    user = UserFactory()

    response = api(user).delete("me", {})

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "password"
    assert User.objects.filter(pk=user.pk).exists()


def test_anonymous_callers_cannot_erase(api):
    response = api().delete("me", {"password": PASSWORD})

    assert response.status_code == 401


def test_erasure_shreds_the_key_and_deletes_rows_and_media(api, django_capture_on_commit_callbacks):
    user = UserFactory()
    other = UserFactory()
    key_id = keystore.key_of_user(user.pk).key_id
    own = video_with_files(user)
    user.avatar.save("a.jpg", ContentFile(b"avatar"))
    avatar = user.avatar.path
    theirs = video_with_files(other)
    Like.objects.create(user=user, video=theirs)
    CommentFactory(author=user, video=theirs)
    Video.objects.filter(pk=theirs.pk).update(like_count=1, comment_count=1)
    Follow.objects.create(follower=user, followee=other, state="following")
    client = api(user)
    paths = media_paths(own)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete("me", {"password": PASSWORD})

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    assert keystore.key_by_id(key_id) is None
    assert key_id in shredded_key_ids()
    assert not Video.objects.filter(pk=own.pk).exists()
    assert not any(os.path.exists(path) for path in [*paths, avatar])
    assert not Like.objects.filter(video=theirs).exists()
    assert not Comment.objects.filter(video=theirs).exists()
    assert not Follow.objects.filter(followee=other).exists()
    theirs.refresh_from_db()
    assert (theirs.like_count, theirs.comment_count) == (0, 0)
    assert all(os.path.exists(path) for path in media_paths(theirs))
    assert client.get("me").status_code == 401  # the token went with the account


def test_duets_and_reactions_built_on_the_erased_videos_are_removed_with_them(
    api, django_capture_on_commit_callbacks
):
    erased, duetter, remixer = UserFactory(), UserFactory(), UserFactory()
    source = video_with_files(erased)
    duet = video_with_files(duetter, remix_of=source)
    duet_of_duet = video_with_files(remixer, remix_of=duet)
    unrelated = video_with_files(duetter)
    paths = media_paths(duet) + media_paths(duet_of_duet)

    with django_capture_on_commit_callbacks(execute=True):
        response = api(erased).delete("me", {"password": PASSWORD})

    assert response.status_code == 204
    assert set(Video.objects.values_list("pk", flat=True)) == {unrelated.pk}
    assert not any(os.path.exists(path) for path in paths)
    assert User.objects.filter(pk__in=[duetter.pk, remixer.pk]).count() == 2


def test_the_browser_session_ends_with_the_erasure():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    client.get("/settings/data")
    csrf = client.cookies["csrftoken"].value

    response = client.delete(
        "/api/v1/me",
        {"password": PASSWORD},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )

    assert response.status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def staff(role: str = "support"):
    """A staff member in ``role``, allowed to open the accounts list in the admin."""
    member = UserFactory(is_staff=True)
    group = Group.objects.get_or_create(name=role)[0]
    group.permissions.add(Permission.objects.get(codename="view_user"))
    member.groups.add(group)
    return member


def test_the_admin_action_erases_accounts_and_audits_it():
    target = UserFactory()
    key_id = keystore.key_of_user(target.pk).key_id
    client = Client()
    staff_sign_in(client, staff("support"))
    form = {"action": "erase_accounts", "_selected_action": [target.pk]}

    confirm = client.post("/admin/accounts/user/", form)
    done = client.post(
        "/admin/accounts/user/",
        {**form, "confirm": "Erase", "justification": "Erasure request by email #4411"},
    )

    assert confirm.status_code == 200
    assert b"Why are these accounts erased?" in confirm.content
    assert done.status_code == 302
    assert not User.objects.filter(pk=target.pk).exists()
    assert key_id in shredded_key_ids()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.subject, entry.actor_role) == (
        "erase",
        f"accounts.User:{target.pk}",
        "support",
    )


def test_the_admin_action_needs_a_justification():
    target = UserFactory()
    client = Client()
    staff_sign_in(client, staff("support"))

    client.post(
        "/admin/accounts/user/",
        {"action": "erase_accounts", "_selected_action": [target.pk], "confirm": "Erase"},
    )

    assert User.objects.filter(pk=target.pk).exists()
    assert not AuditEntry.objects.exists()


def test_accounts_cannot_be_deleted_in_the_admin_without_shredding():
    target = UserFactory()
    client = Client()
    staff_sign_in(client, UserFactory(is_staff=True, is_superuser=True))

    response = client.post(f"/admin/accounts/user/{target.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert User.objects.filter(pk=target.pk).exists()
