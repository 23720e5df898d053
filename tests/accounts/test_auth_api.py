"""Sign-up, sign-in, sign-out and how callers authenticate (bearer token, session + CSRF)."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.test import Client

from clipdeck.accounts.models import ApiToken, Follow, User
from clipdeck.kernel import ratelimit
from clipdeck.kernel.hashing import network_hash
from tests.factories import PASSWORD, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "follow the white rabbit"


def assert_error(response, status: int, code: str, field: str | None = None) -> None:
    """The response is the error envelope with exactly this status, code and field."""
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field"}
    assert (error["code"], error["field"]) == (code, field)
    message = error["message"]
    assert message[0].isalpha() and len(message.split()) >= 3, message
    assert "Traceback" not in message and "{" not in message


def signup(api, **overrides):
    payload = {"handle": "neo", "email": "neo@example.com", "password": GOOD_PASSWORD}
    payload.update(overrides)
    return api().post("auth/signup", {k: v for k, v in payload.items() if v is not None})


def login(api, login_name: str, password: str = PASSWORD):
    return api().post("auth/login", {"login": login_name, "password": password})


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def stored_values_containing(needle: str) -> list[str]:
    """``app.Model.field`` of every stored text value that contains ``needle``."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model._default_manager.values_list(*text_fields) if text_fields else []:
            for name, value in zip(text_fields, row, strict=True):
                if needle in str(value):
                    found.append(f"{model._meta.label}.{name}")
    return sorted(set(found))


def cache_keys() -> list[str]:
    """Every key in the cache, whether it is the database cache or Redis."""
    from django.core.cache import caches

    backend = caches["default"]
    if type(backend).__name__ == "RedisCache":
        return [key.decode() for key in backend._cache.get_client().keys("*")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM clipdeck_cache")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def clock(monkeypatch):
    """Rate-limit windows run on a fixed clock: 100 s into a window."""
    window = settings.CLIPDECK_LOGIN_WINDOW_SECONDS
    now = 1_800_000_000 // window * window + 100
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))
    return SimpleNamespace(seconds_left=window - 100)


# --- sign-up ------------------------------------------------------------------


def test_signup_creates_the_account_and_returns_the_user_with_a_working_token(api):
    response = signup(api, handle="Neo_1", display_name="Thomas")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"user", "token"}
    user = body["user"]
    assert {k: v for k, v in user.items() if k != "created_at"} == {
        "handle": "Neo_1",
        "display_name": "Thomas",
        "avatar": None,
        "is_private": False,
        "bio": "",
        "counts": {"followers": 0, "following": 0, "videos": 0, "likes": 0},
        "relationship": None,
        "email": "neo@example.com",
        "comments_from": "everyone",
        "comment_filter_keywords": [],
        "captions_when_muted": True,
        "suspended_until": None,
    }
    assert body["token"].startswith("cd_")
    me = api().get("me", headers=bearer(body["token"]))
    assert me.status_code == 200
    assert me.json()["handle"] == "Neo_1"


def test_signup_stores_the_password_as_an_argon2_hash(api):
    signup(api)

    user = User.objects.get(handle="neo")
    assert user.password.startswith("argon2")
    assert GOOD_PASSWORD not in user.password
    assert user.check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(
    ("handle", "code"),
    [
        ("n", "invalid_handle"),
        ("n" * 25, "invalid_handle"),
        ("neo!", "invalid_handle"),
        ("neo anderson", "invalid_handle"),
        (".neo", "invalid_handle"),
        ("neo.", "invalid_handle"),
        ("ne..o", "invalid_handle"),
        ("admin", "handle_reserved"),
        ("Admin", "handle_reserved"),
        ("@api", "handle_reserved"),
    ],
)
def test_signup_with_a_bad_handle_is_refused_and_creates_nothing(api, handle, code):
    response = signup(api, handle=handle)

    assert_error(response, 400, code, "handle")
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("rabbit7", "too short"),
        ("password123", "too common"),
        ("thomas.anderson@matrix.io", "the email itself"),
        ("thomasanderson", "similar to the email"),
    ],
)
def test_signup_with_a_weak_password_is_refused_and_creates_nothing(api, password, why):
    response = signup(api, email="thomas.anderson@matrix.io", password=password)

    assert_error(response, 400, "weak_password", "password")
    assert User.objects.count() == 0, why


def test_signup_with_an_invalid_email_is_refused(api):
    response = signup(api, email="neo-at-example.com")

    assert_error(response, 400, "invalid_email", "email")
    assert User.objects.count() == 0


@pytest.mark.parametrize("email", ["neo@example.com", "NEO@Example.COM", " Neo@example.com "])
def test_signup_with_a_taken_email_in_any_case_is_a_conflict(api, email):
    UserFactory(handle="neo", email="neo@example.com")

    response = signup(api, handle="someone_else", email=email)

    assert_error(response, 409, "email_taken", "email")
    assert User.objects.count() == 1


def test_signup_with_a_handle_differing_only_in_case_is_a_conflict(api):
    UserFactory(handle="neo")

    response = signup(api, handle="NEO", email="other@example.com")

    assert_error(response, 409, "handle_taken", "handle")
    assert User.objects.count() == 1


@pytest.mark.parametrize("missing", ["handle", "email", "password"])
def test_signup_without_a_required_field_names_the_field(api, missing):
    payload = {"handle": "neo", "email": "neo@example.com", "password": GOOD_PASSWORD}
    del payload[missing]

    response = api().post("auth/signup", payload)

    assert_error(response, 422, "invalid", missing)
    assert User.objects.count() == 0


# --- sign-in ------------------------------------------------------------------


@pytest.mark.parametrize(
    "login_name",
    ["trinity", "@trinity", "TRINITY", "@Trinity", "trinity@example.com", "Trinity@EXAMPLE.com"],
)
def test_login_by_handle_at_handle_or_email_in_any_case(api, login_name):
    UserFactory(handle="trinity", email="trinity@example.com")

    response = login(api, login_name)

    assert response.status_code == 200
    body = response.json()
    assert body["user"]["handle"] == "trinity"
    assert body["user"]["email"] == "trinity@example.com"
    assert api().get("me", headers=bearer(body["token"])).json()["handle"] == "trinity"
    assert User.objects.get(handle="trinity").last_login is not None


def test_login_with_a_wrong_password_is_refused_without_a_token(api):
    UserFactory(handle="trinity")

    response = login(api, "trinity", "not my password")

    assert_error(response, 401, "invalid_credentials", "password")
    assert ApiToken.objects.count() == 0
    assert User.objects.get(handle="trinity").last_login is None


def test_login_for_an_unknown_account_looks_like_a_wrong_password(api):
    response = login(api, "nobody")

    assert_error(response, 401, "invalid_credentials", "password")


def test_five_failures_lock_the_account_even_for_the_right_password(api, clock):
    UserFactory(handle="trinity")
    failures = [login(api, "trinity", "guess").status_code for _ in range(5)]

    response = login(api, "trinity", PASSWORD)

    assert failures == [401] * 5
    assert_error(response, 429, "too_many_attempts")
    assert response["Retry-After"] == str(clock.seconds_left)
    assert ApiToken.objects.count() == 0


def test_the_lock_is_per_account_so_another_account_still_signs_in(api, clock):
    UserFactory(handle="trinity")
    UserFactory(handle="morpheus")
    for _ in range(5):
        login(api, "trinity", "guess")

    response = login(api, "morpheus")

    assert response.status_code == 200
    assert response.json()["user"]["handle"] == "morpheus"
    assert login(api, "trinity").status_code == 429


def test_failures_count_against_the_account_whichever_way_it_is_named(api, clock):
    UserFactory(handle="trinity", email="trinity@example.com")
    for name in ("trinity", "@Trinity", "TRINITY", "trinity@example.com", "Trinity@Example.com"):
        assert login(api, name, "guess").status_code == 401

    response = login(api, "trinity", PASSWORD)

    assert_error(response, 429, "too_many_attempts")
    assert ApiToken.objects.count() == 0


def test_a_successful_login_resets_the_account_counter(api, clock):
    UserFactory(handle="trinity")
    first = [login(api, "trinity", "guess").status_code for _ in range(4)]
    assert login(api, "trinity").status_code == 200

    second = [login(api, "trinity", "guess").status_code for _ in range(4)]
    response = login(api, "trinity")

    assert first == second == [401] * 4
    assert response.status_code == 200


def test_the_clients_ip_address_is_never_stored(api):
    UserFactory(handle="trinity")
    signup(api)
    login(api, "trinity")
    for _ in range(3):
        login(api, "trinity", "guess")
        login(api, "nobody", "guess")

    assert stored_values_containing("127.0.0.1") == []
    keys = cache_keys()
    assert not [key for key in keys if "127.0.0" in key]
    assert [key for key in keys if network_hash("127.0.0.1") in key] != []


def test_the_network_rate_limit_key_is_a_keyed_hash_of_the_network(settings):
    plain = hashlib.sha256(b"127.0.0.0/24").hexdigest()
    same_network = network_hash("127.0.0.1") == network_hash("127.0.0.200")
    before = network_hash("127.0.0.1")

    settings.SECRET_KEY = "another secret key for this deployment"

    assert same_network
    assert before != plain
    assert network_hash("127.0.0.1") != before


# --- tokens and sign-out ------------------------------------------------------


def test_only_the_sha256_of_a_token_is_stored(api):
    token = signup(api).json()["token"]

    row = ApiToken.objects.get(user__handle="neo")
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored_values_containing(token) == []


def test_logout_revokes_only_this_token(api):
    UserFactory(handle="trinity")
    phone = login(api, "trinity").json()["token"]
    laptop = login(api, "trinity").json()["token"]

    response = api().post("auth/logout", headers=bearer(phone))

    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert_error(api().get("me", headers=bearer(phone)), 401, "not_authenticated")
    assert api().get("me", headers=bearer(laptop)).status_code == 200
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize(
    "header", ["Bearer cd_not-a-real-token", "Bearer garbage", "Basic bmVvOnJhYmJpdA=="]
)
def test_a_bad_authorization_header_is_refused_not_treated_as_anonymous(api, header):
    video = VideoFactory()

    responses = [
        api().get(path, headers={"Authorization": header})
        for path in ("me", f"videos/{video.pk}", f"users/{video.author.handle}")
    ]

    for response in responses:
        assert_error(response, 401, "not_authenticated")


def test_without_credentials_a_write_needs_sign_in(api):
    target = UserFactory()

    response = api().post(f"users/{target.handle}/follow")

    assert_error(response, 401, "not_authenticated")
    assert Follow.objects.count() == 0


def test_an_api_client_without_cookies_gets_401_not_a_csrf_failure():
    target = UserFactory()
    client = Client(enforce_csrf_checks=True)  # like curl or a mobile app

    response = client.post(f"/api/v1/users/{target.handle}/follow")

    assert_error(response, 401, "not_authenticated")
    assert Follow.objects.count() == 0


# --- browser session ----------------------------------------------------------


def browser_signed_in_as(user) -> Client:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def csrf_header(browser: Client) -> dict:
    browser.get("/")  # any page sets the csrftoken cookie
    return {"X-CSRFToken": browser.cookies["csrftoken"].value}


def test_session_reads_work_without_a_csrf_token(user):
    browser = browser_signed_in_as(user)

    response = browser.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["handle"] == user.handle


def test_session_write_without_a_csrf_token_is_refused_and_changes_nothing(user):
    target = UserFactory()
    browser = browser_signed_in_as(user)

    response = browser.post(f"/api/v1/users/{target.handle}/follow")

    assert_error(response, 403, "forbidden")
    assert Follow.objects.count() == 0


def test_session_write_with_the_csrf_token_works(user):
    target = UserFactory()
    browser = browser_signed_in_as(user)

    response = browser.post(f"/api/v1/users/{target.handle}/follow", headers=csrf_header(browser))

    assert response.status_code == 200
    assert response.json() == {"state": "following"}
    assert Follow.objects.filter(follower=user, followee=target).count() == 1


def test_session_logout_ends_the_browser_session(user):
    browser = browser_signed_in_as(user)

    response = browser.post("/api/v1/auth/logout", headers=csrf_header(browser))

    assert response.status_code == 200
    assert_error(browser.get("/api/v1/me"), 401, "not_authenticated")
