"""One error envelope for every 4xx: ``{"error": {"code", "message", "field"}}``."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from clipdeck.kernel.errors import ApiError, TooManyRequests

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


def envelope(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    *,
    code: str,
    message: str,
    field: str | None = None,
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "field": field}}
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


def register(api: NinjaAPI) -> None:
    """Install the exception handlers that produce the envelope."""

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        response = envelope(
            api, request, exc.status, code=exc.code, message=exc.message, field=exc.field
        )
        if isinstance(exc, TooManyRequests):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        first = exc.errors[0] if exc.errors else {}
        return envelope(
            api,
            request,
            422,
            code="invalid",
            message=_validation_message(first),
            field=_field_of(first),
        )

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
