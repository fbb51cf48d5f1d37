"""Search, issue 17: compounds and stop words, commitments, experiments and session reports
with each one's own permission rule, "did you mean", and ranking a window at a time.

These tests run on SQLite (FTS5) and on PostgreSQL (tsvector) alike."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre.accountability.models import Commitment
from cadre.networks.models import Skill
from cadre.repository import search as backend
from cadre.repository.models import RepositoryItem
from cadre.schedule.models import SessionReport

from .helpers import experiment, published_report
from .test_search import found, item

pytestmark = pytest.mark.django_db

API = "/api/v1/networks/{slug}/library/search"


# --- compounds and stop words -----------------------------------------------------------------


@pytest.fixture
def standups(cast: Any) -> None:
    item(cast.network, "Joined", "Our daily standup ran long.")
    item(cast.network, "Hyphenated", "Our daily stand-up ran long.")
    item(cast.network, "Spaced", "Our daily stand up ran long.")
    item(cast.network, "Unrelated", "We stand by the results; up next, the retro.")


@pytest.mark.parametrize("query", ["standup", "stand-up", "stand up", "Stand-Ups"])
def test_compound_written_any_way_finds_every_way(cast: Any, standups: None, query: str) -> None:
    assert {"Joined", "Hyphenated", "Spaced"} <= found(cast.member, cast.network, query)


def test_compound_search_does_not_match_the_parts_far_apart(cast: Any, standups: None) -> None:
    assert "Unrelated" not in found(cast.member, cast.network, "standup")


def test_stop_words_are_not_required(cast: Any, standups: None) -> None:
    assert {"Joined", "Hyphenated", "Spaced"} <= found(cast.member, cast.network, "the standup")
    item(cast.network, "Retro", "A retro of outages.")
    assert found(cast.member, cast.network, "the retro of the outages") == {"Retro"}


def test_a_query_of_stop_words_only_finds_nothing(cast: Any, standups: None) -> None:
    assert found(cast.member, cast.network, "the of and") == set()


def test_compounds_are_joined_for_the_index() -> None:
    assert backend.compounds("a stand-up, a follow-up-call and re-run") == (
        "standup followupcall rerun"
    )
    assert backend.compounds("no compounds - here") == ""


def test_compound_is_highlighted_as_written(cast: Any, standups: None) -> None:
    page = backend.search(cast.member, cast.network, "standup", limit=10)
    snippets = {r.title: str(r.snippet) for r in page.results}
    assert "<mark>stand-up</mark>" in snippets["Hyphenated"]
    assert "<mark>stand up</mark>" in snippets["Spaced"]


# --- commitments, experiments and session reports ------------------------------------------------


@pytest.fixture
def cohort_work(cast: Any) -> dict[str, Any]:
    """One of each cohort kind with the word "quokka", in cast.cohort, plus hidden ones."""
    made = {
        "commitment": Commitment.objects.create(
            cohort=cast.cohort, owner=cast.member, text="Ship the quokka prototype by Friday"
        ),
        "private": Commitment.objects.create(
            cohort=cast.cohort,
            owner=cast.member,
            text="Private quokka promise",
            visibility="private",
        ),
        "experiment": experiment(cast.member, cast.cohort, title="Quokka drills"),
        "report": published_report(cast.cohort, body="We reviewed the quokka runbook."),
        "draft": published_report(cast.cohort, body="Draft about quokka.", status="draft"),
        "elsewhere": Commitment.objects.create(
            cohort=cast.other_cohort,
            owner=cast.other_cohort_member,
            text="Other cohort quokka plan",
        ),
    }
    return made


def kinds_found(user: Any, network: Any, text: str = "quokka", **filters: Any) -> set[str]:
    page = backend.search(user, network, text, limit=100, **filters)
    return {f"{r.kind}:{r.title}" for r in page.results}


COHORT_SEES = {
    "commitment:Ship the quokka prototype by Friday",
    "experiment:Quokka drills",
}


def test_cohort_member_finds_the_cohort_kinds(cast: Any, cohort_work: dict[str, Any]) -> None:
    seen = kinds_found(cast.member, cast.network)
    report = cohort_work["report"]
    assert COHORT_SEES | {"commitment:Private quokka promise"} <= seen
    assert f"report:{report.session.label}" in seen
    assert not any("Other cohort" in s for s in seen)
    assert len([s for s in seen if s.startswith("report:")]) == 1  # the draft is not indexed


def test_private_commitment_is_its_owners_alone(cast: Any, cohort_work: dict[str, Any]) -> None:
    assert "commitment:Private quokka promise" not in kinds_found(cast.host, cast.network)
    assert "commitment:Private quokka promise" not in kinds_found(cast.organizer, cast.network)


def test_other_cohort_member_finds_only_their_cohorts_work(
    cast: Any, cohort_work: dict[str, Any]
) -> None:
    assert kinds_found(cast.other_cohort_member, cast.network) == {
        "commitment:Other cohort quokka plan"
    }


@pytest.mark.parametrize("who", ["partner", "mentor", "outsider"])
def test_people_off_the_board_find_no_cohort_work(
    cast: Any, cohort_work: dict[str, Any], who: str
) -> None:
    assert kinds_found(getattr(cast, who), cast.network) == set()


def test_anonymous_finds_nothing(cast: Any, cohort_work: dict[str, Any]) -> None:
    assert kinds_found(AnonymousUser(), cast.network) == set()


def test_report_shared_with_the_network_is_found_by_its_insiders(
    cast: Any, cohort_work: dict[str, Any]
) -> None:
    report = cohort_work["report"]
    label = f"report:{report.session.label}"
    assert label not in kinds_found(cast.other_cohort_member, cast.network)
    report.share_with_network = True
    report.save()
    assert label in kinds_found(cast.other_cohort_member, cast.network)
    assert label not in kinds_found(cast.partner, cast.network)


def test_kind_and_cohort_filters_apply_to_the_cohort_kinds(
    cast: Any, cohort_work: dict[str, Any]
) -> None:
    assert kinds_found(cast.member, cast.network, kind="experiment") == {"experiment:Quokka drills"}
    assert {s.split(":")[0] for s in kinds_found(cast.member, cast.network, kind="report")} == {
        "report"
    }
    assert kinds_found(cast.organizer, cast.network, cohort=cast.other_cohort) == {
        "commitment:Other cohort quokka plan"
    }
    assert kinds_found(cast.member, cast.network, kind="journal") == set()


def test_results_link_to_their_pages(cast: Any, cohort_work: dict[str, Any]) -> None:
    page = backend.search(cast.member, cast.network, "quokka", limit=100)
    urls = {r.kind: r.url or backend.result_url(r) for r in page.results}
    net, cohort = cast.network.slug, cast.cohort.slug
    assert urls["experiment"] == reverse(
        "accountability:experiment", args=[net, cohort, cohort_work["experiment"].pk]
    )
    assert urls["report"] == reverse(
        "schedule:report", args=[net, cohort, cohort_work["report"].session_id]
    )


def test_index_follows_the_cohort_kinds(cast: Any, cohort_work: dict[str, Any]) -> None:
    commitment = cohort_work["commitment"]
    commitment.text = "Ship the wombat prototype by Friday"
    commitment.save()
    assert kinds_found(cast.member, cast.network, "wombat") == {
        "commitment:Ship the wombat prototype by Friday"
    }
    commitment.delete()
    assert kinds_found(cast.member, cast.network, "wombat") == set()
    draft = cohort_work["draft"]
    draft.status = "published"
    draft.save()
    assert len(backend.search(cast.member, cast.network, "draft quokka").results) == 1
    draft.session.title = "Wombat review"
    draft.session.save()
    assert kinds_found(cast.member, cast.network, "wombat") == {"report:Wombat review"}
    SessionReport.objects.filter(pk=draft.pk).delete()
    assert kinds_found(cast.member, cast.network, "wombat") == set()


def test_rebuild_covers_the_cohort_kinds(cast: Any, cohort_work: dict[str, Any]) -> None:
    before = kinds_found(cast.member, cast.network)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {backend.TABLE}")
    assert kinds_found(cast.member, cast.network) == set()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert kinds_found(cast.member, cast.network) == before


def test_page_and_api_offer_the_new_kinds(
    cast: Any, client_for: Any, cohort_work: dict[str, Any]
) -> None:
    url = reverse("repository:search", args=[cast.network.slug])
    html = client_for(cast.member).get(url, {"q": "quokka", "kind": "experiment"}).content
    assert b"Quokka drills" in html and b"Ship the quokka" not in html
    body = client_for(cast.member).get(API.format(slug="northwind"), {"q": "quokka"}).json()
    assert {"commitment", "experiment", "report"} <= {r["kind"] for r in body["items"]}
    outsider = client_for(cast.other_cohort_member).get(url, {"q": "quokka", "kind": "experiment"})
    assert b"Quokka drills" not in outsider.content


def test_page_refuses_outsiders_and_anonymous(cast: Any, client_for: Any) -> None:
    url = reverse("repository:search", args=[cast.network.slug])
    assert client_for(cast.outsider).get(url, {"q": "quokka"}).status_code == 404
    assert client_for(None).get(url, {"q": "quokka"}).status_code == 302
    assert client_for(None).get(API.format(slug="northwind"), {"q": "quokka"}).status_code == 401


# --- did you mean --------------------------------------------------------------------------------


def test_misspelt_word_gets_a_suggestion_that_finds_something(cast: Any) -> None:
    item(cast.network, "Incident review", "How we review incidents.")
    assert backend.search(cast.member, cast.network, "incidnets").count == 0
    suggestion = backend.did_you_mean(cast.member, cast.network, "incidnets")
    assert suggestion.startswith("incident")
    assert backend.search(cast.member, cast.network, suggestion).count == 1


def test_suggestion_keeps_the_words_that_match(cast: Any) -> None:
    item(cast.network, "Incident review", "How we review incidents.")
    assert backend.did_you_mean(cast.member, cast.network, "review incidnt").startswith(
        "review incident"
    )


def test_no_suggestion_from_words_the_searcher_cannot_read(
    cast: Any, cohort_work: dict[str, Any]
) -> None:
    assert backend.did_you_mean(cast.partner, cast.network, "quokkka") == ""
    assert backend.did_you_mean(cast.mentor, cast.network, "quokkka") == ""
    assert backend.did_you_mean(cast.other_cohort_member, cast.network, "quokkka") == "quokka"
    Commitment.objects.create(
        cohort=cast.cohort, owner=cast.member, text="Feed the wallaby", visibility="private"
    )
    assert backend.did_you_mean(cast.host, cast.network, "wallabby") == ""
    assert backend.did_you_mean(cast.member, cast.network, "wallabby") == "wallaby"


def test_no_suggestion_for_nonsense(cast: Any) -> None:
    item(cast.network, "Incident review", "How we review incidents.")
    assert backend.did_you_mean(cast.member, cast.network, "xyzzyplugh") == ""


def test_page_and_api_show_the_suggestion(cast: Any, client_for: Any) -> None:
    item(cast.network, "Incident review", "How we review incidents.")
    url = reverse("repository:search", args=[cast.network.slug])
    html = client_for(cast.member).get(url, {"q": "incidnets", "kind": "learning"}).content
    html = html.decode()
    assert "Did you mean" in html and "q=incident" in html and "kind=learning" in html
    body = client_for(cast.member).get(API.format(slug="northwind"), {"q": "incidnets"}).json()
    assert body["suggestion"].startswith("incident") and body["count"] == 0
    found_body = client_for(cast.member).get(API.format(slug="northwind"), {"q": "incident"})
    assert found_body.json()["suggestion"] == ""


# --- ranking a window at a time -----------------------------------------------------------------


@pytest.fixture
def many(cast: Any) -> list[RepositoryItem]:
    made = [item(cast.network, f"Item {i}", "quasar " * (1 + i % 4)) for i in range(11)]
    made.append(item(cast.network, "Quasar in the title", "quasar"))
    return made


def all_ranked(text: str) -> list[int]:
    query = backend.engine_query(backend.plan(backend.query_words(text)))
    with connection.cursor() as cursor:
        return list(backend.ranked_ids(cursor, query))


def test_windows_cover_every_match_once_newest_window_first(
    cast: Any, many: list[RepositoryItem], monkeypatch: Any
) -> None:
    whole = all_ranked("quasar")
    monkeypatch.setattr(backend, "RANK_WINDOW", 4)
    windowed = all_ranked("quasar")
    assert sorted(windowed) == sorted(whole) and len(windowed) == len(set(windowed)) == 12
    windows = [windowed[i : i + 4] for i in range(0, 12, 4)]
    for newer, older in zip(windows, windows[1:], strict=False):
        assert min(newer) > max(older)
    # Within a window, the engine's order: the title match (newest) leads the first window.
    assert windowed[0] == many[-1].pk * backend.MODULUS + backend.ITEM


def test_windows_give_complete_pages_and_counts(
    cast: Any, many: list[RepositoryItem], monkeypatch: Any
) -> None:
    monkeypatch.setattr(backend, "RANK_WINDOW", 3)
    monkeypatch.setattr(backend, "FIRST_BATCH", 2)
    first = backend.search(cast.member, cast.network, "quasar", limit=5)
    rest = backend.search(cast.member, cast.network, "quasar", limit=20, offset=5)
    assert first.count == 12
    assert len({r.title for r in first.results} | {r.title for r in rest.results}) == 12


def test_windows_read_only_for_the_count_are_not_ranked(
    cast: Any, many: list[RepositoryItem], monkeypatch: Any
) -> None:
    monkeypatch.setattr(backend, "RANK_WINDOW", 3)
    monkeypatch.setattr(backend, "FIRST_BATCH", 2)
    with CaptureQueriesContext(connection) as queries:
        page = backend.search(cast.member, cast.network, "quasar", limit=2)
    ranking = [q for q in queries.captured_queries if "ts_rank" in q["sql"] or "bm25" in q["sql"]]
    assert page.count == 12 and len(page.results) == 2
    assert len(ranking) == 1  # the first window only; the other three were counted unranked


def test_skill_filter_keeps_experiments_of_that_skill_only(
    cast: Any, cohort_work: dict[str, Any]
) -> None:
    skill = Skill.objects.filter(network=cast.network).first()
    assert skill is not None
    assert kinds_found(cast.member, cast.network, skill=skill) == set()
    cohort_work["experiment"].skill = skill
    cohort_work["experiment"].save()
    assert kinds_found(cast.member, cast.network, skill=skill) == {"experiment:Quokka drills"}
