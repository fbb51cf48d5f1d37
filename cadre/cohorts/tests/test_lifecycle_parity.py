"""The lifecycle's writes through the page and through the API leave the same rows, and a
refusal reads the same at both doors (cadre.cohorts.services)."""

from typing import Any

import pytest
from django.urls import reverse

from cadre.cohorts.models import Cohort, CohortMembership
from cadre.testing_parity import api_message, call_api, fresh, page_as, rows, shown_on_page

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

API = "/networks/northwind/cohorts"
RELIABILITY = f"{API}/reliability"


def page(name: str, *args: Any) -> str:
    return reverse(f"cohorts:{name}", args=["northwind", *args])


def state(cast: Any) -> Any:
    cohorts = Cohort.objects.filter(network=cast.network).order_by("slug")
    # Memberships name their cohort by slug: a new cohort's id differs between the two doors
    # on PostgreSQL, whose sequences do not roll back.
    memberships = list(
        CohortMembership.objects.filter(cohort__network=cast.network)
        .order_by("cohort__slug", "user__email")
        .values_list(
            "cohort__slug", "user_id", "role", "joined_on", "left_on", "learning_statement"
        )
    )
    return rows(cohorts), memberships


FORM = {
    "name": "Data Guild",
    "slug": "data-guild",
    "objective": "Ship one dashboard each.",
    "outcomes": "Five dashboards\r\nOne template",
    "time_zone": "America/Chicago",
    "cadence": "biweekly",
    "starts_on": "2026-04-01",
    "session_minutes": "90",
    "shared_with_network": "on",
}
BODY = {
    "name": "Data Guild",
    "slug": "data-guild",
    "objective": "Ship one dashboard each.",
    "outcomes": ["Five dashboards", "One template"],
    "time_zone": "America/Chicago",
    "cadence": "biweekly",
    "starts_on": "2026-04-01",
    "session_minutes": 90,
    "shared_with_network": True,
}


def test_creating_a_cohort(cast: Any) -> None:
    by_page = fresh(
        lambda: page_as(cast.organizer).post(page("new"), {**FORM, "hosts": [cast.mentor.pk]}),
        lambda: state(cast),
    )
    by_api = fresh(
        lambda: call_api(cast.organizer, "post", API, {**BODY, "hosts": [cast.mentor.pk]}),
        lambda: state(cast),
    )
    assert (by_page.response.status_code, by_api.response.status_code) == (302, 201)
    assert by_page.rows == by_api.rows
    assert len(by_page.rows[0]) == 3


def test_editing_a_cohort(cast: Any) -> None:
    form = {**FORM, "slug": "reliability", "hosts": [cast.member.pk]}
    body = {k: v for k, v in BODY.items() if k != "slug"} | {"hosts": [cast.member.pk]}
    by_page = fresh(
        lambda: page_as(cast.organizer).post(page("edit", "reliability"), form),
        lambda: state(cast),
    )
    by_api = fresh(
        lambda: call_api(cast.organizer, "patch", RELIABILITY, body), lambda: state(cast)
    )
    assert (by_page.response.status_code, by_api.response.status_code) == (302, 200)
    assert by_page.rows == by_api.rows


@pytest.mark.parametrize(
    "status, page_code, api_code", [("paused", 302, 200), ("archived", 400, 409)]
)
def test_changing_the_status(cast: Any, status: str, page_code: int, api_code: int) -> None:
    by_page = fresh(
        lambda: page_as(cast.organizer).post(page("status", "reliability"), {"status": status}),
        lambda: state(cast),
    )
    by_api = fresh(
        lambda: call_api(cast.organizer, "post", f"{RELIABILITY}/status", {"status": status}),
        lambda: state(cast),
    )
    assert (by_page.response.status_code, by_api.response.status_code) == (page_code, api_code)
    assert by_page.rows == by_api.rows
    if api_code == 409:
        assert api_message(by_api.response) in shown_on_page(by_page.response)


def test_adding_a_member(cast: Any) -> None:
    by_page = fresh(
        lambda: page_as(cast.organizer).post(
            page("member_add", "reliability"), {"person": cast.mentor.pk, "role": "host"}
        ),
        lambda: state(cast),
    )
    by_api = fresh(
        lambda: call_api(
            cast.organizer,
            "post",
            f"{RELIABILITY}/memberships",
            {"user_id": cast.mentor.pk, "role": "host"},
        ),
        lambda: state(cast),
    )
    assert (by_page.response.status_code, by_api.response.status_code) == (302, 201)
    assert by_page.rows == by_api.rows


def test_adding_someone_twice_is_refused_with_the_same_sentence(cast: Any) -> None:
    by_page = fresh(
        lambda: page_as(cast.organizer).post(
            page("member_add", "reliability"), {"person": cast.member.pk, "role": "member"}
        ),
        lambda: state(cast),
    )
    by_api = fresh(
        lambda: call_api(
            cast.organizer, "post", f"{RELIABILITY}/memberships", {"user_id": cast.member.pk}
        ),
        lambda: state(cast),
    )
    assert (by_page.response.status_code, by_api.response.status_code) == (400, 409)
    assert by_page.rows == by_api.rows
    assert api_message(by_api.response) in shown_on_page(by_page.response)


def test_removing_a_member(cast: Any) -> None:
    by_page = fresh(
        lambda: page_as(cast.organizer).post(page("member_remove", "reliability", cast.member.pk)),
        lambda: state(cast),
    )
    by_api = fresh(
        lambda: call_api(cast.organizer, "delete", f"{RELIABILITY}/memberships/{cast.member.pk}"),
        lambda: state(cast),
    )
    assert (by_page.response.status_code, by_api.response.status_code) == (302, 200)
    assert by_page.rows == by_api.rows


def test_moving_a_member(cast: Any) -> None:
    by_page = fresh(
        lambda: page_as(cast.organizer).post(
            page("member_move", "reliability", cast.member.pk), {"to": "design-ops"}
        ),
        lambda: state(cast),
    )
    by_api = fresh(
        lambda: call_api(
            cast.organizer,
            "post",
            f"{RELIABILITY}/memberships/{cast.member.pk}/move",
            {"to": "design-ops"},
        ),
        lambda: state(cast),
    )
    assert (by_page.response.status_code, by_api.response.status_code) == (302, 200)
    assert by_page.rows == by_api.rows


def test_changing_a_role(cast: Any) -> None:
    by_page = fresh(
        lambda: page_as(cast.organizer).post(
            page("member_role", "reliability", cast.member.pk), {"role": "host"}
        ),
        lambda: state(cast),
    )
    by_api = fresh(
        lambda: call_api(
            cast.organizer,
            "patch",
            f"{RELIABILITY}/memberships/{cast.member.pk}",
            {"role": "host"},
        ),
        lambda: state(cast),
    )
    assert (by_page.response.status_code, by_api.response.status_code) == (302, 200)
    assert by_page.rows == by_api.rows
