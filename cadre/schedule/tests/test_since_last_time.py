"""Since last time: the run view's check-in opens with what happened on the board between the
previous held session and this one, per member, with a summary for the cohort; private
commitments only for their owner; the first session says there is nothing earlier."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from cadre.accountability.models import (
    Blocker,
    Commitment,
    Experiment,
    Outcome,
    ProgressUpdate,
    Visibility,
)
from cadre.accountability.since import since_last_time
from cadre.api.tests.helpers import assert_error
from cadre.schedule.models import RoleAssignment, Session
from cadre.testing_parity import api_as, shown_on_page

NOW = datetime(2026, 3, 11, 14, 0, tzinfo=UTC)  # a Wednesday
API = "/networks/northwind/cohorts/reliability/sessions"

pytestmark = pytest.mark.time_machine(NOW, tick=False)


@pytest.fixture
def sessions(cast: Any) -> tuple[Session, Session]:
    """A session a week ago and one today at 15:00, which the member facilitates."""
    before = Session.objects.create(cohort=cast.cohort, starts_at=NOW - timedelta(days=7))
    today = Session.objects.create(cohort=cast.cohort, starts_at=NOW + timedelta(hours=1))
    RoleAssignment.objects.create(session=today, role="facilitator", user=cast.member)
    return before, today


def commitment(
    cast: Any, owner: Any, text: str, days: int, status: str = "open", **extra: Any
) -> Commitment:
    return Commitment.objects.create(
        cohort=cast.cohort,
        owner=owner,
        text=text,
        due_on=(NOW + timedelta(days=days)).date(),
        status=status,
        **extra,
    )


@pytest.fixture
def board(cast: Any, sessions: Any) -> None:
    done_at = NOW - timedelta(days=4)
    commitment(cast, cast.member, "Write the runbook", -3, "done", completed_at=done_at)
    commitment(
        cast, cast.member, "Book the game day", -5, "done", completed_at=NOW - timedelta(days=1)
    )
    commitment(cast, cast.host, "Ask the SRE lead", -2)  # open past its due date
    commitment(cast, cast.host, "Draft the survey", -1, "dropped")
    commitment(cast, cast.member, "Due today", 0)
    commitment(cast, cast.host, "Private thing CANARY-PRIVATE", -2, visibility=Visibility.PRIVATE)
    commitment(cast, cast.member, "Too old", -9, "done", completed_at=NOW - timedelta(days=9))
    commitment(cast, cast.member, "Not yet due", 3)
    update = ProgressUpdate.objects.create(
        cohort=cast.cohort, author=cast.host, done="Mapped the alerts", remaining="Tune them"
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=NOW - timedelta(days=2))
    Blocker.objects.create(update=update, text="No access to the pager config")
    Experiment.objects.create(
        cohort=cast.cohort,
        owner=cast.member,
        title="Shorter stand-ups",
        capability="c",
        hypothesis="h",
        plan="p",
        measure="m",
        starts_on=(NOW - timedelta(days=20)).date(),
        ends_on=(NOW - timedelta(days=2)).date(),
        outcome=Outcome.FAILED,
    )


def test_the_summary_counts_done_late_and_dropped(cast, sessions, board):
    found = since_last_time(viewer=cast.host, session=sessions[1])
    assert found.previous == sessions[0]
    assert found.summary == "1 of 6 commitments done, 3 late, 1 dropped, 1 due today"
    by_name = {m.person.name: m for m in found.members}
    member = by_name["Mo Member"]
    assert [(f.commitment.text, f.label) for f in member.commitments] == [
        ("Book the game day", "done late"),
        ("Write the runbook", "done"),
        ("Due today", "due today"),
    ]
    assert [e.title for e in member.experiments] == ["Shorter stand-ups"]
    host = by_name["Hana Host"]
    assert [(f.commitment.text, f.label) for f in host.commitments] == [
        ("Ask the SRE lead", "late"),
        ("Private thing CANARY-PRIVATE", "late"),
        ("Draft the survey", "dropped"),
    ]
    assert [u.done for u in host.updates] == ["Mapped the alerts"]
    assert [b.text for b in host.blockers] == ["No access to the pager config"]


@pytest.mark.parametrize("who", ["member", "organizer", "admin"])
def test_a_private_commitment_is_its_owners_alone(cast, sessions, board, who):
    found = since_last_time(viewer=getattr(cast, who), session=sessions[1])
    texts = [f.commitment.text for m in found.members for f in m.commitments]
    assert "Private thing CANARY-PRIVATE" not in texts
    assert found.due == 5


@pytest.mark.parametrize("who", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_people_who_do_not_see_the_board_see_nothing_of_it(cast, sessions, board, who):
    found = since_last_time(viewer=getattr(cast, who), session=sessions[1])
    assert found.due == 0 and all(m.is_empty for m in found.members)
    assert since_last_time(viewer=AnonymousUser(), session=sessions[1]).due == 0


def test_the_first_session_says_there_is_no_earlier_one(cast, client_for):
    first = Session.objects.create(cohort=cast.cohort, starts_at=NOW + timedelta(hours=1))
    found = since_last_time(viewer=cast.host, session=first)
    assert found.previous is None and found.members == []
    page = client_for(cast.host).get(
        reverse("schedule:run", args=[cast.network.slug, cast.cohort.slug, first.pk])
    )
    assert "there is no earlier session to look back on" in shown_on_page(page)


def test_a_cancelled_session_is_not_the_last_time(cast, sessions, board):
    cancelled = Session.objects.create(
        cohort=cast.cohort, starts_at=NOW - timedelta(days=3), cancelled=True
    )
    found = since_last_time(viewer=cast.host, session=sessions[1])
    assert found.previous == sessions[0] != cancelled


def test_the_run_view_opens_with_since_last_time(cast, client_for, sessions, board):
    path = reverse("schedule:run", args=[cast.network.slug, cast.cohort.slug, sessions[1].pk])
    page = shown_on_page(client_for(cast.member).get(path))
    assert page.index("Check-in: since last time") < page.index("Agenda")
    assert "1 of 5 commitments done, 2 late, 1 dropped, 1 due today" in page
    assert "Open blocker: No access to the pager config" in page
    assert "Experiment finished: Shorter stand-ups" in page
    assert "CANARY-PRIVATE" not in page
    host_page = shown_on_page(client_for(cast.host).get(path))
    assert "Private thing CANARY-PRIVATE" in host_page  # the host's own private commitment


def test_the_api_gives_the_same_as_the_page(cast, sessions, board):
    answer = api_as(cast.member).get(f"{API}/{sessions[1].pk}/since-last-time")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["summary"] == "1 of 5 commitments done, 2 late, 1 dropped, 1 due today"
    assert (body["done"], body["late"], body["dropped"], body["due"]) == (1, 2, 1, 5)
    assert body["previous_session"] == sessions[0].pk
    host = next(m for m in body["members"] if m["user"]["name"] == "Hana Host")
    assert [c["verdict"] for c in host["commitments"]] == ["late", "dropped"]
    assert "CANARY-PRIVATE" not in answer.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("organizer", 200),
        ("host", 200),
        ("newcomer", 403),
        ("other_cohort_member", 404),
        ("mentor", 404),
        ("partner", 404),
        ("outsider", 404),
    ],
)
def test_who_may_read_since_last_time(cast, sessions, who, status):
    answer = api_as(getattr(cast, who)).get(f"{API}/{sessions[1].pk}/since-last-time")
    assert answer.status_code == status


def test_a_member_who_does_not_run_the_session_is_refused(cast, sessions):
    from cadre.schedule.tests.helpers import add_members

    other = add_members(cast.cohort, 1)[0]
    assert_error(api_as(other).get(f"{API}/{sessions[1].pk}/since-last-time"), 403, "forbidden")
    path = reverse("schedule:run", args=[cast.network.slug, cast.cohort.slug, sessions[1].pk])
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.get(path).status_code == 403
    anonymous = Client().get(f"/api/v1{API}/{sessions[1].pk}/since-last-time")
    assert anonymous.status_code == 401
