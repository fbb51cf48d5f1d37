"""Sessions follow the schedule; the rota is fair, honours absences and never rewrites the
past, whatever happens to the cohort."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cadre.cohorts.models import CohortMembership, CohortRole
from cadre.schedule import rota
from cadre.schedule.models import UPCOMING_SESSIONS, Absence, RoleAssignment, Session

from .helpers import add_members, add_past_sessions, assignments, make_schedule, role_counts


def rota_users(cohort):
    return set(rota.rota_members(cohort))


def test_a_schedule_creates_the_next_sessions_on_its_weekday_and_local_time(cast, schedule):
    sessions = list(cast.cohort.sessions.order_by("starts_at"))
    assert len(sessions) == UPCOMING_SESSIONS
    berlin = ZoneInfo("Europe/Berlin")
    for s in sessions:
        local = s.starts_at.astimezone(berlin)
        assert (local.weekday(), local.time()) == (1, time(15, 0))
        assert s.starts_at > timezone.now()
    gaps = {
        (b.starts_at.date() - a.starts_at.date()).days
        for a, b in zip(sessions, sessions[1:], strict=False)
    }
    assert gaps == {7}


def test_syncing_the_sessions_twice_changes_nothing(cast, schedule):
    before = list(cast.cohort.sessions.values_list("pk", "starts_at"))
    schedule.sync_sessions()
    schedule.sync_sessions()
    assert list(cast.cohort.sessions.values_list("pk", "starts_at")) == before


def test_biweekly_cohorts_meet_every_other_week_counted_from_their_start(cast):
    cast.cohort.cadence = "biweekly"
    cast.cohort.starts_on = date.today() - timedelta(days=30)
    cast.cohort.save()
    make_schedule(cast.cohort)
    starts = [s.starts_at.date() for s in cast.cohort.sessions.order_by("starts_at")]
    assert {(b - a).days for a, b in zip(starts, starts[1:], strict=False)} == {14}
    anchor = cast.cohort.schedule.anchor(date.today())
    assert all((d - anchor).days % 14 == 0 for d in starts)


def test_changing_the_weekday_moves_upcoming_sessions_and_keeps_their_absences(cast, schedule):
    first = cast.cohort.sessions.order_by("starts_at").first()
    Absence.objects.create(session=first, user=cast.member)
    schedule.weekday = 3
    schedule.save()
    schedule.sync_sessions()
    assert cast.cohort.sessions.count() == UPCOMING_SESSIONS
    days = {
        s.starts_at.astimezone(ZoneInfo("Europe/Berlin")).weekday()
        for s in cast.cohort.sessions.all()
    }
    assert days == {3}
    assert Absence.objects.filter(session_id=first.pk, user=cast.member).exists()


def test_every_role_is_filled_once_and_nobody_holds_two_roles_in_a_session(cast, schedule):
    for session in cast.cohort.sessions.all():
        rows = list(session.roles.values_list("role", "user_id"))
        assert sorted(r for r, _ in rows) == sorted(schedule.roles)
        assert len({u for _, u in rows}) == len(rows)


@pytest.mark.parametrize("extra", [0, 2, 4])
def test_counts_per_role_differ_by_at_most_one_when_nobody_is_absent(cast, extra):
    add_members(cast.cohort, extra)
    make_schedule(cast.cohort)
    members = rota_users(cast.cohort)
    for role, counts in role_counts(cast.cohort).items():
        values = [counts.get(m, 0) for m in members]
        assert max(values) - min(values) <= 1, (role, values)


def test_nobody_repeats_a_role_in_back_to_back_sessions_when_avoidable(cast):
    add_members(cast.cohort, 3)
    make_schedule(cast.cohort)
    sessions = list(cast.cohort.sessions.order_by("starts_at"))
    for a, b in zip(sessions, sessions[1:], strict=False):
        before = dict(a.roles.values_list("role", "user_id"))
        after = dict(b.roles.values_list("role", "user_id"))
        assert all(before[role] != after[role] for role in before)


def test_observers_and_mentors_take_no_role(cast):
    observer = add_members(cast.cohort, 1)[0]
    CohortMembership.objects.filter(user=observer).update(role=CohortRole.OBSERVER)
    make_schedule(cast.cohort)
    assert not RoleAssignment.objects.filter(user=observer).exists()


def test_an_absent_member_gets_no_role_in_that_session(cast, schedule):
    add_members(cast.cohort, 2)
    sessions = list(cast.cohort.sessions.order_by("starts_at"))
    for session in sessions[:4]:
        Absence.objects.create(session=session, user=cast.member)
    for session in sessions[:4]:
        assert not session.roles.filter(user=cast.member).exists()
    assert RoleAssignment.objects.filter(session__in=sessions[4:], user=cast.member).exists()


def test_past_sessions_never_change_when_a_member_joins(cast, schedule):
    past = add_past_sessions(cast.cohort, 3)
    before = assignments(past)
    newcomers = add_members(cast.cohort, 2)
    assert assignments(past) == before
    upcoming = RoleAssignment.objects.filter(session__starts_at__gt=timezone.now())
    assert upcoming.filter(user__in=newcomers).exists()


def test_past_sessions_never_change_when_a_member_leaves(cast, schedule):
    add_members(cast.cohort, 2)
    past = add_past_sessions(cast.cohort, 3)
    before = assignments(past)
    membership = CohortMembership.objects.get(cohort=cast.cohort, user=cast.member)
    membership.left_on = timezone.localdate()
    membership.save()
    assert assignments(past) == before
    assert RoleAssignment.objects.filter(session__in=past, user=cast.member).exists()
    upcoming = RoleAssignment.objects.filter(session__starts_at__gt=timezone.now())
    assert not upcoming.filter(user=cast.member).exists()


def test_past_sessions_never_change_when_an_absence_is_marked_or_withdrawn(cast, schedule):
    add_members(cast.cohort, 1)
    past = add_past_sessions(cast.cohort, 4)
    before = assignments(past)
    upcoming = cast.cohort.sessions.upcoming().first()
    absence = Absence.objects.create(session=upcoming, user=cast.host)
    assert assignments(past) == before
    absence.delete()
    assert assignments(past) == before


def test_the_rota_counts_roles_people_already_held(cast):
    add_members(cast.cohort, 3)
    make_schedule(cast.cohort)
    add_past_sessions(cast.cohort, 2)
    rota.regenerate(cast.cohort)
    members = rota_users(cast.cohort)
    for role, counts in role_counts(cast.cohort, upcoming_only=False).items():
        values = [counts.get(m, 0) for m in members]
        assert max(values) - min(values) <= 1, (role, values)


def test_cancelled_sessions_hold_no_roles(cast, schedule):
    session = cast.cohort.sessions.order_by("starts_at").first()
    session.cancelled = True
    session.save()
    rota.regenerate(cast.cohort)
    assert not session.roles.exists()


def test_deleting_a_cohort_with_sessions_works(cast, schedule):
    Absence.objects.create(session=cast.cohort.sessions.first(), user=cast.member)
    cast.cohort.delete()
    assert not Session.objects.exists()


def test_slots_name_who_cannot_come_and_prefer_working_hours(cast):
    cast.host.profile.availability = [1 * 24 + h for h in (9, 10, 19)]  # Tue, Berlin
    cast.host.profile.save()
    cast.member.profile.availability = [1 * 24 + h for h in (10, 19)]
    cast.member.profile.save()
    slots = rota.find_cohort_slots(cast.cohort)
    best = slots[0]
    assert (best.weekday, best.local_time) == (1, time(10, 0))
    assert {str(u) for u in best.attendees} == {"Hana Host", "Mo Member"}
    assert "Nia Newcomer" in {str(u) for u in best.missing}
    evening = next(s for s in slots if s.local_time == time(19, 0))
    assert evening.in_working_hours == 0 and best.in_working_hours == 2


def test_using_a_slot_sets_the_local_weekday_and_time(cast, schedule):
    utc_hour = 2 * 24 + 8  # Wednesday 08:00 UTC is 09:00 in Berlin in winter
    rota.use_slot(schedule, utc_hour)
    schedule.refresh_from_db()
    assert (schedule.weekday, schedule.local_time) == (2, time(9, 0))
    local = cast.cohort.sessions.first().starts_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.weekday(), local.hour) == (2, 9)


def test_sessions_keep_their_local_time_across_daylight_saving(cast):
    schedule = make_schedule(cast.cohort)
    now = datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("UTC"))
    starts = schedule.upcoming_starts(now, 4)
    hours = {s.astimezone(ZoneInfo("Europe/Berlin")).hour for s in starts}
    assert hours == {15}
    assert {s.astimezone(ZoneInfo("UTC")).hour for s in starts} == {13, 14}
