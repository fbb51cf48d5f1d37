"""Search, issue 17: more kinds, compounds, stop words, "did you mean".

- Document ids become `8 * pk + kind` (cadre.repository.search.MODULUS), so commitments,
  experiments and session reports share the table with items and entries; every document is
  rewritten.
- SQLite: an fts5vocab table `repository_search_vocab` over the search table (the vocabulary
  for "did you mean" and for splitting compounds). The search table is recreated with the
  same columns, so its documents carry the joined forms of hyphenated compounds.
- PostgreSQL: the text search configuration `cadre_english` (English stemming that keeps stop
  words, like SQLite, so "stand up" keeps its "up"; a dictionary and a configuration need no
  superuser), and the words table `repository_search_word` (its lexemes)."""

from django.db import migrations

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE repository_search USING fts5(title, extra, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3 4')"
)
SQLITE = [
    "DROP TABLE IF EXISTS repository_search",
    SQLITE_TABLE,
    "CREATE VIRTUAL TABLE repository_search_vocab USING fts5vocab(repository_search, 'row')",
]
SQLITE_BACK = ["DROP TABLE IF EXISTS repository_search_vocab"]

TOKEN_TYPES = (
    "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, "
    "hword_numpart"
)
POSTGRESQL = [
    "CREATE TEXT SEARCH DICTIONARY cadre_english_stem (TEMPLATE = snowball, language = english)",
    "CREATE TEXT SEARCH CONFIGURATION cadre_english (COPY = english)",
    f"ALTER TEXT SEARCH CONFIGURATION cadre_english ALTER MAPPING FOR {TOKEN_TYPES} "
    "WITH cadre_english_stem",
    "CREATE TABLE repository_search_word (word text PRIMARY KEY)",
]
POSTGRESQL_BACK = [
    "DROP TABLE IF EXISTS repository_search_word",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS cadre_english",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS cadre_english_stem",
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    from cadre.repository import search

    if connection.vendor == "sqlite":
        search.register_sqlite_functions(None, connection)
    for statement in SQLITE if connection.vendor == "sqlite" else POSTGRESQL:
        schema_editor.execute(statement)
    search.rebuild_index()


def backwards(apps, schema_editor):
    # The earlier migrations' code indexes with `2 * pk + kind`; their tables are refilled by
    # `cadre rebuild_search_index` from that code.
    connection = schema_editor.connection
    for statement in SQLITE_BACK if connection.vendor == "sqlite" else POSTGRESQL_BACK:
        schema_editor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM repository_search")


class Migration(migrations.Migration):
    dependencies = [
        ("repository", "0003_search_prefix_index"),
        ("accountability", "0003_commitment_cohort_due_on"),
        ("schedule", "0011_session_held_at"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
