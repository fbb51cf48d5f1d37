"""GET /api/v1/networks/{slug}/library/search: the same search as the page, as JSON."""

from typing import Any

import pytest

from cadre.journal.models import JournalEntry
from cadre.networks.models import Skill
from cadre.repository.models import PartnerGroup, RepositoryItem

from .test_search import HOSTILE

pytestmark = pytest.mark.django_db

URL = "/api/v1/networks/{slug}/library/search"


@pytest.fixture
def library(cast: Any) -> dict[str, Any]:
    net = cast.network
    group = PartnerGroup.objects.create(
        network=net, name="Acme", organization="Acme", shares=["learning"]
    )
    group.members.add(cast.partner)
    shared = RepositoryItem.objects.create(
        network=net,
        kind="learning",
        title="Zephyr shared with Acme",
        body="We cut the <b>zephyr</b> drills.",
        visibility="partners",
        origin_cohort=cast.cohort,
        reuse_count=2,
    )
    shared.partner_groups.add(group)
    shared.skills.add(Skill.objects.get(network=net, name="Facilitation"))
    RepositoryItem.objects.create(network=net, kind="template", title="Zephyr agenda")
    JournalEntry.objects.create(
        network=net,
        author=cast.member,
        cohort=cast.cohort,
        title="Zephyr diary",
        body="notes",
        visibility="cohort",
    )
    return {"shared": shared}


def get(client: Any, **params: Any) -> Any:
    return client.get(URL.format(slug=params.pop("slug", "northwind")), params)


def test_member_gets_items_and_count(cast: Any, client_for: Any, library: dict[str, Any]) -> None:
    response = get(client_for(cast.member), q="zephyr")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {r["title"] for r in body["items"]} == {
        "Zephyr shared with Acme",
        "Zephyr agenda",
        "Zephyr diary",
    }
    shared = next(r for r in body["items"] if r["title"] == "Zephyr shared with Acme")
    assert shared["kind"] == "learning"
    assert shared["network"] == "northwind" and shared["cohort"] == "reliability"
    assert shared["reuse_count"] == 2
    assert shared["url"] == library["shared"].get_absolute_url()
    assert "<mark>zephyr</mark>" in shared["snippet"] and "<b>" not in shared["snippet"]
    diary = next(r for r in body["items"] if r["kind"] == "journal")
    assert diary["reuse_count"] is None


def test_filters_and_paging(cast: Any, client_for: Any, library: dict[str, Any]) -> None:
    client = client_for(cast.member)
    assert [r["title"] for r in get(client, q="zephyr", kind="template").json()["items"]] == [
        "Zephyr agenda"
    ]
    assert get(client, q="zephyr", kind="journal").json()["count"] == 1
    assert get(client, q="zephyr", skill="facilitation").json()["count"] == 1
    assert get(client, q="zephyr", cohort="reliability").json()["count"] == 2
    first = get(client, q="zephyr", limit=2).json()
    rest = get(client, q="zephyr", limit=2, offset=2).json()
    assert (first["count"], len(first["items"]), len(rest["items"])) == (3, 2, 1)
    titles = {r["title"] for r in first["items"]} | {r["title"] for r in rest["items"]}
    assert len(titles) == 3


def test_bad_filters_name_the_field(cast: Any, client_for: Any) -> None:
    client = client_for(cast.member)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "poem"}, "kind"),
        ({"skill": "juggling"}, "skill"),
        ({"cohort": "nope"}, "cohort"),
        ({"limit": 500}, "limit"),
        ({"q": "x" * 2001}, "q"),
    ]
    for params, field in cases:
        response = get(client, **{"q": "zephyr", **params})
        assert response.status_code == 422, params
        assert field in response.json()["error"]["fields"], params


def test_cohort_filter_refuses_a_cohort_the_partner_cannot_open(cast: Any, client_for: Any) -> None:
    response = get(client_for(cast.partner), q="zephyr", cohort="reliability")
    assert response.status_code == 422


def test_partner_gets_only_what_is_shared(
    cast: Any, client_for: Any, library: dict[str, Any]
) -> None:
    body = get(client_for(cast.partner), q="zephyr").json()
    assert [r["title"] for r in body["items"]] == ["Zephyr shared with Acme"]
    assert body["count"] == 1


def test_mentor_and_other_cohort_member_do_not_see_the_cohort_entry(
    cast: Any, client_for: Any, library: dict[str, Any]
) -> None:
    for person in (cast.mentor, cast.other_cohort_member):
        body = get(client_for(person), q="zephyr").json()
        assert {r["title"] for r in body["items"]} == {"Zephyr shared with Acme", "Zephyr agenda"}


def test_outsider_gets_404(cast: Any, client_for: Any, library: dict[str, Any]) -> None:
    response = get(client_for(cast.outsider), q="zephyr")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_anonymous_gets_401(cast: Any, client_for: Any) -> None:
    response = get(client_for(None), q="zephyr")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_newcomer_must_accept_the_code_of_conduct(cast: Any, client_for: Any) -> None:
    response = get(client_for(cast.newcomer), q="zephyr")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "conduct_not_accepted"


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_error(cast: Any, client_for: Any, text: str) -> None:
    response = get(client_for(cast.member), q=text)
    if len(text) > 2000:  # longer than the documented maximum: a clear 422, not a 500
        assert response.json()["error"]["fields"].keys() == {"q"}
    elif "\x00" in text:  # no query parameter of the API may hold NUL (cadre.api.parsing)
        assert response.status_code == 422
        assert response.json()["error"]["fields"].keys() == {"q"}
    else:
        assert response.status_code == 200, response.content
        assert response.json()["count"] == 0


def test_rate_limit_gives_the_stable_error(cast: Any, client_for: Any, settings: Any) -> None:
    settings.CADRE_SEARCH_RATE = "3/m"
    client = client_for(cast.member)
    assert [get(client, q="a").status_code for _ in range(3)] == [200, 200, 200]
    response = get(client, q="a")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert get(client_for(cast.host), q="a").status_code == 200
