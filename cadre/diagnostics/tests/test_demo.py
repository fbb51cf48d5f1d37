"""The demo's diagnostics, built on the test cast's network."""

from cadre.demo.builder import Builder
from cadre.demo.diagnostics import DiagnosticsBuilder
from cadre.diagnostics.analysis import CohortData
from cadre.diagnostics.models import Assessment, AssessmentRound, TargetSkill


def test_every_active_cohort_gets_targets_two_rounds_growth_and_peer_means(cast):
    for name in ["Writing", "Interviewing"]:
        cast.network.skills.create(name=name, category="Core")
    rows = DiagnosticsBuilder(Builder(0, 7, lambda message: None)).build(cast.network)
    assert rows == TargetSkill.objects.count() + AssessmentRound.objects.count() + (
        Assessment.objects.count()
    )
    for cohort in (cast.cohort, cast.other_cohort):
        data = CohortData.load(cohort)
        assert 3 <= len(data.targets) <= 4
        assert [r.label for r in data.rounds] == ["Start", "Midpoint"]
        assert data.rounds[1].is_current() and data.rounds[1].peer_assessments_enabled
        learners = [m.user_id for m in data.members]
        start_answers = {s for (n, _, s) in data.self_levels if n == 1}
        assert start_answers == set(learners)  # everyone has a baseline
    series = CohortData.load(cast.cohort).cohort_growth()
    assert any(s.values[1] is not None and s.values[1] >= s.values[0] for s in series)
    peers = Assessment.objects.peer_assessments().filter(round__cohort=cast.cohort)
    assert peers.exists()
    assert all(
        peers.filter(subject=p.subject, skill=p.skill).count() == 2 for p in peers
    )  # two each, so the means show
