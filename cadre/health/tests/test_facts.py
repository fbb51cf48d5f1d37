"""Gathering a cohort's facts from the database and writing its snapshot."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadre.cohorts.models import Charter, Cohort, CohortMembership, CohortStatus
from cadre.health import facts
from cadre.health.models import CohortHealth, HealthSettings
from cadre.testing import make_user

from .helpers import blocker, commitment, falling_attendance, past_session, settle_in, update


def test_gather_reads_attendance_commitments_updates_blockers_and_the_current_charter(cast):
    c = cast.cohort
    settle_in(c)
    past_session(c, 3, present=[cast.host, cast.member], absent=[cast.newcomer])
    past_session(c, 35, present=[cast.host], absent=[cast.member], roles={"facilitator": cast.host})
    cancelled = past_session(c, 10, present=[cast.host])
    cancelled.cancelled = True
    cancelled.save()
    commitment(cast.member, c, "done", 2, evidence="link")
    commitment(cast.member, c, "missed", 5)
    commitment(cast.member, c, "missed", 40)
    commitment(cast.member, c, "missed", 1, visibility="private")  # owner's alone
    commitment(cast.member, c, "open", 3)
    update(cast.member, c, 2)
    blocker(cast.host, c, 3, text="Need a staging database")
    private = commitment(cast.newcomer, c, "open", -3, visibility="private")
    update(cast.newcomer, c, 1, commitment=private)  # a private update: not seen
    Charter.objects.create(
        cohort=c,
        version=2,
        mission="m",
        weekly_hours=2,
        next_review_on=timezone.localdate() - timedelta(days=4),
    )

    g = facts.gather([c])[c.pk]
    assert [(s.present, s.absent) for s in g.facts.sessions] == [(1, 1), (2, 1)]
    assert g.facts.sessions[0].roles == {"facilitator": cast.host.pk}
    assert (g.figures.attendance.value, g.earlier.attendance.value) == (66.7, 50.0)
    assert sorted((x.status, x.owner_id) for x in g.facts.commitments) == [
        ("done", cast.member.pk),
        ("missed", cast.member.pk),
        ("missed", cast.member.pk),
    ]
    # Due in the last 4 weeks: done, missed and the open one that fell due 3 days ago.
    assert (g.figures.follow_through.part, g.figures.follow_through.whole) == (1, 3)
    assert (g.figures.follow_through.value, g.earlier.follow_through.value) == (33.3, 0.0)
    assert g.open_blockers == 1 and g.facts.blockers[0].text == "Need a staging database"
    lasts = {m.name: m.last_update_at for m in g.facts.members}
    assert lasts["Nia Newcomer"] is None and lasts["Mo Member"] is not None
    assert g.facts.charter_review_on == timezone.localdate() - timedelta(days=4)
    assert g.updates_recent == 2  # the member's and the blocker's update, not the private one


def test_refresh_writes_a_snapshot_with_signals_and_rewrites_it_the_next_time(cast):
    c = cast.cohort
    settle_in(c)
    falling_attendance(c, [cast.host, cast.member, cast.newcomer])
    blocker(cast.member, c, 3)
    assert facts.refresh(facts.tracked_cohorts(cast.network.pk)) == 2
    snapshot = CohortHealth.objects.get(cohort=c)
    found = {s["code"]: s for s in snapshot.signals}
    assert {"attendance_falling", "blockers_unanswered", "no_updates"} <= set(found)
    assert "Mo Member" in found["blockers_unanswered"]["message"]
    assert snapshot.status == "drifting" and snapshot.open_blockers == 1
    assert snapshot.members == 3 and snapshot.network_id == cast.network.pk
    facts.refresh([c])
    assert CohortHealth.objects.filter(cohort=c).count() == 1


def test_the_networks_thresholds_are_used(cast):
    c = cast.cohort
    settle_in(c)
    blocker(cast.member, c, 3)
    HealthSettings.objects.create(network=cast.network, blocker_wait_hours=96)
    snapshot = facts.refresh_cohort(c)
    assert "blockers_unanswered" not in [s["code"] for s in snapshot.signals]


def test_people_who_left_and_cohorts_not_running_are_left_out(cast):
    c = cast.cohort
    settle_in(c)
    CohortMembership.objects.filter(cohort=c, user=cast.newcomer).update(
        left_on=timezone.localdate()
    )
    cast.other_cohort.status = CohortStatus.COMPLETED
    cast.other_cohort.save()
    assert facts.refresh(facts.tracked_cohorts()) == 1
    snapshot = CohortHealth.objects.get(cohort=c)
    assert snapshot.members == 2
    assert not CohortHealth.objects.filter(cohort=cast.other_cohort).exists()


def test_the_main_function_is_what_most_members_do(cast):
    for user, function in [(cast.host, "Engineering"), (cast.member, "engineering ")]:
        user.profile.function = function
        user.profile.save()
    cast.newcomer.profile.function = "Sales"
    cast.newcomer.profile.save()
    snapshot = facts.refresh_cohort(cast.cohort)
    assert snapshot.functions == ["Engineering", "Sales", "engineering"]
    # Two spellings of one function count apart; none reaches half, so no main function.
    cast.member.profile.function = "Engineering"
    cast.member.profile.save()
    assert facts.refresh_cohort(cast.cohort).main_function == "Engineering"


def test_refresh_stale_skips_fresh_snapshots(cast):
    facts.refresh(facts.tracked_cohorts())
    assert facts.refresh_stale(timedelta(hours=1)) == 0
    CohortHealth.objects.filter(cohort=cast.cohort).update(
        computed_at=timezone.now() - timedelta(hours=2)
    )
    assert facts.refresh_stale(timedelta(hours=1)) == 1


def _busy_cohorts(cast, n: int, tag: str) -> list[Cohort]:
    cohorts = []
    for i in range(n):
        c = Cohort.objects.create(
            network=cast.network,
            name=f"C{tag}{i}",
            slug=f"c{tag}{i}",
            objective="o",
            status="active",
        )
        people = [make_user(f"p{tag}{i}-{j}@northwind.test", f"P{tag}{i}-{j}") for j in range(3)]
        for p in people:
            CohortMembership.objects.create(cohort=c, user=p)
        falling_attendance(c, people)
        commitment(people[0], c, "missed", 3)
        blocker(people[1], c, 4)
        cohorts.append(c)
    return cohorts


def test_refresh_costs_the_same_queries_for_two_cohorts_or_six(cast):
    small = _busy_cohorts(cast, 2, "a")
    with CaptureQueriesContext(connection) as few:
        facts.refresh(small)
    Cohort.objects.filter(pk__in=[c.pk for c in small]).delete()
    large = _busy_cohorts(cast, 6, "b")
    with CaptureQueriesContext(connection) as many:
        facts.refresh(large)
    # 16, and the figures' look at their stored weekly counts (cadre.metrics.weekly).
    assert len(many) == len(few) <= 17
    assert CohortHealth.objects.filter(status="drifting").count() == 6
