"""Full-text search of the library and the journal (cadre/repository/search.py): ranking,
filters, pagination, hostile queries, keeping the index in sync, and who finds what.

These tests run on SQLite (FTS5) and on PostgreSQL (tsvector) alike."""

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from cadre.journal.models import JournalEntry, JournalTag
from cadre.journal.policy import visible_journal_entries
from cadre.networks.models import NetworkMembership, Role, Skill
from cadre.repository import search as backend
from cadre.repository.models import PartnerGroup, RepositoryItem
from cadre.repository.policy import visible_repository_items
from cadre.testing import make_user

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "   ",
    '"',
    '"unterminated',
    "'",
    "AND",
    "runbook AND",
    "OR OR",
    "NOT",
    "*",
    "run*",
    "NEAR(",
    "NEAR(runbook incident, 2)",
    "-",
    "-runbook",
    "runbook -incident",
    "title:runbook",
    "{title}: x",
    "^runbook",
    "(((",
    ")",
    "a & b | !c <-> d:*",
    "\\",
    "%s %% _ ;--",
    "'; DROP TABLE repository_search; --",
    "Überprüfung café naïve 東京 🚀",
    "\x00null",
    "runbook " * 300,
    "x" * 2000,
]


def item(network: Any, title: str, body: str = "", **extra: Any) -> RepositoryItem:
    extra.setdefault("kind", "learning")
    return RepositoryItem.objects.create(network=network, title=title, body=body, **extra)


def entry(author: Any, network: Any, title: str, body: str = "x", **extra: Any) -> JournalEntry:
    return JournalEntry.objects.create(
        network=network, author=author, title=title, body=body, **extra
    )


def titles(page: backend.SearchPage) -> list[str]:
    return [r.title for r in page.results]


def found(user: Any, network: Any, text: str, **filters: Any) -> set[str]:
    return set(titles(backend.search(user, network, text, limit=100, **filters)))


# --- ranking and matching -----------------------------------------------------------------


def test_title_match_outranks_body_match(cast: Any) -> None:
    body_only = item(cast.network, "Notes from Tuesday", "We tried a kettlebell warm-up once.")
    in_title = item(cast.network, "Kettlebell warm-ups", "Short sessions before stand-up.")
    page = backend.search(cast.member, cast.network, "kettlebell")
    assert titles(page) == [in_title.title, body_only.title]
    assert page.count == 2


def test_items_and_entries_share_one_ranked_list(cast: Any) -> None:
    item(cast.network, "Quarterly report", "The pager rotation was mentioned.")
    entry(cast.member, cast.network, "Pager rotation fatigue", visibility="network")
    page = backend.search(cast.member, cast.network, "pager rotation")
    assert titles(page) == ["Pager rotation fatigue", "Quarterly report"]
    assert [r.kind for r in page.results] == ["journal", "learning"]


def test_every_word_must_match_and_the_last_is_a_prefix(cast: Any) -> None:
    item(cast.network, "Game day checklist", "incident drills")
    item(cast.network, "Game night", "board games")
    assert found(cast.member, cast.network, "game checkl") == {"Game day checklist"}
    assert found(cast.member, cast.network, "game drills") == {"Game day checklist"}
    assert found(cast.member, cast.network, "game") == {"Game day checklist", "Game night"}


def test_stemming_matches_other_forms_of_a_word(cast: Any) -> None:
    item(cast.network, "Incidents we reviewed", "")
    assert found(cast.member, cast.network, "incident reviews") == {"Incidents we reviewed"}


def test_result_carries_kind_origin_reuse_count_and_a_highlighted_snippet(cast: Any) -> None:
    made = item(
        cast.network,
        "Blameless postmortem template",
        "Start with the **timeline**, then ask what made the outage likely.",
        kind="template",
        template_kind="agenda",
        origin_cohort=cast.cohort,
        reuse_count=3,
    )
    (result,) = backend.search(cast.member, cast.network, "outage").results
    assert (result.kind, result.kind_label, result.obj) == ("template", "Template", made)
    assert result.network == cast.network and result.cohort == cast.cohort
    assert result.reuse_count == 3
    assert "<mark>outage</mark>" in result.snippet
    assert "**" not in result.snippet


def test_snippet_escapes_what_the_author_wrote(cast: Any) -> None:
    item(cast.network, "Escaping", "<script>alert('x')</script> the <b>outage</b> if a < b & c")
    (result,) = backend.search(cast.member, cast.network, "outage").results
    assert "<script" not in result.snippet and "<b>" not in result.snippet
    assert "a &lt; b &amp; c" in result.snippet
    assert "<mark>outage</mark>" in result.snippet


def test_skills_and_tags_are_searchable(cast: Any) -> None:
    skill = Skill.objects.get(network=cast.network, name="Facilitation")
    tagged_item = item(cast.network, "Item one", "nothing here")
    tagged_item.skills.add(skill)
    written = entry(cast.member, cast.network, "Entry one", visibility="network")
    JournalTag.objects.create(entry=written, name="retro-format")
    assert found(cast.member, cast.network, "facilitation") == {"Item one"}
    assert found(cast.member, cast.network, "retro format") == {"Entry one"}


# --- filters and pagination ---------------------------------------------------------------


@pytest.fixture
def mixed(cast: Any) -> dict[str, Any]:
    facilitation = Skill.objects.get(network=cast.network, name="Facilitation")
    data = Skill.objects.get(network=cast.network, name="Data analysis")
    case = item(cast.network, "Runbook case", kind="case_study", origin_cohort=cast.cohort)
    item(cast.network, "Runbook template", kind="template", template_kind="agenda")
    learning = item(cast.network, "Runbook learning", origin_cohort=cast.other_cohort)
    written = entry(
        cast.member, cast.network, "Runbook entry", visibility="cohort", cohort=cast.cohort
    )
    case.skills.add(facilitation)
    written.skills.add(facilitation)
    learning.skills.add(data)
    return {"facilitation": facilitation, "data": data}


def test_filter_by_kind(cast: Any, mixed: dict[str, Any]) -> None:
    assert found(cast.member, cast.network, "runbook", kind="template") == {"Runbook template"}
    assert found(cast.member, cast.network, "runbook", kind="case_study") == {"Runbook case"}
    assert found(cast.member, cast.network, "runbook", kind="journal") == {"Runbook entry"}
    assert len(found(cast.member, cast.network, "runbook")) == 4


def test_filter_by_skill(cast: Any, mixed: dict[str, Any]) -> None:
    assert found(cast.member, cast.network, "runbook", skill=mixed["facilitation"]) == {
        "Runbook case",
        "Runbook entry",
    }
    assert found(cast.member, cast.network, "runbook", skill=mixed["data"]) == {"Runbook learning"}


def test_filter_by_cohort(cast: Any, mixed: dict[str, Any]) -> None:
    assert found(cast.member, cast.network, "runbook", cohort=cast.cohort) == {
        "Runbook case",
        "Runbook entry",
    }
    assert found(cast.member, cast.network, "runbook", cohort=cast.other_cohort) == {
        "Runbook learning"
    }
    assert found(cast.member, cast.network, "runbook", cohort=cast.cohort, kind="template") == set()


def test_pages_cover_every_result_once(cast: Any) -> None:
    for n in range(25):
        item(cast.network, f"Checklist number {n}", "")
    pages = [
        backend.search(cast.member, cast.network, "checklist", limit=10, offset=o)
        for o in (0, 10, 20)
    ]
    assert [p.count for p in pages] == [25, 25, 25]
    assert [len(p.results) for p in pages] == [10, 10, 5]
    seen = [t for p in pages for t in titles(p)]
    assert len(set(seen)) == 25
    assert backend.search(cast.member, cast.network, "checklist", offset=40).results == []


def test_counting_stops_past_the_limit(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(backend, "COUNT_LIMIT", 3)
    for n in range(5):
        item(cast.network, f"Checklist {n}", "")
    page = backend.search(cast.member, cast.network, "checklist", limit=2)
    assert (page.count, page.more, len(page.results)) == (3, True, 2)
    page = backend.search(cast.member, cast.network, "checklist 4")
    assert (page.count, page.more) == (1, False)


# --- hostile queries ----------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_query_never_errors(cast: Any, text: str) -> None:
    item(cast.network, "Runbook incident review", "")
    page = backend.search(cast.member, cast.network, text)
    assert page.count == len(page.results) <= 1
    # And the table is still there.
    assert found(cast.member, cast.network, "runbook") == {"Runbook incident review"}


def test_operators_are_plain_words(cast: Any) -> None:
    item(cast.network, "Runbook incident review", "")
    # "-incident" is not a negation and "OR" is a word that must appear.
    assert found(cast.member, cast.network, "runbook -incident") == {"Runbook incident review"}
    assert found(cast.member, cast.network, "runbook OR nothing") == set()


def test_empty_query_finds_nothing(cast: Any) -> None:
    item(cast.network, "Runbook", "")
    page = backend.search(cast.member, cast.network, " * ")
    assert (page.count, page.results, page.words) == (0, [], [])


# --- the index follows changes ------------------------------------------------------------


def test_index_follows_item_create_update_and_delete(cast: Any) -> None:
    made = item(cast.network, "Original wording", "")
    assert found(cast.member, cast.network, "original") == {"Original wording"}
    made.title = "Revised wording"
    made.save()
    assert found(cast.member, cast.network, "original") == set()
    assert found(cast.member, cast.network, "revised") == {"Revised wording"}
    made.delete()
    assert found(cast.member, cast.network, "revised") == set()


def test_index_follows_entry_create_update_and_delete(cast: Any) -> None:
    written = entry(cast.member, cast.network, "Draft thoughts", "about mentoring")
    assert found(cast.member, cast.network, "mentoring") == {"Draft thoughts"}
    written.body = "about pairing"
    written.save()
    assert found(cast.member, cast.network, "mentoring") == set()
    assert found(cast.member, cast.network, "pairing") == {"Draft thoughts"}
    written.delete()
    assert found(cast.member, cast.network, "pairing") == set()


def test_index_follows_tags(cast: Any) -> None:
    written = entry(cast.member, cast.network, "Entry", "body")
    tag = JournalTag.objects.create(entry=written, name="chaos-engineering")
    assert found(cast.member, cast.network, "chaos") == {"Entry"}
    tag.delete()
    assert found(cast.member, cast.network, "chaos") == set()


def test_index_follows_skills_from_both_sides(cast: Any) -> None:
    skill = Skill.objects.get(network=cast.network, name="Product discovery")
    made = item(cast.network, "Item", "body")
    written = entry(cast.member, cast.network, "Entry", "body")
    made.skills.add(skill)
    skill.journal_entries.add(written)
    assert found(cast.member, cast.network, "discovery") == {"Item", "Entry"}
    skill.name = "Opportunity mapping"
    skill.save()
    assert found(cast.member, cast.network, "discovery") == set()
    assert found(cast.member, cast.network, "opportunity") == {"Item", "Entry"}
    skill.repository_items.clear()
    written.skills.remove(skill)
    assert found(cast.member, cast.network, "opportunity") == set()
    made.skills.add(skill)
    skill.delete()
    assert found(cast.member, cast.network, "opportunity") == set()


def test_rebuild_gives_the_same_answers(cast: Any) -> None:
    made = item(cast.network, "Runbook alpha", "body")
    made.skills.add(Skill.objects.get(network=cast.network, name="Facilitation"))
    written = entry(cast.member, cast.network, "Runbook beta", "body")
    JournalTag.objects.create(entry=written, name="gamma")
    # Rows written around the ORM (bulk_create) are picked up by a rebuild.
    RepositoryItem.objects.bulk_create(
        [RepositoryItem(network=cast.network, kind="learning", title="Runbook bulk")]
    )
    assert found(cast.member, cast.network, "runbook") == {"Runbook alpha", "Runbook beta"}
    assert backend.rebuild_index() == 3
    assert found(cast.member, cast.network, "runbook") == {
        "Runbook alpha",
        "Runbook beta",
        "Runbook bulk",
    }
    assert found(cast.member, cast.network, "facilitation") == {"Runbook alpha"}
    assert found(cast.member, cast.network, "gamma") == {"Runbook beta"}


# --- who finds what -----------------------------------------------------------------------


@pytest.fixture
def matrix(cast: Any) -> dict[str, Any]:
    """One item per visibility and one journal entry per visibility, all with "zephyr"."""
    net = cast.network
    group = PartnerGroup.objects.create(
        network=net, name="Acme", organization="Acme", shares=["learning"]
    )
    group.members.add(cast.partner)
    other_group = PartnerGroup.objects.create(
        network=net, name="Globex", organization="Globex", shares=["learning"]
    )
    lone_partner = make_user("lou@partner.test", "Lou Partner")
    NetworkMembership.objects.create(network=net, user=lone_partner, role=Role.PARTNER)
    from cadre.networks.models import CodeOfConductAcceptance

    CodeOfConductAcceptance.objects.create(code=net.current_code_of_conduct(), user=lone_partner)
    other_group.members.add(lone_partner)

    item(net, "Zephyr network item", author=cast.member)
    item(net, "Zephyr partner item", visibility="partners").partner_groups.add(group)
    item(net, "Zephyr other partner item", visibility="partners").partner_groups.add(other_group)
    item(net, "Zephyr public item", visibility="public")
    item(cast.other_network, "Zephyr southgate public", visibility="public")
    item(cast.other_network, "Zephyr southgate network")
    author = cast.member
    entry(author, net, "Zephyr private entry", visibility="private", cohort=cast.cohort)
    shared = entry(author, net, "Zephyr shared entry", visibility="private")
    shared.shared_with.add(cast.mentor)
    entry(author, net, "Zephyr cohort entry", visibility="cohort", cohort=cast.cohort)
    entry(author, net, "Zephyr network entry", visibility="network", cohort=cast.cohort)
    entry(cast.outsider, cast.other_network, "Zephyr southgate entry", visibility="network")
    return {"lone_partner": lone_partner}


INSIDER_ITEMS = {
    "Zephyr network item",
    "Zephyr partner item",
    "Zephyr other partner item",
    "Zephyr public item",
}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "member",  # the author
            INSIDER_ITEMS
            | {
                "Zephyr private entry",
                "Zephyr shared entry",
                "Zephyr cohort entry",
                "Zephyr network entry",
            },
        ),
        ("host", INSIDER_ITEMS | {"Zephyr cohort entry", "Zephyr network entry"}),  # cohort peer
        ("other_cohort_member", INSIDER_ITEMS | {"Zephyr network entry"}),
        ("organizer", INSIDER_ITEMS | {"Zephyr cohort entry", "Zephyr network entry"}),
        ("admin", INSIDER_ITEMS | {"Zephyr cohort entry", "Zephyr network entry"}),
        ("mentor", INSIDER_ITEMS | {"Zephyr shared entry", "Zephyr network entry"}),
        ("partner", {"Zephyr partner item", "Zephyr public item"}),
        ("lone_partner", {"Zephyr other partner item", "Zephyr public item"}),
        ("outsider", {"Zephyr public item"}),
        ("anonymous", {"Zephyr public item"}),
    ],
)
def test_search_returns_exactly_what_each_person_may_read(
    cast: Any, matrix: dict[str, Any], who: str, expected: set[str]
) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = {"anonymous": AnonymousUser(), "lone_partner": matrix["lone_partner"]}.get(who)
    user = user or getattr(cast, who)
    page = backend.search(user, cast.network, "zephyr", limit=100)
    assert set(titles(page)) == expected
    assert page.count == len(expected)


def test_counts_never_reveal_hidden_documents(cast: Any, matrix: dict[str, Any]) -> None:
    page = backend.search(cast.partner, cast.network, "zephyr", limit=1)
    assert page.count == 2 and len(page.results) == 1


# --- permission checks in batches, best first ---------------------------------------------


def ranked_ids(text: str) -> list[int]:
    """Every matching document id, best first, for everyone alike: the reference order."""
    query = backend.engine_query(backend.plan(backend.query_words(text)))
    with connection.cursor() as cursor:
        return list(backend.ranked_ids(cursor, query))


def readable_ids(user: Any, network: Any) -> set[int]:
    """Document ids of everything `user` may read in `network`, straight from the rules."""
    items = visible_repository_items(user, network).values_list("pk", flat=True)
    entries = visible_journal_entries(user, network).values_list("pk", flat=True)
    m = backend.MODULUS
    return {pk * m + backend.ITEM for pk in items} | {pk * m + backend.ENTRY for pk in entries}


def doc_ids(page: backend.SearchPage) -> list[int]:
    kinds = [backend.ITEM if r.is_item else backend.ENTRY for r in page.results]
    return [r.obj.pk * backend.MODULUS + k for r, k in zip(page.results, kinds, strict=True)]


@pytest.fixture
def small_batches(monkeypatch: Any) -> None:
    """Batches of 2, then 4: a handful of documents then spans several batches."""
    monkeypatch.setattr(backend, "FIRST_BATCH", 2)
    monkeypatch.setattr(backend, "MAX_BATCH", 4)


@pytest.fixture
def hidden_on_top(cast: Any) -> list[str]:
    """Twelve private entries of the host that outrank everything for "quasar", and five
    network items below them that everyone inside the network may read."""
    for n in range(12):
        entry(cast.host, cast.network, f"Quasar quasar {n}", "quasar " * 5, visibility="private")
    visible = [f"Item {n}" for n in range(5)]
    for title in visible:
        item(cast.network, title, "a long body that mentions quasar once " + "filler " * 40)
    return visible


def test_page_stays_full_when_the_best_matches_are_hidden(
    cast: Any, hidden_on_top: list[str], small_batches: None
) -> None:
    ranking = ranked_ids("quasar")
    readable = readable_ids(cast.mentor, cast.network)
    # The premise: the twelve best matches are all hidden from the mentor.
    assert len(ranking) == 17 and not readable & set(ranking[:12])
    expected = [doc_id for doc_id in ranking if doc_id in readable]
    pages = [
        backend.search(cast.mentor, cast.network, "quasar", limit=2, offset=o) for o in (0, 2, 4)
    ]
    assert [len(p.results) for p in pages] == [2, 2, 1]
    assert [p.count for p in pages] == [5, 5, 5] and not any(p.more for p in pages)
    assert [d for p in pages for d in doc_ids(p)] == expected
    assert {t for p in pages for t in titles(p)} == set(hidden_on_top)


def test_count_limit_is_reached_across_batches(
    cast: Any, hidden_on_top: list[str], small_batches: None, monkeypatch: Any
) -> None:
    monkeypatch.setattr(backend, "COUNT_LIMIT", 3)
    page = backend.search(cast.mentor, cast.network, "quasar", limit=2)
    assert (page.count, page.more, len(page.results)) == (3, True, 2)
    # The author reads all seventeen; the count still stops at the limit.
    page = backend.search(cast.host, cast.network, "quasar", limit=20)
    assert (page.count, page.more, len(page.results)) == (3, True, 17)


def test_nothing_readable_among_many_matches(cast: Any, small_batches: None) -> None:
    for n in range(9):
        entry(cast.host, cast.network, f"Quasar {n}", visibility="private")
    page = backend.search(cast.mentor, cast.network, "quasar")
    assert (page.count, page.more, page.results) == (0, False, [])


def test_batches_follow_the_readable_share_within_bounds() -> None:
    first, most = backend.FIRST_BATCH, backend.MAX_BATCH
    # Half readable, 300 missing: about 750 more, not the fourfold 800 or more.
    assert backend._next_batch(first, 300, 0.5) == min(first * 4, 751)
    assert backend._next_batch(most, 10**6, 0.0) == most  # nothing readable yet: grow, capped
    assert backend._next_batch(first, 1000, 0.01) == first * 4  # at most fourfold
    assert backend._next_batch(most, 1, 1.0) == first  # never below the first batch


@pytest.mark.parametrize(
    "who", ["member", "host", "organizer", "mentor", "partner", "lone_partner", "anonymous"]
)
@pytest.mark.parametrize("batches", [(1, 1), (2, 4), (200, 4000)])
def test_results_are_the_readable_matches_in_rank_order(
    cast: Any, matrix: dict[str, Any], monkeypatch: Any, who: str, batches: tuple[int, int]
) -> None:
    """Whatever the batch sizes: the readable matches, in the engine's order, none other."""
    from django.contrib.auth.models import AnonymousUser

    monkeypatch.setattr(backend, "FIRST_BATCH", batches[0])
    monkeypatch.setattr(backend, "MAX_BATCH", batches[1])
    user = {"anonymous": AnonymousUser(), "lone_partner": matrix["lone_partner"]}.get(who)
    user = user or getattr(cast, who)
    readable = readable_ids(user, cast.network)
    expected = [doc_id for doc_id in ranked_ids("zephyr") if doc_id in readable]
    assert expected  # everyone reads at least the public item
    page = backend.search(user, cast.network, "zephyr", limit=100)
    assert doc_ids(page) == expected
    assert page.count == len(expected)
    firsts = [backend.search(user, cast.network, "zephyr", limit=1, offset=o) for o in range(3)]
    assert [d for p in firsts for d in doc_ids(p)] == expected[:3]


# --- the search page ----------------------------------------------------------------------


def url(network: Any, **params: str) -> str:
    from urllib.parse import urlencode

    base = reverse("repository:search", args=[network.slug])
    return f"{base}?{urlencode(params)}" if params else base


def test_member_searches_on_the_page(cast: Any, client_for: Any, matrix: dict[str, Any]) -> None:
    response = client_for(cast.member).get(url(cast.network, q="zephyr"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "8 results" in html
    assert "Zephyr private entry" in html and "Zephyr southgate" not in html
    assert 'for="id_q"' in html  # the field has a label
    made = RepositoryItem.objects.get(title="Zephyr public item")
    assert made.get_absolute_url() in html


def test_partner_page_shows_only_what_is_shared(
    cast: Any, client_for: Any, matrix: dict[str, Any]
) -> None:
    response = client_for(cast.partner).get(url(cast.network, q="zephyr"))
    html = response.content.decode()
    assert response.status_code == 200 and "2 results" in html
    assert "Zephyr network item" not in html and "Zephyr network entry" not in html


def test_outsider_gets_404(cast: Any, client_for: Any) -> None:
    assert client_for(cast.outsider).get(url(cast.network, q="zephyr")).status_code == 404


def test_anonymous_is_sent_to_sign_in(cast: Any, client_for: Any) -> None:
    response = client_for(None).get(url(cast.network, q="zephyr"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_newcomer_accepts_the_code_of_conduct_first(cast: Any, client_for: Any) -> None:
    response = client_for(cast.newcomer).get(url(cast.network, q="zephyr"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("networks:conduct", args=["northwind"]))


def test_page_escapes_titles_and_snippets(cast: Any, client_for: Any) -> None:
    item(cast.network, "<img src=x onerror=alert(1)> Zephyr", "<script>zephyr()</script>")
    html = client_for(cast.member).get(url(cast.network, q="zephyr")).content.decode()
    assert "<img src=x" not in html and "<script>zephyr" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; Zephyr" in html
    assert "<mark>zephyr</mark>" in html


def test_page_without_words_invites_a_search(cast: Any, client_for: Any) -> None:
    response = client_for(cast.member).get(url(cast.network))
    assert response.status_code == 200
    assert "Type a few words" in response.content.decode()


@pytest.mark.parametrize("text", HOSTILE[:-1])
def test_page_survives_hostile_queries(cast: Any, client_for: Any, text: str) -> None:
    response = client_for(cast.member).get(url(cast.network, q=text.replace("\x00", "")))
    assert response.status_code == 200


def test_page_refuses_an_overlong_query_with_a_message(cast: Any, client_for: Any) -> None:
    response = client_for(cast.member).get(url(cast.network, q="x" * 2001))
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()


def test_page_filters_and_pages(cast: Any, client_for: Any) -> None:
    for n in range(23):
        item(cast.network, f"Retro format {n}", "", kind="template", template_kind="agenda")
    item(cast.network, "Retro learning", "")
    client = client_for(cast.member)
    html = client.get(url(cast.network, q="retro", kind="template")).content.decode()
    assert "23 results" in html and "Page 1 of 2" in html and "Retro learning" not in html
    html = client.get(url(cast.network, q="retro", kind="template", page="2")).content.decode()
    assert "Page 2 of 2" in html and html.count('<li class="card">') == 3
    html = client.get(url(cast.network, q="retro", kind="template", page="99")).content.decode()
    assert "Page 2 of 2" in html
    response = client.get(url(cast.network, q="retro", kind="nonsense"))
    assert "Select a valid choice" in response.content.decode()
    html = client.get(url(cast.network, q="retro", skill="facilitation")).content.decode()
    assert "0 results" in html


def test_cohort_filter_offers_only_cohorts_the_person_may_open(cast: Any, client_for: Any) -> None:
    html = client_for(cast.partner).get(url(cast.network)).content.decode()
    assert "Platform Reliability" not in html and "Design Ops" not in html
    html = (
        client_for(cast.member).get(url(cast.network, cohort="design-ops", q="x")).content.decode()
    )
    assert "Select a valid choice" in html


def test_filters_keep_the_chosen_cohort_and_escape_names(cast: Any, client_for: Any) -> None:
    cast.cohort.name = "Reliability <b>& friends</b>"
    cast.cohort.save()
    html = client_for(cast.member).get(url(cast.network, cohort="reliability", q="x")).content
    html = html.decode()
    assert '<option value="reliability" selected>Reliability &lt;b&gt;&amp; friends' in html
    assert '<option value="" selected>Any skill</option>' in html
    assert "<b>& friends" not in html


def test_htmx_request_gets_only_the_results(cast: Any, client_for: Any) -> None:
    item(cast.network, "Zephyr item", "")
    response = client_for(cast.member).get(url(cast.network, q="zephyr"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "Zephyr item" in html
    assert "<html" not in html and "<form" not in html


def test_page_queries_do_not_grow_with_results(
    cast: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.member)

    def queries_for(n: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(cast.network, q="bounded"))
        assert response.status_code == 200 and f"{n} result" in response.content.decode()
        return len(ctx.captured_queries)

    for n in range(2):
        item(cast.network, f"Bounded {n}", "", origin_cohort=cast.cohort)
        entry(cast.member, cast.network, f"Bounded entry {n}", cohort=cast.cohort)
    few = queries_for(4)
    for n in range(2, 12):
        item(cast.network, f"Bounded {n}", "", origin_cohort=cast.cohort)
        entry(cast.member, cast.network, f"Bounded entry {n}", cohort=cast.cohort)
    assert queries_for(24) == few
    with django_assert_max_num_queries(20):
        client.get(url(cast.network, q="bounded"))


# --- rate limit ---------------------------------------------------------------------------


def test_page_answers_429_over_the_rate(cast: Any, client_for: Any, settings: Any) -> None:
    settings.CADRE_SEARCH_RATE = "2/m"
    client = client_for(cast.member)
    client.get(url(cast.network))  # no words: not a search, not counted
    assert client.get(url(cast.network, q="a")).status_code == 200
    assert client.get(url(cast.network, q="b")).status_code == 200
    response = client.get(url(cast.network, q="c"))
    assert response.status_code == 429
    assert "Too many searches" in response.content.decode()
    # Another person has their own budget.
    assert client_for(cast.host).get(url(cast.network, q="a")).status_code == 200


def test_api_and_page_share_one_budget(cast: Any, client_for: Any, settings: Any) -> None:
    settings.CADRE_SEARCH_RATE = "2/m"
    client = client_for(cast.member)
    assert client.get(url(cast.network, q="a")).status_code == 200
    api = "/api/v1/networks/northwind/library/search?q=a"
    assert client.get(api).status_code == 200
    response = client.get(api)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1


def test_rebuild_command_indexes_rows_written_around_the_orm(cast: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    RepositoryItem.objects.bulk_create(
        [RepositoryItem(network=cast.network, kind="learning", title="Zephyr bulk")]
    )
    assert found(cast.member, cast.network, "zephyr") == set()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert out.getvalue().startswith("Indexed 1 documents")
    assert found(cast.member, cast.network, "zephyr") == {"Zephyr bulk"}
