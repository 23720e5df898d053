"""The OpenAPI document is the contract: a snapshot catches unintended changes.

When a change is intended, rewrite the snapshot and review its diff:

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_openapi.py
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def document() -> dict:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def as_text(document: dict) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


def test_the_openapi_document_matches_the_snapshot(document):
    current = as_text(document)
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(current, encoding="utf-8")
    stored = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""

    if current != stored:
        diff = "".join(
            difflib.unified_diff(
                stored.splitlines(keepends=True),
                current.splitlines(keepends=True),
                fromfile="tests/snapshots/openapi.json",
                tofile="GET /api/openapi.json",
                n=2,
            )
        )
        pytest.fail(
            "The OpenAPI document changed. Renaming or removing a path or field breaks "
            "clients (see API.md). If the change is intended, update the snapshot with\n\n"
            "    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_openapi.py\n\n"
            "and commit tests/snapshots/openapi.json with the change.\n\n"
            + (diff if len(diff) < 6000 else diff[:6000] + "\n… (diff truncated)"),
            pytrace=False,
        )


def test_every_operation_has_an_operation_id_and_a_summary(document):
    missing = [
        name
        for name, operation in operations(document)
        if not operation.get("operationId") or not operation.get("summary", "").strip()
    ]

    assert missing == []


def test_operation_ids_are_unique(document):
    ids = [operation["operationId"] for _, operation in operations(document)]

    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_every_path_is_under_api_v1(document):
    outside = [path for path in document["paths"] if not path.startswith("/api/v1/")]

    assert document["paths"]
    assert outside == []
