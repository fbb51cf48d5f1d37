"""The health endpoints: the same rules as the pages."""

import json

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from cadre.api.models import ApiToken
from cadre.api.tests.helpers import ApiCaller, assert_error
from cadre.health import facts
from cadre.health.models import HealthSettings

from .helpers import blocker, falling_attendance, recent_updates, settle_in

COHORT = "/networks/northwind/cohorts/reliability/health"
NETWORK = "/networks/northwind/health"
SETTINGS = "/networks/northwind/health/settings"


@pytest.fixture
def api_as():
    def make(user):
        token = ApiToken.issue(user, "tests")[1] if user is not None else None
        return ApiCaller(Client(), token)

    return make


def put(caller: ApiCaller, path: str, body: dict) -> object:
    return caller.client.put(
        "/api/v1" + path, json.dumps(body), content_type="application/json", headers=caller.headers
    )


@pytest.fixture
def drifting(cast):
    settle_in(cast.cohort)
    falling_attendance(cast.cohort, [cast.host, cast.member, cast.newcomer])
    recent_updates(cast.cohort)
    blocker(cast.member, cast.cohort, 3, text="Need read access")
    facts.refresh(facts.tracked_cohorts())
    return cast


@pytest.mark.parametrize("who", ["host", "organizer", "admin"])
def test_hosts_and_organizers_read_the_signals_with_names(drifting, api_as, who):
    body = api_as(getattr(drifting, who)).get(COHORT).json()
    assert body["status"] == "drifting" and body["detail"] == "full"
    codes = {s["code"]: s for s in body["signals"]}
    assert "Mo Member: “Need read access”" in codes["blockers_unanswered"]["message"]
    assert body["numbers"]["open_blockers"] == 1 and body["numbers"]["members"] == 3


def test_a_member_reads_the_summary_without_names(drifting, api_as):
    body = api_as(drifting.member).get(COHORT).json()
    assert body["detail"] == "summary"
    text = json.dumps(body)
    assert "Mo Member" not in text and "Need read access" not in text
    assert any(s["code"] == "blockers_unanswered" for s in body["signals"])


@pytest.mark.parametrize("who", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_others_get_404_for_a_cohorts_health(drifting, api_as, who):
    assert_error(api_as(getattr(drifting, who)).get(COHORT), 404, "not_found")


def test_anonymous_and_the_newcomer_are_refused(drifting, api_as):
    assert_error(api_as(None).get(COHORT), 401, "not_authenticated")
    assert_error(api_as(drifting.newcomer).get(COHORT), 403, "conduct_not_accepted")


def test_a_cohort_not_computed_yet_answers_404_with_a_reason(cast, api_as):
    body = assert_error(api_as(cast.host).get(COHORT), 404, "not_found")
    assert "not been computed" in body["message"]


@pytest.mark.parametrize("who", ["organizer", "admin"])
def test_organizers_list_every_cohort_sorted_and_filtered(drifting, api_as, who):
    caller = api_as(getattr(drifting, who))
    body = caller.get(NETWORK).json()
    assert body["count"] == 2
    assert [c["cohort"] for c in body["items"]] == ["reliability", "design-ops"]
    by_name = caller.get(NETWORK, sort="name").json()["items"]
    assert [c["cohort"] for c in by_name] == ["design-ops", "reliability"]
    drifting_only = caller.get(NETWORK, status="drifting").json()
    assert [c["cohort"] for c in drifting_only["items"]] == ["reliability"]
    page = caller.get(NETWORK, limit=1, offset=1).json()
    assert page["count"] == 2 and [c["cohort"] for c in page["items"]] == ["design-ops"]


@pytest.mark.parametrize(
    "who", ["host", "member", "other_cohort_member", "mentor", "partner", "outsider"]
)
def test_everyone_else_gets_404_for_the_overview_and_the_settings(drifting, api_as, who):
    caller = api_as(getattr(drifting, who))
    assert_error(caller.get(NETWORK), 404, "not_found")
    assert_error(caller.get(SETTINGS), 404, "not_found")
    defaults = {name: getattr(HealthSettings(), name) for name in HealthSettings.FIELDS}
    assert_error(put(caller, SETTINGS, defaults), 404, "not_found")


def test_anonymous_gets_401_for_the_overview(drifting, api_as):
    assert_error(api_as(None).get(NETWORK), 401, "not_authenticated")


def test_settings_are_read_and_changed_by_organizers(drifting, api_as):
    caller = api_as(drifting.organizer)
    current = caller.get(SETTINGS).json()
    assert current["blocker_wait_hours"] == 48 and not HealthSettings.objects.exists()
    response = put(caller, SETTINGS, {**current, "blocker_wait_hours": 72})
    assert response.status_code == 200 and response.json()["blocker_wait_hours"] == 72
    assert HealthSettings.objects.get(network=drifting.network).blocker_wait_hours == 72
    assert DBTaskResult.objects.filter(task_path__endswith="refresh_network_health").exists()


def test_settings_out_of_range_are_refused_field_by_field(drifting, api_as):
    caller = api_as(drifting.admin)
    current = caller.get(SETTINGS).json()
    response = put(caller, SETTINGS, {**current, "attendance_window": 40, "role_repeat": 1})
    body = assert_error(response, 422, "validation_error")
    assert body["fields"] == {
        "attendance_window": ["Choose between 2 and 12 sessions."],
        "role_repeat": ["Choose between 2 and 12 sessions."],
    }
    assert not HealthSettings.objects.exists()
