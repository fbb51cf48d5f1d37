"""The full-text search table of cadre.repository.search: an FTS5 virtual table on SQLite, a
tsvector table under a GIN index on PostgreSQL. Neither is a Django model (FTS5 tables cannot
be), so the table is created here for the database in use. It is filled by
0004_search_more_kinds, whose indexing code (today's search.py) needs the tables it adds."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE repository_search USING fts5("
    "title, extra, body, tokenize = 'porter unicode61 remove_diacritics 2')",
]
POSTGRESQL = [
    "CREATE TABLE repository_search (id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX repository_search_document ON repository_search USING gin (document)",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise RuntimeError(f"Cadre's search supports SQLite and PostgreSQL, not {vendor}.")
    for statement in SQLITE if vendor == "sqlite" else POSTGRESQL:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS repository_search")


class Migration(migrations.Migration):
    dependencies = [
        ("repository", "0001_initial"),
        ("journal", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
