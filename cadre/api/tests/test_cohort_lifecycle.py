"""The cohort lifecycle's endpoints (status, memberships) by everyone who may and may not
use them."""

from typing import Any

import pytest
from django.test import Client

from cadre.api.models import ApiToken
from cadre.api.tests.helpers import assert_error
from cadre.cohorts.models import CohortMembership, CohortStatus
from cadre.testing_parity import Caller

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)


@pytest.fixture
def api_as() -> Any:
    """An API caller that also deletes (None: no token)."""

    def make(user: Any) -> Caller:
        return Caller(Client(), ApiToken.issue(user, "tests")[1] if user is not None else None)

    return make


RELIABILITY = "/networks/northwind/cohorts/reliability"
ORGANIZERS = ["admin", "organizer"]
# Who sees the cohort but may not manage it (403) and who does not see it (404).
FORBIDDEN = ["host", "member"]
NOT_FOUND = ["other_cohort_member", "mentor", "partner", "outsider"]


def writes(cast: Any) -> list[tuple[str, str, dict[str, Any]]]:
    member = cast.member.pk
    return [
        ("post", f"{RELIABILITY}/status", {"status": "paused"}),
        ("post", f"{RELIABILITY}/memberships", {"user_id": cast.mentor.pk}),
        ("delete", f"{RELIABILITY}/memberships/{member}", {}),
        ("patch", f"{RELIABILITY}/memberships/{member}", {"role": "host"}),
        ("post", f"{RELIABILITY}/memberships/{member}/move", {"to": "design-ops"}),
    ]


def send(caller: Any, method: str, path: str, body: dict[str, Any]) -> Any:
    return caller.delete(path) if method == "delete" else getattr(caller, method)(path, body)


def unchanged(cast: Any) -> None:
    cast.cohort.refresh_from_db()
    assert cast.cohort.status == CohortStatus.ACTIVE
    membership = CohortMembership.objects.get(cohort=cast.cohort, user=cast.member)
    assert membership.is_active and membership.role == "member"
    assert not CohortMembership.objects.filter(user=cast.mentor).exists()


@pytest.mark.parametrize("who", ORGANIZERS)
def test_organizers_run_the_lifecycle(cast: Any, api_as: Any, who: str) -> None:
    caller = api_as(getattr(cast, who))
    member, mentor = cast.member.pk, cast.mentor.pk
    steps = [
        ("post", f"{RELIABILITY}/status", {"status": "paused"}),
        ("post", f"{RELIABILITY}/memberships", {"user_id": mentor}),
        ("patch", f"{RELIABILITY}/memberships/{member}", {"role": "host"}),
        ("post", f"{RELIABILITY}/memberships/{member}/move", {"to": "design-ops"}),
        ("delete", f"{RELIABILITY}/memberships/{mentor}", {}),
    ]
    for method, path, body in steps:
        response = send(caller, method, path, body)
        assert response.status_code in (200, 201), (path, response.content)
    assert not CohortMembership.objects.get(cohort=cast.cohort, user=cast.mentor).is_active
    assert caller.get(RELIABILITY).json()["status"] == "paused"
    assert CohortMembership.objects.get(cohort=cast.other_cohort, user=cast.member).is_active


@pytest.mark.parametrize(
    "who, status, code",
    [
        *[(w, 403, "forbidden") for w in FORBIDDEN],
        *[(w, 404, "not_found") for w in NOT_FOUND],
        ("newcomer", 403, "conduct_not_accepted"),
        (None, 401, "not_authenticated"),
    ],
)
def test_nobody_else_does(cast: Any, api_as: Any, who: str | None, status: int, code: str) -> None:
    caller = api_as(getattr(cast, who) if who else None)
    for method, path, body in writes(cast):
        assert_error(send(caller, method, path, body), status, code)
    unchanged(cast)


def test_refusals_answer_with_their_kind(cast: Any, api_as: Any) -> None:
    caller = api_as(cast.organizer)
    error = assert_error(
        caller.post(f"{RELIABILITY}/status", {"status": "forming"}), 409, "conflict"
    )
    assert "does not go back to forming" in error["message"]
    assert_error(caller.post(f"{RELIABILITY}/status", {"status": "nap"}), 422, "validation_error")
    assert_error(
        caller.post(f"{RELIABILITY}/memberships", {"user_id": cast.outsider.pk}), 404, "not_found"
    )
    assert_error(
        caller.post(f"{RELIABILITY}/memberships", {"user_id": cast.member.pk}), 409, "conflict"
    )
    assert_error(
        caller.post(f"{RELIABILITY}/memberships/{cast.member.pk}/move", {"to": "nowhere"}),
        422,
        "validation_error",
    )
    unchanged(cast)


def test_the_cohort_names_its_hosts_and_a_host_edits_how_it_meets(cast: Any, api_as: Any) -> None:
    caller = api_as(cast.host)
    body = caller.get(RELIABILITY).json()
    assert body["hosts"] == [{"id": cast.host.pk, "name": "Hana Host"}]
    assert caller.patch(RELIABILITY, {"cadence": "monthly"}).status_code == 200
    assert_error(caller.patch(RELIABILITY, {"hosts": [cast.member.pk]}), 403, "forbidden")
    error = assert_error(
        api_as(cast.organizer).patch(RELIABILITY, {"hosts": [cast.outsider.pk]}),
        422,
        "validation_error",
    )
    assert "hosts" in error["fields"]


def test_the_cohort_list_leaves_archived_cohorts_out_unless_asked(cast: Any, api_as: Any) -> None:
    from cadre.cohorts.models import Cohort

    Cohort.objects.filter(pk=cast.other_cohort.pk).update(status=CohortStatus.ARCHIVED)
    caller = api_as(cast.organizer)
    listed = caller.get("/networks/northwind/cohorts").json()["items"]
    assert [c["slug"] for c in listed] == ["reliability"]
    listed = caller.get("/networks/northwind/cohorts", include_archived="true").json()["items"]
    assert [c["slug"] for c in listed] == ["design-ops", "reliability"]
