"""The intake and formation endpoints: the same rules as the web pages, in JSON."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail

from cadre.api.tests.helpers import assert_error
from cadre.cohorts.models import Cohort
from cadre.formation.models import Application, FormationRun, Intake, IntakeStatus, RunStatus
from cadre.formation.tests.helpers import add_applicants, make_intake, run_worker

INTAKES = "/networks/northwind/intakes"
SPRING = f"{INTAKES}/spring"
QUESTION = "What would you like to change in your work?"
# The intakes' dates are written from TODAY, so the clock stands still on it for every test.
NOW = datetime(2026, 1, 14, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
pytestmark = pytest.mark.time_machine(NOW, tick=False)


@pytest.fixture
def intake(cast: Any) -> Intake:
    return make_intake(cast)


@pytest.fixture
def applied(cast: Any, intake: Intake) -> list[Application]:
    return add_applicants(intake, 9, include=[cast.member])


def intake_body(**changes: Any) -> dict[str, Any]:
    return {
        "title": "Autumn Intake",
        "slug": "autumn",
        "objective": "Ship one discovery experiment each.",
        "questions": ["What do you want to learn?"],
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + timedelta(days=14)).isoformat(),
        "min_size": 3,
        "max_size": 5,
        **changes,
    }


def application_body(**changes: Any) -> dict[str, Any]:
    return {
        "goals": ["experimentation"],
        "availability": [9, 10, 11],
        "skills": {"facilitation": 3},
        "answers": {QUESTION: "Test more."},
        "statement": "I run a team.",
        **changes,
    }


# --- intakes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, expected",
    [
        ("admin", ["spring", "draft"]),
        ("organizer", ["spring", "draft"]),
        ("member", ["spring"]),
        ("mentor", ["spring"]),
        ("partner", []),
    ],
)
def test_intake_list_shows_what_each_person_may_see(cast, api_as, intake, who, expected):
    Intake.objects.create(
        network=cast.network,
        title="Draft",
        slug="draft",
        objective="x",
        opens_on=TODAY - timedelta(days=30),
        closes_on=TODAY - timedelta(days=20),
    )
    response = api_as(getattr(cast, who)).get(INTAKES)
    assert response.status_code == 200
    assert [i["slug"] for i in response.json()["items"]] == expected


def test_outsider_and_anonymous_cannot_list_intakes(cast, api_as, intake):
    assert_error(api_as(cast.outsider).get(INTAKES), 404, "not_found")
    assert_error(api_as(None).get(INTAKES), 401, "not_authenticated")
    assert_error(api_as(cast.partner).get(SPRING), 404, "not_found")


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_organizers_create_an_intake_as_a_draft_and_open_it(cast, api_as, who):
    caller = api_as(getattr(cast, who))
    response = caller.post(INTAKES, intake_body())
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"
    opened = caller.patch(f"{INTAKES}/autumn", {"status": "open"})
    assert opened.status_code == 200
    assert opened.json()["accepts_applications"] is True
    assert Intake.objects.get(slug="autumn").created_by == getattr(cast, who)


@pytest.mark.parametrize("who", ["member", "mentor"])
def test_members_may_not_create_or_change_intakes(cast, api_as, intake, who):
    caller = api_as(getattr(cast, who))
    assert_error(caller.post(INTAKES, intake_body()), 403, "forbidden")
    assert_error(caller.patch(SPRING, {"status": "closed"}), 403, "forbidden")
    assert Intake.objects.count() == 1
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.OPEN


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"closes_on": TODAY.isoformat()}, "closes_on"),
        ({"min_size": 1}, "min_size"),
        ({"max_size": 30}, "max_size"),
        ({"min_size": 6, "max_size": 4}, "max_size"),
        ({"min_size": "5"}, "min_size"),
        ({"target_skills": ["welding"]}, "target_skills"),
        ({"questions": ["Same", "Same"]}, "questions"),
        ({"slug": "spring"}, "slug"),
        ({"slug": "no spaces"}, "slug"),
        ({"opens_on": "soon"}, "opens_on"),
    ],
)
def test_bad_intakes_are_refused_with_field_errors(cast, api_as, intake, changes, field):
    error = assert_error(
        api_as(cast.organizer).post(INTAKES, intake_body(**changes)), 422, "validation_error"
    )
    assert field in error["fields"]
    assert Intake.objects.count() == 1


# --- applying --------------------------------------------------------------------------------


def test_member_applies_then_changes_and_withdraws(cast, api_as, intake):
    caller = api_as(cast.member)
    assert_error(caller.get(f"{SPRING}/application"), 404, "not_found")
    created = caller.post(f"{SPRING}/application", application_body())
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["skills"] == {"facilitation": 3}
    assert body["time_zone"] == "Europe/Berlin"
    assert body["availability_utc"] == [8, 9, 10]
    changed = caller.post(f"{SPRING}/application", application_body(goals=["coaching"]))
    assert changed.status_code == 200
    assert caller.get(f"{SPRING}/application").json()["goals"] == ["coaching"]
    assert caller.post(f"{SPRING}/application/withdraw").json()["withdrawn"] is True
    assert Application.objects.count() == 1


def test_left_out_fields_come_from_the_profile(cast, api_as, intake):
    cast.member.profile.learning_goals = ["facilitation"]
    cast.member.profile.availability = [30]
    cast.member.profile.save()
    response = api_as(cast.member).post(
        f"{SPRING}/application", {"answers": {QUESTION: "More tests."}}
    )
    assert response.status_code == 201, response.content
    assert response.json()["goals"] == ["facilitation"]
    assert response.json()["availability"] == [30]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"skills": {"welding": 3}}, "skills"),
        ({"skills": {"facilitation": 5}}, "skills"),
        ({"skills": {"facilitation": "3"}}, "skills.facilitation"),
        ({"availability": [168]}, "availability"),
        ({"answers": {}}, "answers"),
        ({"answers": {QUESTION: "x", "Another question?": "y"}}, "answers"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"goals": [""]}, "goals"),
    ],
)
def test_bad_applications_are_refused_with_field_errors(cast, api_as, intake, changes, field):
    response = api_as(cast.member).post(f"{SPRING}/application", application_body(**changes))
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"], error
    assert not Application.objects.exists()


@pytest.mark.parametrize("who, status", [("organizer", 403), ("partner", 404), ("outsider", 404)])
def test_organizers_partners_and_outsiders_cannot_apply(cast, api_as, intake, who, status):
    response = api_as(getattr(cast, who)).post(f"{SPRING}/application", application_body())
    assert response.status_code == status
    assert not Application.objects.exists()


def test_applications_are_for_organizers(cast, api_as, applied):
    response = api_as(cast.organizer).get(f"{SPRING}/applications")
    assert response.status_code == 200
    assert response.json()["count"] == 10
    assert_error(api_as(cast.member).get(f"{SPRING}/applications"), 403, "forbidden")
    assert_error(api_as(cast.outsider).get(f"{SPRING}/applications"), 404, "not_found")


# --- runs, the proposal and publishing ----------------------------------------------------


def test_the_whole_flow_through_the_api(cast, api_as, applied):
    caller = api_as(cast.organizer)
    started = caller.post(f"{SPRING}/runs", {"seconds": 1, "seed": 4})
    assert started.status_code == 202, started.content
    run_id = started.json()["id"]
    assert started.json()["status"] == "queued"
    run_worker()
    status = caller.get(f"{SPRING}/runs/{run_id}").json()
    assert status["status"] == "done" and status["progress"] == 1.0

    proposal = caller.get(f"{SPRING}/proposal").json()
    assert proposal["run"] == run_id
    cohorts = proposal["cohorts"]
    assert sum(len(c["members"]) for c in cohorts) == 10
    assert set(cohorts[0]["composition"]) == {"function", "industry", "organization", "seniority"}
    assert cohorts[0]["score"]["reasons"]

    person = cohorts[0]["members"][0]["application"]
    moved = caller.post(f"{SPRING}/proposal/move", {"application": person, "cohort": 2}).json()
    assert person in [m["application"] for m in moved["cohorts"][1]["members"]]
    assert [c["score"]["total"] for c in moved["cohorts"]] != [c["score"]["total"] for c in cohorts]
    locked = caller.post(f"{SPRING}/proposal/lock", {"application": person}).json()
    assert [m["locked"] for m in locked["cohorts"][1]["members"] if m["application"] == person] == [
        True
    ]
    error = assert_error(
        caller.post(f"{SPRING}/proposal/move", {"application": person, "cohort": 1}),
        422,
        "validation_error",
    )
    assert "application" in error["fields"]

    rerun = caller.post(f"{SPRING}/proposal/rerun", {"seconds": 1, "seed": 8})
    assert rerun.status_code == 202
    run_worker()
    again = caller.get(f"{SPRING}/proposal").json()
    assert again["run"] == rerun.json()["id"]
    assert person in [m["application"] for m in again["cohorts"][1]["members"]]

    published = caller.post(f"{SPRING}/publish")
    assert published.status_code == 201, published.content
    run_worker()
    assert len(published.json()) == len(again["cohorts"])
    assert Cohort.objects.filter(slug__startswith="spring-").count() == len(again["cohorts"])
    assert len(mail.outbox) == 10
    assert_error(caller.post(f"{SPRING}/publish"), 409, "conflict")
    assert_error(
        caller.post(f"{SPRING}/proposal/move", {"application": person, "cohort": 1}),
        409,
        "conflict",
    )


@pytest.mark.parametrize("who, status", [("member", 403), ("mentor", 403), ("outsider", 404)])
def test_only_organizers_run_formation(cast, api_as, applied, who, status):
    caller = api_as(getattr(cast, who))
    assert caller.post(f"{SPRING}/runs", {"seconds": 1}).status_code == status
    assert caller.get(f"{SPRING}/proposal").status_code == status
    assert caller.post(f"{SPRING}/publish").status_code == status
    assert not FormationRun.objects.exists()


def test_bad_run_settings_are_refused(cast, api_as, applied):
    caller = api_as(cast.organizer)
    error = assert_error(caller.post(f"{SPRING}/runs", {"seconds": 0}), 422, "validation_error")
    assert "seconds" in error["fields"]
    assert_error(caller.post(f"{SPRING}/runs", {"seed": -1}), 422, "validation_error")
    assert not FormationRun.objects.exists()
    assert_error(caller.get(f"{SPRING}/proposal"), 404, "not_found")


def test_a_failed_run_says_why(cast, api_as, applied, intake):
    intake.min_size = intake.max_size = 4
    intake.save()
    caller = api_as(cast.organizer)
    run_id = caller.post(f"{SPRING}/runs", {"seconds": 1}).json()["id"]
    run_worker()
    body = caller.get(f"{SPRING}/runs/{run_id}").json()
    assert body["status"] == RunStatus.FAILED
    assert "4" in body["error"]
