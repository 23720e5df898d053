"""Schemathesis fuzzes every operation of /api/openapi.json in-process: no input may cause a 5xx.

Bounded so it fits in ``make test``: a few derandomised examples per operation,
as a signed-in user with a bearer token. Only server errors fail the test;
4xx answers to nonsense input are the expected outcome.

One pytest item per operation (not ``schema.parametrize()``, whose subtests
pytest-xdist does not report as failures).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from clipdeck.accounts.services import token_issue
from tests.factories import UserFactory, VideoFactory

# A few examples per operation in ``make test``; a deeper run for the security
# record: ``FUZZ_EXAMPLES=60 make pytest PYTEST_ARGS=tests/test_api_fuzz.py``.
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
pytestmark = pytest.mark.django_db  # the autouse fixture clears the database cache

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight into the WSGI app, so keep Django from closing the test's
    connection after each one (its test client does the same); on PostgreSQL with a
    pool, a closed connection cannot be reopened inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db):
    """A signed-in user's Authorization header; the user has one video to aim at."""
    user = UserFactory()
    VideoFactory(author=user)
    return {"Authorization": f"Bearer {token_issue(user=user)}"}


def test_the_schema_has_the_operations_to_fuzz():
    labels = {operation.label for operation in OPERATIONS}

    assert len(OPERATIONS) > 50
    assert {"POST /api/v1/auth/login", "DELETE /api/v1/me"} <= labels


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_no_input_causes_a_server_error(operation, bearer):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=MAX_EXAMPLES <= 5,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        response = case.call(headers=bearer)
        case.validate_response(response, checks=[not_a_server_error])

    call()
