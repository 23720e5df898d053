"""The search index: one interface, SQLite FTS5 by default, PostgreSQL full text at scale.

The index is derived data: it holds only what any viewer may find (public
videos of public accounts, active accounts, hashtags and sounds in use), is
kept in sync on commit (``receivers``) and is rebuilt from the database by
``clipdeck search rebuild``. Its tables live beside the app's (migration
``0001``) and are written only here. Who may see a result is decided again
at query time by the visibility policy (``selectors``), never by the index.

Text is folded (lower case, no accents) in Python (``text.fold``) before it
reaches either backend, so both match alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db import connection

from clipdeck.search.text import fold, words

KINDS = ("videos", "users", "hashtags", "sounds")


@dataclass(frozen=True)
class Document:
    """One findable thing: ``kind`` is one of ``KINDS``; ``ref`` its id as text."""

    kind: str
    ref: str
    title: str
    body: str = ""
    engagement: float = 0.0
    published: float = 0.0  # seconds since the epoch; 0 for timeless things


@dataclass(frozen=True)
class Hit:
    ref: str
    relevance: float  # larger is better, 0..1 within one answer
    engagement: float
    published: float


class SearchIndex(Protocol):
    """What every backend does; ``terms`` are folded words, the last one maybe a prefix."""

    def upsert(self, documents: Sequence[Document]) -> None: ...

    def delete(self, kind: str, refs: Iterable[str]) -> None: ...

    def clear(self) -> None: ...

    def match(self, kind: str, terms: Sequence[str], *, prefix: bool, limit: int) -> list[Hit]: ...

    def known(self, term: str, *, prefix: bool) -> bool: ...

    def near(self, term: str, *, limit: int) -> list[tuple[str, int]]: ...


def _fts_phrase(term: str, prefix: bool) -> str:
    return f'"{term}"*' if prefix else f'"{term}"'


def _relevance(scores: list[float]) -> list[float]:
    """Backend scores (larger is better) scaled into 0..1 by the best of the answer."""
    best = max(scores, default=0.0) or 1.0
    return [max(score, 0.0) / best for score in scores]


class SqliteIndex:
    """FTS5 (``unicode61``, prefixes of 2–4 letters) plus its vocabulary for typos."""

    def upsert(self, documents: Sequence[Document]) -> None:
        with connection.cursor() as cursor:
            for doc in documents:
                self._delete_text(cursor, doc.kind, doc.ref)
                cursor.execute(
                    "INSERT INTO search_entry (kind, ref, engagement, published) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (kind, ref) DO UPDATE SET "
                    "engagement = excluded.engagement, published = excluded.published",
                    [doc.kind, doc.ref, doc.engagement, doc.published],
                )
                cursor.execute(
                    "INSERT INTO search_fts (rowid, kind, title, body) SELECT id, kind, %s, %s "
                    "FROM search_entry WHERE kind = %s AND ref = %s",
                    [fold(doc.title), fold(doc.body), doc.kind, doc.ref],
                )

    def delete(self, kind: str, refs: Iterable[str]) -> None:
        with connection.cursor() as cursor:
            for ref in refs:
                self._delete_text(cursor, kind, ref)
                cursor.execute("DELETE FROM search_entry WHERE kind = %s AND ref = %s", [kind, ref])

    @staticmethod
    def _delete_text(cursor, kind: str, ref: str) -> None:
        """Remove a document's text by its rowid (FTS5 answers ``rowid = ?`` directly;
        ``rowid IN (subquery)`` would scan the whole index)."""
        cursor.execute("SELECT id FROM search_entry WHERE kind = %s AND ref = %s", [kind, ref])
        row = cursor.fetchone()
        if row is not None:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [row[0]])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
            cursor.execute("DELETE FROM search_entry")

    def match(self, kind: str, terms: Sequence[str], *, prefix: bool, limit: int) -> list[Hit]:
        if not terms:
            return []
        phrases = [_fts_phrase(t, prefix and i == len(terms) - 1) for i, t in enumerate(terms)]
        query = f'kind:"{kind}" AND ' + " AND ".join(f"{{title body}}: {p}" for p in phrases)
        with connection.cursor() as cursor:
            # bm25 is smaller for better matches; the title weighs three times the body.
            cursor.execute(
                "SELECT e.ref, -bm25(search_fts, 0.0, 3.0, 1.0), e.engagement, e.published "
                "FROM search_fts JOIN search_entry e ON e.id = search_fts.rowid "
                "WHERE search_fts MATCH %s ORDER BY bm25(search_fts, 0.0, 3.0, 1.0) LIMIT %s",
                [query, limit],
            )
            rows = cursor.fetchall()
        relevance = _relevance([row[1] for row in rows])
        return [Hit(row[0], rel, row[2], row[3]) for row, rel in zip(rows, relevance, strict=True)]

    def known(self, term: str, *, prefix: bool) -> bool:
        with connection.cursor() as cursor:
            if prefix:
                cursor.execute(
                    "SELECT 1 FROM search_vocab WHERE term >= %s AND term < %s LIMIT 1",
                    [term, term + "\uffff"],
                )
            else:
                cursor.execute("SELECT 1 FROM search_vocab WHERE term = %s", [term])
            return cursor.fetchone() is not None

    def near(self, term: str, *, limit: int) -> list[tuple[str, int]]:
        """Words of the vocabulary that start like ``term`` (its first or second letter)."""
        found: list[tuple[str, int]] = []
        with connection.cursor() as cursor:
            for start in {term[:1], term[1:2]} - {""}:
                cursor.execute(
                    "SELECT term, doc FROM search_vocab WHERE term >= %s AND term < %s "
                    "AND length(term) BETWEEN %s AND %s LIMIT %s",
                    [start, start + "\uffff", len(term) - 2, len(term) + 2, limit],
                )
                found.extend(cursor.fetchall())
        return found


class PostgresIndex:
    """``tsvector`` with the ``simple`` configuration over folded text; ``pg_trgm`` for typos."""

    def upsert(self, documents: Sequence[Document]) -> None:
        with connection.cursor() as cursor:
            for doc in documents:
                title, body = fold(doc.title), fold(doc.body)
                cursor.execute(
                    "INSERT INTO search_entry (kind, ref, title, body, engagement, published) "
                    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (kind, ref) DO UPDATE SET "
                    "title = excluded.title, body = excluded.body, "
                    "engagement = excluded.engagement, published = excluded.published",
                    [doc.kind, doc.ref, title, body, doc.engagement, doc.published],
                )
                vocabulary = sorted(set(words(title) + words(body)))
                if vocabulary:
                    cursor.execute(
                        "INSERT INTO search_term (term) SELECT unnest(%s::text[]) "
                        "ON CONFLICT (term) DO NOTHING",
                        [vocabulary],
                    )

    def delete(self, kind: str, refs: Iterable[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_entry WHERE kind = %s AND ref = ANY(%s)", [kind, list(refs)]
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_entry, search_term")

    def _tsquery(self, terms: Sequence[str], prefix: bool) -> str:
        parts = [
            f"'{t}'" + (":*" if prefix and i == len(terms) - 1 else "") for i, t in enumerate(terms)
        ]
        return " & ".join(parts)

    def match(self, kind: str, terms: Sequence[str], *, prefix: bool, limit: int) -> list[Hit]:
        if not terms:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ref, ts_rank(document, q, 1), engagement, published "
                "FROM search_entry, to_tsquery('simple', %s) q "
                "WHERE kind = %s AND document @@ q ORDER BY 2 DESC LIMIT %s",
                [self._tsquery(terms, prefix), kind, limit],
            )
            rows = cursor.fetchall()
        relevance = _relevance([float(row[1]) for row in rows])
        return [
            Hit(row[0], rel, float(row[2]), float(row[3]))
            for row, rel in zip(rows, relevance, strict=True)
        ]

    def known(self, term: str, *, prefix: bool) -> bool:
        with connection.cursor() as cursor:
            if prefix:
                cursor.execute(
                    "SELECT 1 FROM search_term WHERE term LIKE %s LIMIT 1",
                    [term.replace("%", "").replace("_", "") + "%"],
                )
            else:
                cursor.execute("SELECT 1 FROM search_term WHERE term = %s", [term])
            return cursor.fetchone() is not None

    def near(self, term: str, *, limit: int) -> list[tuple[str, int]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, 1 FROM search_term WHERE term %% %s "
                "ORDER BY similarity(term, %s) DESC LIMIT %s",
                [term, term, limit],
            )
            return [(row[0], int(row[1])) for row in cursor.fetchall()]


def search_index() -> SearchIndex:
    """The backend of the configured database."""
    return PostgresIndex() if connection.vendor == "postgresql" else SqliteIndex()
