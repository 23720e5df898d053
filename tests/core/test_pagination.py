"""Cursor pagination: complete, stable, newest first, with a limit that is enforced."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from clipdeck.kernel.errors import InvalidInput
from clipdeck.kernel.pagination import DEFAULT_LIMIT, encode_cursor, paginate
from clipdeck.videos.models import Comment
from tests.factories import CommentFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field"}
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"][0].isalpha() and len(error["message"].split()) >= 2


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.fixture
def video():
    return VideoFactory()


@pytest.fixture
def comments(video) -> list[Comment]:
    """Eleven comments, newest first; several share the exact same ``created_at``."""
    now = timezone.now()
    author = UserFactory()
    moments = [now, now, now - timedelta(seconds=1)] + [now - timedelta(seconds=2)] * 5
    moments += [now - timedelta(seconds=3), now - timedelta(seconds=3), now - timedelta(days=1)]
    made = [
        CommentFactory(video=video, author=author, created_at=at, text=f"c{n}")
        for n, at in enumerate(moments)
    ]
    return sorted(made, key=lambda c: (c.created_at, c.pk), reverse=True)


def walk(queryset, limit: int, cursor: str | None = None) -> tuple[list, int]:
    """Every item reached by following ``next_cursor``, and the number of pages."""
    seen, pages = [], 0
    while True:
        page = paginate(queryset, cursor=cursor, limit=limit)
        seen += page.items
        pages += 1
        if page.next_cursor is None:
            return seen, pages
        assert len(page.items) == limit
        cursor = page.next_cursor


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 10, 11, 50])
def test_walking_the_pages_returns_every_item_once_newest_first(comments, limit):
    seen, pages = walk(Comment.objects.all(), limit)

    assert [c.pk for c in seen] == [c.pk for c in comments]
    assert pages == max(1, -(-len(comments) // limit))


def test_items_added_while_walking_do_not_shift_later_pages(comments, video):
    first = paginate(Comment.objects.all(), cursor=None, limit=4)
    CommentFactory(video=video, text="brand new")

    rest, _ = walk(Comment.objects.all(), limit=4, cursor=first.next_cursor)

    assert [c.pk for c in first.items + rest] == [c.pk for c in comments]


def test_without_a_limit_a_page_holds_the_default_number(video):
    for _ in range(DEFAULT_LIMIT + 1):
        CommentFactory(video=video)

    page = paginate(Comment.objects.all(), cursor=None, limit=None)

    assert len(page.items) == DEFAULT_LIMIT
    assert page.next_cursor is not None


def test_an_empty_list_has_no_next_cursor(db):
    page = paginate(Comment.objects.all(), cursor=None, limit=10)

    assert (page.items, page.next_cursor) == ([], None)


@pytest.mark.parametrize("limit", [0, -1, 51, 1000])
def test_a_limit_outside_1_to_50_is_refused(limit):
    with pytest.raises(InvalidInput) as raised:
        paginate(Comment.objects.all(), cursor=None, limit=limit)

    assert (raised.value.code, raised.value.field, raised.value.kind) == (
        "bad_limit",
        "limit",
        "invalid",
    )


# --- through the API ------------------------------------------------------------


def test_the_api_walks_comments_with_cursors(api, comments, video):
    texts, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api().get(f"videos/{video.pk}/comments", params).json()
        texts += [item["text"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert texts == [c.text for c in comments]


def test_the_maximum_page_size_is_allowed(api, comments, video):
    response = api().get(f"videos/{video.pk}/comments", {"limit": 50})

    assert response.status_code == 200
    assert len(response.json()["items"]) == len(comments)


@pytest.mark.parametrize("limit", [0, 51])
def test_the_api_refuses_a_limit_outside_the_range(api, video, limit):
    response = api().get(f"videos/{video.pk}/comments", {"limit": limit})

    assert_error(response, 400, "bad_limit", "limit")


GARBAGE_CURSORS = {
    "not base64": "garbage!!",
    "not json": b64(b"not json"),
    "a string": b64(b'"just a string"'),
    "numbers": b64(b"[1, 2]"),
    "not a time": b64(b'["yesterday", "1"]'),
    "no pk": b64(b'["2026-01-01T00:00:00+00:00"]'),
    "pk not a number": b64(json.dumps(["2026-01-01T00:00:00+00:00", "not-a-pk"]).encode()),
    "pk null": b64(json.dumps(["2026-01-01T00:00:00+00:00", None]).encode()),
}


@pytest.mark.parametrize("cursor", GARBAGE_CURSORS.values(), ids=GARBAGE_CURSORS.keys())
def test_the_api_refuses_a_garbage_cursor(api, video, cursor):
    response = api().get(f"videos/{video.pk}/comments", {"cursor": cursor})

    assert_error(response, 400, "bad_cursor", "cursor")


@pytest.mark.parametrize("pk", ["not-a-uuid", "123"])
def test_the_api_refuses_a_cursor_naming_a_malformed_video_id(api, video, pk):
    cursor = b64(json.dumps(["2026-01-01T00:00:00+00:00", pk]).encode())

    response = api().get(f"users/{video.author.handle}/videos", {"cursor": cursor})

    assert_error(response, 400, "bad_cursor", "cursor")


def test_a_cursor_made_by_the_api_round_trips(comments):
    last_of_first_page = comments[1]
    cursor = encode_cursor(last_of_first_page.created_at, last_of_first_page.pk)

    page = paginate(Comment.objects.all(), cursor=cursor, limit=50)

    assert [c.pk for c in page.items] == [c.pk for c in comments[2:]]
