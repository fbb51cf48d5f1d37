"""gather(): the numbers, worked out by hand from the story in conftest.py, and what must
stay out of them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.impact.report import gather
from cadre.metrics.models import Metric

from .story import grow


def test_what_the_cohort_set_out_to_do_comes_from_the_cohort_and_its_current_charter(cast, story):
    cast.cohort.add_charter_version(
        created_by=cast.host,
        based_on=1,
        mission="Recover in minutes, not hours.",
        weekly_hours=3,
        learning_formats=["case"],
        next_review_on=story.today,
    )
    purpose = gather(cast.cohort, viewer=cast.host).purpose
    assert purpose.objective == "Cut incident recovery time by sharing what works."
    assert purpose.outcomes == [
        "Median recovery under 30 minutes",
        "Every member runs one game day",
    ]
    assert purpose.charter_version == 2
    assert purpose.mission == "Recover in minutes, not hours."
    assert purpose.weekly_hours == 3
    assert purpose.learning_formats == ["Case discussion"]


def test_members_are_the_active_roster_with_hosts_first(cast, story):
    members = gather(cast.cohort, viewer=cast.host).members
    names = [p.name for p in members]
    assert members[0].name == "Hana Host" and members[0].role == "Host"
    assert set(names) == {"Hana Host", "Mo Member", "Nia Newcomer", "Łukasz Nowak", "Zoë Ng"}
    assert "Lee Leaver" not in names


def test_sessions_count_only_past_sessions_that_were_held(cast, story):
    sessions = gather(cast.cohort, viewer=cast.host).sessions
    assert sessions.held == 3
    assert sessions.hours == 3.0
    # 9 marks on the held sessions: 7 present, 1 absent, 1 excused (counted in neither part);
    # the cancelled and the future one not counted.
    assert (sessions.present, sessions.attendance_recorded) == (7, 8)
    assert sessions.attendance_rate == 87.5
    assert sessions.attendance.label == "Attendance, since the start"


def test_commitments_count_only_what_the_cohort_sees(cast, story):
    c = gather(cast.cohort, viewer=cast.member).commitments
    assert (c.made, c.done, c.missed, c.open, c.overdue, c.dropped) == (7, 3, 1, 2, 1, 1)
    # Due by today (dropped left out): done on time, done late, missed, open and overdue.
    assert c.with_due_date == 4
    assert (c.follow_through.part, c.follow_through.whole, c.follow_through.value) == (2, 4, 50)
    assert (c.done_on_time, c.on_time_rate) == (1, 25.0)


def test_experiments_list_concluded_cohort_ones_with_their_learnings(cast, story):
    e = gather(cast.cohort, viewer=cast.member).experiments
    assert (e.run, e.running, e.succeeded, e.failed, e.inconclusive) == (3, 1, 1, 1, 0)
    assert e.concluded_count == 2
    assert [x.title for x in e.concluded] == ["Game day drills", "Pager rotation swap"]
    drills = e.concluded[0]
    assert (drills.outcome, drills.owner, drills.learnings) == (
        "Succeeded",
        "Łukasz Nowak",
        "Runbooks beat memory.",
    )


def test_private_experiments_stay_out_even_for_their_owner(cast, story):
    report = gather(cast.cohort, viewer=cast.member)  # the member owns the private one
    assert "Secret side project" not in [x.title for x in report.experiments.concluded]
    assert "Private insight." not in str(report)
    assert "Secret side project" not in str(report) and "Secret goal" not in str(report)


def test_help_counts_blockers_and_offers_the_cohort_sees(cast, story):
    h = gather(cast.cohort, viewer=cast.host).help
    assert (h.blockers_raised, h.blockers_resolved) == (2, 1)
    assert (h.offers_made, h.offers_accepted, h.helpers) == (3, 1, 2)


def test_coaching_is_counted_and_never_described(cast, story):
    report = gather(cast.cohort, viewer=cast.host)
    assert (report.coaching.sessions, report.coaching.people_coached) == (2, 2)
    assert "Confidential" not in str(report) and "Hush" not in str(report)


def test_case_studies_are_this_cohorts_with_their_reuse(cast, story):
    report = gather(cast.cohort, viewer=cast.host)
    assert [(c.title, c.reuse_count) for c in report.case_studies] == [
        ("Game day playbook", 3),
        ("Pager swap lessons", 1),
    ]
    assert report.total_reuses == 4
    assert report.case_studies[0].url.startswith("/n/northwind/library/")


def test_case_studies_a_viewer_may_not_open_are_left_out(cast, story):
    # A partner who is in the cohort sees its board but not the network's library items.
    from cadre.cohorts.models import CohortMembership

    CohortMembership.objects.create(cohort=cast.cohort, user=cast.partner)
    assert gather(cast.cohort, viewer=cast.partner).case_studies == []


def test_metrics_run_from_baseline_or_first_observation_to_the_latest(cast, story):
    metrics = {m.name: m for m in gather(cast.cohort, viewer=cast.host).metrics}
    assert list(metrics) == ["Adoption", "Recovery time", "Stakeholder satisfaction"]

    recovery = metrics["Recovery time"]
    assert (recovery.start, recovery.start_source) == (Decimal(50), "baseline")
    assert recovery.latest == Decimal(32) and recovery.latest_on == story.today - timedelta(3)
    assert recovery.change == Decimal(-18)
    assert recovery.verdict == "better"  # lower is better
    assert recovery.meets_target is False  # 32 > 30
    assert [float(v) for _, v in recovery.weekly][-1] == 32.0

    satisfaction = metrics["Stakeholder satisfaction"]
    assert (satisfaction.start, satisfaction.start_source) == (Decimal(7), "first observation")
    assert satisfaction.start_on == story.today - timedelta(20)
    assert satisfaction.latest == Decimal(6)
    assert satisfaction.verdict == "worse"

    adoption = metrics["Adoption"]
    assert (adoption.start, adoption.latest, adoption.verdict) == (None, None, "")
    assert adoption.meets_target is None


def test_a_metric_reaching_its_target_says_so(cast, story):
    metric = Metric.objects.get(name="Recovery time")
    metric.observations.create(value=Decimal(28), observed_on=story.today)
    recovery = next(
        m for m in gather(cast.cohort, viewer=cast.host).metrics if m.name == metric.name
    )
    assert recovery.meets_target is True and recovery.verdict == "better"


def test_skill_growth_compares_first_and_latest_round_self_assessments(cast, story):
    growth = gather(cast.cohort, viewer=cast.host).skills
    assert (growth.first_round, growth.latest_round) == ("1. Start", "3. End")
    skills = {s.skill: s for s in growth.skills}
    facilitation = skills["Facilitation"]
    # Round 1: 1, 2, 1 (the leaver's 4 and the middle round left out); round 3: 3, 3, 2.
    assert (facilitation.first, facilitation.first_answers) == (1.3, 3)
    assert (facilitation.latest, facilitation.latest_answers) == (2.7, 3)
    assert facilitation.change == 1.4
    analysis = skills["Data analysis"]
    # One answer in round 1 is too few to show anyone's average.
    assert (analysis.first, analysis.first_answers) == (None, 1)
    assert (analysis.latest, analysis.latest_answers) == (2.5, 2)
    assert analysis.change is None


def test_a_cohort_with_nothing_yet_gives_an_empty_report(cast):
    report = gather(cast.other_cohort, viewer=cast.admin)
    assert report.sessions.held == 0 and report.sessions.attendance_rate is None
    assert report.commitments.made == 0 and report.commitments.on_time_rate is None
    assert report.experiments.concluded == [] and report.case_studies == []
    assert report.metrics == [] and report.skills.skills == []
    assert report.skills.first_round == ""


def _queries(cast) -> int:
    with CaptureQueriesContext(connection) as ctx:
        gather(cast.cohort, viewer=cast.host)
    return len(ctx.captured_queries)


def test_gather_costs_the_same_queries_at_two_data_sizes(cast, story):
    from cadre.networks.policy import forget

    small = _queries(cast)
    grow(cast, 2)
    forget(cast.host)
    assert _queries(cast) == small
    assert small <= 25
    report = gather(cast.cohort, viewer=cast.host)
    assert report.commitments.made == 21 and len(report.experiments.concluded) == 6
    assert len(report.case_studies) == 6 and len(report.metrics) == 9
