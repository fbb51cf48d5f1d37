"""The page and the API are two doors to the same services (cadre.formation.services,
proposals and publishing): each write of intakes and formation, done by the same person with
the same input from the same state, leaves the same rows through both, and a refusal says
the same sentence through both. These tests catch a door that grows a rule of its own."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.cohorts.models import Cohort, CohortMembership
from cadre.formation import proposals, publishing
from cadre.formation.models import (
    Application,
    FormationRun,
    Intake,
    IntakeStatus,
    RunStatus,
    WaitlistEntry,
)
from cadre.testing_parity import (
    api_field_messages,
    api_message,
    call_api,
    fields_of,
    fresh,
    page_as,
    shown_on_page,
)

from .helpers import add_applicants, run_worker

# The intakes' dates are written from the frozen clock, so no test depends on today.
pytestmark = pytest.mark.time_machine(datetime(2026, 1, 14, 10, 0, tzinfo=UTC), tick=False)

INTAKES = "/networks/northwind/intakes"
SPRING = f"{INTAKES}/spring"
QUESTION = "What would you like to change in your work?"


def form_errors(response: Any, field: str) -> list[str]:
    """The messages the page's form shows on `field` ("" for those above the fields)."""
    form = response.context["form"]
    return list(form.non_field_errors() if field == "" else form.errors.get(field, []))


def assert_same_refusal(page: Any, api: Any, status: int) -> None:
    """The API answers `status` and the page shows (a 403 page, or the page it sends the
    person to) the API's sentence."""
    assert api.response.status_code == status, api.response.content
    assert api_message(api.response) in shown_on_page(page.response)
    assert page.rows == api.rows


# --- applying -------------------------------------------------------------------------------


def application_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "goals": "experimentation, Facilitation, experimentation",
        "availability": ["9", "10", "33"],
        "skill_facilitation": "3",
        "skill_data-analysis": "",
        "skill_product-discovery": "1",
        "answer_0": "  Run experiments before building. ",
        "statement": "I lead a platform team. ",
    }
    data.update(changes)
    return data


def application_body(**changes: Any) -> dict[str, Any]:
    """What application_form() says, as the API takes it (time zone and all: the profile's)."""
    body: dict[str, Any] = {
        "goals": ["experimentation", "Facilitation", "experimentation"],
        "availability": [33, 9, 10],
        "skills": {"facilitation": 3, "product-discovery": 1},
        "answers": {QUESTION: "  Run experiments before building. "},
        "statement": "I lead a platform team. ",
    }
    body.update(changes)
    return body


def applications(intake: Intake) -> list[dict[str, Any]]:
    return fields_of(Application.objects.filter(intake=intake))


def apply_both(cast: Any, intake: Intake, url: Any, form: Any, body: Any) -> tuple[Any, Any]:
    page = fresh(
        lambda: page_as(cast.member).post(url("apply"), form), lambda: applications(intake)
    )
    api = fresh(
        lambda: call_api(cast.member, "post", f"{SPRING}/application", body),
        lambda: applications(intake),
    )
    return page, api


def test_a_new_application_leaves_the_same_row(cast, intake, url):
    page, api = apply_both(cast, intake, url, application_form(), application_body())
    assert page.response.status_code == 302
    assert api.response.status_code == 201, api.response.content
    assert page.rows == api.rows
    (row,) = api.rows
    assert row["user_id"] == cast.member.pk and row["time_zone"] == "Europe/Berlin"
    assert row["goals"] == ["experimentation", "Facilitation"]
    assert row["availability"] == [9, 10, 33]
    assert row["answers"] == {QUESTION: "Run experiments before building."}
    assert row["statement"] == "I lead a platform team."


def test_a_changed_application_leaves_the_same_row(cast, intake, url):
    # Withdrawn: sending it again brings it back, through either door.
    Application.objects.create(
        intake=intake,
        user=cast.member,
        goals=["coaching"],
        time_zone="Europe/Berlin",
        availability=[1, 2],
        skills={"facilitation": 1},
        answers={QUESTION: "Before."},
        statement="Before.",
        withdrawn=True,
    )
    page, api = apply_both(
        cast,
        intake,
        url,
        application_form(goals="data storytelling", answer_0="After."),
        application_body(goals=["data storytelling"], answers={QUESTION: "After."}),
    )
    assert page.response.status_code == 302
    assert api.response.status_code == 200, api.response.content
    assert page.rows == api.rows
    (row,) = api.rows
    assert row["goals"] == ["data storytelling"] and row["answers"] == {QUESTION: "After."}
    assert row["withdrawn"] is False


@pytest.mark.parametrize(
    "form, body, page_field, api_field",
    [
        ({"answer_0": "  "}, {"answers": {QUESTION: "  "}}, "answer_0", "answers"),
        ({"statement": "x" * 2001}, {"statement": "x" * 2001}, "statement", "statement"),
        (
            {"goals": ", ".join(f"goal {i}" for i in range(21))},
            {"goals": [f"goal {i}" for i in range(21)]},
            "goals",
            "goals",
        ),
    ],
)
def test_both_doors_refuse_an_application_with_the_same_sentence(
    cast, intake, url, form, body, page_field, api_field
):
    page, api = apply_both(cast, intake, url, application_form(**form), application_body(**body))
    assert page.response.status_code == 200
    assert api.response.status_code == 422, api.response.content
    assert page.rows == api.rows == []
    assert form_errors(page.response, page_field) == api_field_messages(api.response, api_field)
    assert api_message(api.response) == api_field_messages(api.response, api_field)[0]


def test_a_missing_answer_reads_the_same_at_both_doors(cast, intake, url):
    page, api = apply_both(
        cast, intake, url, application_form(answer_0=""), application_body(answers={})
    )
    assert form_errors(page.response, "answer_0") == [f"Please answer “{QUESTION}”."]
    assert api_field_messages(api.response, "answers") == [f"Please answer “{QUESTION}”."]


def test_both_doors_refuse_an_application_after_the_window_with_the_same_sentence(
    cast, intake, url
):
    today = timezone.localdate()
    intake.opens_on, intake.closes_on = today - timedelta(days=10), today - timedelta(days=1)
    intake.save()
    page, api = apply_both(cast, intake, url, application_form(), application_body())
    assert page.response.status_code == 403
    assert_same_refusal(page, api, 403)
    assert api_message(api.response) == "This intake does not take applications from you now."


# --- withdrawing ----------------------------------------------------------------------------


def withdraw_both(cast: Any, intake: Intake, url: Any) -> tuple[Any, Any]:
    page = fresh(
        lambda: page_as(cast.member).post(url("withdraw"), follow=True),
        lambda: applications(intake),
    )
    api = fresh(
        lambda: call_api(cast.member, "post", f"{SPRING}/application/withdraw"),
        lambda: applications(intake),
    )
    return page, api


def test_withdrawing_leaves_the_same_row(cast, intake, url):
    add_applicants(intake, 0, include=[cast.member])
    page, api = withdraw_both(cast, intake, url)
    assert page.response.redirect_chain[0][1] == 302
    assert api.response.status_code == 200, api.response.content
    assert page.rows == api.rows
    assert [row["withdrawn"] for row in api.rows] == [True]


def test_both_doors_refuse_to_withdraw_after_closing_with_the_same_sentence(cast, intake, url):
    add_applicants(intake, 0, include=[cast.member])
    intake.status = IntakeStatus.CLOSED
    intake.save()
    page, api = withdraw_both(cast, intake, url)
    assert_same_refusal(page, api, 403)
    assert [row["withdrawn"] for row in api.rows] == [False]


# --- creating and changing intakes ----------------------------------------------------------


def intake_form(**changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "title": "Autumn Intake",
        "slug": "autumn",
        "description": "Cohorts on product discovery.",
        "objective": "Ship one discovery experiment each.",
        "questions_text": "What do you want to learn?\n\n  Which   team are you in?  ",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=14)).isoformat(),
        "min_size": "4",
        "max_size": "6",
        "session_minutes": "90",
        "target_skills": ["facilitation", "data-analysis"],
    }
    data.update(changes)
    return data


def intake_body(**changes: Any) -> dict[str, Any]:
    """What intake_form() says, as the API takes it."""
    form = intake_form()
    body: dict[str, Any] = {
        **{k: form[k] for k in ("title", "slug", "description", "objective", "target_skills")},
        "questions": ["What do you want to learn?", "Which team are you in?"],
        "opens_on": form["opens_on"],
        "closes_on": form["closes_on"],
        "min_size": 4,
        "max_size": 6,
        "session_minutes": 90,
    }
    body.update(changes)
    return body


def intakes(cast: Any) -> list[dict[str, Any]]:
    return fields_of(Intake.objects.filter(network=cast.network))


def create_both(cast: Any, person: Any, form: Any, body: Any) -> tuple[Any, Any]:
    page = fresh(
        lambda: page_as(person).post(reverse("formation:create", args=["northwind"]), form),
        lambda: intakes(cast),
    )
    api = fresh(lambda: call_api(person, "post", INTAKES, body), lambda: intakes(cast))
    return page, api


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_a_new_intake_leaves_the_same_row(cast, intake, who):
    page, api = create_both(cast, getattr(cast, who), intake_form(), intake_body())
    assert page.response.status_code == 302
    assert api.response.status_code == 201, api.response.content
    assert page.rows == api.rows
    (autumn,) = [row for row in api.rows if row["slug"] == "autumn"]
    assert autumn["status"] == IntakeStatus.DRAFT
    assert autumn["created_by_id"] == getattr(cast, who).pk
    assert autumn["questions"] == ["What do you want to learn?", "Which team are you in?"]


@pytest.mark.parametrize(
    "form, body, page_field, api_field",
    [
        ({"slug": "new"}, {"slug": "new"}, "slug", "slug"),
        ({"slug": "spring"}, {"slug": "spring"}, "slug", "slug"),
        (
            {"min_size": "7", "max_size": "5"},
            {"min_size": 7, "max_size": 5},
            "max_size",
            "max_size",
        ),
        ({"session_minutes": "5"}, {"session_minutes": 5}, "session_minutes", "session_minutes"),
        (
            {"questions_text": "Same?\nsame?"},
            {"questions": ["Same?", "same?"]},
            "questions_text",
            "questions",
        ),
    ],
)
def test_both_doors_refuse_an_intake_with_the_same_sentence(
    cast, intake, form, body, page_field, api_field
):
    page, api = create_both(cast, cast.organizer, intake_form(**form), intake_body(**body))
    assert page.response.status_code == 200
    assert api.response.status_code == 422, api.response.content
    assert page.rows == api.rows and len(api.rows) == 1
    messages = api_field_messages(api.response, api_field)
    assert messages and form_errors(page.response, page_field) == messages


@pytest.mark.parametrize("who", ["member", "mentor", "host"])
def test_both_doors_tell_a_non_organizer_the_same_reason_they_may_not_create_an_intake(
    cast, intake, who
):
    page, api = create_both(cast, getattr(cast, who), intake_form(), intake_body())
    assert page.response.status_code == 403
    assert_same_refusal(page, api, 403)
    assert api_message(api.response) == "Only the organizers of Northwind Learning run intakes."


def edit_both(cast: Any, person: Any, url: Any, page_act: Any, body: Any) -> tuple[Any, Any]:
    page = fresh(lambda: page_act(page_as(person)), lambda: intakes(cast))
    api = fresh(lambda: call_api(person, "patch", SPRING, body), lambda: intakes(cast))
    return page, api


def test_a_changed_intake_leaves_the_same_row(cast, intake, url):
    form = intake_form(slug="spring", title="Spring Intake 2026", questions_text="Why now?")
    body = intake_body(slug="spring", title="Spring Intake 2026", questions=["Why now?"])
    page, api = edit_both(cast, cast.organizer, url, lambda c: c.post(url("edit"), form), body)
    assert page.response.status_code == 302
    assert api.response.status_code == 200, api.response.content
    assert page.rows == api.rows
    (spring,) = api.rows
    assert spring["title"] == "Spring Intake 2026" and spring["status"] == IntakeStatus.OPEN


@pytest.mark.parametrize(
    "action, status", [("close", IntakeStatus.CLOSED), ("open", IntakeStatus.OPEN)]
)
def test_opening_and_closing_leave_the_same_row(cast, intake, url, action, status):
    if action == "open":
        intake.status = IntakeStatus.CLOSED
        intake.save()
    page, api = edit_both(
        cast,
        cast.organizer,
        url,
        lambda c: c.post(url("status"), {"action": action}),
        {"status": str(status)},
    )
    assert page.response.status_code == 302
    assert api.response.status_code == 200, api.response.content
    assert page.rows == api.rows
    assert [row["status"] for row in api.rows] == [status]


@pytest.mark.parametrize(
    "start, action, body",
    [
        (IntakeStatus.DRAFT, "close", {"status": "closed"}),
        (IntakeStatus.PUBLISHED, "close", {"status": "closed"}),
        (IntakeStatus.PUBLISHED, "edit", {"title": "Too late"}),
    ],
)
def test_both_doors_refuse_a_change_with_the_same_sentence(cast, intake, url, start, action, body):
    intake.status = start
    intake.save()

    def by_page(client: Any) -> Any:
        if action == "edit":
            return client.post(
                url("edit"), intake_form(slug="spring", title="Too late"), follow=True
            )
        return client.post(url("status"), {"action": action}, follow=True)

    page, api = edit_both(cast, cast.organizer, url, by_page, body)
    assert page.response.redirect_chain[0][1] == 302
    assert_same_refusal(page, api, 409)
    assert [row["status"] for row in api.rows] == [start]


def test_both_doors_tell_a_member_the_same_reason_they_may_not_change_an_intake(cast, intake, url):
    page, api = edit_both(
        cast,
        cast.member,
        url,
        lambda c: c.post(url("status"), {"action": "close"}),
        {"status": "closed"},
    )
    assert page.response.status_code == 403
    assert_same_refusal(page, api, 403)


# --- runs -----------------------------------------------------------------------------------

EVERY_PART = ["diversity", "complementarity", "curiosity", "schedule", "balance"]


def run_form(**importance: str) -> dict[str, Any]:
    return {
        "seconds": "1",
        "seed": "3",
        "require_common_slot": "on",
        "session_minutes": "90",
        **{f"importance_{part}": importance.get(part, "matters") for part in EVERY_PART},
    }


def run_body(**importance: str) -> dict[str, Any]:
    return {
        "seconds": 1,
        "seed": 3,
        "require_common_slot": True,
        "session_minutes": 90,
        "importance": {part: importance.get(part, "matters") for part in EVERY_PART},
    }


def runs(intake: Intake) -> list[dict[str, Any]]:
    return fields_of(FormationRun.objects.filter(intake=intake))


def start_both(cast: Any, intake: Intake, url: Any, **importance: str) -> tuple[Any, Any]:
    page = fresh(
        lambda: page_as(cast.organizer).post(url("run_start"), run_form(**importance), follow=True),
        lambda: runs(intake),
    )
    api = fresh(
        lambda: call_api(cast.organizer, "post", f"{SPRING}/runs", run_body(**importance)),
        lambda: runs(intake),
    )
    return page, api


def test_starting_a_run_leaves_the_same_row(cast, intake, url, applied):
    page, api = start_both(cast, intake, url, schedule="matters_most", balance="ignore")
    assert page.response.redirect_chain[0][1] == 302
    assert api.response.status_code == 202, api.response.content
    assert page.rows == api.rows
    (run,) = api.rows
    assert run["status"] == RunStatus.QUEUED and run["session_minutes"] == 90
    assert run["importance"]["schedule"] == "matters_most"


def test_both_doors_refuse_a_run_without_applicants_with_the_same_sentence(cast, intake, url):
    page, api = start_both(cast, intake, url)
    assert_same_refusal(page, api, 409)
    assert page.rows == []


def test_both_doors_refuse_a_run_where_nothing_matters_with_the_same_sentence(
    cast, intake, url, applied
):
    page, api = start_both(cast, intake, url, **dict.fromkeys(EVERY_PART, "ignore"))
    assert api.response.status_code == 422, api.response.content
    assert page.rows == api.rows == []
    assert form_errors(page.response, "") == api_field_messages(api.response, "importance")


# --- publishing -----------------------------------------------------------------------------


@pytest.fixture
def run(cast: Any, intake: Intake, applied: Any) -> FormationRun:
    started = proposals.start_run(intake, cast.organizer, seconds=1, seed=2)
    run_worker()
    started.refresh_from_db()
    assert started.status == RunStatus.DONE
    return started


def published(intake: Intake) -> dict[str, Any]:
    """The cohorts publishing made, their memberships (by the cohort's slug, not its id, which
    a sequence gives), the intake's status and which cohorts the run published."""
    run = FormationRun.objects.get(intake=intake)
    slugs = dict(Cohort.objects.filter(pk__in=run.published_cohorts).values_list("pk", "slug"))
    return {
        "cohorts": fields_of(Cohort.objects.filter(slug__startswith="spring-")),
        "memberships": fields_of(
            CohortMembership.objects.filter(cohort__slug__startswith="spring-"),
            ignore=["cohort_id"],
            also=["cohort__slug"],
        ),
        "intake": fields_of(Intake.objects.filter(pk=intake.pk), ignore=["published_at"]),
        "published_cohorts": [slugs[pk] for pk in run.published_cohorts],
    }


def publish_form(person: Any, url: Any, **changes: Any) -> dict[str, Any]:
    """What the publish page's form sends as it is shown (the suggestions), with `changes`."""
    form = page_as(person).get(url("publish")).context["form"]
    data = {
        name: "" if form[name].value() is None else form[name].value()
        for name in form.fields
        if name != "confirm"
    }
    return {**data, **changes}


def publish_both(
    cast: Any, intake: Intake, url: Any, person: Any, form: Any, body: Any
) -> tuple[Any, Any]:
    page = fresh(
        lambda: page_as(person).post(url("publish"), form, follow=True),
        lambda: published(intake),
    )
    api = fresh(
        lambda: call_api(person, "post", f"{SPRING}/publish", body), lambda: published(intake)
    )
    return page, api


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_publishing_leaves_the_same_rows(cast, intake, url, run, who):
    person = getattr(cast, who)
    page, api = publish_both(cast, intake, url, person, publish_form(person, url), {})
    assert page.response.redirect_chain[0][1] == 302
    assert api.response.status_code == 201, api.response.content
    assert page.rows == api.rows
    assert len(api.rows["cohorts"]) == len(run.assignment)
    assert api.rows["published_cohorts"] == [c["slug"] for c in api.response.json()]
    assert api.rows["intake"][0]["status"] == IntakeStatus.PUBLISHED
    assert len(api.rows["memberships"]) == Application.objects.filter(intake=intake).count()


def test_publishing_chosen_names_and_hosts_leaves_the_same_rows(cast, intake, url, run):
    host = proposals.proposed_cohorts(run)[0].members[0].user_id
    form = publish_form(
        cast.organizer, url, name_1="Night Shift", host_1=str(host), host_2=str(cast.organizer.pk)
    )
    body = {
        "cohorts": [
            {"number": 1, "name": "Night Shift", "host": host},
            {"number": 2, "host": cast.organizer.pk},
        ]
    }
    page, api = publish_both(cast, intake, url, cast.organizer, form, body)
    assert api.response.status_code == 201, api.response.content
    assert page.rows == api.rows
    assert "Night Shift" in [c["name"] for c in api.rows["cohorts"]]


def test_both_doors_refuse_a_blank_name_with_the_same_sentences(cast, intake, url, run):
    form = publish_form(cast.organizer, url, name_1=" ")
    body = {"cohorts": [{"number": 1, "name": " "}]}
    page = fresh(
        lambda: page_as(cast.organizer).post(url("publish"), form), lambda: published(intake)
    )
    api = fresh(
        lambda: call_api(cast.organizer, "post", f"{SPRING}/publish", body),
        lambda: published(intake),
    )
    assert page.response.status_code == 200
    assert api.response.status_code == 422, api.response.content
    assert page.rows == api.rows and page.rows["cohorts"] == []
    assert form_errors(page.response, "name_1") == api_field_messages(
        api.response, "cohorts.0.name"
    )
    assert api_message(api.response) == publishing.DETAILS_REFUSED
    assert api_message(api.response) in shown_on_page(page.response)


def test_both_doors_refuse_to_publish_twice_with_the_same_sentence(cast, intake, url, run):
    form = publish_form(cast.organizer, url)
    publishing.publish(intake=intake, run=run, by=cast.organizer)
    page, api = publish_both(cast, intake, url, cast.organizer, form, {})
    assert_same_refusal(page, api, 409)
    assert api_message(api.response) == "The cohorts of this intake are already published."


@pytest.mark.parametrize("who", ["member", "host", "mentor"])
def test_both_doors_tell_a_non_organizer_the_same_reason_they_may_not_publish(
    cast, intake, url, run, who
):
    form = publish_form(cast.organizer, url)
    page, api = publish_both(cast, intake, url, getattr(cast, who), form, {})
    assert page.response.status_code == 403
    assert_same_refusal(page, api, 403)
    assert page.rows["cohorts"] == []


# --- changing the proposal ------------------------------------------------------------------


def proposal_rows(run: FormationRun) -> list[dict[str, Any]]:
    """The run as the organizers left it: who is in which cohort, who is locked, the scores."""
    return fields_of(FormationRun.objects.filter(pk=run.pk))


def change_both(
    person: Any, url: Any, run: FormationRun, action: str, form: Any, body: Any
) -> tuple[Any, Any]:
    page = fresh(
        lambda: page_as(person).post(url(action), form, follow=True), lambda: proposal_rows(run)
    )
    api = fresh(
        lambda: call_api(person, "post", f"{SPRING}/proposal/{action}", body),
        lambda: proposal_rows(run),
    )
    return page, api


def test_moving_a_person_leaves_the_same_proposal(cast, url, run):
    moved = run.assignment[0][0]
    page, api = change_both(
        cast.organizer,
        url,
        run,
        "move",
        {"application": moved, "cohort": "2"},
        {"application": moved, "cohort": 2},
    )
    assert page.response.redirect_chain[0][1] == 302
    assert api.response.status_code == 200, api.response.content
    assert page.rows == api.rows
    assert moved in api.rows[0]["assignment"][1] and api.rows != proposal_rows(run)


@pytest.mark.parametrize("locked", [True, False])
def test_locking_and_unlocking_a_person_leave_the_same_proposal(cast, url, run, locked):
    person = run.assignment[0][0]
    FormationRun.objects.filter(pk=run.pk).update(locked=[] if locked else [person])
    form = {"application": person, **({"locked": "on"} if locked else {})}
    page, api = change_both(
        cast.organizer, url, run, "lock", form, {"application": person, "locked": locked}
    )
    assert page.response.redirect_chain[0][1] == 302
    assert api.response.status_code == 200, api.response.content
    assert page.rows == api.rows
    assert api.rows[0]["locked"] == ([person] if locked else [])


@pytest.mark.parametrize("problem", ["no such cohort", "locked", "not in the proposal"])
def test_both_doors_refuse_a_move_with_the_same_sentence(cast, url, run, problem):
    person, cohort = run.assignment[0][0], 2
    if problem == "no such cohort":
        cohort = 99
    elif problem == "locked":
        FormationRun.objects.filter(pk=run.pk).update(locked=[person])
    else:
        person = Application.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    page, api = change_both(
        cast.organizer,
        url,
        run,
        "move",
        {"application": person, "cohort": str(cohort)},
        {"application": person, "cohort": cohort},
    )
    assert_same_refusal(page, api, 422)


@pytest.mark.parametrize("action", ["move", "lock"])
def test_both_doors_tell_a_member_the_same_reason_they_may_not_change_a_proposal(
    cast, url, run, action
):
    person = run.assignment[0][0]
    page, api = change_both(
        cast.member,
        url,
        run,
        action,
        {"application": person, "cohort": "2", "locked": "on"},
        {"application": person, **({"cohort": 2} if action == "move" else {})},
    )
    assert page.response.status_code == 403
    assert_same_refusal(page, api, 403)


# --- the waitlist ---------------------------------------------------------------------------

WAITLIST = f"{SPRING}/waitlist"


@pytest.fixture
def waiting(cast: Any, intake: Intake) -> list[Any]:
    """The mentor, then the newcomer, on the intake's waitlist."""
    for position, person in enumerate([cast.mentor, cast.newcomer], start=1):
        WaitlistEntry.objects.create(intake=intake, user=person, position=position, why="Late")
    return [cast.mentor, cast.newcomer]


def waitlist_rows(intake: Intake) -> list[dict[str, Any]]:
    return fields_of(WaitlistEntry.objects.filter(intake=intake), ignore=["added_at"])


def waitlist_both(intake: Intake, page_act: Any, api_act: Any) -> tuple[Any, Any]:
    return fresh(page_act, lambda: waitlist_rows(intake)), fresh(
        api_act, lambda: waitlist_rows(intake)
    )


def test_putting_someone_on_the_waitlist_leaves_the_same_row(cast, intake, url, waiting):
    page, api = waitlist_both(
        intake,
        lambda: page_as(cast.organizer).post(
            url("waitlist_add"), {"person": cast.host.pk, "why": " Asked to join "}
        ),
        lambda: call_api(
            cast.organizer, "post", WAITLIST, {"user_id": cast.host.pk, "why": " Asked to join "}
        ),
    )
    assert page.response.status_code == 302
    assert api.response.status_code == 201, api.response.content
    assert page.rows == api.rows
    assert [(row["user_id"], row["position"]) for row in api.rows if row["why"] != "Late"] == [
        (cast.host.pk, 3)
    ]


def test_both_doors_refuse_to_put_someone_on_the_waitlist_twice_with_the_same_sentence(
    cast, intake, url, waiting
):
    page, api = waitlist_both(
        intake,
        lambda: page_as(cast.organizer).post(url("waitlist_add"), {"person": cast.mentor.pk}),
        lambda: call_api(cast.organizer, "post", WAITLIST, {"user_id": cast.mentor.pk}),
    )
    assert page.response.status_code == 400
    assert api.response.status_code == 409, api.response.content
    assert page.rows == api.rows and len(api.rows) == 2
    assert form_errors(page.response, "") + form_errors(page.response, "person") == [
        api_message(api.response)
    ]


def test_taking_someone_off_the_waitlist_leaves_the_same_rows(cast, intake, url, waiting):
    mentor = cast.mentor.pk
    page, api = waitlist_both(
        intake,
        lambda: page_as(cast.organizer).post(url("waitlist_remove", mentor)),
        lambda: call_api(cast.organizer, "delete", f"{WAITLIST}/{mentor}"),
    )
    assert page.response.status_code == 302
    assert api.response.status_code == 204, api.response.content
    assert page.rows == api.rows
    assert [(row["user_id"], row["position"]) for row in api.rows] == [(cast.newcomer.pk, 1)]


def test_moving_someone_down_the_page_and_reordering_by_the_api_leave_the_same_rows(
    cast, intake, url, waiting
):
    page, api = waitlist_both(
        intake,
        lambda: page_as(cast.organizer).post(url("waitlist_move", cast.mentor.pk), {"to": "down"}),
        lambda: call_api(
            cast.organizer, "put", WAITLIST, {"order": [cast.newcomer.pk, cast.mentor.pk]}
        ),
    )
    assert page.response.status_code == 302
    assert api.response.status_code == 200, api.response.content
    assert page.rows == api.rows
    assert sorted((row["position"], row["user_id"]) for row in api.rows) == [
        (1, cast.newcomer.pk),
        (2, cast.mentor.pk),
    ]


@pytest.mark.parametrize("who", ["member", "host"])
def test_both_doors_tell_a_non_organizer_the_same_reason_they_may_not_keep_the_waitlist(
    cast, intake, url, waiting, who
):
    person = getattr(cast, who)
    page, api = waitlist_both(
        intake,
        lambda: page_as(person).post(url("waitlist_remove", cast.mentor.pk), follow=True),
        lambda: call_api(person, "delete", f"{WAITLIST}/{cast.mentor.pk}"),
    )
    assert page.response.status_code == 403
    assert_same_refusal(page, api, 403)


# --- the next intake after a cohort ---------------------------------------------------------


def next_intake_both(cast: Any, person: Any, **changes: Any) -> tuple[Any, Any]:
    today = timezone.localdate()
    values = {
        "title": "Spring, again",
        "slug": "spring-again",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=20)).isoformat(),
        **changes,
    }
    page = fresh(
        lambda: page_as(person).post(
            reverse("seats:next_intake", args=["northwind", cast.cohort.slug]), values
        ),
        lambda: intakes(cast),
    )
    api = fresh(
        lambda: call_api(
            person, "post", f"/networks/northwind/cohorts/{cast.cohort.slug}/next-intake", values
        ),
        lambda: intakes(cast),
    )
    return page, api


def test_opening_the_next_intake_leaves_the_same_row(cast, intake):
    page, api = next_intake_both(cast, cast.organizer)
    assert page.response.status_code == 302
    assert api.response.status_code == 201, api.response.content
    assert page.rows == api.rows
    (again,) = [row for row in api.rows if row["slug"] == "spring-again"]
    assert again["follows_id"] == cast.cohort.pk and again["status"] == IntakeStatus.DRAFT


def test_both_doors_refuse_a_next_intake_with_a_taken_address_with_the_same_sentence(cast, intake):
    page, api = next_intake_both(cast, cast.organizer, slug="spring")
    assert page.response.status_code == 400
    assert api.response.status_code == 422, api.response.content
    assert page.rows == api.rows and len(api.rows) == 1
    assert form_errors(page.response, "slug") == api_field_messages(api.response, "slug")
