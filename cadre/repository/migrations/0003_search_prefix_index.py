"""Prefix indexes for the SQLite search table: the last word of every query is matched as a
prefix, and without them FTS5 merges the entries of every word that starts with it for each
matching row (costly for short prefixes of common words). The table is rebuilt with FTS5's
`prefix='2 3 4'` option (0004_search_more_kinds refills it). PostgreSQL needs nothing: its GIN index serves `:*`."""

from django.db import migrations

TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"


def _recreate(schema_editor, options: str) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS repository_search")
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE repository_search USING fts5(title, extra, body, {options})"
    )


def forwards(apps, schema_editor):
    _recreate(schema_editor, f"{TOKENIZE}, prefix = '2 3 4'")


def backwards(apps, schema_editor):
    _recreate(schema_editor, TOKENIZE)


class Migration(migrations.Migration):
    dependencies = [("repository", "0002_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
