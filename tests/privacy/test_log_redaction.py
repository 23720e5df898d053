"""No client address, query string or capability token in any log line.

A real ``clipdeck serve`` on a fresh data folder: sign up, ask for an export,
download it with its token link, open a signed-looking media URL and a missing
page with query strings; then read everything the server wrote.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import pytest
import requests

from clipdeck.runtime.logs import RedactFilter, redact
from tests.live_server import running_clipdeck

pytestmark = pytest.mark.django_db

SECRET = "s3cr3tCapabilityValue"


def test_redact_strips_query_strings_and_export_tokens():
    line = f'GET /media/v/1/video?t={SECRET}&x=1 200 "/privacy/exports/{SECRET}/download?a=b"'
    assert SECRET not in redact(line)
    assert "?" not in redact(line)
    assert "/privacy/exports/[redacted]/download" in redact(line)


def test_the_access_log_record_loses_the_client_address():
    record = logging.makeLogRecord(
        {
            "name": "uvicorn.access",
            "msg": '%s - "%s %s HTTP/%s" %d',
            "args": ("203.0.113.9:5555", "GET", f"/media/x?t={SECRET}", "1.1", 200),
        }
    )
    assert RedactFilter().filter(record)
    assert record.getMessage() == '- - "GET /media/x HTTP/1.1" 200'


@pytest.mark.slow
@pytest.mark.parametrize("log_format", ["plain", "json"])
def test_a_served_journey_leaves_no_address_or_token_in_the_logs(tmp_path: Path, log_format):
    data = tmp_path / "cell"
    data.mkdir()
    with running_clipdeck(data, CLIPDECK_LOG_FORMAT=log_format) as (url, _server):
        session = requests.Session()
        answer = session.post(
            f"{url}/api/v1/auth/signup",
            json={"handle": "quiet_q", "email": "q@example.com", "password": "a long passphrase 7"},
            timeout=30,
        )
        assert answer.status_code == 201, answer.text
        api_token = answer.json()["token"]
        session.headers["Authorization"] = f"Bearer {api_token}"
        created = session.post(f"{url}/api/v1/me/export", timeout=30)
        assert created.status_code == 202, created.text
        export_id = created.json()["id"]
        deadline = time.monotonic() + 90
        link = None
        while time.monotonic() < deadline and link is None:
            link = session.get(f"{url}/api/v1/me/export/{export_id}", timeout=30).json()[
                "download_url"
            ]
            time.sleep(0.3)
        assert link, "the export was not built in time"
        download_token = link.split("/")[-2]
        assert requests.get(f"{url}{link}", timeout=30).status_code == 200
        assert requests.get(f"{url}{link}x", timeout=30).status_code == 404  # bad token
        media = f"{url}/media/v/00000000-0000-0000-0000-000000000000/video?t={SECRET}"
        assert requests.get(media, timeout=30).status_code in (403, 404)
        assert requests.get(f"{url}/no-such-page?t={SECRET}", timeout=30).status_code == 404

    log = (data / "serve.log").read_text()
    assert "GET /no-such-page" in log  # the access log is on
    # The server's own listening address is no client's; nothing else may name one.
    without_listen_address = re.sub(r"https?://127\.0\.0\.1:\d+", "", log)
    assert "127.0.0.1" not in without_listen_address, log[-3000:]
    for secret in (SECRET, download_token, api_token):
        assert secret not in log, log[-3000:]
    assert "?t=" not in log
    assert "/privacy/exports/[redacted]/download" in log
