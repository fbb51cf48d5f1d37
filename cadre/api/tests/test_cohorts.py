from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from cadre.api.tests.helpers import assert_error
from cadre.cohorts.models import Charter, Cohort, CohortMembership
from cadre.networks.models import CodeOfConduct, CodeOfConductAcceptance

COHORTS = "/networks/northwind/cohorts"
RELIABILITY = f"{COHORTS}/reliability"

# Who may open the `reliability` cohort (its members and the network's organizers), and
# who gets 404 as if it did not exist.
COHORT_READERS = ["admin", "organizer", "host", "member"]
COHORT_STRANGERS = ["other_cohort_member", "mentor", "partner", "outsider"]
ORGANIZERS = ["admin", "organizer"]


def charter_body(**changes: Any) -> dict[str, Any]:
    return {
        "mission": "Halve recovery time by practising together.",
        "weekly_hours": 3.5,
        "learning_formats": ["demo", "coaching", "demo"],
        "project_kinds": "Game days",
        "norms": "Blameless.",
        "next_review_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "change_note": "Sharper mission",
        **changes,
    }


# --- the cohort list ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, expected",
    [
        ("admin", ["design-ops", "reliability"]),
        ("organizer", ["design-ops", "reliability"]),
        ("host", ["reliability"]),
        ("member", ["reliability"]),
        ("other_cohort_member", ["design-ops"]),
        ("mentor", []),
        ("partner", []),
    ],
)
def test_cohort_list_shows_what_each_person_may_open(
    cast: Any, api_as: Any, who: str, expected: list[str]
) -> None:
    response = api_as(getattr(cast, who)).get(COHORTS)
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()["items"]] == expected
    assert response.json()["count"] == len(expected)


def test_shared_cohorts_are_listed_for_network_members_but_not_partners(
    cast: Any, api_as: Any
) -> None:
    cast.other_cohort.shared_with_network = True
    cast.other_cohort.save()
    assert [c["slug"] for c in api_as(cast.mentor).get(COHORTS).json()["items"]] == ["design-ops"]
    assert api_as(cast.partner).get(COHORTS).json()["items"] == []


def test_cohort_list_says_my_role(cast: Any, api_as: Any) -> None:
    items = api_as(cast.host).get(COHORTS).json()["items"]
    assert items[0]["my_role"] == "host"
    assert items[0]["outcomes"] == [
        "Median recovery under 30 minutes",
        "Every member runs one game day",
    ]
    organizer_items = api_as(cast.organizer).get(COHORTS).json()["items"]
    assert {c["my_role"] for c in organizer_items} == {None}


def test_outsider_and_anonymous_cannot_list_cohorts(cast: Any, api_as: Any) -> None:
    assert_error(api_as(cast.outsider).get(COHORTS), 404, "not_found")
    assert_error(api_as(None).get(COHORTS), 401, "not_authenticated")


# --- the conduct gate --------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", COHORTS),
        ("post", COHORTS),
        ("get", RELIABILITY),
        ("patch", RELIABILITY),
        ("get", f"{RELIABILITY}/charters"),
        ("get", f"{RELIABILITY}/charters/current"),
        ("post", f"{RELIABILITY}/charters"),
        ("get", f"{RELIABILITY}/memberships"),
    ],
)
def test_newcomer_must_accept_the_code_of_conduct_before_seeing_cohort_content(
    cast: Any, api_as: Any, method: str, path: str
) -> None:
    caller = api_as(cast.newcomer)
    if method == "get":
        response = caller.get(path)
    elif method == "patch":
        response = caller.patch(path, {"name": "Renamed"})
    elif path == COHORTS:
        response = caller.post(path, {"name": "New", "slug": "new", "objective": "Learn."})
    else:
        response = caller.post(path, charter_body())
    error = assert_error(response, 403, "conduct_not_accepted")
    assert error["detail"]["conduct_url"].endswith("/n/northwind/conduct/")
    assert error["detail"]["conduct_url"] in error["message"]
    assert Charter.objects.filter(cohort=cast.cohort).count() == 1
    assert Cohort.objects.filter(network=cast.network).count() == 2


def test_newcomer_gets_in_once_they_accept_and_again_when_a_new_version_appears(
    cast: Any, api_as: Any
) -> None:
    code = cast.network.current_code_of_conduct()
    CodeOfConductAcceptance.objects.create(code=code, user=cast.newcomer)
    assert api_as(cast.newcomer).get(RELIABILITY).status_code == 200

    CodeOfConduct.objects.create(network=cast.network, version=2)
    assert_error(api_as(cast.newcomer).get(RELIABILITY), 403, "conduct_not_accepted")
    assert_error(api_as(cast.member).get(RELIABILITY), 403, "conduct_not_accepted")


def test_the_directory_is_not_behind_the_conduct_gate(cast: Any, api_as: Any) -> None:
    assert api_as(cast.newcomer).get("/networks/northwind/members").status_code == 200


# --- creating a cohort -------------------------------------------------------------------


@pytest.mark.parametrize("who", ORGANIZERS)
def test_organizers_start_cohorts(cast: Any, api_as: Any, who: str) -> None:
    response = api_as(getattr(cast, who)).post(
        COHORTS,
        {
            "name": "Data Guild",
            "slug": "data-guild",
            "objective": "Ship one dashboard each.",
            "outcomes": ["Five dashboards in use", "  ", "One shared template"],
            "cadence": "biweekly",
            "time_zone": "America/Chicago",
            "session_minutes": 90,
            "status": "active",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "data-guild"
    cohort = Cohort.objects.get(network=cast.network, slug="data-guild")
    assert cohort.outcome_list() == ["Five dashboards in use", "One shared template"]
    assert (cohort.cadence, cohort.time_zone, cohort.session_minutes, cohort.status) == (
        "biweekly",
        "America/Chicago",
        90,
        "active",
    )


@pytest.mark.parametrize(
    "who, status, code",
    [
        ("host", 403, "forbidden"),
        ("member", 403, "forbidden"),
        ("other_cohort_member", 403, "forbidden"),
        ("mentor", 403, "forbidden"),
        ("partner", 403, "forbidden"),
        ("newcomer", 403, "conduct_not_accepted"),
        ("outsider", 404, "not_found"),
        (None, 401, "not_authenticated"),
    ],
)
def test_others_cannot_start_cohorts(
    cast: Any, api_as: Any, who: str | None, status: int, code: str
) -> None:
    person = getattr(cast, who) if who else None
    response = api_as(person).post(COHORTS, {"name": "X", "slug": "x", "objective": "Y"})
    assert_error(response, status, code)
    assert not Cohort.objects.filter(slug="x").exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"slug": "reliability"}, "slug"),
        ({"slug": "not a slug"}, "slug"),
        ({"time_zone": "Atlantis/Capital"}, "time_zone"),
        ({"cadence": "daily"}, "cadence"),
        ({"status": "sleeping"}, "status"),
        ({"session_minutes": 0}, "session_minutes"),
        ({"name": ""}, "name"),
        ({"objective": None}, "objective"),
    ],
)
def test_bad_cohort_input_is_422_naming_the_field_and_nothing_is_saved(
    cast: Any, api_as: Any, change: dict[str, Any], field: str
) -> None:
    body = {"name": "New", "slug": "new", "objective": "Learn.", **change}
    error = assert_error(api_as(cast.organizer).post(COHORTS, body), 422, "validation_error")
    assert field in error["fields"], error
    assert Cohort.objects.filter(network=cast.network).count() == 2


def test_a_slug_used_in_another_network_is_fine(cast: Any, api_as: Any) -> None:
    body = {"name": "Reliability South", "slug": "reliability", "objective": "Learn."}
    assert api_as(cast.outsider).post("/networks/southgate/cohorts", body).status_code == 201


# --- one cohort --------------------------------------------------------------------------


@pytest.mark.parametrize("who", COHORT_READERS)
def test_cohort_members_and_organizers_open_the_cohort(cast: Any, api_as: Any, who: str) -> None:
    response = api_as(getattr(cast, who)).get(RELIABILITY)
    assert response.status_code == 200
    body = response.json()
    assert (body["network"], body["slug"], body["name"]) == (
        "northwind",
        "reliability",
        "Platform Reliability",
    )


@pytest.mark.parametrize("who", COHORT_STRANGERS)
def test_people_outside_the_cohort_get_404_for_it(cast: Any, api_as: Any, who: str) -> None:
    caller = api_as(getattr(cast, who))
    existing = assert_error(caller.get(RELIABILITY), 404, "not_found")
    missing = assert_error(caller.get(f"{COHORTS}/no-such-cohort"), 404, "not_found")
    assert existing == missing


def test_network_members_may_open_a_cohort_shared_with_the_network(cast: Any, api_as: Any) -> None:
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    assert api_as(cast.mentor).get(RELIABILITY).status_code == 200
    assert api_as(cast.mentor).get(f"{RELIABILITY}/charters/current").status_code == 200
    assert_error(api_as(cast.partner).get(RELIABILITY), 404, "not_found")


@pytest.mark.parametrize("who", ORGANIZERS)
def test_organizers_change_a_cohort(cast: Any, api_as: Any, who: str) -> None:
    response = api_as(getattr(cast, who)).patch(
        RELIABILITY, {"objective": "Recover in minutes.", "shared_with_network": True}
    )
    assert response.status_code == 200, response.content
    cast.cohort.refresh_from_db()
    assert cast.cohort.objective == "Recover in minutes."
    assert cast.cohort.shared_with_network is True
    assert cast.cohort.name == "Platform Reliability"


@pytest.mark.parametrize(
    "who, status, code",
    [
        ("host", 403, "forbidden"),
        ("member", 403, "forbidden"),
        ("other_cohort_member", 404, "not_found"),
        ("mentor", 404, "not_found"),
        ("partner", 404, "not_found"),
        ("outsider", 404, "not_found"),
        (None, 401, "not_authenticated"),
    ],
)
def test_others_cannot_change_a_cohort(
    cast: Any, api_as: Any, who: str | None, status: int, code: str
) -> None:
    person = getattr(cast, who) if who else None
    assert_error(api_as(person).patch(RELIABILITY, {"name": "Hijacked"}), status, code)
    cast.cohort.refresh_from_db()
    assert cast.cohort.name == "Platform Reliability"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"slug": "design-ops"}, "slug"),
        ({"time_zone": "Nowhere"}, "time_zone"),
        ({"name": None}, "name"),
        ({"shared_with_network": None}, "shared_with_network"),
    ],
)
def test_bad_cohort_change_is_422_and_nothing_is_saved(
    cast: Any, api_as: Any, change: dict[str, Any], field: str
) -> None:
    response = api_as(cast.organizer).patch(RELIABILITY, {"objective": "Changed", **change})
    assert field in assert_error(response, 422, "validation_error")["fields"]
    cast.cohort.refresh_from_db()
    assert cast.cohort.objective == "Cut incident recovery time by sharing what works."
    assert cast.cohort.slug == "reliability"


def test_renaming_a_cohorts_slug_moves_it(cast: Any, api_as: Any) -> None:
    caller = api_as(cast.organizer)
    assert caller.patch(RELIABILITY, {"slug": "sre"}).status_code == 200
    assert caller.get(f"{COHORTS}/sre").status_code == 200
    assert_error(caller.get(RELIABILITY), 404, "not_found")


# --- charters ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", COHORT_READERS)
def test_cohort_members_and_organizers_read_the_charter(cast: Any, api_as: Any, who: str) -> None:
    caller = api_as(getattr(cast, who))
    current = caller.get(f"{RELIABILITY}/charters/current")
    assert current.status_code == 200
    assert current.json()["version"] == 1
    assert "Secret mission of Platform Reliability" in current.json()["mission"]
    assert current.json()["weekly_hours"] == 2.0
    versions = caller.get(f"{RELIABILITY}/charters").json()
    assert [c["version"] for c in versions["items"]] == [1]


@pytest.mark.parametrize("who", COHORT_STRANGERS)
def test_charter_never_leaks_outside_the_cohort(cast: Any, api_as: Any, who: str) -> None:
    caller = api_as(getattr(cast, who))
    for path in (f"{RELIABILITY}/charters", f"{RELIABILITY}/charters/current"):
        response = caller.get(path)
        assert_error(response, 404, "not_found")
        assert b"Secret mission" not in response.content


def test_a_cohort_without_a_charter_answers_404_for_the_current_one(cast: Any, api_as: Any) -> None:
    cast.cohort.charters.all().delete()
    response = api_as(cast.member).get(f"{RELIABILITY}/charters/current")
    assert_error(response, 404, "not_found")
    assert api_as(cast.member).get(f"{RELIABILITY}/charters").json()["count"] == 0


@pytest.mark.parametrize("who", ["host", *ORGANIZERS])
def test_hosts_and_organizers_save_a_new_charter_version(cast: Any, api_as: Any, who: str) -> None:
    person = getattr(cast, who)
    caller = api_as(person)
    response = caller.post(f"{RELIABILITY}/charters", charter_body())
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2
    assert response.json()["created_by"] == {"id": person.pk, "name": person.name}
    charter = cast.cohort.current_charter()
    assert charter.version == 2
    assert charter.weekly_hours == Decimal("3.5")
    assert charter.learning_formats == ["demo", "coaching"]
    assert charter.created_by == person
    again = charter_body(norms="Blameless. Cameras on.", change_note="One more norm")
    assert caller.post(f"{RELIABILITY}/charters", again).json()["version"] == 3
    versions = caller.get(f"{RELIABILITY}/charters").json()["items"]
    assert [c["version"] for c in versions] == [3, 2, 1]


@pytest.mark.parametrize(
    "who, status, code",
    [
        ("member", 403, "forbidden"),
        ("other_cohort_member", 404, "not_found"),
        ("mentor", 404, "not_found"),
        ("partner", 404, "not_found"),
        ("outsider", 404, "not_found"),
        (None, 401, "not_authenticated"),
    ],
)
def test_others_cannot_change_the_charter(
    cast: Any, api_as: Any, who: str | None, status: int, code: str
) -> None:
    person = getattr(cast, who) if who else None
    assert_error(api_as(person).post(f"{RELIABILITY}/charters", charter_body()), status, code)
    assert cast.cohort.charters.count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"weekly_hours": 0}, "weekly_hours"),
        ({"weekly_hours": -1}, "weekly_hours"),
        ({"weekly_hours": 40.5}, "weekly_hours"),
        ({"weekly_hours": 2.25}, "weekly_hours"),
        ({"next_review_on": "2001-01-01"}, "next_review_on"),
        ({"next_review_on": "someday"}, "next_review_on"),
        ({"learning_formats": ["demo", "karaoke"]}, "learning_formats.1"),
        ({"mission": ""}, "mission"),
        ({"change_note": "x" * 201}, "change_note"),
    ],
)
def test_bad_charter_is_422_naming_the_field_and_no_version_is_saved(
    cast: Any, api_as: Any, change: dict[str, Any], field: str
) -> None:
    response = api_as(cast.host).post(f"{RELIABILITY}/charters", charter_body(**change))
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"], error
    assert cast.cohort.charters.count() == 1


def test_a_charter_due_for_review_today_is_422(cast: Any, api_as: Any) -> None:
    body = charter_body(next_review_on=timezone.localdate().isoformat())
    error = assert_error(
        api_as(cast.host).post(f"{RELIABILITY}/charters", body), 422, "validation_error"
    )
    assert "next_review_on" in error["fields"], error
    assert cast.cohort.charters.count() == 1


def test_forty_hours_a_week_is_the_most_a_charter_may_ask(cast: Any, api_as: Any) -> None:
    response = api_as(cast.host).post(f"{RELIABILITY}/charters", charter_body(weekly_hours=40))
    assert response.status_code == 201


def test_missing_required_charter_fields_are_all_named(cast: Any, api_as: Any) -> None:
    error = assert_error(
        api_as(cast.host).post(f"{RELIABILITY}/charters", {}), 422, "validation_error"
    )
    assert {"mission", "weekly_hours", "next_review_on"} <= set(error["fields"])


# --- roster ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", COHORT_READERS)
def test_cohort_members_and_organizers_see_the_roster(cast: Any, api_as: Any, who: str) -> None:
    response = api_as(getattr(cast, who)).get(f"{RELIABILITY}/memberships")
    assert response.status_code == 200
    roster = response.json()["items"]
    assert [(m["user"]["name"], m["role"]) for m in roster] == [
        ("Hana Host", "host"),
        ("Mo Member", "member"),
        ("Nia Newcomer", "member"),
    ]
    assert roster[1]["learning_statement"] == "Mo Member will apply it."


@pytest.mark.parametrize("who", COHORT_STRANGERS)
def test_roster_is_404_outside_the_cohort(cast: Any, api_as: Any, who: str) -> None:
    assert_error(api_as(getattr(cast, who)).get(f"{RELIABILITY}/memberships"), 404, "not_found")


def test_roster_shows_people_who_left_only_when_asked(cast: Any, api_as: Any) -> None:
    place = CohortMembership.objects.get(cohort=cast.cohort, user=cast.newcomer)
    place.left_on = timezone.localdate()
    place.save()
    caller = api_as(cast.member)
    current = caller.get(f"{RELIABILITY}/memberships").json()["items"]
    assert "Nia Newcomer" not in [m["user"]["name"] for m in current]
    everyone = caller.get(f"{RELIABILITY}/memberships", include_past="true").json()["items"]
    past = next(m for m in everyone if m["user"]["name"] == "Nia Newcomer")
    assert past["is_active"] is False
    assert past["left_on"] == timezone.localdate().isoformat()


def test_someone_who_left_the_cohort_no_longer_sees_it(cast: Any, api_as: Any) -> None:
    place = CohortMembership.objects.get(cohort=cast.cohort, user=cast.member)
    place.left_on = timezone.localdate()
    place.save()
    assert_error(api_as(cast.member).get(RELIABILITY), 404, "not_found")
