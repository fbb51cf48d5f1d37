"""Coaching rules on the models and services: who coaches in a round, prompt rotation, the
feedback check's input, visibility and the reciprocity counts."""

import pytest

from cadre.coaching.models import (
    DEFAULT_PROMPTS,
    CoachingSession,
    CoachPrompt,
    FeedbackVisibility,
    PromptStage,
    choose_prompts,
    compose_feedback,
    reciprocity,
)
from cadre.coaching.services import check, open_session, set_visibility, share_choices
from cadre.lib.rules import Refused
from cadre.schedule.models import MentorMatch
from cadre.schedule.tests.helpers import add_members

from .helpers import GOOD, PERSONAL, feedback, rotation, session


def test_a_network_gets_the_default_bank_once(cast):
    CoachPrompt.objects.ensure_defaults(cast.network)
    CoachPrompt.objects.ensure_defaults(cast.network)
    bank = CoachPrompt.objects.filter(network=cast.network)
    assert bank.count() == len(DEFAULT_PROMPTS) >= 15
    assert {p.stage for p in bank} == set(PromptStage.values)
    assert not CoachPrompt.objects.filter(network=cast.other_network).exists()


def test_a_bank_with_every_prompt_retired_is_not_reseeded(cast):
    CoachPrompt.objects.ensure_defaults(cast.network)
    CoachPrompt.objects.update(active=False)
    CoachPrompt.objects.ensure_defaults(cast.network)
    assert CoachPrompt.objects.count() == len(DEFAULT_PROMPTS)
    assert not CoachPrompt.objects.active().exists()


def test_consecutive_sessions_of_the_same_people_rotate_through_the_bank(cast):
    first = session(cast.cohort, cast.member, cast.host)
    second = session(cast.cohort, cast.member, cast.host)
    assert (first.sequence, second.sequence) == (0, 1)
    texts = [{p["text"] for p in s.prompts} for s in (first, second)]
    assert texts[0] and texts[1] and not texts[0] & texts[1]
    # A different pair starts at the beginning of the bank.
    third = session(cast.cohort, cast.host, cast.member)
    assert third.sequence == 0 and third.prompts == first.prompts


def test_choose_prompts_wraps_round_and_skips_retired_ones(cast):
    bank = [
        CoachPrompt(pk=i, network=cast.network, text=f"q{i}", stage="opening", position=i)
        for i in range(3)
    ]
    bank.append(CoachPrompt(pk=9, network=cast.network, text="old", stage="opening", active=False))
    assert [p["text"] for p in choose_prompts(bank, 0)] == ["q0", "q1"]
    assert [p["text"] for p in choose_prompts(bank, 1)] == ["q2", "q0"]
    assert [p["text"] for p in choose_prompts(bank, 2)] == ["q1", "q2"]
    assert choose_prompts([], 5) == []


def test_editing_the_bank_leaves_past_sessions_alone(cast):
    s = session(cast.cohort, cast.member, cast.host)
    before = list(s.prompts)
    CoachPrompt.objects.update(text="Changed")
    s.refresh_from_db()
    assert s.prompts == before


def test_in_a_running_round_the_seat_decides_the_coach_and_observer(cast):
    (extra,) = add_members(cast.cohort, 1)
    rotation(cast.cohort, {"coachee": cast.member, "coach": cast.host, "observer": extra})
    s = open_session(cast.member, cast.cohort, focus="Saying no", help_wanted="ideas")
    assert (s.coach, s.observer, s.group.round.number) == (cast.host, extra, 1)
    assert s.role_of(extra) == "observer" and s.role_of(cast.organizer) is None
    with pytest.raises(Refused) as exc:
        open_session(cast.host, cast.cohort, focus="x", help_wanted="ideas")
    assert exc.value.field == "coach"


def test_a_round_not_started_yet_leaves_sessions_ad_hoc(cast):
    rotation(cast.cohort, {"coachee": cast.host, "coach": cast.member}, starts_in=3)
    s = session(cast.cohort, cast.member, cast.host)
    assert s.group is None and s.coach == cast.host


def test_an_ad_hoc_coach_must_be_another_active_member(cast):
    for coach in (cast.member, cast.other_cohort_member, None):
        with pytest.raises(Refused) as exc:
            open_session(
                cast.member,
                cast.cohort,
                focus="x",
                help_wanted="ideas",
                coach_id=coach.pk if coach else None,
            )
        assert exc.value.field == "coach"
    with pytest.raises(Refused) as exc:
        session(cast.cohort, cast.member, cast.host, focus="  ")
    assert exc.value.field == "focus"
    assert not CoachingSession.objects.exists()


def test_the_four_parts_are_checked_as_one_feedback_text():
    assert compose_feedback("In the retro.", "you sent the notes", "", "") == (
        "In the retro, you sent the notes."
    )
    assert check(**GOOD).ok
    result = check(**PERSONAL)
    assert {p.code for p in result.problems} >= {"about_the_person", "generalization"}
    assert result.missing == ("behaviour", "impact")


def test_the_rewrite_comes_back_as_the_four_fields_and_composes_to_itself():
    result = check(
        "", "On Friday you deployed the hotfix without telling on-call", "", "Please tell them"
    )
    assert result.parts.as_dict() == {
        "situation": "On Friday",
        "behaviour": "you deployed the hotfix without telling on-call",
        "impact": "",
        "suggestion": "Please tell them",
    }
    assert result.missing == ("impact",)
    assert compose_feedback(**result.parts.as_dict()) == result.suggestion
    filled = {**result.parts.as_dict(), "impact": "so nobody knew to watch the error rate"}
    assert check(**filled).ok


def test_only_named_people_of_the_cohort_or_mentors_can_be_shared_with(cast):
    item = feedback(cast.cohort, cast.host, cast.member)
    MentorMatch.objects.create(network=cast.network, mentor=cast.mentor, newcomer=cast.member)
    choices = set(share_choices(item))
    assert cast.mentor in choices and cast.newcomer in choices
    assert not choices & {cast.host, cast.member, cast.organizer, cast.other_cohort_member}
    member = cast.member
    with pytest.raises(Refused):
        set_visibility(
            member, item, visibility=FeedbackVisibility.SHARED, shared_with=[cast.organizer.pk]
        )
    with pytest.raises(Refused):
        set_visibility(member, item, visibility=FeedbackVisibility.SHARED, shared_with=[])
    with pytest.raises(Refused) as exc:
        set_visibility(cast.host, item, visibility=FeedbackVisibility.COHORT)
    assert exc.value.kind == "forbidden"
    set_visibility(member, item, visibility=FeedbackVisibility.SHARED, shared_with=[cast.mentor.pk])
    item.refresh_from_db()
    assert item.visibility == "shared" and list(item.shared_with.all()) == [cast.mentor]
    set_visibility(member, item, visibility=FeedbackVisibility.COHORT, shared_with=[cast.mentor.pk])
    assert item.shared_with.count() == 0


def test_reciprocity_counts_roles_and_flags_one_sided_pairs(cast):
    (extra,) = add_members(cast.cohort, 1)
    session(cast.cohort, cast.member, cast.host)
    session(cast.cohort, cast.member, cast.host)
    session(cast.cohort, extra, cast.member)
    CoachingSession.objects.filter(coachee=extra).update(observer=cast.host)
    r = reciprocity(cast.cohort)
    assert r.sessions == 3
    assert r.counts[cast.host.pk] == {"coach": 2, "coachee": 0, "observer": 1, "one_sided": True}
    assert r.counts[cast.member.pk]["coach"] == 1 and r.counts[cast.member.pk]["coachee"] == 2
    assert r.counts[cast.member.pk]["one_sided"] is False
    assert r.counts[cast.newcomer.pk]["coach"] == 0  # active members with no session count too
    assert [(c, e, n, b) for c, e, n, b in r.one_sided_pairs()] == [(cast.host, cast.member, 2, 0)]
