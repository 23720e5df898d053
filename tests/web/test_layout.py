"""The layout's server side: suggested accounts, the app manifest, the service worker,
the in-place sign-in answer and the Following tab's signed-out state."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from clipdeck.videos.models import Visibility
from clipdeck.web.suggestions import suggested_accounts
from tests.factories import PASSWORD, BlockFactory, FollowFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def liked_video(author, likes, **extra):
    return VideoFactory(author=author, like_count=likes, **extra)


def test_suggested_accounts_are_the_most_liked_creators_the_viewer_may_see():
    viewer, followed, blocker, private, popular, quiet = UserFactory.create_batch(6)
    liked_video(viewer, 900)
    liked_video(followed, 800)
    liked_video(blocker, 700)
    liked_video(private, 600, visibility=Visibility.PRIVATE)
    liked_video(popular, 50)
    liked_video(popular, 40)
    liked_video(quiet, 60)
    FollowFactory(follower=viewer, followee=followed)
    BlockFactory(blocker=blocker, blocked=viewer)

    assert suggested_accounts(viewer) == [popular, quiet]
    assert suggested_accounts(None)[:2] == [viewer, followed]


def test_the_sidebar_lists_suggested_accounts_and_the_main_destinations():
    creator = UserFactory(handle="maya")
    liked_video(creator, 10)

    html = Client().get("/").content.decode()

    assert 'aria-labelledby="suggested-title"' in html and 'href="/@maya"' in html
    for href in ('href="/"', 'href="/following"', 'href="/studio"'):
        assert href in html
    assert "Sign up" in html


def test_the_manifest_makes_the_app_installable():
    response = Client().get("/manifest.webmanifest")

    body = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert (body["display"], body["start_url"], body["scope"]) == ("standalone", "/", "/")
    assert {icon["sizes"] for icon in body["icons"]} >= {"192x192", "512x512"}
    for icon in body["icons"]:
        assert Client().get(icon["src"]).status_code == 200


def test_the_service_worker_caches_only_static_shell_files():
    response = Client().get("/sw.js")

    script = response.content.decode()
    shell = json.loads(script.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
    assert response["Content-Type"].startswith("text/javascript")
    assert shell and all(path.startswith("/static/") for path in shell)
    assert "/api/" not in "".join(shell)
    assert "SHELL.includes(url.pathname)" in script  # anything else is never cached


def test_signing_in_from_the_sheet_answers_json_and_starts_a_session():
    UserFactory(handle="ada")
    client = Client()

    wrong = client.post(
        "/login", {"login": "ada", "password": "nope"}, HTTP_ACCEPT="application/json"
    )
    right = client.post(
        "/login", {"login": "ada", "password": PASSWORD}, HTTP_ACCEPT="application/json"
    )

    assert wrong.status_code == 401
    assert wrong.json()["error"]["message"]
    assert "handle" not in wrong.json()
    assert right.status_code == 200
    assert right.json()["handle"] == "ada" and right.json()["csrf"]
    assert client.get("/api/v1/me").json()["handle"] == "ada"


def test_a_missing_page_is_app_styled_with_a_way_back():
    response = Client().get("/v/00000000-0000-0000-0000-000000000000")

    html = response.content.decode()
    assert response.status_code == 404
    assert "We couldn't find this page" in html
    assert 'class="sidebar"' in html and 'href="/"' in html
    assert "Not Found</h1>" not in html  # not Django's bare page


def test_the_server_error_page_stands_alone_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert "Something went wrong on our side" in html
    assert "/static/web/app.css" in html
