"""A cohort's lifecycle, through its services: created and edited by organizers (hosts edit
how it meets), its status moved forming → active (↔ paused) → completed → archived, and its
members added, removed, moved and given roles, with their history kept."""

from typing import Any

import pytest
from django.utils import timezone

from cadre.accountability.models import Commitment
from cadre.cohorts import services
from cadre.cohorts.models import Cohort, CohortMembership, CohortRole, CohortStatus
from cadre.lib.rules import Refused
from cadre.networks.models import NetworkMembership, Role

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

S = CohortStatus


def new_cohort(cast: Any, **fields: Any) -> Cohort:
    values: dict[str, Any] = {
        "name": "Data Guild",
        "slug": "data-guild",
        "objective": "Ship one dashboard each.",
    }
    values.update(fields)
    return services.create_cohort(cast.organizer, cast.network, **values)


def place(cohort: Cohort, person: Any) -> CohortMembership:
    return CohortMembership.objects.get(cohort=cohort, user=person)


# --- create and edit -----------------------------------------------------------------------


def test_an_organizer_creates_a_forming_cohort_with_its_hosts(cast: Any) -> None:
    cohort = new_cohort(cast, hosts=[cast.mentor], time_zone="America/Chicago")
    assert cohort.status == S.FORMING
    assert cohort.time_zone == "America/Chicago"
    assert services.host_ids(cohort) == [cast.mentor.pk]
    assert place(cohort, cast.mentor).role == CohortRole.HOST


@pytest.mark.parametrize("who", ["host", "member", "mentor"])
def test_only_organizers_create_cohorts(cast: Any, who: str) -> None:
    with pytest.raises(Refused) as refused:
        services.create_cohort(getattr(cast, who), cast.network, name="X", slug="x", objective="Y")
    assert refused.value.kind == "forbidden"


def test_a_new_cohort_is_not_born_completed_and_new_is_no_slug(cast: Any) -> None:
    with pytest.raises(Refused, match="starts as forming"):
        new_cohort(cast, status=S.COMPLETED)
    with pytest.raises(Refused) as refused:
        new_cohort(cast, slug="new")
    assert refused.value.fields == {"slug": [services.SLUG_RESERVED]}


def test_a_partner_cannot_host(cast: Any) -> None:
    with pytest.raises(Refused) as refused:
        new_cohort(cast, hosts=[cast.partner])
    assert refused.value.field == "hosts"
    assert not Cohort.objects.filter(slug="data-guild").exists()


def test_a_host_edits_how_the_cohort_meets_but_not_its_name_hosts_or_status(cast: Any) -> None:
    services.update_cohort(cast.host, cast.cohort, cadence="biweekly", session_minutes=90)
    cast.cohort.refresh_from_db()
    assert (cast.cohort.cadence, cast.cohort.session_minutes) == ("biweekly", 90)
    for change in ({"name": "Mine now"}, {"status": S.PAUSED}, {"shared_with_network": True}):
        with pytest.raises(Refused) as refused:
            services.update_cohort(cast.host, cast.cohort, **change)
        assert refused.value.message == services.HOSTS_CHANGE_ONLY
    with pytest.raises(Refused):
        services.update_cohort(cast.host, cast.cohort, hosts=[cast.host, cast.member])
    # Sending a field unchanged is no change.
    services.update_cohort(cast.host, cast.cohort, name=cast.cohort.name)


def test_a_member_cannot_edit_the_cohort(cast: Any) -> None:
    with pytest.raises(Refused) as refused:
        services.update_cohort(cast.member, cast.cohort, objective="Ours.")
    assert refused.value.kind == "forbidden"


def test_choosing_hosts_makes_left_out_hosts_members(cast: Any) -> None:
    services.update_cohort(cast.organizer, cast.cohort, hosts=[cast.member])
    assert place(cast.cohort, cast.member).role == CohortRole.HOST
    assert place(cast.cohort, cast.host).role == CohortRole.MEMBER
    assert place(cast.cohort, cast.host).is_active


# --- status --------------------------------------------------------------------------------


def test_the_whole_lifecycle(cast: Any) -> None:
    cohort = new_cohort(cast)
    for status in (S.ACTIVE, S.PAUSED, S.ACTIVE, S.COMPLETED, S.ARCHIVED, S.COMPLETED):
        services.change_status(cast.organizer, cohort, status=status)
        cohort.refresh_from_db()
        assert cohort.status == status


@pytest.mark.parametrize(
    "start, to, message",
    [
        (S.FORMING, S.FORMING, "The cohort is already forming."),
        (S.ACTIVE, S.FORMING, services.STATUS_NOT_BACK_TO_FORMING),
        (S.FORMING, S.COMPLETED, services.STATUS_START_FIRST),
        (S.FORMING, S.ARCHIVED, services.STATUS_START_FIRST),
        (S.COMPLETED, S.ACTIVE, services.STATUS_NOT_REOPENED),
        (S.ACTIVE, S.ARCHIVED, services.STATUS_ARCHIVE_AFTER_COMPLETING),
        (S.PAUSED, S.ARCHIVED, services.STATUS_ARCHIVE_AFTER_COMPLETING),
        (S.ARCHIVED, S.ACTIVE, services.STATUS_ARCHIVED_COMES_BACK_COMPLETED),
        (S.ACTIVE, "sleeping", services.STATUS_UNKNOWN),
    ],
)
def test_each_refused_move_says_why(cast: Any, start: str, to: str, message: str) -> None:
    Cohort.objects.filter(pk=cast.cohort.pk).update(status=start)
    cast.cohort.refresh_from_db()
    with pytest.raises(Refused) as refused:
        services.change_status(cast.organizer, cast.cohort, status=to)
    assert refused.value.message == message
    assert refused.value.field == "status"
    cast.cohort.refresh_from_db()
    assert cast.cohort.status == start


@pytest.mark.parametrize("who", ["host", "member"])
def test_only_organizers_change_the_status(cast: Any, who: str) -> None:
    with pytest.raises(Refused) as refused:
        services.change_status(getattr(cast, who), cast.cohort, status=S.PAUSED)
    assert refused.value.kind == "forbidden"


# --- members -------------------------------------------------------------------------------


def test_adding_removing_and_adding_back_keeps_one_membership_and_the_commitments(
    cast: Any,
) -> None:
    services.add_member(cast.organizer, cast.cohort, person=cast.mentor)
    Commitment.objects.create(
        cohort=cast.cohort, owner=cast.mentor, text="Run a game day", due_on=timezone.localdate()
    )
    with pytest.raises(Refused) as twice:
        services.add_member(cast.organizer, cast.cohort, person=cast.mentor)
    assert twice.value.kind == "conflict"
    services.remove_member(cast.organizer, cast.cohort, person=cast.mentor)
    left = place(cast.cohort, cast.mentor)
    assert left.left_on is not None and not left.is_active
    assert Commitment.objects.filter(cohort=cast.cohort, owner=cast.mentor).count() == 1
    with pytest.raises(Refused, match="not an active member"):
        services.remove_member(cast.organizer, cast.cohort, person=cast.mentor)
    services.add_member(cast.organizer, cast.cohort, person=cast.mentor, role=CohortRole.HOST)
    assert place(cast.cohort, cast.mentor).is_active
    assert place(cast.cohort, cast.mentor).role == CohortRole.HOST


def test_moving_a_member_leaves_their_work_in_the_old_cohort(cast: Any) -> None:
    Commitment.objects.create(
        cohort=cast.cohort, owner=cast.member, text="Write a runbook", due_on=timezone.localdate()
    )
    new = services.move_member(
        cast.organizer, cast.cohort, person=cast.member, to=cast.other_cohort
    )
    assert new.cohort == cast.other_cohort and new.is_active and new.role == CohortRole.MEMBER
    assert not place(cast.cohort, cast.member).is_active
    assert Commitment.objects.get(owner=cast.member).cohort == cast.cohort


def test_a_move_stays_in_the_network_and_goes_somewhere_else(cast: Any) -> None:
    south = Cohort.objects.create(network=cast.other_network, name="South", slug="south")
    for to in (south, cast.cohort):
        with pytest.raises(Refused) as refused:
            services.move_member(cast.organizer, cast.cohort, person=cast.member, to=to)
        assert refused.value.field == "to"
    with pytest.raises(Refused) as twice:
        services.move_member(
            cast.organizer, cast.other_cohort, person=cast.other_cohort_member, to=cast.other_cohort
        )
    assert twice.value.field == "to"


def test_a_person_cannot_be_moved_into_a_cohort_they_are_active_in(cast: Any) -> None:
    services.add_member(cast.organizer, cast.other_cohort, person=cast.member)
    with pytest.raises(Refused) as refused:
        services.move_member(cast.organizer, cast.cohort, person=cast.member, to=cast.other_cohort)
    assert refused.value.kind == "conflict"
    assert place(cast.cohort, cast.member).is_active


def test_people_outside_the_network_are_not_added(cast: Any) -> None:
    for person in (cast.outsider, cast.partner):
        with pytest.raises(Refused, match="is not a member of Northwind"):
            services.add_member(cast.organizer, cast.cohort, person=person)


def test_roles_change_between_member_and_host_only(cast: Any) -> None:
    services.change_role(cast.organizer, cast.cohort, person=cast.member, role=CohortRole.HOST)
    assert place(cast.cohort, cast.member).role == CohortRole.HOST
    with pytest.raises(Refused) as refused:
        services.change_role(
            cast.organizer, cast.cohort, person=cast.member, role=CohortRole.OBSERVER
        )
    assert refused.value.message == services.ROLE_CHOICE


@pytest.mark.parametrize("who", ["host", "member", "other_cohort_member"])
def test_only_organizers_change_the_roster(cast: Any, who: str) -> None:
    person = getattr(cast, who)
    for change in (
        lambda: services.add_member(person, cast.cohort, person=cast.mentor),
        lambda: services.remove_member(person, cast.cohort, person=cast.member),
        lambda: services.change_role(person, cast.cohort, person=cast.member, role="host"),
        lambda: services.move_member(person, cast.cohort, person=cast.member, to=cast.other_cohort),
    ):
        with pytest.raises(Refused) as refused:
            change()
        assert refused.value.kind == "forbidden"
    assert place(cast.cohort, cast.member).is_active


@pytest.mark.parametrize("status", [S.COMPLETED, S.ARCHIVED])
def test_a_finished_cohorts_roster_stays_as_it_was(cast: Any, status: str) -> None:
    Cohort.objects.filter(pk=cast.cohort.pk).update(status=status)
    cast.cohort.refresh_from_db()
    with pytest.raises(Refused) as refused:
        services.remove_member(cast.organizer, cast.cohort, person=cast.member)
    assert refused.value.message == services.ROSTER_CLOSED
    with pytest.raises(Refused):
        services.add_member(cast.organizer, cast.cohort, person=cast.mentor)


def test_leaving_on_the_day_of_joining_is_allowed(cast: Any) -> None:
    services.add_member(cast.organizer, cast.cohort, person=cast.mentor)
    services.remove_member(cast.organizer, cast.cohort, person=cast.mentor)
    membership = place(cast.cohort, cast.mentor)
    assert membership.left_on == membership.joined_on


def test_network_people_leave_out_partners_and_other_networks(cast: Any) -> None:
    people = set(services.network_people(cast.network))
    assert cast.partner not in people and cast.outsider not in people
    assert {cast.member, cast.mentor, cast.organizer} <= people
    assert NetworkMembership.objects.filter(user=cast.partner, role=Role.PARTNER).exists()
