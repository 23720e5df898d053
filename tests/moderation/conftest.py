from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP

from clipdeck.accounts import two_factor
from clipdeck.moderation.services import moderator_grant
from tests.factories import UserFactory, VideoFactory


def code_for(secret: str) -> str:
    return f"{TOTP(base64.b32decode(secret), drift=-1).token():06d}"


def make_moderator(handle: str):
    """A moderator: staff in the moderator group, with two-factor sign-in on."""
    user = moderator_grant(user=UserFactory(handle=handle))
    enrolment = two_factor.setup(user)
    two_factor.confirm(user, code_for(enrolment.secret))
    return user


@pytest.fixture
def moderator(db):
    return make_moderator("mod_ana")


@pytest.fixture
def second_moderator(db):
    return make_moderator("mod_ben")


@pytest.fixture
def author(db):
    return UserFactory(handle="carla")


@pytest.fixture
def reporter(db):
    return UserFactory(handle="rita")


@pytest.fixture
def video(author):
    return VideoFactory(author=author, caption="a dance #dance")


def report(api, user, target_type, target_id, reason="harassment", **extra):
    body = {"target": {"type": target_type, "id": str(target_id)}, "reason": reason, **extra}
    return api(user).post("reports", body)


def decide(api, moderator, report_id, action="remove", **extra):
    body = {
        "action": action,
        "ground": "harassment",
        "explanation": "Targets a named person with insults.",
        **extra,
    }
    return api(moderator).post(f"moderation/reports/{report_id}/decide", body)
