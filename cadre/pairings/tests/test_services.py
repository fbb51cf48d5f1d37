"""The rules of follow-through, once: who answers a check, who keeps a relationship, the
mentor's first answer, a new partner, and re-matching."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.lib.rules import Refused
from cadre.networks.models import NetworkMembership, Role
from cadre.pairings import figures, policy, services
from cadre.pairings.models import Answer, Kind, MeetingCheck, MentorMeeting, Relationship
from cadre.schedule.models import MentorMatch
from cadre.testing import make_user

from .helpers import coffee_check, coffee_round, mentor_match


def test_only_the_person_asked_answers_their_check(cast):
    check = coffee_check(cast, cast.member)
    for other in (cast.other_cohort_member, cast.organizer, cast.outsider):
        with pytest.raises(Refused) as refused:
            services.answer_check(by=other, check=check, answer=Answer.MET)
        assert refused.value.kind == "forbidden"
    services.answer_check(by=cast.member, check=check, answer=Answer.MET, note="Good talk")
    check.refresh_from_db()
    assert (check.answer, check.note) == (Answer.MET, "Good talk")
    assert check.answered_at is not None


def test_an_unknown_answer_and_a_long_note_are_refused_and_nothing_is_saved(cast):
    check = coffee_check(cast, cast.member)
    with pytest.raises(Refused, match="Choose whether you met"):
        services.answer_check(by=cast.member, check=check, answer="maybe")
    with pytest.raises(Refused, match="280 characters"):
        services.answer_check(by=cast.member, check=check, answer=Answer.MET, note="x" * 281)
    check.refresh_from_db()
    assert check.answer == Answer.NOT_YET and check.answered_at is None


def test_the_figure_counts_a_group_once_when_anyone_of_it_met(cast):
    coffee = coffee_round(cast)
    a = coffee_check(cast, cast.member, coffee)
    b = coffee_check(cast, cast.other_cohort_member, coffee)
    c = coffee_check(cast, cast.host, coffee)
    services.answer_check(by=cast.member, check=a, answer=Answer.MET)
    services.answer_check(by=cast.other_cohort_member, check=b, answer=Answer.MET)
    services.answer_check(by=cast.host, check=c, answer=Answer.DID_NOT_MEET)
    found = figures.met(MeetingCheck.objects.all())
    assert (found.happened, found.asked, found.answered) == (1, 2, 2)
    assert str(found) == "1 of 2"
    assert figures.met_by_coffee_round([coffee.pk])[coffee.pk] == found


def test_the_figure_by_kind_of_pairing_is_each_kinds_figure_in_one_query(
    cast, django_assert_num_queries
):
    coffee = coffee_round(cast)
    services.answer_check(
        by=cast.member, check=coffee_check(cast, cast.member, coffee), answer=Answer.MET
    )
    coffee_check(cast, cast.host, coffee)
    match = mentor_match(cast)
    for user in (cast.mentor, cast.member):
        MeetingCheck.objects.create(
            kind=Kind.MENTORING, network=cast.network, mentor_match=match, user=user
        )
    checks = MeetingCheck.objects.all()
    with django_assert_num_queries(1):
        found = figures.met_by_kind(checks)
    assert found == {
        Kind.COFFEE: figures.met(checks.filter(kind=Kind.COFFEE)),
        Kind.MENTORING: figures.met(checks.filter(kind=Kind.MENTORING)),
    }  # nobody was asked about coaching
    assert (found[Kind.COFFEE].happened, found[Kind.MENTORING].asked) == (1, 1)


def test_a_new_partner_is_found_among_the_others_of_the_round_who_asked(cast):
    coffee = coffee_round(cast)
    mine = coffee_check(cast, cast.member, coffee)
    theirs = coffee_check(cast, cast.host, coffee)
    with pytest.raises(Refused, match="once you have said you did not meet"):
        services.ask_for_new_partner(by=cast.member, check=mine)
    services.answer_check(by=cast.member, check=mine, answer=Answer.DID_NOT_MEET)
    services.ask_for_new_partner(by=cast.member, check=mine)
    mine.refresh_from_db()
    assert mine.wants_new_partner and mine.repaired_with is None
    services.answer_check(by=cast.host, check=theirs, answer=Answer.DID_NOT_MEET)
    services.ask_for_new_partner(by=cast.host, check=theirs)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.repaired_with == cast.host and theirs.repaired_with == cast.member


def test_the_relationship_is_seen_by_the_pair_and_the_organizers_alone(cast):
    match = mentor_match(cast)
    for who in (cast.mentor, cast.member, cast.organizer, cast.admin):
        assert policy.can_view_relationship(who, match)
        assert services.relationship_of(who, cast.network, match=match.pk) == match
    for who in (cast.host, cast.other_cohort_member, cast.partner, cast.outsider):
        assert not policy.can_view_relationship(who, match)
        with pytest.raises(Refused) as refused:
            services.relationship_of(who, cast.network, match=match.pk)
        assert refused.value.kind == "not_found"
    with pytest.raises(Refused):
        services.relationship_of(cast.outsider, cast.other_network, match=match.pk)


def test_the_pair_keep_the_agreement_and_the_log_and_organizers_do_not(cast):
    match = mentor_match(cast)
    until = timezone.localdate() + timedelta(days=90)
    services.save_agreement(
        by=cast.member, match=match, what="On-call confidence", how_often="Fortnightly", until=until
    )
    services.log_meeting(by=cast.mentor, match=match, met_on=timezone.localdate(), notes="Intro")
    found = Relationship.objects.get(match=match)
    assert (found.what, found.how_often, found.until) == (
        "On-call confidence",
        "Fortnightly",
        until,
    )
    assert MentorMeeting.objects.get(match=match).notes == "Intro"
    for who in (cast.organizer, cast.host):
        with pytest.raises(Refused) as refused:
            services.log_meeting(by=who, match=match, met_on=timezone.localdate())
        assert refused.value.kind == "forbidden"


def test_a_meeting_cannot_be_logged_before_it_happens(cast):
    match = mentor_match(cast)
    with pytest.raises(Refused, match="once it has happened"):
        services.log_meeting(
            by=cast.mentor, match=match, met_on=timezone.localdate() + timedelta(days=1)
        )
    assert not MentorMeeting.objects.exists()


def test_a_mentor_silent_for_a_week_is_flagged_until_they_answer(cast):
    match = mentor_match(cast, days_ago=8)
    fresh = mentor_match_for_another(cast)
    assert services.unanswered_matches(cast.network) == [match]
    assert fresh not in services.unanswered_matches(cast.network)
    with pytest.raises(Refused, match="Only the mentor answers"):
        services.acknowledge(by=cast.member, match=match)
    services.acknowledge(by=cast.mentor, match=match)
    assert services.unanswered_matches(cast.network) == []


def mentor_match_for_another(cast):
    return MentorMatch.objects.create(
        network=cast.network, mentor=cast.mentor, newcomer=cast.host, confirmed_by=cast.organizer
    )


def test_organizers_rematch_in_one_step_with_the_engines_next_best_mentor(cast):
    match = mentor_match(cast, days_ago=8)
    second = make_user("max@northwind.test", "Max Mentor")
    NetworkMembership.objects.create(network=cast.network, user=second, role=Role.MENTOR)
    with pytest.raises(Refused) as refused:
        services.rematch(by=cast.mentor, match=match)
    assert refused.value.kind == "forbidden"
    new = services.rematch(by=cast.organizer, match=match)
    match.refresh_from_db()
    assert match.ended_at is not None
    assert (new.mentor, new.newcomer) == (second, cast.member)
    assert MentorMatch.objects.current().filter(newcomer=cast.member).count() == 1


def test_a_rematch_that_finds_no_mentor_changes_nothing(cast):
    match = mentor_match(cast)
    with pytest.raises(Refused, match="No other mentor has a free place"):
        services.rematch(by=cast.organizer, match=match)
    match.refresh_from_db()
    assert match.ended_at is None


def test_a_mentee_who_did_not_meet_joins_the_rematch_queue(cast):
    match = mentor_match(cast)
    check = MeetingCheck.objects.create(
        kind="mentoring", network=cast.network, mentor_match=match, user=cast.member
    )
    services.answer_check(by=cast.member, check=check, answer=Answer.DID_NOT_MEET)
    services.ask_for_new_partner(by=cast.member, check=check)
    assert services.rematch_queue(cast.network) == [match]
