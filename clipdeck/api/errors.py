"""One error envelope for every 4xx: ``{"error": {"code", "message", "field"}}``.

Domain errors carry a kind, never a status; ``KIND_STATUS`` below is the one
place that decides which status each kind answers with.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from clipdeck.kernel.errors import DomainError, Kind

KIND_STATUS: dict[Kind, int] = {
    Kind.INVALID: 400,
    Kind.UNAUTHORIZED: 401,
    Kind.PAYMENT_DECLINED: 402,
    Kind.FORBIDDEN: 403,
    Kind.NOT_FOUND: 404,
    Kind.CONFLICT: 409,
    Kind.TOO_LARGE: 413,
    Kind.UNSUPPORTED: 415,
    Kind.UNPROCESSABLE: 422,
    Kind.RATE_LIMITED: 429,
    Kind.PAYMENT_FAILED: 502,
}

STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many_requests",
}


def status_for(error: DomainError) -> int:
    """The response status of a domain error, from its kind."""
    return KIND_STATUS[error.kind]


def error_body(*, code: str, message: str, field: str | None = None, **extra: Any) -> dict:
    """The envelope every error answer has; ``extra`` adds keys beside ``error``."""
    return {"error": {"code": code, "message": message, "field": field}, **extra}


def envelope(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    *,
    code: str,
    message: str,
    field: str | None = None,
    **extra: Any,
) -> HttpResponse:
    """An error response in the one envelope."""
    body = error_body(code=code, message=message, field=field, **extra)
    return api.create_response(request, body, status=status)


def _field_of(error: dict) -> str | None:
    location = [
        str(part)
        for part in error.get("loc", ())
        if part not in ("body", "query", "path", "form", "file", "payload", "header")
    ]
    return ".".join(location) or None


def _validation_message(error: dict) -> str:
    field = _field_of(error)
    message = error.get("msg", "is not valid")
    if error.get("type") == "missing":
        return f"{field} is required." if field else "A required value is missing."
    return f"{field}: {message}." if field else f"{message}."


def validation_problems(errors: list[dict]) -> list[dict[str, str | None]]:
    """Every problem Ninja found, as ``{field, message}``, in the order found."""
    return [{"field": _field_of(error), "message": _validation_message(error)} for error in errors]


def domain_error_response(api: NinjaAPI, request: HttpRequest, exc: DomainError) -> HttpResponse:
    """The envelope for a domain error, with Retry-After when it says when to retry."""
    response = envelope(
        api, request, status_for(exc), code=exc.code, message=exc.message, field=exc.field
    )
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def validation_error_response(
    api: NinjaAPI, request: HttpRequest, exc: ValidationError
) -> HttpResponse:
    """422 naming the first problem in ``error`` and listing every one in ``errors``."""
    problems = validation_problems(exc.errors)
    first = problems[0] if problems else {"field": None, "message": "The request is not valid."}
    return envelope(
        api,
        request,
        422,
        code="invalid",
        message=first["message"],
        field=first["field"],
        errors=problems,
    )


def register(api: NinjaAPI) -> None:
    """Install the exception handlers that produce the envelope."""

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return domain_error_response(api, request, exc)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        return validation_error_response(api, request, exc)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return envelope(api, request, 401, code="not_authenticated", message="Sign in to do this.")

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return envelope(
            api,
            request,
            exc.status_code,
            code=STATUS_CODES.get(exc.status_code, "error"),
            message=str(exc),
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return envelope(api, request, 404, code="not_found", message="Not found.")

    @api.exception_handler(ObjectDoesNotExist)
    def does_not_exist(request, exc):
        return envelope(api, request, 404, code="not_found", message="Not found.")

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return envelope(
            api, request, 403, code="forbidden", message=str(exc) or "You may not do this."
        )
