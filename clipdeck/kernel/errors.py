"""Errors that reach API clients as ``{"error": {"code", "message", "field"}}``.

Services raise these; the API layer turns them into one envelope
(``clipdeck.api.errors``), so a message is written once, where the rule lives.
"""

from __future__ import annotations


class ApiError(Exception):
    """A failure the caller can understand and act on."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.field = field
        self.status = status or self.status

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


class InvalidInput(ApiError):
    status = 400
    code = "invalid"


class NotFound(ApiError):
    """Missing, or not visible to this viewer: the two are never told apart."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "Not found.", **kwargs) -> None:
        super().__init__(message, **kwargs)


class Forbidden(ApiError):
    """The caller can see the thing but may not do this to it."""

    status = 403
    code = "forbidden"


class Conflict(ApiError):
    status = 409
    code = "conflict"


class TooManyRequests(ApiError):
    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
