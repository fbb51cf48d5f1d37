"""Answering "are you coming?": one service (cadre.schedule.rsvp) behind the session page,
the invitation e-mail's link (no sign-in) and the API; the facilitator's expected count."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import signing

from cadre.api.tests.helpers import assert_error
from cadre.cohorts.models import CohortMembership
from cadre.schedule import rsvp
from cadre.schedule.models import Absence, Rsvp
from cadre.testing_parity import api_as

from .helpers import make_schedule

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
API = "/api/v1/networks/northwind/cohorts/reliability"

pytestmark = pytest.mark.time_machine(NOW, tick=False)


@pytest.fixture
def session(cast: Any) -> Any:
    make_schedule(cast.cohort)
    return cast.cohort.sessions.order_by("starts_at").first()


def path_of(session: Any, person: Any) -> str:
    url = rsvp.link(session, person)
    return url[url.index("/rsvp/") :]


def test_the_answer_is_stored_once_per_person_and_can_change(cast, session):
    rsvp.respond(cast.member, session, answer="yes")
    rsvp.respond(cast.member, session, answer="maybe")
    found = Rsvp.objects.get(session=session, user=cast.member)
    assert found.answer == "maybe" and not found.by_link


def test_expected_counts_answers_and_absences_of_active_members(cast, session):
    rsvp.respond(cast.member, session, answer="yes")
    Absence.objects.create(session=session, user=cast.newcomer)
    assert rsvp.expected(session) == rsvp.Expected(coming=1, not_coming=1, maybe=0, unanswered=1)
    CohortMembership.objects.filter(user=cast.member, cohort=cast.cohort).update(left_on=NOW.date())
    assert rsvp.expected(session).coming == 0


@pytest.mark.parametrize("who", ["other_cohort_member", "organizer", "outsider"])
def test_only_active_members_answer(cast, session, who):
    with pytest.raises(rsvp.Refused) as refused:
        rsvp.respond(getattr(cast, who), session, answer="yes")
    assert refused.value.message == rsvp.NOT_A_MEMBER


def test_a_bad_answer_and_a_closed_session_are_refused(cast, session):
    with pytest.raises(rsvp.Refused, match="Choose yes, no or maybe"):
        rsvp.respond(cast.member, session, answer="perhaps")
    with (
        time_machine.travel(session.starts_at + timedelta(minutes=1), tick=False),
        pytest.raises(rsvp.Refused, match="answers are closed"),
    ):
        rsvp.respond(cast.member, session, answer="yes")
    session.cancelled = True
    session.save()
    with pytest.raises(rsvp.Refused, match="answers are closed"):
        rsvp.respond(cast.member, session, answer="yes")
    assert not Rsvp.objects.exists()


def test_the_session_page_takes_the_answer_and_shows_the_facilitator_the_count(
    cast, session, client_for, url
):
    page = url("session", session.pk)
    client = client_for(cast.member)
    assert "Are you coming?" in client.get(page).content.decode()
    response = client.post(url("rsvp", session.pk), {"answer": "no"}, follow=True)
    assert "Your answer: <strong>Not coming</strong>" in response.content.decode()
    assert "expected-counts" not in response.content.decode()  # members see their own only
    host_page = client_for(cast.host).get(page).content.decode()
    assert "0 coming, 1 not, 0 maybe, 2 not answered." in host_page
    run = client_for(cast.host).get(url("run", session.pk)).content.decode()
    assert "0 coming, 1 not, 0 maybe, 2 not answered." in run


def test_the_link_answers_for_its_person_without_signing_in(cast, session, client):
    path = path_of(session, cast.member)
    page = client.get(path + "?answer=yes")
    assert page.status_code == 200 and "Answering for Mo Member" in page.content.decode()
    assert not Rsvp.objects.exists()  # opening the link (a mail scanner may) changes nothing
    done = client.post(path, {"answer": "yes"})
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    found = Rsvp.objects.get(session=session, user=cast.member)
    assert found.answer == "yes" and found.by_link
    # It works again: the answer can change until the session starts.
    client.post(path, {"answer": "no"})
    assert Rsvp.objects.get(session=session, user=cast.member).answer == "no"


def test_someone_else_signed_in_still_answers_only_for_the_links_person(cast, session, client_for):
    client_for(cast.host).post(path_of(session, cast.member), {"answer": "maybe"})
    assert list(Rsvp.objects.values_list("user_id", "answer")) == [(cast.member.pk, "maybe")]


def test_a_tampered_or_forged_link_is_refused(cast, session, client):
    path = path_of(session, cast.member)
    tampered = path[:-3] + ("x" if path[-2] != "x" else "y") + "/"
    assert client.get(tampered).status_code == 404
    forged = signing.dumps({"s": session.pk, "u": cast.host.pk}, salt="another.salt")
    assert client.post(f"/rsvp/{forged}/", {"answer": "yes"}).status_code == 404
    assert not Rsvp.objects.exists()


def test_the_link_of_someone_who_left_or_a_started_session_changes_nothing(cast, session, client):
    path = path_of(session, cast.member)
    CohortMembership.objects.filter(user=cast.member, cohort=cast.cohort).update(left_on=NOW.date())
    response = client.post(path, {"answer": "yes"})
    assert response.status_code == 422 and rsvp.NOT_A_MEMBER in response.content.decode()
    other = path_of(session, cast.host)
    with time_machine.travel(session.starts_at + timedelta(minutes=1), tick=False):
        assert "answers are closed" in client.get(other).content.decode()
        assert client.post(other, {"answer": "yes"}).status_code == 422
    assert not Rsvp.objects.exists()


def test_the_api_calls_the_same_service(cast, session):
    path = f"{API}/sessions/{session.pk}/rsvp"
    response = api_as(cast.member)._send("put", path, {"answer": "maybe"})
    assert response.status_code == 200, response.content
    assert response.json()["answer"] == "maybe"
    assert Rsvp.objects.get(session=session, user=cast.member).answer == "maybe"
    refused = api_as(cast.organizer)._send("put", path, {"answer": "yes"})
    assert assert_error(refused, 403, "forbidden")["message"] == rsvp.NOT_A_MEMBER
    bad = api_as(cast.member)._send("put", path, {"answer": "perhaps"})
    assert bad.status_code == 422


def test_the_api_gives_the_counts_to_whoever_sees_them_on_the_page(cast, session, client_for, url):
    rsvp.respond(cast.member, session, answer="no")
    path = f"{API}/sessions/{session.pk}/rsvps"
    counts = api_as(cast.host)._send("get", path)
    assert counts.status_code == 200, counts.content
    assert counts.json() == {"coming": 0, "not_coming": 1, "maybe": 0, "unanswered": 2}
    assert "0 coming, 1 not, 0 maybe, 2 not answered." in (
        client_for(cast.host).get(url("session", session.pk)).content.decode()
    )
    assert api_as(cast.organizer)._send("get", path).json() == counts.json()
    refused = api_as(cast.member)._send("get", path)  # a member sees only their own answer
    assert (
        "expected-counts"
        not in client_for(cast.member).get(url("session", session.pk)).content.decode()
    )
    assert assert_error(refused, 403, "forbidden")["message"] == (
        "Only the session’s facilitator, the cohort’s hosts and the organizers run it."
    )
    assert_error(api_as(cast.outsider)._send("get", path), 404, "not_found")
