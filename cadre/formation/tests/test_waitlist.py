"""An intake's waitlist: filled by publishing in the order people applied, kept by the
organizers, and offering a seat when someone leaves one of the intake's cohorts. Filling the
seat is one step: they join, are e-mailed, the turnover is recorded, they leave the list."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.cohorts.models import CohortMembership, CohortStatus, Turnover
from cadre.cohorts.services import remove_member
from cadre.delivery.models import Message
from cadre.formation import proposals, publishing, waitlist
from cadre.formation.models import Application, FormationRun, IntakeStatus, RunStatus, WaitlistEntry
from cadre.lib.rules import Refused
from cadre.networks.models import NetworkMembership, Role
from cadre.people.models import Profile
from cadre.testing import make_user
from cadre.testing_parity import api_as, call_api, fresh, rows

from .helpers import add_applicants, run_worker

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

WEEKDAY_MORNINGS = [d * 24 + h for d in range(5) for h in range(9, 12)]
SUNDAY_NIGHT = [6 * 24 + 3]


def _person(cast: Any, email: str, name: str, hours: list[int] | None = None) -> Any:
    user = make_user(email, name)
    NetworkMembership.objects.create(network=cast.network, user=user, role=Role.MEMBER)
    if hours is not None:
        Profile.objects.filter(user=user).update(time_zone="UTC", availability=hours)
    return user


@pytest.fixture
def formed(cast: Any, intake: Any) -> Any:
    """The cast's cohort as if published from `intake`, with two people waiting: Wes (who
    cannot meet with the cohort) first, then Willa (who can)."""
    for user in (cast.host, cast.member, cast.newcomer):
        Profile.objects.filter(user=user).update(time_zone="UTC", availability=WEEKDAY_MORNINGS)
    FormationRun.objects.create(
        intake=intake, status=RunStatus.DONE, published_cohorts=[cast.cohort.pk]
    )
    intake.status = IntakeStatus.PUBLISHED
    intake.save()
    wes = _person(cast, "wes@northwind.test", "Wes Waiting", SUNDAY_NIGHT)
    willa = _person(cast, "willa@northwind.test", "Willa Waiting", WEEKDAY_MORNINGS)
    WaitlistEntry.objects.create(intake=intake, user=wes, position=1)
    WaitlistEntry.objects.create(intake=intake, user=willa, position=2)
    return intake, wes, willa


def order(intake: Any) -> list[str]:
    return [e.user.name for e in waitlist.waitlist(intake)]


# --- publishing fills it --------------------------------------------------------------------


def test_publishing_puts_who_applied_after_the_run_on_the_waitlist_in_order(cast, intake, applied):
    run = proposals.start_run(intake, cast.organizer, seconds=1, seed=2)
    run_worker()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    late = add_applicants(intake, 2, start=50)
    Application.objects.filter(pk=late[0].pk).update(
        submitted_at=timezone.now() + timedelta(hours=2)
    )
    publishing.publish(intake=intake, run=run, by=cast.organizer, confirm=True)
    assert order(intake) == [late[1].user.name, late[0].user.name]
    assert "not placed in a cohort" in waitlist.waitlist(intake)[0].why


def test_the_publish_page_says_who_will_be_emailed_and_that_it_cannot_be_undone(
    cast, client_for, intake, applied
):
    proposals.start_run(intake, cast.organizer, seconds=1, seed=2)
    run_worker()
    late = add_applicants(intake, 1, start=60)
    response = client_for(cast.organizer).get(
        reverse("formation:publish", args=["northwind", "spring"])
    )
    text = response.content.decode()
    assert f"{len(applied)} people</strong> their cohort" in text
    assert cast.member.name in text
    assert (
        f"on the intake’s waitlist, in the order they applied, without an e-mail: {late[0].user.name}"
        in text
    )
    assert "Publishing cannot be undone." in text
    assert f"e-mail {len(applied)} people" in text


# --- the organizers keep it -------------------------------------------------------------------


def test_organizers_add_reorder_and_remove_people(cast, formed):
    intake, wes, willa = formed
    waitlist.add_to_waitlist(by=cast.organizer, intake=intake, person=cast.mentor, why="Asked")
    assert order(intake) == ["Wes Waiting", "Willa Waiting", cast.mentor.name]
    waitlist.reorder_waitlist(
        by=cast.organizer, intake=intake, order=[cast.mentor.pk, willa.pk, wes.pk]
    )
    assert order(intake) == [cast.mentor.name, "Willa Waiting", "Wes Waiting"]
    waitlist.remove_from_waitlist(by=cast.organizer, intake=intake, person=willa)
    assert [e.position for e in waitlist.waitlist(intake)] == [1, 2]
    assert order(intake) == [cast.mentor.name, "Wes Waiting"]


def test_the_waitlist_refuses_twice_a_seated_person_and_a_partial_order(cast, formed):
    intake, wes, willa = formed
    with pytest.raises(Refused, match="on the waitlist of Spring Intake already"):
        waitlist.add_to_waitlist(by=cast.organizer, intake=intake, person=wes)
    with pytest.raises(Refused, match="has a seat in Platform Reliability"):
        waitlist.add_to_waitlist(by=cast.organizer, intake=intake, person=cast.member)
    with pytest.raises(Refused, match="1 missing, 0 not on it"):
        waitlist.reorder_waitlist(by=cast.organizer, intake=intake, order=[wes.pk])
    with pytest.raises(Refused, match="not a member of Northwind"):
        waitlist.add_to_waitlist(by=cast.organizer, intake=intake, person=cast.outsider)


@pytest.mark.parametrize("who", ["host", "member", "mentor", "outsider"])
def test_only_organizers_keep_the_waitlist(cast, formed, who):
    intake, wes, willa = formed
    with pytest.raises(Refused) as refused:
        waitlist.remove_from_waitlist(by=getattr(cast, who), intake=intake, person=wes)
    assert refused.value.kind == "forbidden"
    assert WaitlistEntry.objects.filter(intake=intake).count() == 2


# --- a seat --------------------------------------------------------------------------------


def test_the_offer_skips_who_cannot_meet_with_the_cohort(cast, formed):
    intake, wes, willa = formed
    remove_member(cast.organizer, cast.cohort, person=cast.member)
    offer = waitlist.seat_offer(cast.cohort)
    assert offer is not None
    assert offer.vacated_by == [cast.member]
    assert [c.fits for c in offer.candidates] == [False, True]
    assert offer.next is not None and offer.next.entry.user == willa


def test_filling_a_seat_adds_records_emails_and_takes_them_off_the_list(cast, formed):
    intake, wes, willa = formed
    remove_member(cast.organizer, cast.cohort, person=cast.member)
    turnover = waitlist.fill_seat(
        by=cast.organizer, cohort=cast.cohort, person=willa, replacing=cast.member
    )
    assert (turnover.left, turnover.joined, turnover.on) == (
        cast.member,
        willa,
        timezone.localdate(),
    )
    assert CohortMembership.objects.active().filter(cohort=cast.cohort, user=willa).exists()
    assert order(intake) == ["Wes Waiting"]
    assert waitlist.waitlist(intake)[0].position == 1
    mail = Message.objects.get(key=f"cohort-seat:{turnover.pk}")
    assert mail.to == willa.email and "Platform Reliability" in mail.subject
    # The seat is taken: the roster no longer offers it.
    assert waitlist.seat_offer(cast.cohort).vacated_by == []


def test_someone_not_waiting_does_not_take_a_seat_and_nothing_changes(cast, formed):
    remove_member(cast.organizer, cast.cohort, person=cast.member)
    with pytest.raises(Refused, match="is not on the waitlist"):
        waitlist.fill_seat(by=cast.organizer, cohort=cast.cohort, person=cast.mentor)
    assert not Turnover.objects.exists()


@pytest.mark.parametrize("who", ["host", "member", "other_cohort_member", "outsider"])
def test_only_organizers_fill_a_seat(cast, formed, who):
    intake, wes, willa = formed
    with pytest.raises(Refused) as refused:
        waitlist.fill_seat(by=getattr(cast, who), cohort=cast.cohort, person=willa)
    assert refused.value.kind == "forbidden"
    assert not Turnover.objects.exists()


def test_a_seat_filled_on_the_page_and_by_the_api_leaves_the_same_rows(cast, client_for, formed):
    intake, wes, willa = formed
    remove_member(cast.organizer, cast.cohort, person=cast.member)

    def state() -> Any:
        return (
            rows(Turnover.objects.all(), leave_out=["id", "recorded_at"]),
            rows(
                CohortMembership.objects.filter(cohort=cast.cohort).order_by("user_id"),
                leave_out=["id"],
            ),
            rows(WaitlistEntry.objects.all(), leave_out=["added_at"]),
            sorted(Message.objects.values_list("to", flat=True)),
        )

    page = fresh(
        lambda: client_for(cast.organizer).post(
            reverse("seats:fill", args=["northwind", "reliability"]),
            {"person": willa.pk, "replacing": cast.member.pk},
        ),
        state,
    )
    api = fresh(
        lambda: call_api(
            cast.organizer,
            "post",
            "/networks/northwind/cohorts/reliability/seats",
            {"user_id": willa.pk, "replacing": cast.member.pk},
        ),
        state,
    )
    assert page.response.status_code == 302
    assert api.response.status_code == 201, api.response.content
    assert page.rows == api.rows
    assert len(page.rows[0]) == 1


def test_the_members_page_offers_the_seat_in_one_step(cast, client_for, formed):
    intake, wes, willa = formed
    remove_member(cast.organizer, cast.cohort, person=cast.member)
    client = client_for(cast.organizer)
    page = client.get(reverse("cohorts:members", args=["northwind", "reliability"]))
    text = page.content.decode()
    assert "Give Willa Waiting the seat Mo Member left" in text
    response = client.post(
        reverse("seats:fill", args=["northwind", "reliability"]),
        {"person": willa.pk, "replacing": cast.member.pk},
        follow=True,
    )
    assert "Willa Waiting took the seat Mo Member left." in response.content.decode()


@pytest.mark.parametrize(
    "who, seat, waiting",
    [
        ("organizer", 200, 200),
        ("host", 404, 404),
        ("member", 404, 404),
        ("other_cohort_member", 404, 404),
        ("outsider", 404, 404),
        ("newcomer", 302, 404),  # the cohort's pages wait for the code of conduct
        (None, 302, 302),
    ],
)
def test_who_opens_the_seat_and_waitlist_pages(
    cast, client, client_for, formed, who, seat, waiting
):
    browser = client_for(getattr(cast, who)) if who else client
    assert browser.get(reverse("seats:fill", args=["northwind", "reliability"])).status_code == seat
    path = reverse("formation:waitlist", args=["northwind", "spring"])
    assert browser.get(path).status_code == waiting


def test_api_waitlist_endpoints(cast, formed):
    intake, wes, willa = formed
    base = "/networks/northwind/intakes/spring/waitlist"
    listed = api_as(cast.organizer).get(base)
    assert [e["user"]["name"] for e in listed.json()] == ["Wes Waiting", "Willa Waiting"]
    added = call_api(cast.organizer, "post", base, {"user_id": cast.mentor.pk, "why": "Asked"})
    assert added.status_code == 201 and added.json()["position"] == 3
    again = call_api(cast.organizer, "post", base, {"user_id": cast.mentor.pk})
    assert again.status_code == 409
    reordered = call_api(cast.organizer, "put", base, {"order": [cast.mentor.pk, willa.pk, wes.pk]})
    assert [e["user"]["name"] for e in reordered.json()][0] == cast.mentor.name
    assert call_api(cast.organizer, "delete", f"{base}/{wes.pk}").status_code == 204
    assert (
        api_as(cast.member).get(base).status_code == 404
    )  # a published intake they did not apply to
    assert api_as(cast.outsider).get(base).status_code == 404
    assert order(intake) == [cast.mentor.name, "Willa Waiting"]


# --- the next intake ---------------------------------------------------------------------------


def test_the_next_intake_copies_the_last_one_and_links_the_cohort(cast, formed):
    intake, wes, willa = formed
    cast.cohort.status = CohortStatus.COMPLETED
    cast.cohort.save()
    today = timezone.localdate()
    new = waitlist.open_next_intake(
        by=cast.organizer,
        cohort=cast.cohort,
        title="Spring, again",
        slug="spring-again",
        opens_on=today,
        closes_on=today + timedelta(days=20),
    )
    new.refresh_from_db()
    assert (new.objective, new.min_size, new.max_size, new.questions) == (
        intake.objective,
        intake.min_size,
        intake.max_size,
        intake.questions,
    )
    assert new.status == IntakeStatus.DRAFT and new.follows == cast.cohort
    response = call_api(
        cast.host,
        "post",
        "/networks/northwind/cohorts/reliability/next-intake",
        {
            "title": "X",
            "slug": "x",
            "opens_on": str(today),
            "closes_on": str(today + timedelta(days=2)),
        },
    )
    assert response.status_code == 403
