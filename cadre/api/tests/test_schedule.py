"""The session, rota, schedule, slot and mentor endpoints: the same rules as the web pages."""

from typing import Any

import pytest

from cadre.api.tests.helpers import V1, assert_as_published, assert_error
from cadre.schedule.models import Absence, CohortSchedule, MentorMatch, Session
from cadre.schedule.tests.helpers import add_past_sessions, assignments, make_schedule

COHORT = "/networks/northwind/cohorts/reliability"
MENTORS = "/networks/northwind/mentors"


@pytest.fixture
def schedule(cast: Any) -> CohortSchedule:
    return make_schedule(cast.cohort)


def delete(caller: Any, path: str) -> Any:
    return caller.client.delete(V1 + path, headers=caller.headers)


# --- sessions -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "organizer", "host", "member"])
def test_sessions_list_roles_for_those_who_see_the_cohort(cast, api_as, schedule, who):
    response = api_as(getattr(cast, who)).get(f"{COHORT}/sessions")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 8
    first = body["items"][0]
    assert {r["role"] for r in first["roles"]} == {"facilitator", "note-taker", "data reporter"}
    assert first["past"] is False and first["i_am_absent"] is False


@pytest.mark.parametrize("who", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_people_outside_the_cohort_get_404_for_its_sessions(cast, api_as, schedule, who):
    caller = api_as(getattr(cast, who))
    assert_error(caller.get(f"{COHORT}/sessions"), 404, "not_found")
    assert_error(caller.get(f"{COHORT}/schedule"), 404, "not_found")
    assert_error(caller.get(f"{COHORT}/slots"), 404, "not_found")


def test_anonymous_and_newcomer_are_refused(cast, api_as, schedule):
    assert_error(api_as(None).get(f"{COHORT}/sessions"), 401, "not_authenticated")
    assert_error(api_as(cast.newcomer).get(f"{COHORT}/sessions"), 403, "conduct_not_accepted")


def test_past_sessions_are_included_on_request(cast, api_as, schedule):
    add_past_sessions(cast.cohort, 2)
    body = api_as(cast.member).get(f"{COHORT}/sessions", include_past="true").json()
    assert body["count"] == 10
    assert [s["past"] for s in body["items"][:3]] == [True, True, False]


# --- absences -----------------------------------------------------------------------------


def test_member_marks_and_withdraws_an_absence(cast, api_as, schedule):
    add_past_sessions(cast.cohort, 2)
    past = list(cast.cohort.sessions.past())
    before = assignments(past)
    session = cast.cohort.sessions.upcoming().first()
    caller = api_as(cast.member)
    path = f"{COHORT}/sessions/{session.pk}/absence"
    created = caller.post(path, {"note": "Travelling"})
    assert created.status_code == 201, created.content
    assert not session.roles.filter(user=cast.member).exists()
    assert caller.post(path, {"note": "Still travelling"}).status_code == 200
    assert Absence.objects.get().note == "Still travelling"
    items = caller.get(f"{COHORT}/sessions").json()["items"]
    assert items[0]["i_am_absent"] is True
    assert delete(caller, path).status_code == 204
    assert not Absence.objects.exists()
    assert_error(delete(caller, path), 404, "not_found")
    assert assignments(past) == before


def test_absences_are_refused_for_past_sessions_and_non_members(cast, api_as, schedule):
    past = add_past_sessions(cast.cohort, 1)[0]
    assert_error(
        api_as(cast.member).post(f"{COHORT}/sessions/{past.pk}/absence"), 422, "validation_error"
    )
    assert_error(
        delete(api_as(cast.member), f"{COHORT}/sessions/{past.pk}/absence"),
        422,
        "validation_error",
    )
    session = cast.cohort.sessions.upcoming().first()
    assert_error(
        api_as(cast.organizer).post(f"{COHORT}/sessions/{session.pk}/absence"), 403, "forbidden"
    )
    assert_error(api_as(cast.member).post(f"{COHORT}/sessions/999999/absence"), 404, "not_found")
    assert_error(
        api_as(cast.member).post(f"{COHORT}/sessions/{session.pk}/absence", {"note": "x" * 201}),
        422,
        "validation_error",
    )
    assert not Absence.objects.exists()


# --- schedule and slots -------------------------------------------------------------------


def test_schedule_is_404_until_set_and_hosts_set_it(cast, api_as):
    assert_error(api_as(cast.member).get(f"{COHORT}/schedule"), 404, "not_found")
    response = api_as(cast.host).patch(
        f"{COHORT}/schedule", {"weekday": 4, "local_time": "09:30", "roles": ["facilitator"]}
    )
    assert response.status_code == 200, response.content
    body = api_as(cast.member).get(f"{COHORT}/schedule").json()
    assert body["weekday"] == 4 and body["local_time"].startswith("09:30")
    assert body["roles"] == ["facilitator"] and body["time_zone"] == "Europe/Berlin"
    assert Session.objects.filter(cohort=cast.cohort).count() == 8


@pytest.mark.parametrize("who", ["member", "other_cohort_member"])
def test_members_may_not_change_the_schedule(cast, api_as, schedule, who):
    expected = 403 if who == "member" else 404
    response = api_as(getattr(cast, who)).patch(f"{COHORT}/schedule", {"weekday": 5})
    assert response.status_code == expected
    schedule.refresh_from_db()
    assert schedule.weekday == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"weekday": 7}, "weekday"),
        ({"weekday": "2"}, "weekday"),
        ({"local_time": "later"}, "local_time"),
        ({"local_time": "09:30:00+02:00"}, "local_time"),
        ({"local_time": 34200}, "local_time"),
        ({"roles": []}, "roles"),
        ({"roles": ["a", "A"]}, "roles"),
        ({"roles": None}, "roles"),
    ],
)
def test_bad_schedules_are_refused_with_field_errors(cast, api_as, schedule, body, field):
    error = assert_error(
        api_as(cast.organizer).patch(f"{COHORT}/schedule", body), 422, "validation_error"
    )
    assert field in error["fields"]
    schedule.refresh_from_db()
    assert schedule.weekday == 1 and len(schedule.roles) == 3


def test_the_schedule_and_its_slots_are_sent_as_the_document_publishes_them(
    cast, api_as, schedule, client
):
    cast.host.profile.availability = [2 * 24 + 9]
    cast.host.profile.save()
    caller = api_as(cast.member)
    assert_as_published(client, "ScheduleOut", caller.get(f"{COHORT}/schedule").json())
    slots = caller.get(f"{COHORT}/slots").json()
    assert slots
    for slot in slots:
        assert_as_published(client, "SlotOut", slot)


def test_slots_name_who_cannot_come(cast, api_as, schedule):
    cast.host.profile.availability = [2 * 24 + 9]
    cast.host.profile.save()
    slots = api_as(cast.member).get(f"{COHORT}/slots").json()
    assert slots[0]["start_utc"] == 2 * 24 + 8
    assert slots[0]["weekday"] == 2 and slots[0]["local_time"].startswith("09:00")
    assert {u["name"] for u in slots[0]["missing"]} == {"Mo Member", "Nia Newcomer"}


# --- mentors ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_organizers_get_proposals_and_confirm_one(cast, api_as, who):
    caller = api_as(getattr(cast, who))
    body = caller.get(f"{MENTORS}/proposals").json()
    assert body["mentors"][0]["user"]["name"] == "Mei Mentor"
    assert len(body["matches"]) == 2  # default capacity
    first = body["matches"][0]
    created = caller.post(
        f"{MENTORS}/matches",
        {"mentor": first["mentor"]["id"], "newcomer": first["newcomer"]["id"]},
    )
    assert created.status_code == 201, created.content
    assert caller.get(f"{MENTORS}/matches").json()["count"] == 1
    mine = api_as(cast.mentor).get(f"{MENTORS}/mine").json()
    assert [m["newcomer"]["id"] for m in mine["mentees"]] == [first["newcomer"]["id"]]


@pytest.mark.parametrize("who", ["host", "member", "mentor", "partner"])
def test_others_may_not_see_or_confirm_proposals(cast, api_as, who):
    caller = api_as(getattr(cast, who))
    assert_error(caller.get(f"{MENTORS}/proposals"), 403, "forbidden")
    assert_error(caller.get(f"{MENTORS}/matches"), 403, "forbidden")
    body = {"mentor": cast.mentor.pk, "newcomer": cast.member.pk}
    assert_error(caller.post(f"{MENTORS}/matches", body), 403, "forbidden")
    assert not MentorMatch.objects.exists()


def test_outsider_gets_404_for_mentoring(cast, api_as):
    assert_error(api_as(cast.outsider).get(f"{MENTORS}/proposals"), 404, "not_found")
    assert_error(api_as(cast.outsider).get(f"{MENTORS}/mine"), 404, "not_found")
    assert_error(api_as(cast.partner).get(f"{MENTORS}/mine"), 403, "forbidden")


def test_a_bad_confirmation_is_refused_with_a_field_error(cast, api_as):
    error = assert_error(
        api_as(cast.organizer).post(
            f"{MENTORS}/matches", {"mentor": cast.member.pk, "newcomer": cast.host.pk}
        ),
        422,
        "validation_error",
    )
    assert "mentor" in error["fields"]
    assert_error(
        api_as(cast.organizer).get(f"{MENTORS}/proposals", days=0), 422, "validation_error"
    )
    assert not MentorMatch.objects.exists()


def test_member_sees_their_mentor(cast, api_as):
    MentorMatch.objects.create(network=cast.network, mentor=cast.mentor, newcomer=cast.member)
    body = api_as(cast.member).get(f"{MENTORS}/mine").json()
    assert body["mentor"]["mentor"]["name"] == "Mei Mentor" and body["mentees"] == []
