"""Errors: kinds in the domain, statuses in the one API table, one envelope."""

from __future__ import annotations

import pytest
from django.http import Http404

from clipdeck.accounts.models import User
from clipdeck.api.errors import KIND_STATUS, status_for
from clipdeck.kernel.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    Kind,
    NotFound,
    TooManyRequests,
)

pytestmark = pytest.mark.django_db


def test_every_kind_answers_with_exactly_one_status():
    assert set(KIND_STATUS) == set(Kind)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidInput("x y"), 400),
        (DomainError("x y", kind=Kind.UNAUTHORIZED), 401),
        (Forbidden("x y"), 403),
        (NotFound(), 404),
        (Conflict("x y"), 409),
        (DomainError("x y", kind=Kind.TOO_LARGE), 413),
        (DomainError("x y", kind=Kind.UNSUPPORTED), 415),
        (DomainError("x y", kind=Kind.UNPROCESSABLE), 422),
        (TooManyRequests("x y", retry_after=3), 429),
    ],
)
def test_the_table_gives_the_status_each_kind_always_had(error, status):
    assert status_for(error) == status


def test_a_domain_error_knows_nothing_of_http():
    error = Conflict("Taken.", code="handle_taken", field="handle")

    assert not hasattr(error, "status")
    assert (error.kind, error.code, error.field, error.message) == (
        Kind.CONFLICT,
        "handle_taken",
        "handle",
        "Taken.",
    )


def test_not_found_is_also_a_page_404():
    assert isinstance(NotFound(), Http404)


def test_a_page_that_meets_not_found_answers_404(client):
    response = client.get("/@nobody-here")

    assert response.status_code == 404


def test_a_422_lists_every_invalid_field_and_names_the_first(api):
    response = api().post("auth/signup", {"handle": "neo"})

    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "invalid"
    assert (body["error"]["field"], body["error"]["message"]) == ("email", "email is required.")
    assert body["errors"] == [
        {"field": "email", "message": "email is required."},
        {"field": "password", "message": "password is required."},
    ]
    assert User.objects.count() == 0


def test_a_422_with_two_wrong_values_lists_both(api):
    response = api().post(
        "auth/signup", {"handle": "neo" * 30, "email": "neo@example.com", "password": 5}
    )

    assert response.status_code == 422
    assert [problem["field"] for problem in response.json()["errors"]] == ["handle", "password"]


def test_other_errors_keep_the_three_field_envelope(api):
    response = api().get("videos/00000000-0000-0000-0000-000000000000")

    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": response.json()["error"]["message"],
            "field": None,
        }
    }
