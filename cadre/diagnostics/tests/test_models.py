"""Targets, rounds and assessments, and what the analysis makes of them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cadre.diagnostics.analysis import CohortData
from cadre.diagnostics.models import Assessment, AssessmentRound, TargetSkill
from cadre.networks.models import NetworkMembership, Skill
from cadre.people.models import ProfileSkill
from cadre.schedule.models import MentorSettings

from .helpers import assess, open_round, set_targets


def test_a_level_outside_0_to_4_is_refused_by_the_database(cast):
    set_targets(cast, facilitation=3)
    r = open_round(cast.cohort)
    with pytest.raises(IntegrityError), transaction.atomic():
        assess(r, "facilitation", cast.member, 5)
    assert not Assessment.objects.exists()


def test_one_assessment_per_round_skill_subject_and_assessor(cast):
    set_targets(cast, facilitation=3)
    r = open_round(cast.cohort)
    assess(r, "facilitation", cast.member, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        assess(r, "facilitation", cast.member, 3)
    assess(r, "facilitation", cast.member, 3, assessor=cast.host)  # a peer's is another row
    assert Assessment.objects.count() == 2
    assert Assessment.objects.self_assessments().count() == 1
    assert Assessment.objects.peer_assessments().count() == 1


def test_a_target_must_be_a_skill_of_the_cohorts_network(cast):
    welding = Skill.objects.get(network=cast.other_network)
    target = TargetSkill(cohort=cast.cohort, skill=welding, target_level=3)
    with pytest.raises(ValidationError) as exc:
        target.full_clean()
    assert "skill" in exc.value.message_dict


def test_an_assessment_must_be_of_a_target_skill(cast):
    set_targets(cast, facilitation=3)
    r = open_round(cast.cohort)
    other = cast.network.skills.get(slug="data-analysis")
    a = Assessment(round=r, skill=other, subject=cast.member, assessor=cast.member, level=2)
    with pytest.raises(ValidationError) as exc:
        a.full_clean()
    assert exc.value.message_dict["skill"] == ["Choose one of this cohort’s target skills."]


def test_rounds_are_numbered_in_order_and_the_latest_open_one_is_current(cast):
    first = open_round(cast.cohort, "Start", days_ago=30)
    second = open_round(cast.cohort, "Midpoint", days_ago=1)
    # A year on, counted in days: replace(year=...) has no 29 February the year after.
    later = AssessmentRound.open_next(
        cast.cohort, label="End", opens_on=second.opens_on + timedelta(days=365)
    )
    assert [first.number, second.number, later.number] == [1, 2, 3]
    assert first.is_baseline and not second.is_baseline
    assert AssessmentRound.objects.filter(cohort=cast.cohort).current() == second
    assert second.is_current() and not first.is_current() and not later.is_current()


def test_the_gap_map_uses_the_latest_self_level_and_a_peer_mean_of_two_or_more(cast):
    set_targets(cast, facilitation=3, data_analysis=4)
    start = open_round(cast.cohort, "Start", days_ago=20, peers=True)
    mid = open_round(cast.cohort, "Midpoint", days_ago=1, peers=True)
    assess(start, "facilitation", cast.member, 1)
    assess(mid, "facilitation", cast.member, 2)
    assess(start, "data-analysis", cast.member, 0)
    assess(mid, "facilitation", cast.member, 3, assessor=cast.host)
    data = CohortData.load(cast.cohort)
    row = next(r for r in data.rows() if r.user == cast.member)
    da, fac = row.cells  # in skill name order
    assert [c.target.skill.slug for c in row.cells] == ["data-analysis", "facilitation"]
    assert (fac.level, fac.round_number, fac.gap, fac.needs) == (2, 2, 1, False)
    assert fac.peer_mean is None and fac.peer_count == 1  # one peer: no mean shown
    assert (da.level, da.gap, da.needs, da.status) == (0, 4, True, "4 to go")
    assess(mid, "facilitation", cast.member, 4, assessor=cast.newcomer)
    fac = next(r for r in CohortData.load(cast.cohort).rows() if r.user == cast.member).cells[1]
    assert fac.peer_mean == 3.5 and fac.peer_count == 2


def test_growth_and_cohort_averages_per_round(cast):
    set_targets(cast, facilitation=3)
    start = open_round(cast.cohort, "Start", days_ago=20)
    mid = open_round(cast.cohort, "Midpoint", days_ago=1)
    assess(start, "facilitation", cast.member, 1)
    assess(start, "facilitation", cast.host, 2)
    assess(mid, "facilitation", cast.member, 3)
    data = CohortData.load(cast.cohort)
    assert data.growth_of(cast.member.pk)[0].values == [1, 3]
    series = data.cohort_growth()[0]
    assert series.values == [1.5, 3] and series.counts == [2, 1]


def test_observers_and_people_who_left_are_not_on_the_gap_map(cast):
    from datetime import date

    from cadre.cohorts.models import CohortMembership

    m = CohortMembership.objects.get(cohort=cast.cohort, user=cast.newcomer)
    m.left_on = date.today()
    m.save()
    CohortMembership.objects.create(cohort=cast.cohort, user=cast.mentor, role="observer")
    users = [r.user for r in CohortData.load(cast.cohort).rows()]
    assert users == [cast.host, cast.member]


def test_suggestions_pair_peers_first_then_mentors_within_capacity(cast):
    set_targets(cast, facilitation=3, data_analysis=3)
    r = open_round(cast.cohort)
    assess(r, "facilitation", cast.member, 0)
    assess(r, "facilitation", cast.host, 4)
    assess(r, "data-analysis", cast.member, 1)
    assess(r, "data-analysis", cast.host, 1)
    data_analysis = cast.network.skills.get(slug="data-analysis")
    ProfileSkill.objects.create(profile=cast.mentor.profile, skill=data_analysis, level=4)
    data = CohortData.load(cast.cohort)
    result = data.suggestions(data.rows())
    assert [(p["learner"], p["teacher"], p["target"].skill.slug) for p in result.peer] == [
        (cast.member, cast.host, "facilitation")
    ]
    mentored = {(m["learner"], m["mentor"]) for m in result.mentors}
    assert mentored == {(cast.member, cast.mentor), (cast.host, cast.mentor)}
    assert result.involving(cast.host.pk).peer and result.involving(cast.host.pk).mentors
    membership = NetworkMembership.objects.get(network=cast.network, user=cast.mentor)
    MentorSettings.objects.create(membership=membership, capacity=1, accepting=True)
    data = CohortData.load(cast.cohort)
    assert len(data.suggestions(data.rows()).mentors) == 1
    MentorSettings.objects.filter(membership=membership).update(accepting=False)
    data = CohortData.load(cast.cohort)
    assert data.suggestions(data.rows()).mentors == []


def test_the_round_open_now_is_the_same_read_from_loaded_rounds_as_from_the_database(cast):
    from django.utils import timezone

    from cadre.diagnostics import services
    from cadre.diagnostics.models import current_among
    from cadre.lib.rules import Refused

    def both() -> tuple[object, object]:
        rounds = list(AssessmentRound.objects.filter(cohort=cast.cohort))
        return AssessmentRound.objects.filter(cohort=cast.cohort).current(), current_among(rounds)

    assert both() == (None, None)
    with pytest.raises(Refused) as among:
        services.open_round_among([], [])
    with pytest.raises(Refused) as queried:
        services.open_round_for_assessing(cast.cohort)
    assert among.value.message == queried.value.message
    targets = set_targets(cast, facilitation=3)
    start = open_round(cast.cohort, "Start", days_ago=20)
    assert both() == (start, start)
    later = open_round(cast.cohort, "Midpoint", days_ago=-3)  # opens in three days
    assert both() == (start, start)
    assert current_among([start, later], timezone.localdate() + timedelta(days=3)) == later
    found = services.open_round_among(targets, [start, later])
    assert (found.round, found.targets) == (start, targets)
    assert services.open_round_for_assessing(cast.cohort).round == start
