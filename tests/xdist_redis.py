"""Each pytest-xdist worker gets its own Redis database, like its own test database.

The suite clears the cache around every test, and ``clear()`` flushes the whole
Redis database: two workers sharing one would clear each other's state. Worker
``gwN`` uses database ``base + N`` of ``REDIS_URL``.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def redis_url_for_worker(url: str, worker: str) -> str:
    """``url`` with its database moved by the xdist worker's number (``gw3`` → +3)."""
    if not worker.startswith("gw") or not worker[2:].isdigit():
        return url
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return url
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + int(worker[2:])}"))
