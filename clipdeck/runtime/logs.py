"""Log configuration: plain lines for people, one JSON object per line for machines.

``CLIPDECK_LOG_FORMAT=json`` switches every logger, uvicorn's access log
included, to :class:`JsonFormatter`, for log shippers (journald → Loki, Vector,
Fluent Bit) that index fields instead of parsing text.

Every record goes through :class:`RedactFilter` first (docs/privacy.md, "Logs"):
the access log names no client address, and no line keeps a query string (signed
media URLs carry their token in ``?t=``) or a capability path segment (the token
of an export download link).
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured

FORMATS = ("plain", "json")
# Attributes every LogRecord has; anything else was passed through ``extra=``.
# (uvicorn adds "color_message", the message with terminal colour codes.)
_STANDARD = set(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}


# Path segments that are capabilities: whoever has the URL may use it.
CAPABILITY_PATHS = (re.compile(r"(/privacy/exports/)[^/\s\"'?]+(/download)"),)
# A query string inside a path or URL, up to the next space or quote.
_QUERY = re.compile(r"(/[^\s\"'?]*)\?[^\s\"']*")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` without query strings and with capability path segments replaced."""
    text = _QUERY.sub(r"\1", text)
    for pattern in CAPABILITY_PATHS:
        text = pattern.sub(rf"\1{REDACTED}\2", text)
    return text


class RedactFilter(logging.Filter):
    """Keeps client addresses, query strings and capability tokens out of every log line.

    uvicorn's access log records carry the client address as their first argument
    (``'%s - "%s %s HTTP/%s" %d'``): it becomes ``-``. Django's request log passes
    the request itself as an extra (its ``repr`` holds the full path and query):
    it becomes the redacted path.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and record.args:
            record.args = ("-", *record.args[1:])
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            record.request = redact(str(getattr(request, "path", "")))
        record.msg = redact(record.getMessage())
        record.args = ()
        if hasattr(record, "color_message"):
            del record.color_message
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, process, extras."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.host = socket.gethostname()

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "host": self.host,
            "pid": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        return json.dumps(entry, default=str)


def logging_config(log_format: str, level: str) -> dict:
    """A ``LOGGING`` dict (also handed to uvicorn) in ``log_format`` at ``level``."""
    if log_format not in FORMATS:
        raise ImproperlyConfigured(
            f"CLIPDECK_LOG_FORMAT must be plain or json, not {log_format!r}."
        )
    formatter = (
        {"()": "clipdeck.runtime.logs.JsonFormatter"}
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "filters": {"redact": {"()": "clipdeck.runtime.logs.RedactFilter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "main",
                "filters": ["redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # uvicorn's loggers go through the root handler, in the same format.
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": level, "propagate": True},
        },
    }


def uvicorn_log_config() -> dict:
    """The same configuration for uvicorn's ``log_config`` (read from the environment)."""
    return logging_config(
        os.environ.get("CLIPDECK_LOG_FORMAT", "plain").strip().lower() or "plain",
        os.environ.get("CLIPDECK_LOG_LEVEL", "INFO"),
    )
