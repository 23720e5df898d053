"""Domain errors: what went wrong, in words, with no HTTP in sight.

Services raise these with a *kind* (what sort of failure), a stable ``code``,
a message a person understands and, where it applies, the offending ``field``.
The API layer (``clipdeck.api.errors``) holds the one table that turns a kind
into a status, so a message is written once, where the rule lives.
"""

from __future__ import annotations

from enum import StrEnum

from django.http import Http404


class Kind(StrEnum):
    """What sort of failure an error is; each maps to exactly one response status."""

    INVALID = "invalid"
    UNAUTHORIZED = "unauthorized"
    PAYMENT_DECLINED = "payment_declined"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    UNPROCESSABLE = "unprocessable"
    RATE_LIMITED = "rate_limited"
    PAYMENT_FAILED = "payment_failed"


class DomainError(Exception):
    """A failure the caller can understand and act on."""

    kind: Kind = Kind.INVALID
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        kind: Kind | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.field = field
        self.kind = kind or self.kind


class InvalidInput(DomainError):
    kind = Kind.INVALID
    code = "invalid"


class NotFound(DomainError, Http404):
    """Missing, or not visible to this viewer: the two are never told apart.

    Also an ``Http404``, so a page view lets it through and Django answers
    with its usual 404 page.
    """

    kind = Kind.NOT_FOUND
    code = "not_found"

    def __init__(self, message: str = "Not found.", **kwargs) -> None:
        super().__init__(message, **kwargs)


class Forbidden(DomainError):
    """The caller can see the thing but may not do this to it."""

    kind = Kind.FORBIDDEN
    code = "forbidden"


class Conflict(DomainError):
    kind = Kind.CONFLICT
    code = "conflict"


class TooManyRequests(DomainError):
    """Too many attempts; ``retry_after`` says in how many seconds to try again."""

    kind = Kind.RATE_LIMITED
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
