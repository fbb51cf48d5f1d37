"""Full-text search over the shared repository, the learning journal, and the cohorts'
commitments, experiments and published session reports, in one ranked list.

Every searchable object has one search document in the table `repository_search`, under the
id `MODULUS * pk + kind`, where `kind` says which table the object lives in (`ITEM`,
`ENTRY`, `COMMITMENT`, `EXPERIMENT`, `REPORT`; MODULUS leaves room for three more kinds).
A document has three weighted parts: the title (most weight), a middle part (summary,
skills, tags, what worked…) and the body (least weight). Skills and tags live in other
tables, which is why the document is stored and kept up to date rather than computed by an
expression index on the object's own row.

- On SQLite the table is an FTS5 virtual table (Porter stemming over unicode61, prefix
  indexes for 2, 3 and 4 characters since every query's last word is a prefix), ranked by
  `bm25()` with column weights 10 / 4 / 1. Its vocabulary is read through the fts5vocab
  table `repository_search_vocab`.
- On PostgreSQL it is a plain table with a `tsvector` column (English configuration,
  `setweight` A / B / C) under a GIN index, ranked by `ts_rank`. Its vocabulary (the
  lexemes) is kept in `repository_search_word`, which only grows (a word whose last document
  went away stays; see "did you mean" below for why that is harmless).

Documents are rewritten by signal receivers (connected in RepositoryConfig.ready()) when an
object, its skills or an entry's tags change, and removed with them. Session reports are
indexed only once published. Rows written with bulk_create or raw SQL bypass signals: call
`rebuild_index()` (or `cadre rebuild_search_index`) after those.

**Compounds.** "standup", "stand-up" and "stand up" find each other's documents:

- Indexing: every hyphenated compound of a text (`stand-up`, `follow-up-call`) is indexed as
  its parts (the tokenizers split on hyphens) and also joined (`standup`), in the same part of
  the document, so it weighs the same (`compounds()`; on SQLite a function registered on each
  connection, on PostgreSQL the same rule as a regular expression).
- Querying: each query word may be found alone or joined to the word before or after it
  (`stand up` also finds `standup`, and `stand-up` through its joined form); and a word that
  splits into two indexed words (`standup` = `stand` + `up`, both in the vocabulary) may also
  be found as those two words side by side (a phrase). Only splits into words the index
  knows are tried, so a query does not grow with every way of cutting a word.

**Stop words.** A query word that is a stop word is not required on its own (it still joins
its neighbours): PostgreSQL's English configuration decides which (its `to_tsvector` drops
them), and on SQLite the short English list STOP_WORDS does, so "the standup" finds
"standup". A query of stop words only finds nothing.

**Who sees what** is decided by each kind's own policy module alone:
cadre.repository.policy for items, cadre.journal.policy for entries,
cadre.accountability.policy (`visible_commitments`, `visible_experiments`) and
cadre.schedule.policy (`visible_session_reports`) for the cohort kinds, called per cohort of
the candidates. A search first ranks the matches on the search table alone (the ranking is the
same for everyone), then reads the ranked ids in growing batches and keeps those the searcher
may read, until the page is full and the count has passed COUNT_LIMIT. A document the
searcher may not read is thus never returned or counted, the results keep the engine's order,
and the permission rules run on the best matches only, never on every match of a common word.

**Bounded ranking.** Scoring every match of a word found in most documents costs time in
proportion to the matches (bm25 and ts_rank score each one). So the engine first reads the
ids of at most RANK_WINDOW + 1 matches, newest first, which needs no scoring; if there are no
more than RANK_WINDOW, it ranks them all as before. Otherwise it ranks the newest
RANK_WINDOW matches (a range of ids) and hands those over best first; only when the
permission checks need more to fill the page does it rank the next RANK_WINDOW older ones,
and so on; windows read only to count the results (up to COUNT_LIMIT) are not ranked at
all, since a count needs no order. A common word thus costs about one window's ranking per
page, and its results are the best of the newest matches first.

**Did you mean.** When a search finds nothing the searcher may read, each query word is
compared with the index's vocabulary (words with the same first letter and a similar length,
closest by difflib's ratio); a suggestion is offered only if the search with the suggested
words finds something the searcher may read, so it never reveals a word found only in
documents hidden from them. The vocabulary holds stems (`incid`); the suggestion shows the
word as written in the first result the suggested search finds.

The user's query is never handed to the database's query language: it is cut into words
(letters and digits only), each word is quoted, and the words are ANDed, with a prefix match
on the last one, so quotes, operators and stray brackets cannot cause a syntax error.
"""

from __future__ import annotations

import difflib
import html
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import reduce
from itertools import islice
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from ninja.throttling import UserRateThrottle

from cadre.accountability.policy import visible_commitments, visible_experiments
from cadre.journal.policy import visible_journal_entries
from cadre.repository import policy
from cadre.schedule.policy import visible_session_reports

TABLE = "repository_search"
VOCAB = "repository_search_vocab"  # SQLite: the fts5vocab table over TABLE
WORDS = "repository_search_word"  # PostgreSQL: the lexemes of TABLE
CONFIG = "cadre_english"  # PostgreSQL: English stemming that keeps stop words (migration 0004)
MODULUS = 8  # a document's id is MODULUS * pk + its kind
ITEM, ENTRY, COMMITMENT, EXPERIMENT, REPORT = 0, 1, 2, 3, 4
JOURNAL = "journal"  # the `kind` of a journal entry in results and filters
COMMITMENT_KIND, EXPERIMENT_KIND, REPORT_KIND = "commitment", "experiment", "report"
COHORT_KINDS = {COMMITMENT_KIND: COMMITMENT, EXPERIMENT_KIND: EXPERIMENT, REPORT_KIND: REPORT}
MAX_QUERY_CHARS = 2000  # longer queries are refused (pages and API alike)
MAX_WORDS = 16  # words of a query that are used; the rest are ignored
MAX_WORD_CHARS = 64
SPLIT_CHARS = (5, 24)  # words this long (inclusive) are tried as two joined words
SNIPPET_WORDS = 30
COUNT_LIMIT = 1000  # results are counted exactly up to this many, and paged up to it
RANK_WINDOW = 5000  # matches ranked at a time (see "Bounded ranking")
ITEM_KINDS = ("case_study", "template", "learning")
KIND_LABELS = {
    "case_study": gettext_lazy("Case study"),
    "template": gettext_lazy("Template"),
    "learning": gettext_lazy("Learning"),
    JOURNAL: gettext_lazy("Journal entry"),
    COMMITMENT_KIND: gettext_lazy("Commitment"),
    EXPERIMENT_KIND: gettext_lazy("Experiment"),
    REPORT_KIND: gettext_lazy("Session report"),
}
# bm25() weights of the FTS5 columns title, extra (summary, skills, tags), body.
FTS5_WEIGHTS = (10.0, 4.0, 1.0)
# Not required on their own in a query (both databases index them; see "Stop words").
_STOP_WORDS = """
a an and are as at be but by for from has have he her his i if in into is it its me my
no not of on or our she so than that the their them then there these they this those
to too was we were what when which who will with you your
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_WORD = re.compile(r"[^\W_]+")
_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)+")
# The same rule as _COMPOUND for PostgreSQL's regular expressions.
_PG_COMPOUND = "([[:alnum:]]+(-[[:alnum:]]+)+)"


# --- the query ------------------------------------------------------------------------------


def query_words(text: str) -> list[str]:
    """The words of a user's query, lower-cased, at most MAX_WORDS of them: runs of letters
    and digits. Everything else (quotes, operators, brackets, `*`, `-`) separates words."""
    words = [w.lower()[:MAX_WORD_CHARS] for w in _WORD.findall(text[:4000])]
    return words[:MAX_WORDS]


def compounds(text: str | None) -> str:
    """The hyphenated compounds of `text` joined up: `a stand-up and a follow-up` gives
    `standup followup`. Indexed beside the text, so `standup` finds `stand-up`."""
    if not text:
        return ""
    return " ".join(m.group(0).replace("-", "") for m in _COMPOUND.finditer(text))


def _splits(word: str) -> list[tuple[str, str]]:
    """The ways to cut `word` into two words of two letters or more."""
    if not SPLIT_CHARS[0] <= len(word) <= SPLIT_CHARS[1]:
        return []
    return [(word[:i], word[i:]) for i in range(2, len(word) - 1)]


@dataclass(frozen=True)
class Alternative:
    tokens: tuple[str, ...]  # one word, or two words side by side
    prefix: bool  # the last token may be the start of a word


Conjunct = list[Alternative]  # one of these must match


def _known_words(words: Iterable[str]) -> set[str]:
    """Those of `words` that the index knows (on SQLite: exactly as indexed, i.e. words that
    are their own stem, as most short words are; on PostgreSQL: whose lexeme is indexed)."""
    words = sorted(set(words))
    if not words:
        return set()
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                f"SELECT p FROM unnest(%s::text[]) AS p WHERE EXISTS (SELECT 1 FROM {WORDS} w "
                f"WHERE w.word = ANY (tsvector_to_array(to_tsvector('{CONFIG}', p))))",
                [words],
            )
        else:
            marks = ", ".join(["%s"] * len(words))
            cursor.execute(f"SELECT term FROM {VOCAB} WHERE term IN ({marks})", words)
        return {str(row[0]) for row in cursor.fetchall()}


def plan(words: Sequence[str]) -> list[Conjunct]:
    """What a document must contain for the query `words`: one alternative of each conjunct.

    Each word that is not a stop word makes one conjunct: the word itself, or the word joined
    to the word before or after it, or (for a word that splits into two words the index
    knows) those two words side by side. The last word, and anything made with it, may be
    the start of a word. Stop words make no conjunct of their own but still join up."""
    last = len(words) - 1
    parts = {p for w in words if w not in STOP_WORDS for pair in _splits(w) for p in pair}
    known = _known_words(parts)
    conjuncts: list[Conjunct] = []
    for i, word in enumerate(words):
        if word in STOP_WORDS:
            continue
        alternatives = [Alternative((word,), i == last)]
        if i > 0:
            alternatives.append(Alternative((words[i - 1] + word,), i == last))
        if i < last:
            alternatives.append(Alternative((word + words[i + 1],), i + 1 == last))
        alternatives += [
            Alternative((a, b), i == last) for a, b in _splits(word) if a in known and b in known
        ]
        conjuncts.append(alternatives)
    return conjuncts


def _fts5_match(conjuncts: Sequence[Conjunct]) -> str:
    """`("w1" OR "w1w2") AND ("w2"* OR "w1w2"* OR "a b"*)`. Tokens hold only letters and
    digits, so quoting them makes any operator a plain string."""
    return " AND ".join(
        "(" + " OR ".join(f'"{" ".join(a.tokens)}"' + ("*" if a.prefix else "") for a in c) + ")"
        for c in conjuncts
    )


def _tsquery(conjuncts: Sequence[Conjunct]) -> str:
    """`(w1 | w1w2) & (w2:* | w1w2:* | a <-> b:*)` for to_tsquery(): the FTS5 query's twin."""

    def term(a: Alternative) -> str:
        text = " <-> ".join(a.tokens) + (":*" if a.prefix else "")
        return f"({text})" if len(a.tokens) > 1 else text

    return " & ".join("(" + " | ".join(term(a) for a in c) + ")" for c in conjuncts)


def engine_query(conjuncts: Sequence[Conjunct]) -> str:
    return _tsquery(conjuncts) if _is_postgres() else _fts5_match(conjuncts)


# --- keeping the index in sync ---------------------------------------------------------------


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _documents_sql(kind: int, where: str) -> str:
    """SELECT id, title, extra, body of the search documents of one kind whose primary key
    satisfies `where` (SQL about `o.id`)."""
    agg = "string_agg" if _is_postgres() else "group_concat"
    m = MODULUS
    if kind == ITEM:
        return f"""
            SELECT o.id * {m} + {ITEM} AS id, o.title AS title,
                   o.summary || ' ' || COALESCE((
                       SELECT {agg}(s.name, ' ') FROM repository_repositoryitem_skills j
                       JOIN networks_skill s ON s.id = j.skill_id
                       WHERE j.repositoryitem_id = o.id), '') AS extra,
                   o.body AS body
            FROM repository_repositoryitem o WHERE {where}"""
    if kind == ENTRY:
        return f"""
            SELECT o.id * {m} + {ENTRY} AS id, o.title AS title,
                   COALESCE((SELECT {agg}(t.name, ' ') FROM journal_journaltag t
                             WHERE t.entry_id = o.id), '') || ' ' || COALESCE((
                       SELECT {agg}(s.name, ' ') FROM journal_journalentry_skills j
                       JOIN networks_skill s ON s.id = j.skill_id
                       WHERE j.journalentry_id = o.id), '') AS extra,
                   o.body AS body
            FROM journal_journalentry o WHERE {where}"""
    if kind == COMMITMENT:
        return f"""
            SELECT o.id * {m} + {COMMITMENT} AS id, o.text AS title,
                   o.deliverable || ' ' || o.evidence AS extra, CAST('' AS text) AS body
            FROM accountability_commitment o WHERE {where}"""
    if kind == EXPERIMENT:
        return f"""
            SELECT o.id * {m} + {EXPERIMENT} AS id, o.title AS title,
                   o.capability || ' ' || o.measure || ' ' || COALESCE((
                       SELECT s.name FROM networks_skill s WHERE s.id = o.skill_id), '')
                       AS extra,
                   o.hypothesis || ' ' || o.plan || ' ' || o.result_data || ' '
                       || o.learnings || ' ' || o.next_steps AS body
            FROM accountability_experiment o WHERE {where}"""
    # Only published reports are searchable; drafts are for their editors' pages.
    return f"""
        SELECT o.id * {m} + {REPORT} AS id, s.title AS title,
               o.what_worked || ' ' || o.what_did_not AS extra, o.body AS body
        FROM schedule_sessionreport o JOIN schedule_session s ON s.id = o.session_id
        WHERE o.status = 'published' AND {where}"""


KINDS = (ITEM, ENTRY, COMMITMENT, EXPERIMENT, REPORT)


def _with_compounds(column: str) -> str:
    """SQL for a column's text followed by its joined compounds (see `compounds`)."""
    if _is_postgres():
        joined = (
            f"array_to_string(ARRAY(SELECT replace(m[1], '-', '') FROM "
            f"regexp_matches({column}, '{_PG_COMPOUND}', 'g') AS m), ' ')"
        )
    else:
        joined = f"cadre_compounds({column})"
    return f"COALESCE({column}, '') || ' ' || {joined}"


def _insert_sql(select: str) -> str:
    title, extra, body = (_with_compounds(f"d.{c}") for c in ("title", "extra", "body"))
    if _is_postgres():
        return f"""
            INSERT INTO {TABLE} (id, document)
            SELECT d.id,
                   setweight(to_tsvector('{CONFIG}', {title}), 'A')
                   || setweight(to_tsvector('{CONFIG}', {extra}), 'B')
                   || setweight(to_tsvector('{CONFIG}', {body}), 'C')
            FROM ({select}) d"""
    return (
        f"INSERT INTO {TABLE} (rowid, title, extra, body) "
        f"SELECT d.id, {title}, {extra}, {body} FROM ({select}) d"
    )


def _words_sql(where: str) -> str:
    """PostgreSQL: add the lexemes of the documents satisfying `where` to the words table."""
    return (
        f"INSERT INTO {WORDS} (word) SELECT DISTINCT unnest(tsvector_to_array(document)) "
        f"FROM {TABLE} WHERE {where} ON CONFLICT DO NOTHING"
    )


def _id_column() -> str:
    return "id" if _is_postgres() else "rowid"


def reindex(kind: int, pks: Iterable[int]) -> None:
    """Rewrite the documents of these objects of one kind (removing those that no longer
    exist or are no longer searchable)."""
    pks = sorted({int(pk) for pk in pks})
    if not pks:
        return
    marks = ", ".join(["%s"] * len(pks))
    ids = [pk * MODULUS + kind for pk in pks]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE {_id_column()} IN ({marks})", ids)
        cursor.execute(_insert_sql(_documents_sql(kind, f"o.id IN ({marks})")), pks)
        if _is_postgres():
            cursor.execute(_words_sql(f"id IN ({marks})"), ids)


def remove(kind: int, pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE {_id_column()} = %s", [pk * MODULUS + kind])


def rebuild_index() -> int:
    """Rewrite every document from the searchable tables, in one set-based statement per
    kind. Returns the number of documents."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        for kind in KINDS:
            cursor.execute(_insert_sql(_documents_sql(kind, "1 = 1")))
        if _is_postgres():
            cursor.execute(f"DELETE FROM {WORDS}")
            cursor.execute(_words_sql("TRUE"))
        else:
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return int(cursor.fetchone()[0])


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: SQLite's indexing SQL calls `cadre_compounds(text)`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("cadre_compounds", 1, compounds, deterministic=True)


# Signal receivers. Each one names the objects whose document changed.


def _saved(kind: int) -> Callable[..., None]:
    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        reindex(kind, [instance.pk])

    return receiver


def _deleted(kind: int) -> Callable[..., None]:
    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        remove(kind, instance.pk)

    return receiver


def _tag_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    reindex(ENTRY, [instance.entry_id])


def _session_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A session's title is its report's title."""
    if not created:
        from cadre.schedule.models import SessionReport

        reindex(REPORT, SessionReport.objects.filter(session=instance).values_list("pk", flat=True))


def _m2m_receiver(kind: int, reverse_name: str) -> Any:
    """A receiver for the skills of items or entries, from either side of the relation
    (`item.skills.add(skill)` or `skill.repository_items.add(item)`)."""

    def changed(
        sender: Any,
        instance: Any,
        action: str,
        reverse: bool,
        pk_set: set[int] | None,
        **kwargs: Any,
    ) -> None:
        if not reverse:
            if action.startswith("post_"):
                reindex(kind, [instance.pk])
            return
        if action == "pre_clear":  # pk_set is not given for a clear: note who is affected
            instance._search_cleared = list(
                getattr(instance, reverse_name).values_list("pk", flat=True)
            )
        elif action == "post_clear":
            reindex(kind, getattr(instance, "_search_cleared", []))
        elif action in ("post_add", "post_remove"):
            reindex(kind, pk_set or [])

    return changed


_SKILL_RELATIONS = (
    (ITEM, "repository_items"),
    (ENTRY, "journal_entries"),
    (EXPERIMENT, "experiments"),
)


def _skill_touches(skill: Any) -> list[tuple[int, list[int]]]:
    return [
        (kind, list(getattr(skill, name).values_list("pk", flat=True)))
        for kind, name in _SKILL_RELATIONS
    ]


def _skill_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:  # a renamed skill changes the documents that name it
        for kind, pks in _skill_touches(instance):
            reindex(kind, pks)


def _skill_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._search_touches = _skill_touches(instance)


def _skill_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    for kind, pks in getattr(instance, "_search_touches", []):
        reindex(kind, pks)


def connect_signals() -> None:
    """Keep the index in sync with every save and delete made through the ORM."""
    from django.db.backends.signals import connection_created

    from cadre.accountability.models import Commitment, Experiment
    from cadre.journal.models import JournalEntry, JournalTag
    from cadre.networks.models import Skill
    from cadre.repository.models import RepositoryItem
    from cadre.schedule.models import Session, SessionReport

    uid = "cadre.repository.search"
    connection_created.connect(register_sqlite_functions, dispatch_uid=f"{uid}.functions")
    if connection.connection is not None:  # a connection opened before this app was ready
        register_sqlite_functions(None, connection)
    for kind, model in (
        (ITEM, RepositoryItem),
        (ENTRY, JournalEntry),
        (COMMITMENT, Commitment),
        (EXPERIMENT, Experiment),
        (REPORT, SessionReport),
    ):
        name = model._meta.model_name
        post_save.connect(
            _saved(kind), sender=model, dispatch_uid=f"{uid}.{name}_saved", weak=False
        )
        post_delete.connect(
            _deleted(kind), sender=model, dispatch_uid=f"{uid}.{name}_deleted", weak=False
        )
    post_save.connect(_tag_changed, sender=JournalTag, dispatch_uid=f"{uid}.tag_saved")
    post_delete.connect(_tag_changed, sender=JournalTag, dispatch_uid=f"{uid}.tag_deleted")
    post_save.connect(_session_saved, sender=Session, dispatch_uid=f"{uid}.session_saved")
    m2m_changed.connect(
        _m2m_receiver(ITEM, "repository_items"),
        sender=RepositoryItem.skills.through,
        dispatch_uid=f"{uid}.item_skills",
        weak=False,
    )
    m2m_changed.connect(
        _m2m_receiver(ENTRY, "journal_entries"),
        sender=JournalEntry.skills.through,
        dispatch_uid=f"{uid}.entry_skills",
        weak=False,
    )
    post_save.connect(_skill_saved, sender=Skill, dispatch_uid=f"{uid}.skill_saved")
    pre_delete.connect(_skill_deleting, sender=Skill, dispatch_uid=f"{uid}.skill_deleting")
    post_delete.connect(_skill_deleted, sender=Skill, dispatch_uid=f"{uid}.skill_deleted")


# --- searching -------------------------------------------------------------------------------


@dataclass
class SearchResult:
    kind: str  # case_study, template, learning, journal, commitment, experiment or report
    kind_label: str
    title: str
    snippet: SafeString
    network: Any
    cohort: Any  # the item's origin cohort or the other kinds' cohort, or None
    reuse_count: int | None  # items only
    obj: Any
    created_at: Any
    author: Any = None  # who wrote it (None for items)
    url: str = ""  # set by the caller, which knows the pages

    @property
    def is_item(self) -> bool:
        return self.kind in ITEM_KINDS


def result_url(result: SearchResult) -> str:
    """The page of a result (an empty string if its app has none to offer)."""
    try:
        if result.is_item:
            return str(result.obj.get_absolute_url())
        if result.kind == JOURNAL:
            return reverse("journal:entry", args=[result.network.slug, result.obj.pk])
        where = [result.network.slug, result.cohort.slug]
        if result.kind == COMMITMENT_KIND:
            return reverse("accountability:commitment", args=[*where, result.obj.pk])
        if result.kind == EXPERIMENT_KIND:
            return reverse("accountability:experiment", args=[*where, result.obj.pk])
        return reverse("schedule:report", args=[*where, result.obj.session_id])
    except (AttributeError, NoReverseMatch):
        return ""


@dataclass
class SearchPage:
    results: list[SearchResult] = field(default_factory=list)
    count: int = 0  # exact up to COUNT_LIMIT
    more: bool = False  # True when more than COUNT_LIMIT documents match
    words: list[str] = field(default_factory=list)


class _Probe(Protocol):
    def visible(self, cursor: Any, pks: list[int]) -> Iterable[int]:
        """Those of `pks` (primary keys of one kind) that the searcher may read."""
        ...


_BATCH = object()  # stands for the batch of ids among the parameters of a compiled probe


class _QuerySetProbe:
    """Selects, among a batch of primary keys passed as one parameter, those of the objects
    in a network-wide permission QuerySet.

    It is compiled once per search and run once per batch, with the batch as a JSON array
    (SQLite) or an array (PostgreSQL): compiling `pk__in=[…]` for thousands of ids through
    the ORM on every batch would cost more than running the query."""

    def __init__(self, sql: str, params: list[Any]) -> None:
        self.sql, self.params = sql, params

    @classmethod
    def of(cls, qs: QuerySet[Any]) -> _QuerySetProbe | None:
        """None when `qs` is empty by construction (`.none()`)."""
        if _is_postgres():
            batch = RawSQL("SELECT unnest(%s::bigint[])", [_BATCH])
        else:
            batch = RawSQL("SELECT value FROM json_each(%s)", [_BATCH])
        probe = qs.filter(pk__in=batch).order_by().values_list("pk", flat=True)
        probe.query.distinct = False  # ids are unique already; DISTINCT would only cost
        try:
            sql, params = probe.query.sql_with_params()
        except EmptyResultSet:
            return None
        return cls(sql, list(params))

    def visible(self, cursor: Any, pks: list[int]) -> Iterable[int]:
        batch: Any = pks if _is_postgres() else json.dumps(pks)
        cursor.execute(self.sql, [batch if p is _BATCH else p for p in self.params])
        return [int(row[0]) for row in cursor.fetchall()]


class _CohortProbe:
    """For the kinds whose permission rule is written per cohort (commitments, experiments,
    session reports): finds the cohorts of a batch's objects, asks the owning app's policy
    for each cohort's QuerySet (once per cohort and search), and runs their union restricted
    to the batch in one query."""

    def __init__(
        self,
        model: Any,
        cohort_path: str,
        rule: Callable[[Any, Any], QuerySet[Any]],
        user: Any,
        network: Any,
        *,
        cohort: Any = None,
        narrow: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None,
    ) -> None:
        self.model, self.cohort_path, self.rule = model, cohort_path, rule
        self.user, self.network, self.cohort, self.narrow = user, network, cohort, narrow
        self.rules: dict[int, QuerySet[Any] | None] = {}

    def _rule_for(self, cohorts: dict[int, Any], cohort_id: int) -> QuerySet[Any] | None:
        if cohort_id not in self.rules:
            qs = self.rule(self.user, cohorts[cohort_id])
            if self.narrow is not None:
                qs = self.narrow(qs)
            self.rules[cohort_id] = None if qs.query.is_empty() else qs
        return self.rules[cohort_id]

    def visible(self, cursor: Any, pks: list[int]) -> Iterable[int]:
        from cadre.cohorts.models import Cohort

        found = self.model._default_manager.filter(
            pk__in=pks, **{f"{self.cohort_path}__network": self.network}
        )
        if self.cohort is not None:
            found = found.filter(**{self.cohort_path: self.cohort})
        by_cohort: dict[int, list[int]] = {}
        for pk, cohort_id in found.values_list("pk", f"{self.cohort_path}_id"):
            by_cohort.setdefault(cohort_id, []).append(pk)
        missing = [c for c in by_cohort if c not in self.rules]
        cohorts = Cohort.objects.select_related("network").in_bulk(missing) if missing else {}
        parts = [
            rule.filter(pk__in=cohort_pks)
            for cohort_id, cohort_pks in by_cohort.items()
            if (rule := self._rule_for(cohorts, cohort_id)) is not None
        ]
        if not parts:
            return []
        return list(reduce(operator.or_, parts).order_by().values_list("pk", flat=True))


def _probes(
    user: Any,
    network: Any,
    *,
    kind: str = "",
    skill: Any = None,
    cohort: Any = None,
) -> list[tuple[int, _Probe]]:
    """For each kind the filters let through, the check of what `user` may read, built on
    the permission QuerySets of the kind's own app."""
    from cadre.accountability.models import Commitment, Experiment
    from cadre.schedule.models import SessionReport

    probes: list[tuple[int, _Probe | None]] = []
    if kind in ("", *ITEM_KINDS):
        items = policy.visible_repository_items(user, network)
        if kind:
            items = items.filter(kind=kind)
        if skill is not None:
            items = items.filter(skills=skill)
        if cohort is not None:
            items = items.filter(origin_cohort=cohort)
        probes.append((ITEM, _QuerySetProbe.of(items)))
    if kind in ("", JOURNAL):
        entries = visible_journal_entries(user, network)
        if skill is not None:
            entries = entries.filter(skills=skill)
        if cohort is not None:
            entries = entries.filter(Q(cohort=cohort))
        probes.append((ENTRY, _QuerySetProbe.of(entries)))
    if kind in ("", COMMITMENT_KIND) and skill is None:  # commitments name no skill
        probes.append(
            (
                COMMITMENT,
                _CohortProbe(
                    Commitment, "cohort", visible_commitments, user, network, cohort=cohort
                ),
            )
        )
    if kind in ("", EXPERIMENT_KIND):
        narrow = None if skill is None else (lambda qs: qs.filter(skill=skill))
        probes.append(
            (
                EXPERIMENT,
                _CohortProbe(
                    Experiment,
                    "cohort",
                    visible_experiments,
                    user,
                    network,
                    cohort=cohort,
                    narrow=narrow,
                ),
            )
        )
    if kind in ("", REPORT_KIND) and skill is None:  # reports name no skill
        probes.append(
            (
                REPORT,
                _CohortProbe(
                    SessionReport,
                    "session__cohort",
                    visible_session_reports,
                    user,
                    network,
                    cohort=cohort,
                ),
            )
        )
    return [(kind_id, probe) for kind_id, probe in probes if probe is not None]


FIRST_BATCH = 200  # candidates checked against the permission rules in the first batch
MAX_BATCH = 4000  # the batches grow fourfold up to this many (also keeps SQL parameters few)


def _newest_sql(below: int | None) -> str:
    """Ids of matches, newest (highest id) first, below an id: no scoring needed."""
    column = f"{TABLE}.{_id_column()}"
    bound = "" if below is None else f" AND {column} < %s"
    if _is_postgres():
        where = f"{TABLE}.document @@ to_tsquery('{CONFIG}', %s)"
    else:
        where = f"{TABLE} MATCH %s"
    return f"SELECT {column} FROM {TABLE} WHERE {where}{bound} ORDER BY {column} DESC LIMIT %s"


def _rank_sql(low: int | None, below: int | None) -> str:
    """Ids of matches with low <= id < below, best first."""
    column = f"{TABLE}.{_id_column()}"
    bounds = ("" if low is None else f" AND {column} >= %s") + (
        "" if below is None else f" AND {column} < %s"
    )
    if _is_postgres():
        return (
            f"SELECT {column} FROM {TABLE}, to_tsquery('{CONFIG}', %s) q "
            f"WHERE {TABLE}.document @@ q{bounds} "
            f"ORDER BY ts_rank({TABLE}.document, q) DESC, {column}"
        )
    # `rank MATCH` sets bm25()'s column weights for FTS5's own `rank` column; ordering by
    # `rank` alone lets FTS5 sort the matches itself, without a second sort by SQLite.
    weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
    return (
        f"SELECT {column} FROM {TABLE} WHERE {TABLE} MATCH %s{bounds} "
        f"AND rank MATCH 'bm25({weights})' ORDER BY rank"
    )


def ranked_ids(
    cursor: Any, query: str, still_ranking: Callable[[], bool] = lambda: True
) -> Iterator[int]:
    """Every document id matching `query` (in the engine's language), best first within
    windows of RANK_WINDOW matches, newest window first (see "Bounded ranking"). The
    ranking is the engine's alone: nothing about the searcher is in it. Each window is read
    and ranked only when the caller asks for more; once `still_ranking()` turns false (the
    page is full and only the count needs more ids), later windows come unranked, newest
    first, which costs no scoring."""
    below: int | None = None
    while True:
        params: list[Any] = [query] + ([] if below is None else [below]) + [RANK_WINDOW + 1]
        cursor.execute(_newest_sql(below), params)
        newest = [int(row[0]) for row in cursor.fetchall()]
        if not newest:
            return
        low = newest[RANK_WINDOW - 1] if len(newest) > RANK_WINDOW else None
        if still_ranking():
            bounds = [b for b in (low, below) if b is not None]
            cursor.execute(_rank_sql(low, below), [query, *bounds])
            yield from (int(row[0]) for row in cursor.fetchall())
        else:
            yield from newest[:RANK_WINDOW]
        if low is None:
            return
        below = low


def _visible_ids(
    cursor: Any, doc_ids: Sequence[int], probes: Sequence[tuple[int, _Probe]]
) -> set[int]:
    """The document ids among `doc_ids` that pass their kind's probe: one query per kind
    (plus, for the cohort kinds, one to find the batch's cohorts)."""
    visible: set[int] = set()
    for kind_id, probe in probes:
        pks = [doc_id // MODULUS for doc_id in doc_ids if doc_id % MODULUS == kind_id]
        if pks:
            visible.update(pk * MODULUS + kind_id for pk in probe.visible(cursor, pks))
    return visible


def _next_batch(batch: int, missing: int, share: float) -> int:
    """How many ranked ids to check next: enough for the `missing` readable documents at the
    `share` of readable ones seen so far (with a margin), but at most four times the last
    batch and MAX_BATCH, and at least FIRST_BATCH. Checking more than needed is the cost of a
    search on common words, so the batch follows what the searcher turned out to see."""
    estimate = int(missing / max(share, 0.02) * 1.25) + 1
    return max(FIRST_BATCH, min(batch * 4, MAX_BATCH, estimate))


def search(
    user: Any,
    network: Any,
    text: str,
    *,
    kind: str = "",
    skill: Any = None,
    cohort: Any = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Documents of `network` that `user` may read, matching every word of `text` (see
    `plan`), best first, with their count (exact up to COUNT_LIMIT; `more` says there are
    more).

    The full-text engine ranks the matches for everyone alike (a window at a time for common
    words); the ranked ids are then read in batches (FIRST_BATCH, then as many as the
    readable share so far says are needed, growing at most fourfold a time up to MAX_BATCH)
    and each batch is checked against the permission rules of each kind, until the page is
    filled and COUNT_LIMIT + 1 readable documents are counted, or the matches run out
    (windows read only for the count, after the page is full, are not ranked). So
    the permission rules run only on the best-ranked matches, however common the words, and
    a page stays full and in rank order even when most of the top matches are hidden from
    the searcher."""
    words = query_words(text)
    page = SearchPage(words=words)
    if not words:
        return page
    conjuncts = plan(words)
    if not conjuncts:  # stop words only
        return page
    probes = _probes(user, network, kind=kind, skill=skill, cohort=cohort)
    if not probes:
        return page
    wanted = max(offset + limit, COUNT_LIMIT + 1)
    found: list[int] = []  # readable document ids, best first
    batch, checked = FIRST_BATCH, 0
    shown = offset + limit  # the results that must be in rank order; the rest are counted
    with connection.cursor() as ranked, connection.cursor() as cursor:
        ids = ranked_ids(ranked, engine_query(conjuncts), lambda: len(found) < shown)
        while len(found) < wanted:
            doc_ids = list(islice(ids, batch))
            if not doc_ids:
                break
            visible = _visible_ids(cursor, doc_ids, probes)
            found += [doc_id for doc_id in doc_ids if doc_id in visible]
            checked += len(doc_ids)
            batch = _next_batch(batch, wanted - len(found), len(found) / checked)
    page.count = min(len(found), COUNT_LIMIT)
    page.more = len(found) > COUNT_LIMIT
    page.results = _load(found[offset : offset + limit], words, conjuncts)
    return page


def _load(
    ids: list[int], words: Sequence[str], conjuncts: Sequence[Conjunct]
) -> list[SearchResult]:
    from cadre.accountability.models import Commitment, Experiment
    from cadre.journal.models import JournalEntry
    from cadre.repository.models import RepositoryItem
    from cadre.schedule.models import SessionReport

    wanted: dict[int, list[int]] = {}
    for doc_id in ids:
        wanted.setdefault(doc_id % MODULUS, []).append(doc_id // MODULUS)
    managers: dict[int, Any] = {
        ITEM: RepositoryItem.objects.select_related("network", "origin_cohort"),
        ENTRY: JournalEntry.objects.select_related("network", "cohort", "author").prefetch_related(
            "tags"
        ),
        COMMITMENT: Commitment.objects.select_related("cohort__network", "owner"),
        EXPERIMENT: Experiment.objects.select_related("cohort__network", "owner"),
        REPORT: SessionReport.objects.select_related("session__cohort__network", "published_by"),
    }
    loaded = {kind: managers[kind].in_bulk(pks) for kind, pks in wanted.items()}
    pattern = highlight_pattern(words, conjuncts)
    results = []
    for doc_id in ids:
        obj = loaded[doc_id % MODULUS].get(doc_id // MODULUS)
        if obj is not None:
            results.append(_result(doc_id % MODULUS, obj, pattern))
    return results


def _result(kind: int, obj: Any, pattern: re.Pattern[str] | None) -> SearchResult:
    if kind == ITEM:
        return SearchResult(
            kind=obj.kind,
            kind_label=str(KIND_LABELS.get(obj.kind, obj.kind)),
            title=obj.title,
            snippet=snippet([obj.summary, obj.body], pattern),
            network=obj.network,
            cohort=obj.origin_cohort,
            reuse_count=obj.reuse_count,
            obj=obj,
            created_at=obj.created_at,
        )
    if kind == ENTRY:
        tags = " ".join(t.name for t in obj.tags.all())
        return SearchResult(
            kind=JOURNAL,
            kind_label=str(KIND_LABELS[JOURNAL]),
            title=obj.title,
            snippet=snippet([obj.body, tags], pattern),
            network=obj.network,
            cohort=obj.cohort,
            reuse_count=None,
            obj=obj,
            created_at=obj.created_at,
            author=obj.author,
        )
    if kind == COMMITMENT:
        texts = [obj.text, obj.deliverable, obj.evidence]
        title, name, cohort, author, created = (
            obj.text,
            COMMITMENT_KIND,
            obj.cohort,
            obj.owner,
            obj.created_at,
        )
    elif kind == EXPERIMENT:
        texts = [
            obj.hypothesis,
            obj.plan,
            obj.learnings,
            obj.result_data,
            obj.next_steps,
            obj.capability,
        ]
        title, name, cohort, author, created = (
            obj.title,
            EXPERIMENT_KIND,
            obj.cohort,
            obj.owner,
            obj.created_at,
        )
    else:
        texts = [obj.body, obj.what_worked, obj.what_did_not]
        session = obj.session
        title, name, cohort, author = session.label, REPORT_KIND, session.cohort, obj.published_by
        created = obj.published_at or session.starts_at
    return SearchResult(
        kind=name,
        kind_label=str(KIND_LABELS[name]),
        title=title,
        snippet=snippet(texts, pattern),
        network=cohort.network,
        cohort=cohort,
        reuse_count=None,
        obj=obj,
        created_at=created,
        author=author,
    )


# --- did you mean -----------------------------------------------------------------------------

SUGGEST_WORDS = 4  # words of a query for which nearer words are looked for
SUGGEST_CANDIDATES = 3  # nearest indexed words tried per word
SUGGEST_TRIES = 6  # searches run, at most, to check suggestions
SUGGEST_CUTOFF = 0.75  # how alike (difflib's ratio) a suggested word must be


def _likeness(word: str, term: str) -> float:
    """How alike a query word and an indexed word (a stem, often shorter) are: the better of
    the two whole words and of the term with the word's start of the same length."""
    whole = difflib.SequenceMatcher(None, word, term).ratio()
    if len(term) < len(word):
        start = difflib.SequenceMatcher(None, word[: len(term)], term).ratio() - 0.05
        return max(whole, start)
    return whole


def near_words(word: str) -> list[str]:
    """The indexed words nearest to `word`: same first letter, similar length, most alike
    first, at least SUGGEST_CUTOFF alike, `word` itself left out."""
    shortest, longest = max(2, len(word) - 4), len(word) + 2
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                f"SELECT word FROM {WORDS} WHERE left(word, 1) = %s "
                "AND length(word) BETWEEN %s AND %s",
                [word[0], shortest, longest],
            )
        else:
            cursor.execute(
                f"SELECT term FROM {VOCAB} WHERE term >= %s AND term < %s "
                "AND length(term) BETWEEN %s AND %s",
                [word[0], chr(ord(word[0]) + 1), shortest, longest],
            )
        terms = [str(row[0]) for row in cursor.fetchall()]
    scored = sorted(
        ((_likeness(word, t), t) for t in terms if t != word), key=lambda st: (-st[0], st[1])
    )
    return [t for score, t in scored[:SUGGEST_CANDIDATES] if score >= SUGGEST_CUTOFF]


def _written_form(term: str, result: SearchResult) -> str:
    """The word that the stem `term` stands for, as written in a result (Porter's stems end
    where the word does, or one or two letters earlier: `incid`, `wallabi`), else the stem."""
    text = result.title + " " + re.sub(r"<[^>]*>", "", str(result.snippet))
    for end in range(len(term), max(len(term) - 3, 1), -1):
        found = re.search(rf"\b{re.escape(term[:end])}\w*", text, re.IGNORECASE)
        if found:
            return found.group(0).lower()
    return term


def did_you_mean(user: Any, network: Any, text: str, **filters: Any) -> str:
    """A query like `text` that finds something `user` may read, for a search that found
    nothing; an empty string when there is none. Words the searcher finds on their own are
    kept; each other word is replaced by one of its nearest indexed words, and a suggestion
    counts only if its own search finds a readable document (so the words suggested are
    words of documents the searcher may read, never of hidden ones)."""
    words = query_words(text)
    if not words:
        return ""
    nearest: dict[int, list[str]] = {}
    for i, word in enumerate(words[:SUGGEST_WORDS]):
        if word in STOP_WORDS or search(user, network, word, limit=1, **filters).count:
            continue
        if candidates := near_words(word):
            nearest[i] = candidates
    tries: list[dict[int, str]] = []
    if nearest:
        tries.append({i: c[0] for i, c in nearest.items()})
        tries += [{i: c} for i, cs in nearest.items() for c in cs]
    for replaced in tries[:SUGGEST_TRIES]:
        suggested = [replaced.get(i, w) for i, w in enumerate(words)]
        page = search(user, network, " ".join(suggested), limit=1, **filters)
        if page.results:
            first = page.results[0]
            return " ".join(
                _written_form(w, first) if i in replaced else w for i, w in enumerate(suggested)
            )
    return ""


# --- snippets ---------------------------------------------------------------------------------

# HTML tags, link targets, blockquote marks and emphasis/heading/code characters.
_MARKUP = re.compile(r"<[^>\n]*>|\]\([^)]*\)|^\s*>+|[#*_`~|\[\]!]+", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def highlight_pattern(
    words: Sequence[str], conjuncts: Sequence[Conjunct] = ()
) -> re.Pattern[str] | None:
    """Words starting with one of the query's words (so `incident` marks `incidents`), and
    the compounds the query may have matched (`standup` marks `stand-up` and `stand up`)."""
    if not words:
        return None
    alternatives = sorted(set(words), key=len, reverse=True)
    pieces = [re.escape(w) for w in alternatives]
    for conjunct in conjuncts:
        for a in conjunct:
            if len(a.tokens) == 2:  # a word split in two: either way of writing it
                pieces.insert(0, r"[-\s]*".join(re.escape(t) for t in a.tokens))
            elif a.tokens[0] not in words:  # two query words joined: also hyphenated
                pieces.append(re.escape(a.tokens[0]))
    return re.compile(rf"\b(?:{'|'.join(pieces)})\w*", re.IGNORECASE)


def plain_text(markdown: str) -> str:
    """Markdown with its markup, HTML tags and link targets dropped, on one line."""
    return _SPACE.sub(" ", _MARKUP.sub(" ", markdown)).strip()


def snippet(texts: Sequence[str], pattern: re.Pattern[str] | None) -> SafeString:
    """About SNIPPET_WORDS words around the first match in the first text that has one, with
    the matched words in <mark>. The text is escaped before any markup is added, so what the
    user wrote is never taken as HTML."""
    plains = [plain_text(t) for t in texts if t]
    chosen, found = (plains[0] if plains else ""), None
    if pattern is not None:
        for text in plains:
            found = pattern.search(text)
            if found:
                chosen = text
                break
    start = 0
    if found:
        # Start a few words before the match, at a word boundary.
        before = chosen[: found.start()].split(" ")
        start = max(0, found.start() - len(" ".join(before[-6:])))
    words = chosen[start:].split(" ")
    cut = " ".join(words[:SNIPPET_WORDS])
    prefix = "… " if start > 0 else ""
    suffix = " …" if len(words) > SNIPPET_WORDS else ""
    if pattern is None:
        return mark_safe(prefix + html.escape(cut) + suffix)
    out, last = [], 0
    for m in pattern.finditer(cut):
        out.append(html.escape(cut[last : m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        last = m.end()
    out.append(html.escape(cut[last:]))
    # Safe: every piece of the text was escaped above; only <mark> is ours.
    return mark_safe(prefix + "".join(out) + suffix)


# --- rate limit -------------------------------------------------------------------------------


class SearchRateThrottle(UserRateThrottle):
    """Searches per person, shared by the search page and the API endpoint. The rate is the
    CADRE_SEARCH_RATE setting (default 30/m), read on each request so tests can change it."""

    scope = "cadre_search"
    default_rate = "30/m"

    def __init__(self) -> None:
        super().__init__(self.default_rate)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, "CADRE_SEARCH_RATE", self.default_rate)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)
