"""The page and the API are two doors to the same services: each write of the schedule, a
session and mentor matching, done by the same person with the same input on two identical
set-ups, leaves the same rows, and a refusal says the same sentence through both."""

import json
from typing import Any

import pytest
from django.urls import reverse

from cadre.networks.models import NetworkMembership, Role
from cadre.schedule.models import (
    Absence,
    AgendaBlock,
    Attendance,
    CohortSchedule,
    MentorMatch,
    Session,
    SessionNote,
    SessionReport,
)
from cadre.testing import make_user
from cadre.testing_parity import (
    api_as,
    api_field_messages,
    api_message,
    fields_of,
    page_as,
    shown_on_page,
    through_both,
)

from .helpers import add_members, add_past_sessions, make_held_session, make_schedule

API = "/networks/northwind/cohorts/reliability"


def nothing() -> None:
    return None


def page_url(cast: Any, name: str, *extra: Any) -> str:
    return reverse(f"schedule:{name}", args=[cast.network.slug, cast.cohort.slug, *extra])


def put(user: Any, path: str, body: Any) -> Any:
    caller = api_as(user)
    return caller.client.put(
        "/api/v1" + path, json.dumps(body), content_type="application/json", headers=caller.headers
    )


# --- absences -------------------------------------------------------------------------------


def absence_rows(_: Any) -> Any:
    return fields_of(Absence.objects.all())


def roles_rows(_: Any) -> Any:
    from cadre.schedule.models import RoleAssignment

    return fields_of(RoleAssignment.objects.all())


def test_marking_an_absence_leaves_the_same_rows_through_both_doors(cast):
    make_schedule(cast.cohort)
    session = cast.cohort.sessions.upcoming().order_by("starts_at").first()
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(
            page_url(cast, "absence", session.pk), {"note": "Away"}
        ),
        lambda _: api_as(cast.member).post(
            f"{API}/sessions/{session.pk}/absence", {"note": "Away"}
        ),
        lambda _: (absence_rows(_), roles_rows(_)),
    )
    assert len(page[0]) == 1 and page == api


def test_withdrawing_an_absence_leaves_the_same_rows_through_both_doors(cast):
    make_schedule(cast.cohort)
    session = cast.cohort.sessions.upcoming().order_by("starts_at").first()
    Absence.objects.create(session=session, user=cast.member)
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(page_url(cast, "absence", session.pk)),
        lambda _: api_as(cast.member).delete(f"{API}/sessions/{session.pk}/absence"),
        lambda _: (absence_rows(_), roles_rows(_)),
    )
    assert page[0] == [] and page == api


@pytest.mark.parametrize("write", ["mark", "withdraw"])
def test_an_absence_from_a_past_session_is_refused_alike(cast, write):
    make_schedule(cast.cohort)
    past = add_past_sessions(cast.cohort, 1)[0]
    page = page_as(cast.member).post(page_url(cast, "absence", past.pk), follow=True)
    caller = api_as(cast.member)
    path = f"{API}/sessions/{past.pk}/absence"
    api = caller.post(path) if write == "mark" else caller.delete(path)
    [message] = api_field_messages(api, "session")
    assert message in shown_on_page(page)
    assert not Absence.objects.exists()


# --- the schedule ---------------------------------------------------------------------------


def schedule_rows(_: Any) -> Any:
    return (
        fields_of(CohortSchedule.objects.all()),
        fields_of(Session.objects.filter(starts_at__isnull=False)),
        roles_rows(_),
    )


def test_changing_the_schedule_leaves_the_same_rows_through_both_doors(cast):
    make_schedule(cast.cohort)
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.host).post(
            page_url(cast, "edit"),
            {
                "weekday": "3",
                "local_time": "10:30",
                "session_count": "5",
                "roles": "facilitator\n scribe ",
            },
        ),
        lambda _: api_as(cast.host).patch(
            f"{API}/schedule",
            {
                "weekday": 3,
                "local_time": "10:30",
                "session_count": 5,
                "skip_default_holidays": False,
                "roles": ["facilitator", " scribe "],
            },
        ),
        schedule_rows,
    )
    assert page[0][0]["roles"] == ["facilitator", "scribe"]
    assert page[0][0]["session_count"] == 5 and not page[0][0]["skip_default_holidays"]
    assert len(page[1]) == 5
    assert page == api


def test_a_role_named_twice_is_refused_alike(cast):
    make_schedule(cast.cohort)
    page = page_as(cast.host).post(
        page_url(cast, "edit"),
        {"weekday": "3", "local_time": "10:30", "session_count": "8", "roles": "a\nA"},
    )
    api = api_as(cast.host).patch(f"{API}/schedule", {"roles": ["a", "A"]})
    [message] = api_field_messages(api, "roles")
    assert page.context["form"].errors["roles"] == [message]
    assert CohortSchedule.objects.get().weekday == 1


# --- running a session ----------------------------------------------------------------------


@pytest.fixture
def session(cast: Any) -> Session:
    note_taker = add_members(cast.cohort, 1)[0]
    return make_held_session(cast.cohort, facilitator=cast.member, note_taker=note_taker)


def agenda_form(session: Session, blocks: list[tuple[str, str, int, Any]]) -> dict[str, str]:
    initial = list(session.agenda.order_by("order"))
    total = max(len(blocks), len(initial))
    data = {
        "form-TOTAL_FORMS": str(total),
        "form-INITIAL_FORMS": str(len(initial)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i in range(total):
        if i < len(initial):
            data[f"form-{i}-id"] = str(initial[i].pk)
        if i < len(blocks):
            kind, title, minutes, presenter = blocks[i]
            data |= {
                f"form-{i}-kind": kind,
                f"form-{i}-title": title,
                f"form-{i}-minutes": str(minutes),
                f"form-{i}-presenter": str(presenter.pk) if presenter else "",
            }
        else:
            data |= {
                f"form-{i}-kind": "other",
                f"form-{i}-title": "x",
                f"form-{i}-minutes": "1",
                f"form-{i}-DELETE": "on",
            }
    return data


def agenda_json(blocks: list[tuple[str, str, int, Any]]) -> dict[str, Any]:
    return {
        "blocks": [
            {"kind": k, "title": t, "minutes": m, "presenter": p.pk if p else None}
            for k, t, m, p in blocks
        ]
    }


def test_replacing_the_agenda_leaves_the_same_blocks_through_both_doors(cast, session):
    AgendaBlock.ensure_for(session)
    blocks = [("check_in", "Check-in", 10, None), ("demo", "Failed canary", 50, cast.host)]
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(
            page_url(cast, "agenda", session.pk), agenda_form(session, blocks)
        ),
        lambda _: put(cast.member, f"{API}/sessions/{session.pk}/agenda", agenda_json(blocks)),
        lambda _: fields_of(AgendaBlock.objects.all()),
    )
    assert [(b["title"], b["order"]) for b in sorted(page, key=lambda b: b["order"])] == [
        ("Check-in", 0),
        ("Failed canary", 1),
    ]
    assert page == api


def test_an_agenda_that_does_not_add_up_is_refused_alike(cast, session):
    AgendaBlock.ensure_for(session)
    blocks = [("learning", "All of it", 70, None)]
    page = page_as(cast.member).post(
        page_url(cast, "agenda", session.pk), agenda_form(session, blocks)
    )
    api = put(cast.member, f"{API}/sessions/{session.pk}/agenda", agenda_json(blocks))
    [message] = api_field_messages(api, "blocks")
    assert list(page.context["formset"].non_form_errors()) == [message]


def test_recording_attendance_leaves_the_same_row_through_both_doors(cast, session):
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(
            page_url(cast, "attendance", session.pk), {"user": cast.host.pk, "status": "present"}
        ),
        lambda _: put(
            cast.member,
            f"{API}/sessions/{session.pk}/attendance/{cast.host.pk}",
            {"status": "present"},
        ),
        lambda _: fields_of(Attendance.objects.all()),
    )
    assert len(page) == 1 and page == api


def test_attendance_of_someone_outside_the_cohort_is_refused_alike(cast, session):
    page = page_as(cast.member).post(
        page_url(cast, "attendance", session.pk),
        {"user": cast.mentor.pk, "status": "present"},
        follow=True,
    )
    api = put(
        cast.member,
        f"{API}/sessions/{session.pk}/attendance/{cast.mentor.pk}",
        {"status": "present"},
    )
    assert api_message(api) in shown_on_page(page)
    assert not Attendance.objects.exists()


def test_adding_a_note_leaves_the_same_row_through_both_doors(cast, session):
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(
            page_url(cast, "note", session.pk), {"kind": "insight", "text": "Canaries help."}
        ),
        lambda _: api_as(cast.member).post(
            f"{API}/sessions/{session.pk}/notes", {"kind": "insight", "text": "Canaries help."}
        ),
        lambda _: fields_of(SessionNote.objects.all()),
    )
    assert len(page) == 1 and page == api


def test_a_note_by_someone_who_does_not_run_the_session_is_refused_alike(cast, session):
    page = page_as(cast.host).post(page_url(cast, "note", session.pk), {"text": "x"})
    assert page.status_code == 302  # hosts run every session of their cohort
    note_taker = session.roles.get(role="note-taker").user
    page = page_as(note_taker).post(page_url(cast, "note", session.pk), {"text": "x"})
    api = api_as(note_taker).post(f"{API}/sessions/{session.pk}/notes", {"text": "x"})
    assert (page.status_code, api.status_code) == (403, 403)
    assert api_message(api) in shown_on_page(page)


# --- the report -----------------------------------------------------------------------------


def report_rows(_: Any) -> Any:
    return fields_of(SessionReport.objects.all())


def test_drafting_the_report_leaves_the_same_row_through_both_doors(cast, session):
    Attendance.objects.create(session=session, user=cast.host, status="present")
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.host).post(page_url(cast, "report_draft", session.pk)),
        lambda _: api_as(cast.host).post(f"{API}/sessions/{session.pk}/report/draft"),
        report_rows,
    )
    assert "Hana Host" in page[0]["body"]
    assert page == api


def test_publishing_the_report_leaves_the_same_row_through_both_doors(cast, session):
    SessionReport.objects.create(session=session, body="What we did.")
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.host).post(
            page_url(cast, "publish", session.pk), {"share_with_network": "on", "confirmed": "yes"}
        ),
        lambda _: api_as(cast.host).post(
            f"{API}/sessions/{session.pk}/report/publish", {"share_with_network": True}
        ),
        report_rows,
    )
    assert page[0]["status"] == "published" and page[0]["share_with_network"]
    assert page == api


@pytest.mark.parametrize("write", ["report_draft", "publish"])
def test_a_published_report_is_refused_alike(cast, session, write):
    SessionReport.objects.create(session=session, body="Done.", status="published")
    page = page_as(cast.host).post(page_url(cast, write, session.pk), follow=True)
    tail = "draft" if write == "report_draft" else "publish"
    api = api_as(cast.host).post(f"{API}/sessions/{session.pk}/report/{tail}")
    [message] = api_field_messages(api, "status")
    assert message in shown_on_page(page)


# --- mentors --------------------------------------------------------------------------------


def test_confirming_a_mentor_match_leaves_the_same_row_through_both_doors(cast):
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.organizer).post(
            reverse("mentors:confirm", args=[cast.network.slug]),
            {"mentor": cast.mentor.pk, "newcomer": cast.member.pk, "explanation": "Facilitation."},
        ),
        lambda _: api_as(cast.organizer).post(
            "/networks/northwind/mentors/matches",
            {"mentor": cast.mentor.pk, "newcomer": cast.member.pk, "explanation": "Facilitation."},
        ),
        lambda _: fields_of(MentorMatch.objects.all()),
    )
    assert len(page) == 1 and page == api


def test_a_match_with_someone_who_is_not_a_mentor_is_refused_alike(cast):
    other = make_user("plain@northwind.test", "Plain Member")
    NetworkMembership.objects.create(network=cast.network, user=other, role=Role.MEMBER)
    data = {"mentor": other.pk, "newcomer": cast.member.pk}
    page = page_as(cast.organizer).post(
        reverse("mentors:confirm", args=[cast.network.slug]), data, follow=True
    )
    api = api_as(cast.organizer).post("/networks/northwind/mentors/matches", data)
    [message] = api_field_messages(api, "mentor")
    assert message in shown_on_page(page)
    assert not MentorMatch.objects.exists()


# --- are you coming? ------------------------------------------------------------------------


def rsvp_rows(_: Any) -> Any:
    from cadre.schedule.models import Rsvp

    return fields_of(Rsvp.objects.all())


def test_answering_leaves_the_same_rows_through_both_doors(cast):
    make_schedule(cast.cohort)
    session = cast.cohort.sessions.upcoming().order_by("starts_at").first()
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(page_url(cast, "rsvp", session.pk), {"answer": "no"}),
        lambda _: put(cast.member, f"{API}/sessions/{session.pk}/rsvp", {"answer": "no"}),
        rsvp_rows,
    )
    assert len(page) == 1 and page == api


def test_answering_a_past_session_is_refused_alike(cast):
    make_schedule(cast.cohort)
    past = add_past_sessions(cast.cohort, 1)[0]
    page = page_as(cast.member).post(
        page_url(cast, "rsvp", past.pk), {"answer": "yes"}, follow=True
    )
    api = put(cast.member, f"{API}/sessions/{past.pk}/rsvp", {"answer": "yes"})
    assert api.status_code == 409
    assert api_message(api) in shown_on_page(page)
    assert rsvp_rows(None) == []
