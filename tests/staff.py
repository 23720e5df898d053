"""Signing staff in for back-office tests: a session that passed a second factor."""

from __future__ import annotations

import time

from django.test import Client

from clipdeck.web.staff_admin import SECOND_FACTOR, SIGNED_IN_AT


def staff_sign_in(client: Client, user) -> Client:
    """Sign ``user`` in on ``client`` as the app's two-factor sign-in would."""
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR] = True
    session[SIGNED_IN_AT] = time.time()
    session.save()
    return client
