"""The demo's coaching data, built on the test cast."""

from cadre.coaching.models import CoachingSession, CoachPrompt, Feedback
from cadre.demo.builder import Builder
from cadre.demo.coaching import CoachingBuilder

from .helpers import rotation


def test_each_active_cohort_gets_sessions_a_commitment_and_feedback(cast):
    rotation(cast.cohort, {"coachee": cast.member, "coach": cast.host})
    rows = CoachingBuilder(Builder(10, 1, lambda message: None)).build(cast.network)
    assert rows > 0 and CoachPrompt.objects.filter(network=cast.network).count() == 15
    running = CoachingSession.objects.get(cohort=cast.cohort)
    assert (running.coachee, running.coach) == (cast.member, cast.host)
    assert running.commitment.owner == cast.member and running.prompts
    feedback = Feedback.objects.filter(cohort=cast.cohort)
    assert feedback.count() >= 1 and all(f.giver != f.receiver for f in feedback)
    # The other cohort has one active member: too few to coach, so nothing is made there.
    assert not CoachingSession.objects.filter(cohort=cast.other_cohort).exists()
    kept = Feedback.objects.filter(kept_anyway=True)
    assert all(f.problems for f in kept)
