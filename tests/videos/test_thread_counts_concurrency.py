"""Counts stay right when many people like and reply at once.

Real threads, each with its own connection. Run it on PostgreSQL too:
DATABASE_URL=postgres://… .venv/bin/pytest tests/videos -k concurrent
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from clipdeck.videos import threads
from clipdeck.videos.models import Comment, Video
from clipdeck.videos.services import comment_create
from tests.factories import CommentFactory, UserFactory, VideoFactory

# On SQLite, race on a migrated database file with the project's settings (WAL, IMMEDIATE).
from tests.shop.test_concurrency import project_database  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 6


def _in_threads(work) -> None:
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            work(index)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []


def test_concurrent_comment_likes_and_replies_are_all_counted():
    video = VideoFactory()
    top = CommentFactory(video=video)
    people = [UserFactory() for _ in range(WORKERS)]

    def like_and_reply(index: int) -> None:
        person = people[index]
        comment = Comment.objects.get(pk=top.pk)
        threads.comment_like_create(user=person, comment=comment)
        comment_create(
            author=person, video=Video.objects.get(pk=video.pk), text="me too", reply_to=comment
        )

    _in_threads(like_and_reply)

    top.refresh_from_db()
    assert (top.like_count, top.reply_count) == (WORKERS, WORKERS)
    assert Video.objects.get(pk=video.pk).comment_count == WORKERS
