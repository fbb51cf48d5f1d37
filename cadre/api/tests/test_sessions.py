"""A session's agenda, attendance, notes and report endpoints: the same rules as the web
pages."""

from typing import Any

import pytest

from cadre.api.tests.helpers import V1, assert_error
from cadre.schedule.models import Attendance, SessionReport
from cadre.schedule.tests.helpers import add_members, make_held_session

COHORT = "/networks/northwind/cohorts/reliability"


@pytest.fixture
def note_taker(cast: Any) -> Any:
    return add_members(cast.cohort, 1)[0]


@pytest.fixture
def base(cast: Any, note_taker: Any) -> str:
    session = make_held_session(cast.cohort, facilitator=cast.member, note_taker=note_taker)
    return f"{COHORT}/sessions/{session.pk}"


def put(caller: Any, path: str, body: Any) -> Any:
    import json

    return caller.client.put(
        V1 + path, json.dumps(body), content_type="application/json", headers=caller.headers
    )


@pytest.mark.parametrize("who", ["admin", "organizer", "host", "member"])
def test_the_cohort_reads_the_agenda(cast, api_as, base, who):
    response = api_as(getattr(cast, who)).get(f"{base}/agenda")
    assert response.status_code == 200, response.content
    assert [b["minutes"] for b in response.json()] == [6, 24, 18, 12]


@pytest.mark.parametrize("who", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_people_outside_the_cohort_get_404_for_session_endpoints(cast, api_as, base, who):
    caller = api_as(getattr(cast, who))
    for part in ("agenda", "attendance", "notes", "report"):
        assert_error(caller.get(f"{base}/{part}"), 404, "not_found")
    assert_error(caller.post(f"{base}/notes", {"text": "hi"}), 404, "not_found")


def test_anonymous_and_newcomer_are_refused_session_endpoints(cast, api_as, base):
    assert_error(api_as(None).get(f"{base}/agenda"), 401, "not_authenticated")
    assert_error(api_as(cast.newcomer).get(f"{base}/agenda"), 403, "conduct_not_accepted")


def test_the_facilitator_replaces_the_agenda(cast, api_as, base):
    blocks = [
        {"kind": "check_in", "title": "Check-in", "minutes": 10},
        {"kind": "demo", "title": "Failed canary", "minutes": 50, "presenter": cast.host.pk},
    ]
    response = put(api_as(cast.member), f"{base}/agenda", {"blocks": blocks})
    assert response.status_code == 200, response.content
    assert response.json()[1]["presenter"]["name"] == "Hana Host"


def test_an_agenda_that_does_not_add_up_is_refused_by_the_api(cast, api_as, base):
    caller = api_as(cast.member)
    before = caller.get(f"{base}/agenda").json()
    bad = {"blocks": [{"kind": "learning", "title": "All of it", "minutes": 70}]}
    error = assert_error(put(caller, f"{base}/agenda", bad), 422, "validation_error")
    assert "(10 minutes too many)" in error["fields"]["blocks"][0]
    assert caller.get(f"{base}/agenda").json() == before


def test_members_without_a_role_cannot_change_the_agenda(cast, api_as, base, note_taker):
    body = {"blocks": [{"kind": "learning", "title": "All", "minutes": 60}]}
    assert_error(put(api_as(note_taker), f"{base}/agenda", body), 403, "forbidden")


def test_attendance_and_notes_through_the_api(cast, api_as, base):
    caller = api_as(cast.member)
    response = put(caller, f"{base}/attendance/{cast.host.pk}", {"status": "present"})
    assert response.status_code == 200, response.content
    assert Attendance.objects.get(user=cast.host).status == "present"
    assert_error(
        put(caller, f"{base}/attendance/{cast.outsider.pk}", {"status": "present"}),
        404,
        "not_found",
    )
    response = caller.post(f"{base}/notes", {"kind": "insight", "text": "Fewer alerts"})
    assert response.status_code == 201
    assert caller.get(f"{base}/notes").json()[0]["text"] == "Fewer alerts"


def test_the_note_taker_drafts_and_publishes_through_the_api(
    cast, api_as, base, note_taker, django_capture_on_commit_callbacks
):
    caller = api_as(note_taker)
    assert_error(caller.post(f"{base}/report/publish", {}), 404, "not_found")
    draft = caller.post(f"{base}/report/draft")
    assert draft.status_code == 200, draft.content
    assert "## Roles" in draft.json()["body"]
    assert_error(api_as(cast.member).get(f"{base}/report"), 404, "not_found")
    assert_error(api_as(cast.member).post(f"{base}/report/draft"), 403, "forbidden")
    with django_capture_on_commit_callbacks(execute=True):
        response = caller.post(f"{base}/report/publish", {"share_with_network": True})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert api_as(cast.other_cohort_member).get(f"{base}/report").status_code == 200
    assert_error(caller.post(f"{base}/report/publish", {}), 422, "validation_error")
    assert_error(caller.post(f"{base}/report/draft"), 422, "validation_error")
    assert SessionReport.objects.get().share_with_network
