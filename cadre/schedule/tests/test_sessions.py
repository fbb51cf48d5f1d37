"""A session's page, its agenda, and running it live, tried by the people who may and may
not."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from cadre.schedule.models import (
    AgendaBlock,
    Attendance,
    NoteKind,
    SessionNote,
    default_timeboxes,
)

from .helpers import add_members, make_held_session

VIEWERS = ["admin", "organizer", "host", "member", "note_taker"]
NOT_VIEWERS = ["other_cohort_member", "mentor", "partner", "outsider"]
RUNNERS = ["admin", "organizer", "host", "member"]  # the member facilitates


@pytest.fixture
def note_taker(cast: Any) -> Any:
    return add_members(cast.cohort, 1)[0]


@pytest.fixture
def session(cast: Any, note_taker: Any) -> Any:
    return make_held_session(cast.cohort, facilitator=cast.member, note_taker=note_taker)


@pytest.fixture
def person(cast: Any, note_taker: Any) -> Any:
    def get(name: str) -> Any:
        return note_taker if name == "note_taker" else getattr(cast, name)

    return get


def path(session: Any, name: str) -> str:
    cohort = session.cohort
    return reverse(f"schedule:{name}", args=[cohort.network.slug, cohort.slug, session.pk])


def agenda_post(blocks: list[tuple[str, str, int]], initial: list[AgendaBlock]) -> dict[str, str]:
    """The agenda formset's POST data: `blocks` replace the `initial` ones in order; extra
    initial blocks are deleted."""
    data = {
        "form-TOTAL_FORMS": str(max(len(blocks), len(initial))),
        "form-INITIAL_FORMS": str(len(initial)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i in range(max(len(blocks), len(initial))):
        if i < len(initial):
            data[f"form-{i}-id"] = str(initial[i].pk)
        if i < len(blocks):
            kind, title, minutes = blocks[i]
            data |= {
                f"form-{i}-kind": kind,
                f"form-{i}-title": title,
                f"form-{i}-minutes": str(minutes),
            }
        else:
            data |= {
                f"form-{i}-kind": "other",
                f"form-{i}-title": "x",
                f"form-{i}-minutes": "1",
                f"form-{i}-DELETE": "on",
            }
    return data


# --- the default agenda ----------------------------------------------------------------------


@pytest.mark.parametrize("minutes", [15, 17, 45, 60, 90, 121, 480])
def test_default_timeboxes_add_up_to_the_session_length(minutes):
    boxes = default_timeboxes(minutes)
    assert sum(boxes) == minutes
    assert len(boxes) == 4


def test_an_hour_gets_check_in_learning_practice_and_reflection(cast, client_for, session):
    client_for(cast.member).get(path(session, "session"))
    blocks = list(session.agenda.order_by("order"))
    assert [(b.kind, b.minutes) for b in blocks] == [
        ("check_in", 6),
        ("learning", 24),
        ("practice", 18),
        ("reflection", 12),
    ]


# --- the session page ----------------------------------------------------------------------


@pytest.mark.parametrize("who", VIEWERS)
def test_cohort_members_and_organizers_see_the_session(cast, client_for, session, person, who):
    response = client_for(person(who)).get(path(session, "session"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Primary learning activity" in text and "24 min" in text
    assert "Facilitator: Mo Member" in text
    assert "Add to calendar (.ics)" in text


@pytest.mark.parametrize("who", NOT_VIEWERS)
@pytest.mark.parametrize("page", ["session", "run", "agenda", "report", "session_ics"])
def test_people_outside_the_cohort_get_404_for_session_pages(cast, client_for, session, who, page):
    assert client_for(getattr(cast, who)).get(path(session, page)).status_code == 404


def test_a_shared_cohort_still_keeps_its_sessions_to_members(cast, client_for, session):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    response = client_for(cast.other_cohort_member).get(path(session, "session"))
    assert response.status_code == 404


@pytest.mark.parametrize("page", ["session", "run", "agenda", "report", "session_ics"])
def test_anonymous_visitors_are_sent_to_sign_in_for_session_pages(cast, client_for, session, page):
    response = client_for(None).get(path(session, page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_newcomer_accepts_the_code_of_conduct_before_seeing_a_session(cast, client_for, session):
    response = client_for(cast.newcomer).get(path(session, "session"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("networks:conduct", args=["northwind"]))


def test_a_session_of_another_cohort_is_not_found_under_this_one(cast, client_for, session):
    other = make_held_session(cast.other_cohort, cast.other_cohort_member, cast.admin)
    wrong = reverse("schedule:session", args=["northwind", "reliability", other.pk])
    assert client_for(cast.member).get(wrong).status_code == 404


def test_the_session_page_costs_a_bounded_number_of_queries(
    cast, client_for, session, django_assert_max_num_queries
):
    client = client_for(cast.member)
    client.get(path(session, "session"))  # the default agenda is made on first open
    people = add_members(cast.cohort, 15, start=10)
    for p in people:
        Attendance.objects.create(session=session, user=p, status="present")
        SessionNote.objects.create(session=session, author=p, text=f"Said by {p.name}")
    with django_assert_max_num_queries(20):
        response = client.get(path(session, "session"))
    assert response.status_code == 200
    assert "Said by Extra Person 024" in response.content.decode()


# --- the agenda ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", RUNNERS)
def test_facilitator_hosts_and_organizers_edit_the_agenda(cast, client_for, session, who):
    client = client_for(getattr(cast, who))
    assert client.get(path(session, "agenda")).status_code == 200
    initial = list(session.agenda.order_by("order"))
    blocks = [
        ("check_in", "Check-in", 5),
        ("demo", "Demo: the failed canary experiment", 15),
        ("skill_share", "Skill share: flame graphs", 25),
        ("reflection", "Reflection", 15),
    ]
    response = client.post(path(session, "agenda"), agenda_post(blocks, initial))
    assert response.status_code == 302
    saved = list(session.agenda.order_by("order").values_list("kind", "title", "minutes"))
    assert saved == blocks


@pytest.mark.parametrize("who", ["note_taker"])
def test_members_without_the_facilitator_role_cannot_edit_the_agenda(
    cast, client_for, session, person, who
):
    client = client_for(person(who))
    assert client.get(path(session, "agenda")).status_code == 403
    assert client.get(path(session, "run")).status_code == 403


def test_an_agenda_that_does_not_add_up_is_refused_and_nothing_is_saved(cast, client_for, session):
    client = client_for(cast.host)
    client.get(path(session, "agenda"))
    initial = list(session.agenda.order_by("order"))
    before = list(session.agenda.order_by("order").values_list("title", "minutes"))
    blocks = [("check_in", "Longer check-in", 20), ("learning", "Learning", 50)]
    response = client.post(path(session, "agenda"), agenda_post(blocks, initial))
    assert response.status_code == 400
    assert "add up to 70 minutes but the session is 60 minutes long (10 minutes too many)" in (
        response.content.decode()
    )
    assert list(session.agenda.order_by("order").values_list("title", "minutes")) == before


def test_an_agenda_short_of_time_names_the_difference(cast, client_for, session):
    client = client_for(cast.host)
    client.get(path(session, "agenda"))
    initial = list(session.agenda.order_by("order"))
    response = client.post(
        path(session, "agenda"), agenda_post([("learning", "Learning", 45)], initial)
    )
    assert response.status_code == 400
    assert "15 minutes short" in response.content.decode()
    assert session.agenda.count() == 4


# --- running the session -------------------------------------------------------------------


def test_the_facilitator_sees_the_run_view_with_timers_and_attendance(cast, client_for, session):
    response = client_for(cast.member).get(path(session, "run"))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-seconds="24"' in text and "Start timer" in text
    assert "Present: Hana Host" in text


def test_attendance_is_recorded_and_changed_with_htmx(cast, client_for, session):
    client = client_for(cast.member)
    response = client.post(
        path(session, "attendance"),
        {"user": cast.host.pk, "status": "present"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="attendance"' in text and "<html" not in text
    client.post(path(session, "attendance"), {"user": cast.host.pk, "status": "excused"})
    row = Attendance.objects.get(session=session, user=cast.host)
    assert row.status == "excused"


def test_attendance_is_only_for_members_of_the_cohort(cast, client_for, session):
    client_for(cast.member).post(
        path(session, "attendance"), {"user": cast.outsider.pk, "status": "present"}
    )
    assert not Attendance.objects.exists()


def test_the_note_taker_cannot_mark_attendance(cast, client_for, session, note_taker):
    response = client_for(note_taker).post(
        path(session, "attendance"), {"user": cast.host.pk, "status": "present"}
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_notes_and_insights_are_appended_without_a_reload(cast, client_for, session):
    client = client_for(cast.member)
    client.post(path(session, "note"), {"kind": "note", "text": "We tried the runbook."})
    response = client.post(
        path(session, "note"),
        {"kind": "insight", "text": "Paging twice halves recovery time."},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert 'id="notes"' in text and "<html" not in text
    assert "We tried the runbook." in text and "Insight:</strong> Paging twice" in text
    kinds = list(session.notes.values_list("kind", flat=True))
    assert kinds == [NoteKind.NOTE, NoteKind.INSIGHT]


def test_a_note_without_text_is_not_saved(cast, client_for, session):
    client_for(cast.member).post(path(session, "note"), {"kind": "note", "text": ""})
    assert not session.notes.exists()


def test_outsiders_cannot_post_notes(cast, client_for, session):
    response = client_for(cast.other_cohort_member).post(
        path(session, "note"), {"kind": "note", "text": "hi"}
    )
    assert response.status_code == 404
    assert not session.notes.exists()


def test_a_commitment_said_in_the_session_is_captured_for_the_member(cast, client_for, session):
    from cadre.schedule.reports import accountability

    client_for(cast.member).post(
        path(session, "commitment"),
        {"owner": cast.host.pk, "text": "Run a game day", "due_on": "2030-01-10"},
    )
    models = accountability()
    if models is not None:
        commitment = models.Commitment.objects.get()
        assert commitment.owner == cast.host and commitment.session == session
        assert str(commitment.due_on) == "2030-01-10"
    else:
        assert session.notes.get().text == "Commitment — Hana Host: Run a game day (due 10 Jan)"


# --- the capture box goes through the board's commitment check ------------------------------


def capture(client: Any, session: Any, owner: Any, text: str, **extra: str) -> Any:
    return client.post(
        path(session, "commitment"),
        {"owner": owner.pk, "text": text, **extra},
        headers={"HX-Request": "true"},
    )


def test_a_vague_commitment_comes_back_to_the_box_with_the_check(cast, client_for, session):
    from cadre.accountability.models import Commitment

    due = (cast.cohort.today() + timedelta(days=2)).isoformat()
    response = capture(
        client_for(cast.member), session, cast.host, "work on the runbook", due_on=due
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'id="notes"' in page and "<html" not in page
    # The due date given in the box completes the rewrite.
    assert "What is missing" in page and 'id="suggestion">Finish the runbook by ' in page
    assert "Use the rewrite" in page and "Capture as said" in page
    assert 'value="work on the runbook"' in page and f'value="{due}"' in page
    assert not Commitment.objects.exists()


def test_use_the_rewrite_puts_it_in_the_box_and_asks_for_the_date(cast, client_for, session):
    from cadre.accountability.models import Commitment

    response = capture(
        client_for(cast.member),
        session,
        cast.host,
        "work on the runbook",
        use_rewrite="Finish the runbook.",
    )
    page = response.content.decode()
    assert 'value="Finish the runbook."' in page
    assert "When will it be done? Give a date." in page and 'type="date" required' in page
    assert not Commitment.objects.exists()


def test_capture_as_said_keeps_it_with_its_problems_but_never_without_a_date(
    cast, client_for, session
):
    from cadre.accountability.models import Commitment

    client = client_for(cast.member)
    undated = capture(client, session, cast.host, "work on the runbook", keep="on")
    assert "Every commitment has a due date: fill in “Due”" in undated.content.decode()
    assert not Commitment.objects.exists()
    due = (cast.cohort.today() + timedelta(days=2)).isoformat()
    kept = capture(client, session, cast.host, "work on the runbook", keep="on", due_on=due)
    assert "Captured: Hana Host commits to “work on the runbook”." in kept.content.decode()
    commitment = Commitment.objects.get()
    commitment.refresh_from_db()
    assert (commitment.owner, commitment.session, commitment.kept_anyway) == (
        cast.host,
        session,
        True,
    )
    assert {p["code"] for p in commitment.lint_problems} == {"not_specific", "not_observable"}


def test_without_htmx_a_refused_capture_shows_the_run_view_again(cast, client_for, session):
    from cadre.accountability.models import Commitment

    response = client_for(cast.member).post(
        path(session, "commitment"), {"owner": cast.host.pk, "text": "Run a game day"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "<html" in page and "Every commitment has a due date: fill in “Due”" in page
    assert not Commitment.objects.exists()


@pytest.mark.parametrize("who", ["note_taker", "other_cohort_member", None])
def test_only_those_who_run_the_session_capture_commitments(cast, client_for, session, person, who):
    from cadre.accountability.models import Commitment

    due = (cast.cohort.today() + timedelta(days=2)).isoformat()
    response = client_for(person(who) if who else None).post(
        path(session, "commitment"),
        {"owner": cast.host.pk, "text": "Run a game day", "due_on": due},
    )
    assert response.status_code == {"note_taker": 403, "other_cohort_member": 404, None: 302}[who]
    assert not Commitment.objects.exists()
