"""The search index's own tables: derived data, rebuilt by ``clipdeck search rebuild``."""

from django.db import migrations

SQLITE = [
    "CREATE TABLE search_entry (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, "
    "engagement REAL NOT NULL DEFAULT 0, published REAL NOT NULL DEFAULT 0, UNIQUE (kind, ref))",
    "CREATE VIRTUAL TABLE search_fts USING fts5(kind, title, body, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')",
    "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')",
]
SQLITE_DROP = ["DROP TABLE search_vocab", "DROP TABLE search_fts", "DROP TABLE search_entry"]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE search_entry (id bigserial PRIMARY KEY, kind text NOT NULL, ref text NOT NULL, "
    "title text NOT NULL DEFAULT '', body text NOT NULL DEFAULT '', "
    "engagement double precision NOT NULL DEFAULT 0, published double precision NOT NULL DEFAULT 0, "
    "document tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', title), 'A') || "
    "setweight(to_tsvector('simple', body), 'B')) STORED, UNIQUE (kind, ref))",
    "CREATE INDEX search_entry_document ON search_entry USING gin (document)",
    "CREATE TABLE search_term (term text PRIMARY KEY)",
    "CREATE INDEX search_term_trgm ON search_term USING gin (term gin_trgm_ops)",
]
POSTGRES_DROP = ["DROP TABLE search_term", "DROP TABLE search_entry"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
