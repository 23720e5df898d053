"""The demo seeds a moderator with two-factor sign-in and a few open reports."""

from __future__ import annotations

import io

import pytest

from clipdeck.demo.moderation import seed_moderation
from clipdeck.demo.seed import _print_moderator
from clipdeck.moderation.models import Case, CaseStatus
from clipdeck.moderation.policies import is_moderator
from tests.factories import CommentFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def test_the_demo_moderator_has_a_queue_to_work_on():
    viewer = UserFactory(handle="viewer.vic")
    videos = [VideoFactory() for _ in range(3)]
    CommentFactory(video=videos[2], author=UserFactory())

    seeded = seed_moderation(password="swipe-up-2026", email_domain="demo.example")
    out = io.StringIO()
    _print_moderator(out, seeded)

    moderator = type(viewer).objects.get(handle="mod.maya")
    assert is_moderator(moderator) and not moderator.is_superuser
    assert seeded["reports"] == 3
    assert Case.objects.filter(status=CaseStatus.OPEN).count() == 3
    assert set(Case.objects.values_list("target_type", flat=True)) == {"video", "comment"}
    assert seeded["secret"] in out.getvalue() and "otpauth://" in out.getvalue()
    assert seed_moderation(password="x", email_domain="d")["reports"] == 0  # once only
