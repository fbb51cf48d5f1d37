"""Full-text search over the shared repository and the learning journal, in one ranked list.

Every repository item and journal entry has one search document in the table
`repository_search`, under an id that says which it is (`2 * pk` for an item, `2 * pk + 1`
for an entry). A document has three weighted parts: the title (most weight), the summary with
the skills and tags, and the Markdown body (least weight). Skills and tags live in other
tables, which is why the document is stored and kept up to date rather than computed by an
expression index on the item's own row.

- On SQLite the table is an FTS5 virtual table (Porter stemming over unicode61, prefix
  indexes for 2, 3 and 4 characters since every query's last word is a prefix), ranked by
  `bm25()` with column weights 10 / 4 / 1.
- On PostgreSQL it is a plain table with a `tsvector` column (English configuration,
  `setweight` A / B / C) under a GIN index, ranked by `ts_rank`.

Documents are rewritten by signal receivers (connected in RepositoryConfig.ready()) when an
item, an entry, their skills or an entry's tags change, and removed with them. Rows written
with bulk_create or raw SQL bypass signals: call `rebuild_index()` (or `cadre
rebuild_search_index`) after those.

Who sees what is decided by cadre.repository.policy alone. A search first ranks every match
on the search table alone (the ranking is the same for everyone), then reads the ranked ids
in growing batches and keeps those whose item or entry is in the permission QuerySets,
compiled once into one probe per kind and run per batch, until the page is full and the
count has passed COUNT_LIMIT. A document the searcher may not read is thus never returned or
counted, the results keep the engine's order, and the permission rules run on the best
matches only, never on every match of a common word.

The user's query is never handed to the database's query language: it is cut into words
(letters and digits only), each word is quoted, and the words are ANDed, with a prefix match
on the last one, so quotes, operators and stray brackets cannot cause a syntax error.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

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

from cadre.journal.policy import visible_journal_entries
from cadre.repository import policy

TABLE = "repository_search"
ITEM, ENTRY = 0, 1
JOURNAL = "journal"  # the `kind` of a journal entry in results and filters
MAX_QUERY_CHARS = 2000  # longer queries are refused (pages and API alike)
MAX_WORDS = 16  # words of a query that are used; the rest are ignored
MAX_WORD_CHARS = 64
SNIPPET_WORDS = 30
COUNT_LIMIT = 1000  # results are counted exactly up to this many, and paged up to it
ITEM_KINDS = ("case_study", "template", "learning")
KIND_LABELS = {
    "case_study": gettext_lazy("Case study"),
    "template": gettext_lazy("Template"),
    "learning": gettext_lazy("Learning"),
    JOURNAL: gettext_lazy("Journal entry"),
}
# bm25() weights of the FTS5 columns title, extra (summary, skills, tags), body.
FTS5_WEIGHTS = (10.0, 4.0, 1.0)

_WORD = re.compile(r"[^\W_]+")


# --- the query ------------------------------------------------------------------------------


def query_words(text: str) -> list[str]:
    """The words of a user's query, lower-cased, at most MAX_WORDS of them: runs of letters
    and digits. Everything else (quotes, operators, brackets, `*`, `-`) separates words."""
    words = [w.lower()[:MAX_WORD_CHARS] for w in _WORD.findall(text[:4000])]
    return words[:MAX_WORDS]


def _fts5_match(words: Sequence[str]) -> str:
    """`"w1" "w2" "w3"*`: every word required, the last also as a prefix. Words hold only
    letters and digits, so quoting them makes any operator a plain string."""
    parts = [f'"{w}"' for w in words]
    parts[-1] += "*"
    return " ".join(parts)


def _tsquery(words: Sequence[str]) -> str:
    """`w1 & w2 & w3:*` for to_tsquery(): the same meaning as the FTS5 query."""
    parts = list(words)
    parts[-1] += ":*"
    return " & ".join(parts)


# --- keeping the index in sync ---------------------------------------------------------------


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _documents_sql(kind: int, where: str) -> str:
    """SELECT id, title, extra, body of the search documents of items (kind ITEM) or entries
    (ENTRY) whose primary key satisfies `where` (SQL about `o.id`)."""
    agg = "string_agg" if _is_postgres() else "group_concat"
    if kind == ITEM:
        return f"""
            SELECT o.id * 2 AS id, o.title AS title,
                   o.summary || ' ' || COALESCE((
                       SELECT {agg}(s.name, ' ') FROM repository_repositoryitem_skills j
                       JOIN networks_skill s ON s.id = j.skill_id
                       WHERE j.repositoryitem_id = o.id), '') AS extra,
                   o.body AS body
            FROM repository_repositoryitem o WHERE {where}"""
    return f"""
        SELECT o.id * 2 + 1 AS id, o.title AS title,
               COALESCE((SELECT {agg}(t.name, ' ') FROM journal_journaltag t
                         WHERE t.entry_id = o.id), '') || ' ' || COALESCE((
                   SELECT {agg}(s.name, ' ') FROM journal_journalentry_skills j
                   JOIN networks_skill s ON s.id = j.skill_id
                   WHERE j.journalentry_id = o.id), '') AS extra,
               o.body AS body
        FROM journal_journalentry o WHERE {where}"""


def _insert_sql(select: str) -> str:
    if _is_postgres():
        return f"""
            INSERT INTO {TABLE} (id, document)
            SELECT d.id,
                   setweight(to_tsvector('english', d.title), 'A')
                   || setweight(to_tsvector('english', d.extra), 'B')
                   || setweight(to_tsvector('english', d.body), 'C')
            FROM ({select}) d"""
    return f"INSERT INTO {TABLE} (rowid, title, extra, body) SELECT id, title, extra, body FROM ({select}) d"


def _id_column() -> str:
    return "id" if _is_postgres() else "rowid"


def reindex(kind: int, pks: Iterable[int]) -> None:
    """Rewrite the documents of these items or entries (removing those that no longer
    exist)."""
    pks = sorted({int(pk) for pk in pks})
    if not pks:
        return
    marks = ", ".join(["%s"] * len(pks))
    ids = [pk * 2 + kind for pk in pks]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE {_id_column()} IN ({marks})", ids)
        cursor.execute(_insert_sql(_documents_sql(kind, f"o.id IN ({marks})")), pks)


def remove(kind: int, pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE {_id_column()} = %s", [pk * 2 + kind])


def rebuild_index() -> int:
    """Rewrite every document from the items and entries, in two set-based statements.
    Returns the number of documents."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        for kind in (ITEM, ENTRY):
            cursor.execute(_insert_sql(_documents_sql(kind, "1 = 1")))
        if not _is_postgres():
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return int(cursor.fetchone()[0])


# Signal receivers. Each one names the items or entries whose document changed.


def _item_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    reindex(ITEM, [instance.pk])


def _item_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    remove(ITEM, instance.pk)


def _entry_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    reindex(ENTRY, [instance.pk])


def _entry_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    remove(ENTRY, instance.pk)


def _tag_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    reindex(ENTRY, [instance.entry_id])


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


def _skill_touches(skill: Any) -> tuple[list[int], list[int]]:
    return (
        list(skill.repository_items.values_list("pk", flat=True)),
        list(skill.journal_entries.values_list("pk", flat=True)),
    )


def _skill_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:  # a renamed skill changes the documents that name it
        items, entries = _skill_touches(instance)
        reindex(ITEM, items)
        reindex(ENTRY, entries)


def _skill_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._search_touches = _skill_touches(instance)


def _skill_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    items, entries = getattr(instance, "_search_touches", ([], []))
    reindex(ITEM, items)
    reindex(ENTRY, entries)


def connect_signals() -> None:
    """Keep the index in sync with every save and delete made through the ORM."""
    from cadre.journal.models import JournalEntry, JournalTag
    from cadre.networks.models import Skill
    from cadre.repository.models import RepositoryItem

    uid = "cadre.repository.search"
    post_save.connect(_item_saved, sender=RepositoryItem, dispatch_uid=f"{uid}.item_saved")
    post_delete.connect(_item_deleted, sender=RepositoryItem, dispatch_uid=f"{uid}.item_deleted")
    post_save.connect(_entry_saved, sender=JournalEntry, dispatch_uid=f"{uid}.entry_saved")
    post_delete.connect(_entry_deleted, sender=JournalEntry, dispatch_uid=f"{uid}.entry_deleted")
    post_save.connect(_tag_changed, sender=JournalTag, dispatch_uid=f"{uid}.tag_saved")
    post_delete.connect(_tag_changed, sender=JournalTag, dispatch_uid=f"{uid}.tag_deleted")
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
    kind: str  # case_study, template, learning or journal
    kind_label: str
    title: str
    snippet: SafeString
    network: Any
    cohort: Any  # the item's origin cohort or the entry's cohort, or None
    reuse_count: int | None  # items only
    obj: Any
    created_at: Any
    url: str = ""  # set by the caller, which knows the pages

    @property
    def is_item(self) -> bool:
        return self.kind != JOURNAL


def result_url(result: SearchResult) -> str:
    """The page of a result (an empty string if its app has none to offer)."""
    try:
        if result.is_item:
            return str(result.obj.get_absolute_url())
        return reverse("journal:entry", args=[result.network.slug, result.obj.pk])
    except (AttributeError, NoReverseMatch):
        return ""


@dataclass
class SearchPage:
    results: list[SearchResult] = field(default_factory=list)
    count: int = 0  # exact up to COUNT_LIMIT
    more: bool = False  # True when more than COUNT_LIMIT documents match
    words: list[str] = field(default_factory=list)


def _candidates(
    user: Any,
    network: Any,
    *,
    kind: str = "",
    skill: Any = None,
    cohort: Any = None,
) -> tuple[QuerySet[Any] | None, QuerySet[Any] | None]:
    """The items and entries the user may read that pass the filters, as QuerySets from the
    permission layer (None when the filter excludes the whole type)."""
    items: QuerySet[Any] | None = None
    entries: QuerySet[Any] | None = None
    if kind in ("", *ITEM_KINDS):
        items = policy.visible_repository_items(user, network)
        if kind:
            items = items.filter(kind=kind)
        if skill is not None:
            items = items.filter(skills=skill)
        if cohort is not None:
            items = items.filter(origin_cohort=cohort)
    if kind in ("", JOURNAL):
        entries = visible_journal_entries(user, network)
        if skill is not None:
            entries = entries.filter(skills=skill)
        if cohort is not None:
            entries = entries.filter(Q(cohort=cohort))
    return items, entries


FIRST_BATCH = 200  # candidates checked against the permission rules in the first batch
MAX_BATCH = 4000  # the batches grow fourfold up to this many (also keeps SQL parameters few)


def _ranked_sql(words: Sequence[str]) -> tuple[str, list[Any]]:
    """Every matching document id, best first, with no regard to who is searching: the
    ranking is the full-text engine's alone, so it runs on the search table only."""
    column = f"{TABLE}.{_id_column()}"
    if _is_postgres():
        return (
            f"SELECT {column} FROM {TABLE}, to_tsquery('english', %s) q "
            f"WHERE {TABLE}.document @@ q ORDER BY ts_rank({TABLE}.document, q) DESC, {column}",
            [_tsquery(words)],
        )
    # `rank MATCH` sets bm25()'s column weights for FTS5's own `rank` column; ordering by
    # `rank` alone lets FTS5 sort the matches itself, without a second sort by SQLite.
    weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
    return (
        f"SELECT {column} FROM {TABLE} WHERE {TABLE} MATCH %s "
        f"AND rank MATCH 'bm25({weights})' ORDER BY rank",
        [_fts5_match(words)],
    )


_BATCH = object()  # stands for the batch of ids among the parameters of a compiled probe


def _probe(qs: QuerySet[Any] | None) -> tuple[str, list[Any]] | None:
    """SQL that selects, among a batch of primary keys passed as one parameter, those of the
    objects in `qs`; None when `qs` is None or empty by construction (`.none()`).

    It is compiled once per search and run once per batch, with the batch as a JSON array
    (SQLite) or an array (PostgreSQL): compiling `pk__in=[…]` for thousands of ids through
    the ORM on every batch would cost more than running the query."""
    if qs is None:
        return None
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
    return sql, list(params)


def _visible_ids(
    cursor: Any, doc_ids: Sequence[int], probes: Sequence[tuple[int, tuple[str, list[Any]]]]
) -> set[int]:
    """The document ids among `doc_ids` whose item or entry passes its kind's probe: one
    query per kind, each a lookup by primary key under the permission rules' predicates."""
    visible: set[int] = set()
    for kind_id, (sql, params) in probes:
        pks = [doc_id // 2 for doc_id in doc_ids if doc_id % 2 == kind_id]
        if not pks:
            continue
        batch: Any = pks if _is_postgres() else json.dumps(pks)
        cursor.execute(sql, [batch if p is _BATCH else p for p in params])
        visible.update(int(row[0]) * 2 + kind_id for row in cursor.fetchall())
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
    """Items and entries of `network` that `user` may read, matching every word of `text`,
    best first, with their count (exact up to COUNT_LIMIT; `more` says there are more).

    The full-text engine ranks every match once, for everyone alike; the ranked ids are then
    read in batches (FIRST_BATCH, then as many as the readable share so far says are needed,
    growing at most fourfold a time up to MAX_BATCH) and each batch is checked against the
    permission QuerySets in two queries, until the page is filled and COUNT_LIMIT + 1
    readable documents are counted, or the matches run out. So the permission rules run only on the best-ranked matches, however common the
    words, and a page stays full and in rank order even when most of the top matches are
    hidden from the searcher."""
    words = query_words(text)
    page = SearchPage(words=words)
    if not words:
        return page
    items, entries = _candidates(user, network, kind=kind, skill=skill, cohort=cohort)
    probes = [
        (kind_id, probe)
        for kind_id, qs in ((ITEM, items), (ENTRY, entries))
        if (probe := _probe(qs)) is not None
    ]
    if not probes:
        return page
    wanted = max(offset + limit, COUNT_LIMIT + 1)
    found: list[int] = []  # readable document ids, best first
    sql, params = _ranked_sql(words)
    batch, checked = FIRST_BATCH, 0
    with connection.cursor() as ranked, connection.cursor() as cursor:
        ranked.execute(sql, params)
        while len(found) < wanted:
            rows = ranked.fetchmany(batch)
            if not rows:
                break
            doc_ids = [int(row[0]) for row in rows]
            visible = _visible_ids(cursor, doc_ids, probes)
            found += [doc_id for doc_id in doc_ids if doc_id in visible]
            checked += len(doc_ids)
            batch = _next_batch(batch, wanted - len(found), len(found) / checked)
    page.count = min(len(found), COUNT_LIMIT)
    page.more = len(found) > COUNT_LIMIT
    page.results = _load(found[offset : offset + limit], words)
    return page


def _load(ids: list[int], words: Sequence[str]) -> list[SearchResult]:
    from cadre.journal.models import JournalEntry
    from cadre.repository.models import RepositoryItem

    item_ids = [i // 2 for i in ids if i % 2 == ITEM]
    entry_ids = [i // 2 for i in ids if i % 2 == ENTRY]
    items = (
        RepositoryItem.objects.select_related("network", "origin_cohort").in_bulk(item_ids)
        if item_ids
        else {}
    )
    entries = (
        JournalEntry.objects.select_related("network", "cohort", "author")
        .prefetch_related("tags")
        .in_bulk(entry_ids)
        if entry_ids
        else {}
    )
    pattern = highlight_pattern(words)
    results = []
    for doc_id in ids:
        if doc_id % 2 == ITEM:
            item = items.get(doc_id // 2)
            if item is None:
                continue
            results.append(
                SearchResult(
                    kind=item.kind,
                    kind_label=str(KIND_LABELS.get(item.kind, item.kind)),
                    title=item.title,
                    snippet=snippet([item.summary, item.body], pattern),
                    network=item.network,
                    cohort=item.origin_cohort,
                    reuse_count=item.reuse_count,
                    obj=item,
                    created_at=item.created_at,
                )
            )
        else:
            entry = entries.get(doc_id // 2)
            if entry is None:
                continue
            tags = " ".join(t.name for t in entry.tags.all())
            results.append(
                SearchResult(
                    kind=JOURNAL,
                    kind_label=str(KIND_LABELS[JOURNAL]),
                    title=entry.title,
                    snippet=snippet([entry.body, tags], pattern),
                    network=entry.network,
                    cohort=entry.cohort,
                    reuse_count=None,
                    obj=entry,
                    created_at=entry.created_at,
                )
            )
    return results


# --- snippets ---------------------------------------------------------------------------------

# HTML tags, link targets, blockquote marks and emphasis/heading/code characters.
_MARKUP = re.compile(r"<[^>\n]*>|\]\([^)]*\)|^\s*>+|[#*_`~|\[\]!]+", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def highlight_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """Words starting with one of the query's words (so `incident` marks `incidents`)."""
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


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
