"""Generating coffee rounds: everyone available is placed once, snoozes and private lists
are honoured, and the announcement e-mails go out once each through the real worker."""

from datetime import timedelta
from itertools import combinations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cadre.networks.models import NetworkMembership
from cadre.people.models import Profile
from cadre.rotations import planning
from cadre.rotations.models import CoffeeRound, PairingExclusion

from .helpers import add_members, join, run_worker


def groups_of(coffee):
    return [sorted(m.user_id for m in g.members.all()) for g in coffee.groups.all()]


def generate(client, coffee_url, ritual):
    return client.post(coffee_url("generate", ritual.pk), follow=True)


@pytest.mark.parametrize("count", [2, 5, 7])
def test_generating_places_everyone_once_with_a_trio_for_odd_counts(
    cast, client_for, coffee_url, ritual, count
):
    people = add_members(cast.network, count)
    join(ritual, people)
    response = generate(client_for(cast.organizer), coffee_url, ritual)
    assert response.status_code == 200
    coffee = CoffeeRound.objects.get()
    assert response.redirect_chain[-1][0] == coffee.get_absolute_url()
    groups = groups_of(coffee)
    assert sorted(p for g in groups for p in g) == sorted(u.pk for u in people)
    sizes = sorted(len(g) for g in groups)
    assert sizes == ([2] * (count // 2 - 1) + [3] if count % 2 else [2] * (count // 2))
    assert coffee.number == 1 and coffee.created_by == cast.organizer
    page = response.content.decode()
    assert "Round 1 is generated" in page and "Group 1" in page


def test_snoozed_people_and_people_who_left_the_network_are_skipped(
    cast, client_for, coffee_url, ritual
):
    people = add_members(cast.network, 6)
    join(ritual, people)
    sleeper, gone = people[0], people[1]
    ritual.participants.filter(user=sleeper).update(
        snoozed_until=timezone.localdate() + timedelta(days=3)
    )
    NetworkMembership.objects.filter(user=gone).delete()
    generate(client_for(cast.organizer), coffee_url, ritual)
    placed = {p for g in groups_of(CoffeeRound.objects.get()) for p in g}
    assert placed == {u.pk for u in people[2:]}


def test_a_snooze_that_ended_yesterday_is_over(cast, client_for, coffee_url, ritual):
    people = add_members(cast.network, 4)
    join(ritual, people)
    yesterday = timezone.localdate() - timedelta(days=1)
    ritual.participants.update(snoozed_until=yesterday)
    generate(client_for(cast.organizer), coffee_url, ritual)
    assert len({p for g in groups_of(CoffeeRound.objects.get()) for p in g}) == 4


def test_private_exclusions_are_honoured_in_every_round(cast, client_for, coffee_url, ritual):
    people = add_members(cast.network, 6)
    join(ritual, people)
    a, b, c = people[0], people[1], people[2]
    PairingExclusion.objects.create(network=cast.network, owner=a, other=b)
    PairingExclusion.objects.create(network=cast.network, owner=c, other=a)
    client = client_for(cast.organizer)
    for _ in range(4):
        generate(client, coffee_url, ritual)
    assert CoffeeRound.objects.count() == 4
    for coffee in CoffeeRound.objects.all():
        for group in groups_of(coffee):
            assert not {a.pk, b.pk} <= set(group)
            assert not {a.pk, c.pk} <= set(group)


def test_later_rounds_avoid_people_who_already_met(cast, client_for, coffee_url, ritual):
    people = add_members(cast.network, 6)
    join(ritual, people)
    client = client_for(cast.organizer)
    for _ in range(5):
        generate(client, coffee_url, ritual)
    pairs = [
        pair
        for coffee in CoffeeRound.objects.all()
        for group in groups_of(coffee)
        for pair in combinations(group, 2)
    ]
    assert len(pairs) == len(set(pairs)) == 15
    assert list(CoffeeRound.objects.order_by("number").values_list("repeats", flat=True)) == [0] * 5


def test_rounds_follow_the_cadence(cast, client_for, coffee_url, ritual):
    join(ritual, add_members(cast.network, 4))
    client = client_for(cast.organizer)
    generate(client, coffee_url, ritual)
    generate(client, coffee_url, ritual)
    first, second = CoffeeRound.objects.order_by("number")
    assert first.scheduled_for == timezone.localdate()
    assert second.scheduled_for - first.scheduled_for == timedelta(days=14)


def test_nobody_to_pair_generates_nothing(cast, client_for, coffee_url, ritual):
    join(ritual, add_members(cast.network, 1))
    response = generate(client_for(cast.organizer), coffee_url, ritual)
    assert "At least two people" in response.content.decode()
    assert not CoffeeRound.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_paused_ritual_generates_nothing(cast, client_for, coffee_url, ritual):
    join(ritual, add_members(cast.network, 4))
    ritual.active = False
    ritual.save()
    response = generate(client_for(cast.organizer), coffee_url, ritual)
    assert "paused" in response.content.decode()
    assert not CoffeeRound.objects.exists()


def test_announcements_are_sent_once_each_by_the_worker(cast, client_for, coffee_url, ritual):
    people = add_members(cast.network, 5)
    for n, person in enumerate(people):  # European zones: working hours overlap
        Profile.objects.filter(user=person).update(
            time_zone=["Europe/London", "Europe/Berlin"][n % 2]
        )
    join(ritual, people)
    generate(client_for(cast.organizer), coffee_url, ritual)
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 0  # queued when the round is committed

    run_worker()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in people)
    coffee = CoffeeRound.objects.get()
    assert coffee.announced_at is not None
    for message in mail.outbox:
        person = next(u for u in people if u.email == message.to[0])
        group = next(
            g for g in coffee.groups.all() if person.pk in {m.user_id for m in g.members.all()}
        )
        others = [m.user for m in group.members.all() if m.user_id != person.pk]
        for other in others:
            assert other.name in message.body
            assert other.profile.time_zone in message.body
        assert "An hour that suits all of you: Mon " in message.body
        assert ritual.get_absolute_url() in message.body

    # A retried task sends nothing again.
    from cadre.rotations.tasks import announce_coffee_round

    announce_coffee_round.enqueue(coffee.pk)
    run_worker()
    assert len(mail.outbox) == 5


def test_the_suggested_hour_is_one_everyone_can_make():
    class P:
        def __init__(self, hours):
            self.hours = hours

        def availability_utc(self):
            return self.hours

    assert planning.common_hour([P([9, 10, 11]), P([10, 11, 40])]) == 10
    assert planning.common_hour([P([9]), P([10])]) is None
    assert planning.describe_hour(10) == "Mon 10:00"
    assert planning.describe_hour(10, "Asia/Tokyo") == "Mon 19:00"


def test_announcements_reach_a_real_smtp_server(cast, client_for, coffee_url, ritual, smtp_inbox):
    people = add_members(cast.network, 2)
    join(ritual, people)
    generate(client_for(cast.organizer), coffee_url, ritual)
    run_worker()
    assert len(smtp_inbox.messages) == 2
    assert sorted(e.rcpt_tos[0] for e in smtp_inbox.messages) == sorted(u.email for u in people)
    bodies = smtp_inbox.bodies()
    assert any(people[1].name in body for body in bodies)
    assert any(people[0].name in body for body in bodies)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("person", ["organizer", "member"])
def test_the_ritual_page_costs_the_same_queries_at_two_sizes(
    cast, client_for, coffee_url, ritual, person
):
    join(ritual, [cast.member, *add_members(cast.network, 3)])
    client = client_for(cast.organizer)
    generate(client, coffee_url, ritual)
    PairingExclusion.objects.create(network=cast.network, owner=cast.member, other=cast.host)
    client = client_for(getattr(cast, person))
    small = _queries(client, coffee_url("detail", ritual.pk))
    join(ritual, add_members(cast.network, 30, start=100))
    PairingExclusion.objects.create(network=cast.network, owner=cast.member, other=cast.mentor)
    generate(client_for(cast.organizer), coffee_url, ritual)
    generate(client_for(cast.organizer), coffee_url, ritual)
    client = client_for(getattr(cast, person))
    large = _queries(client, coffee_url("detail", ritual.pk))
    assert small == large
