"""The intake and formation endpoints: the same rules as the web pages, in JSON."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail

from cadre.api.tests.helpers import assert_error
from cadre.cohorts.models import Cohort
from cadre.formation import proposals
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


# --- what matters, when cohorts can meet, naming and publishing ----------------------------

ALL_MATTER = dict.fromkeys(
    ["diversity", "complementarity", "curiosity", "schedule", "balance"], "matters"
)


def finished_run(caller: Any, **body: Any) -> dict[str, Any]:
    started = caller.post(f"{SPRING}/runs", {"seconds": 1, "seed": 4, **body})
    assert started.status_code == 202, started.content
    run_worker()
    return caller.get(f"{SPRING}/runs/{started.json()['id']}").json()


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_a_run_is_formed_for_the_importance_chosen(cast, api_as, applied, who):
    run = finished_run(
        api_as(getattr(cast, who)),
        importance={"schedule": "matters_most", "balance": "ignore"},
        require_common_slot=True,
        session_minutes=90,
    )
    assert run["status"] == "done"
    assert run["importance"] == {
        **ALL_MATTER,
        "diversity": "matters_most",
        "schedule": "matters_most",
        "balance": "ignore",
    }
    assert run["require_common_slot"] is True and run["session_minutes"] == 90
    assert run["formed_for"].startswith("Diversity and meeting time matter most;")
    stored = FormationRun.objects.get()
    assert stored.importance["balance"] == "ignore" and stored.session_minutes == 90


def test_left_out_choices_are_the_intakes_defaults(cast, api_as, applied):
    run = finished_run(api_as(cast.organizer))
    assert run["importance"] == {**ALL_MATTER, "diversity": "matters_most"}
    assert run["require_common_slot"] is True  # the applicants said when they can meet
    assert run["session_minutes"] == 60


@pytest.mark.parametrize(
    "body, field",
    [
        ({"importance": {"diversity": "a lot"}}, "importance.diversity"),
        ({"importance": {"charisma": "matters"}}, "importance.charisma"),
        ({"importance": dict.fromkeys(ALL_MATTER, "ignore")}, "importance"),
        ({"session_minutes": 5}, "session_minutes"),
        ({"require_common_slot": "maybe"}, "require_common_slot"),
    ],
)
def test_choices_that_cannot_be_used_start_no_run(cast, api_as, applied, body, field):
    response = api_as(cast.organizer).post(f"{SPRING}/runs", {"seconds": 1, **body})
    error = assert_error(response, 422, "validation_error")
    assert any(name.startswith(field) for name in error["fields"]), error
    assert not FormationRun.objects.exists()


def test_the_proposal_says_when_each_cohort_can_meet_and_what_to_call_it(cast, api_as, applied):
    cast.organizer.profile.time_zone = "Asia/Tokyo"
    cast.organizer.profile.save()
    caller = api_as(cast.organizer)
    finished_run(caller)
    proposal = caller.get(f"{SPRING}/proposal").json()
    assert proposal["time_zone"] == "Asia/Tokyo"
    assert proposal["cannot_meet"] == [] and proposal["explanation"] == []
    assert proposal["formed_for"].endswith(
        "Every cohort must be able to meet for a 60-minute session."
    )
    names = [c["suggested"]["name"] for c in proposal["cohorts"]]
    assert len(set(names)) == len(names)
    for cohort in proposal["cohorts"]:
        first = cohort["score"]["common_slots"][0]
        assert cohort["can_meet"] is True
        assert cohort["times"][0] == proposals.local_slot(first, "Asia/Tokyo", 60)
        assert cohort["suggested"]["time_zone"] == "Europe/Berlin"
        for member in cohort["members"]:
            assert member["time_zone"] == "Europe/Berlin"
            assert member["meets_at"] == proposals.local_slot(first, "Europe/Berlin", 60)
        hosts = {h["id"] for h in cohort["hosts"]}
        members = {m["user"]["id"] for m in cohort["members"]}
        assert hosts == members | {cast.admin.pk, cast.organizer.pk}


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_publishing_with_names_hosts_and_time_zones(cast, api_as, applied, who):
    caller = api_as(getattr(cast, who))
    finished_run(caller)
    proposal = caller.get(f"{SPRING}/proposal").json()
    first, second = proposal["cohorts"][0], proposal["cohorts"][1]
    member_host = first["members"][0]["user"]["id"]
    response = caller.post(
        f"{SPRING}/publish",
        {
            "cohorts": [
                {
                    "number": 1,
                    "name": "Night Shift",
                    "host": member_host,
                    "time_zone": "Asia/Tokyo",
                },
                {"number": 2, "host": cast.organizer.pk},
            ]
        },
    )
    assert response.status_code == 201, response.content
    published = response.json()
    assert published[0]["name"] == "Night Shift" and published[0]["time_zone"] == "Asia/Tokyo"
    assert published[0]["host"]["id"] == member_host
    assert published[1]["name"] == second["suggested"]["name"]
    assert published[1]["host"]["id"] == cast.organizer.pk
    assert published[1]["time_zone"] == "Europe/Berlin"
    assert all(p["host"] is None for p in published[2:])
    night = Cohort.objects.get(name="Night Shift")
    assert night.time_zone == "Asia/Tokyo"
    assert night.memberships.get(role="host").user_id == member_host


def test_a_cohort_that_cannot_meet_needs_confirm(cast, api_as, applied):
    Application.objects.filter(user=cast.member).update(availability=[6 * 24 + 3])
    caller = api_as(cast.organizer)
    finished_run(caller)
    proposal = caller.get(f"{SPRING}/proposal").json()
    lonely = next(
        c["number"]
        for c in proposal["cohorts"]
        if cast.member.pk in [m["user"]["id"] for m in c["members"]]
    )
    assert proposal["cannot_meet"] == [lonely]
    error = assert_error(caller.post(f"{SPRING}/publish"), 409, "cohorts_cannot_meet")
    assert error["detail"] == {"cohorts": [lonely]}
    assert f"Cohort {lonely} (“" in error["message"] and "confirm" in error["message"]
    assert not Cohort.objects.filter(slug__startswith="spring-").exists()
    run_worker()
    assert mail.outbox == []
    assert caller.post(f"{SPRING}/publish", {"confirm": True}).status_code == 201
    assert Cohort.objects.filter(slug__startswith="spring-").count() == len(proposal["cohorts"])


@pytest.mark.parametrize(
    "cohorts, field, message",
    [
        ([{"number": 1, "name": " "}], "cohorts.0.name", "Give cohort 1 a name."),
        ([{"number": 1, "name": "Platform Reliability"}], "cohorts.0.name", "already has"),
        (
            [{"number": 1, "name": "Same"}, {"number": 2, "name": "same"}],
            "cohorts.1.name",
            "Cohort 1 is called",
        ),
        ([{"number": 1, "time_zone": "Mars/Olympus"}], "cohorts.0.time_zone", "not a time zone"),
        ([{"number": 1, "host": "OTHER"}], "cohorts.0.host", "one of its members or an organizer"),
        ([{"number": 9}], "cohorts.0.number", "There is no cohort 9"),
        ([{"number": 1}, {"number": 1}], "cohorts.1.number", "given twice"),
    ],
)
def test_details_that_cannot_be_used_publish_nothing(
    cast, api_as, applied, cohorts, field, message
):
    caller = api_as(cast.organizer)
    finished_run(caller)
    for item in cohorts:
        if item.get("host") == "OTHER":
            item["host"] = cast.other_cohort_member.pk
    error = assert_error(
        caller.post(f"{SPRING}/publish", {"cohorts": cohorts, "confirm": True}),
        422,
        "validation_error",
    )
    assert message in " ".join(error["fields"][field]), error
    assert not Cohort.objects.filter(slug__startswith="spring-").exists()


@pytest.mark.parametrize(
    "who, status",
    [("member", 403), ("host", 403), ("other_cohort_member", 403), ("outsider", 404), (None, 401)],
)
def test_only_the_networks_organizers_publish(cast, api_as, applied, who, status):
    finished_run(api_as(cast.organizer))
    caller = api_as(getattr(cast, who) if who else None)
    assert caller.post(f"{SPRING}/publish", {"confirm": True}).status_code == status
    assert caller.post(f"{SPRING}/runs", {"importance": ALL_MATTER}).status_code == status
    assert caller.get(f"{SPRING}/proposal").status_code == status
    assert not Cohort.objects.filter(slug__startswith="spring-").exists()
    assert FormationRun.objects.count() == 1


def test_publish_without_a_body_takes_the_suggestions(cast, api_as, applied):
    caller = api_as(cast.organizer)
    finished_run(caller)
    names = [c["suggested"]["name"] for c in caller.get(f"{SPRING}/proposal").json()["cohorts"]]
    response = caller.client.post(
        f"/api/v1{SPRING}/publish", "", content_type="application/json", headers=caller.headers
    )
    assert response.status_code == 201, response.content
    assert [c["name"] for c in response.json()] == names
