"""Rounds on their cadence: the worker generates each ritual's next coffee round and extends
each running cohort's coaching rotation a few days ahead (CADRE_ROUNDS_LEAD_DAYS), and
announces coaching rounds to their seats; paused rituals and cohorts are left alone."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.core import mail

from cadre.cohorts.models import CohortStatus
from cadre.rotations.cadence import generate_due_rounds
from cadre.rotations.models import CoachingRound, CoffeeRound
from cadre.rotations.planning import plan_coaching, plan_coffee_round
from cadre.testing import run_worker

from .helpers import add_members, join

# A Wednesday; the default lead is two days.
TODAY = date(2027, 3, 3)


def started_ritual(ritual, people, days_ago: int) -> CoffeeRound:
    join(ritual, people)
    return plan_coffee_round(ritual, scheduled_for=TODAY - timedelta(days=days_ago))


def test_a_ritual_gets_its_next_round_two_days_before_it_is_due(cast, ritual):
    people = add_members(cast.network, 4)
    started_ritual(ritual, people, days_ago=10)  # every two weeks: due on day 4
    with time_machine.travel(TODAY, tick=False):
        assert generate_due_rounds(TODAY).coffee_rounds == 0
    day_2 = TODAY + timedelta(days=2)
    with time_machine.travel(day_2, tick=False):
        assert generate_due_rounds(day_2).coffee_rounds == 1
        assert generate_due_rounds(day_2).coffee_rounds == 0  # once
    latest = ritual.rounds.order_by("-number").first()
    assert (latest.number, latest.scheduled_for) == (2, TODAY + timedelta(days=4))
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox if "your coffee" in m.subject) == sorted(
        [p.email for p in people] * 2
    )


def test_a_paused_ritual_and_one_never_started_get_no_round(cast, ritual):
    people = add_members(cast.network, 4)
    started_ritual(ritual, people, days_ago=30)
    ritual.active = False
    ritual.save()
    fresh = type(ritual).objects.create(network=cast.network, name="New ritual")
    join(fresh, people)
    assert generate_due_rounds(TODAY).coffee_rounds == 0
    assert CoffeeRound.objects.count() == 1


def test_a_ritual_without_enough_people_is_skipped_without_failing(cast, ritual):
    people = add_members(cast.network, 2)
    started_ritual(ritual, people, days_ago=30)
    ritual.participants.filter(user=people[0]).update(snoozed_until=TODAY + timedelta(days=30))
    assert generate_due_rounds(TODAY).coffee_rounds == 0


def coached_cohort(cast, rounds: int, starts_on: date):
    add_members(cast.network, 3, cohort=cast.cohort)
    return plan_coaching(
        cast.cohort, rounds=rounds, format="pair", starts_on=starts_on, today=starts_on
    )


def test_a_running_cohorts_coaching_is_extended_by_one_round_before_it_runs_out(cast):
    planned = coached_cohort(cast, rounds=2, starts_on=TODAY - timedelta(days=13))
    before = {
        r.number: sorted((s.user_id, s.role) for g in r.groups.all() for s in g.seats.all())
        for r in planned
    }
    # Round 2 began six days ago; a third would start tomorrow.
    assert generate_due_rounds(TODAY).coaching_rounds == 1
    rounds = list(CoachingRound.objects.filter(cohort=cast.cohort).order_by("number"))
    assert [r.number for r in rounds] == [1, 2, 3]
    assert rounds[2].starts_on == rounds[1].starts_on + timedelta(days=7)
    # The planned rounds stay as they were announced.
    for r in rounds[:2]:
        seats = sorted((s.user_id, s.role) for g in r.groups.all() for s in g.seats.all())
        assert seats == before[r.number]
    assert generate_due_rounds(TODAY).coaching_rounds == 0


def test_a_paused_cohorts_coaching_is_left_alone(cast):
    coached_cohort(cast, rounds=1, starts_on=TODAY - timedelta(days=6))
    cast.cohort.status = CohortStatus.PAUSED
    cast.cohort.save()
    done = generate_due_rounds(TODAY)
    assert (done.coaching_rounds, done.coaching_announced) == (0, 0)


def test_each_coaching_round_is_announced_to_its_seats_once_two_days_ahead(cast):
    coached_cohort(cast, rounds=2, starts_on=TODAY + timedelta(days=2))
    done = generate_due_rounds(TODAY)
    seats = CoachingRound.objects.get(number=1).groups.values_list("seats__user__email", flat=True)
    assert done.coaching_announced == len(seats)
    assert generate_due_rounds(TODAY).coaching_announced == 0
    run_worker()
    announced = [m for m in mail.outbox if "coaching round 1 starts" in m.subject]
    assert sorted(m.to[0] for m in announced) == sorted(seats)
    body = announced[0].body
    assert "Platform Reliability" in body and "/coaching/" in body
    assert CoachingRound.objects.get(number=2).announced_at is None  # a week later
