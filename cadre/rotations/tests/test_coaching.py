"""A cohort's coaching rotation page: who may see and plan it, what planning does, and that
rounds which have started never change."""

from collections import Counter
from datetime import timedelta
from itertools import combinations
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadre.cohorts.models import CohortMembership
from cadre.rotations import planning
from cadre.rotations.models import CoachingRound, CoachingSeat, SeatRole

from .helpers import add_members

CANNOT_SEE = ["other_cohort_member", "mentor", "partner", "outsider"]


def plan(client, coaching_url, **data):
    body = {"rounds": "3", "format": "pair", **data}
    return client.post(coaching_url("plan"), body)


def groups_of(round_):
    return [sorted(s.user_id for s in g.seats.all()) for g in round_.groups.all()]


@pytest.mark.parametrize("person", ["admin", "organizer", "host", "member"])
def test_cohort_members_and_organizers_see_the_coaching_rotation(
    cast, client_for, coaching_url, person
):
    response = client_for(getattr(cast, person)).get(coaching_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Coaching rotation" in page and "Who met whom" in page


@pytest.mark.parametrize("person", CANNOT_SEE)
def test_people_outside_the_cohort_get_404_for_its_coaching_rotation(
    cast, client_for, coaching_url, person
):
    client = client_for(getattr(cast, person))
    assert client.get(coaching_url()).status_code == 404
    assert plan(client, coaching_url).status_code == 404
    assert not CoachingRound.objects.exists()


def test_a_newcomer_accepts_the_code_of_conduct_before_seeing_the_rotation(
    cast, client_for, coaching_url
):
    response = client_for(cast.newcomer).get(coaching_url())
    conduct = reverse("networks:conduct", args=[cast.network.slug])
    assert response.status_code == 302
    assert response.url == f"{conduct}?next={quote(coaching_url())}"
    assert plan(client_for(cast.newcomer), coaching_url).status_code == 302
    assert not CoachingRound.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(cast, client_for, coaching_url):
    response = client_for(None).get(coaching_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_members_may_not_plan_the_rotation(cast, client_for, coaching_url):
    client = client_for(cast.member)
    assert b"Plan the rounds" not in client.get(coaching_url()).content
    assert plan(client, coaching_url).status_code == 403
    assert not CoachingRound.objects.exists()


@pytest.mark.parametrize("person", ["host", "organizer", "admin"])
def test_hosts_and_organizers_plan_pairs_for_everyone(cast, client_for, coaching_url, person):
    add_members(cast.network, 3, cohort=cast.cohort)  # six people in the cohort
    response = plan(client_for(getattr(cast, person)), coaching_url, rounds="5")
    assert response.status_code == 302
    rounds = list(CoachingRound.objects.filter(cohort=cast.cohort).order_by("number"))
    assert [r.number for r in rounds] == [1, 2, 3, 4, 5]
    people = {u.pk for u in planning.coaching_people(cast.cohort)}
    assert len(people) == 6
    met = Counter()
    for r in rounds:
        groups = groups_of(r)
        assert sorted(p for g in groups for p in g) == sorted(people)
        assert all(len(g) == 2 for g in groups)
        for g in r.groups.all():
            assert sorted(s.role for s in g.seats.all()) == [SeatRole.COACH, SeatRole.COACHEE]
        met.update(pair for g in groups for pair in combinations(g, 2))
    # Five rounds of six people: a round-robin, nobody meets anyone twice.
    assert max(met.values()) == 1 and len(met) == 15
    step = rounds[1].starts_on - rounds[0].starts_on
    assert step == timedelta(days=7)


def test_an_odd_cohort_gets_a_trio_and_nobody_is_left_out(cast, client_for, coaching_url):
    add_members(cast.network, 2, cohort=cast.cohort)  # five people
    plan(client_for(cast.host), coaching_url, rounds="2")
    for r in CoachingRound.objects.all():
        sizes = sorted(len(g) for g in groups_of(r))
        assert sizes == [2, 3]


def test_in_triads_everyone_coaches_is_coached_and_observes(cast, client_for, coaching_url):
    add_members(cast.network, 3, cohort=cast.cohort)  # six people, two triads
    plan(client_for(cast.host), coaching_url, rounds="6", format="triad")
    roles = Counter(CoachingSeat.objects.values_list("user_id", "role"))
    people = planning.coaching_people(cast.cohort)
    for user in people:
        for role in SeatRole.values:
            assert roles[(user.pk, role)] >= 1, (user, role)
    for r in CoachingRound.objects.all():
        for g in r.groups.all():
            assert sorted(s.role for s in g.seats.all()) == sorted(SeatRole.values)


def test_the_page_shows_this_round_the_next_ones_and_who_met_whom(cast, client_for, coaching_url):
    plan(client_for(cast.host), coaching_url, rounds="2")
    page = client_for(cast.member).get(coaching_url()).content.decode()
    assert "Round 1" in page and "Round 2" in page
    assert 'class="met"' in page and "<caption" in page
    assert "Hana Host" in page and "Mo Member" in page
    # Three people, two rounds: the numbers are in the cells.
    assert 'title="Hana Host and Mo Member: ' in page
    assert "· yours" in page


@pytest.mark.parametrize(
    "data, field",
    [
        ({"rounds": "0"}, "rounds"),
        ({"rounds": "13"}, "rounds"),
        ({"rounds": "x"}, "rounds"),
        ({"format": "quartet"}, "format"),
        ({"starts_on": "2001-01-01"}, "starts_on"),
    ],
)
def test_bad_plans_show_field_errors_and_save_nothing(cast, client_for, coaching_url, data, field):
    response = plan(client_for(cast.host), coaching_url, **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CoachingRound.objects.exists()


def test_triads_need_three_people(cast, client_for, coaching_url):
    CohortMembership.objects.filter(user=cast.newcomer).update(left_on=timezone.localdate())
    response = plan(client_for(cast.host), coaching_url, format="triad")
    assert response.status_code == 200
    assert "at least three" in response.content.decode()
    assert not CoachingRound.objects.exists()


def test_rounds_that_started_never_change_when_members_join_or_leave(
    cast, client_for, coaching_url
):
    newcomers = add_members(cast.network, 3, cohort=cast.cohort)
    plan(client_for(cast.host), coaching_url, rounds="3")
    today = timezone.localdate()
    first = CoachingRound.objects.get(number=1)
    # Round 1 began a week ago, round 2 begins today; round 3 is still ahead.
    CoachingRound.objects.filter(number=1).update(starts_on=today - timedelta(days=7))
    CoachingRound.objects.filter(number=2).update(starts_on=today)
    CoachingRound.objects.filter(number=3).update(starts_on=today + timedelta(days=7))
    before = {r.number: groups_of(r) for r in CoachingRound.objects.filter(number__lte=2)}
    seats_before = set(
        CoachingSeat.objects.filter(group__round__number__lte=2).values_list("pk", "role")
    )

    leaver = newcomers[0]
    CohortMembership.objects.filter(user=leaver).update(left_on=today)
    add_members(cast.network, 2, start=10, cohort=cast.cohort)
    assert plan(client_for(cast.organizer), coaching_url, rounds="2").status_code == 302

    rounds = {r.number: r for r in CoachingRound.objects.all()}
    assert sorted(rounds) == [1, 2, 3, 4]
    assert {n: groups_of(rounds[n]) for n in (1, 2)} == before
    assert rounds[1].pk == first.pk
    assert (
        set(CoachingSeat.objects.filter(group__round__number__lte=2).values_list("pk", "role"))
        == seats_before
    )
    assert rounds[3].starts_on == today + timedelta(days=7)
    future = {p for n in (3, 4) for g in groups_of(rounds[n]) for p in g}
    assert leaver.pk not in future
    assert len(future) == 7


def test_a_first_round_date_before_the_last_started_round_is_refused(
    cast, client_for, coaching_url
):
    plan(client_for(cast.host), coaching_url, rounds="1")
    today = timezone.localdate()
    CoachingRound.objects.update(starts_on=today)
    response = plan(client_for(cast.host), coaching_url, starts_on=today.isoformat())
    assert response.status_code == 200
    assert "must start after round 1" in response.content.decode()
    assert CoachingRound.objects.count() == 1


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_coaching_page_costs_the_same_queries_for_a_small_and_a_large_cohort(
    cast, client_for, coaching_url
):
    client = client_for(cast.host)
    plan(client, coaching_url, rounds="2")
    small = _queries(client, coaching_url())
    add_members(cast.network, 17, cohort=cast.cohort)
    plan(client, coaching_url, rounds="6", format="triad")
    large = _queries(client, coaching_url())
    assert small == large


def test_the_met_matrix_pairs_ids_by_number_not_by_text():
    """3 and 113: as text "113" sorts before "3", as numbers 3 comes first. A pair stored in
    one order and sought in the other read as "never met"."""

    class Person:
        def __init__(self, pk):
            self.pk = pk

    people = [Person(3), Person(113), Person(20)]
    matrix = planning.met_matrix(people, [[113, 3], [3, 20], [20, 113, 3]])
    assert matrix.counts == [[0, 2, 2], [2, 0, 1], [2, 1, 0]]
    assert planning.pairs_of([[113, 3, 20]]) == [(3, 20), (3, 113), (20, 113)]
    assert planning.pairs_of([["113", "3"]]) == [("113", "3")]  # keys as text stay text


def test_the_who_met_whom_table_counts_people_whose_ids_differ_in_length(
    cast, client_for, coaching_url
):
    from cadre.testing import make_user

    # "1000000" < "999999" as text; 999999 < 1000000 as numbers.
    for pk in (999999, 1000000):
        user = make_user(f"p{pk}@northwind.test", f"Person {pk}", id=pk)
        CohortMembership.objects.create(cohort=cast.cohort, user=user)
    start = timezone.localdate() - timedelta(days=7)
    first = CoachingRound.objects.create(cohort=cast.cohort, number=1, starts_on=start)
    group = first.groups.create(index=0)
    CoachingSeat.objects.create(group=group, user_id=999999, role=SeatRole.COACH)
    CoachingSeat.objects.create(group=group, user_id=1000000, role=SeatRole.COACHEE)
    matrix = client_for(cast.host).get(coaching_url()).context["matrix"]
    where = {p.pk: i for i, p in enumerate(matrix.people)}
    assert matrix.counts[where[999999]][where[1000000]] == 1
    assert matrix.counts[where[1000000]][where[999999]] == 1
