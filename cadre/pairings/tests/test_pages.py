"""The pages and the API of follow-through, tried by the people who may and may not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.pairings import services
from cadre.pairings.models import Answer, MeetingCheck, MentorMeeting, Relationship
from cadre.testing_parity import api_as, call_api

from .helpers import coffee_check, coffee_round, mentor_match

API = "/api/v1/networks/northwind"


def relationship_url(cast, match, name="relationship"):
    return reverse(f"mentoring:{name}", args=[cast.network.slug, match.pk])


def test_the_relationship_page_opens_to_the_pair_and_the_organizers(cast, client_for):
    match = mentor_match(cast)
    Relationship.objects.create(match=match, what="Runbooks that work")
    for who in (cast.mentor, cast.member, cast.organizer, cast.admin):
        page = client_for(who).get(relationship_url(cast, match))
        assert page.status_code == 200, who
        assert "Runbooks that work" in page.content.decode()
        assert "Mei Mentor mentors Mo Member · Mentoring" not in page.content.decode()
    for who in (cast.host, cast.other_cohort_member, cast.partner, cast.outsider):
        assert client_for(who).get(relationship_url(cast, match)).status_code == 404, who
    anonymous = client_for(None).get(relationship_url(cast, match))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_relationship_api_answers_the_same_people(cast):
    match = mentor_match(cast)
    for who in (cast.mentor, cast.member, cast.organizer):
        found = api_as(who).get(f"{API}/mentoring/{match.pk}")
        assert found.status_code == 200
        assert found.json()["newcomer"]["name"] == "Mo Member"
    for who in (cast.host, cast.partner, cast.outsider):
        assert api_as(who).get(f"{API}/mentoring/{match.pk}").status_code == 404


def test_a_mentor_logs_a_meeting_on_the_page_and_the_organizers_cannot(cast, client_for):
    match = mentor_match(cast)
    day = timezone.localdate().isoformat()
    done = client_for(cast.mentor).post(
        relationship_url(cast, match, "meeting"), {"met_on": day, "notes": "Walked the runbook"}
    )
    assert done.status_code == 302
    assert MentorMeeting.objects.get().notes == "Walked the runbook"
    assert Relationship.objects.get(match=match).acknowledged_at is not None
    page = client_for(cast.organizer).get(relationship_url(cast, match))
    assert "Walked the runbook" in page.content.decode()
    assert "Add to the log" not in page.content.decode()
    refused = client_for(cast.organizer).post(
        relationship_url(cast, match, "meeting"), {"met_on": day}
    )
    assert refused.status_code == 403
    assert MentorMeeting.objects.count() == 1


def test_a_bad_agreement_says_what_is_wrong_on_the_form(cast, client_for):
    match = mentor_match(cast)
    before = (match.created_at - timedelta(days=3)).date().isoformat()
    page = client_for(cast.member).post(
        relationship_url(cast, match, "agreement"), {"what": "x", "until": before}
    )
    assert page.status_code == 422
    assert "The agreement cannot end before the match began." in page.content.decode()
    assert not Relationship.objects.exists()


def test_the_checks_page_prompts_and_answers(cast, client_for):
    check = coffee_check(cast, cast.member)
    page = client_for(cast.member).get(reverse("pairings:checks", args=["northwind"]))
    assert "Did you meet?" in page.content.decode() and "Oscar Othercohort" in page.content.decode()
    client_for(cast.member).post(
        reverse("pairings:answer", args=["northwind", check.pk]), {"answer": "did_not_meet"}
    )
    check.refresh_from_db()
    assert check.answer == Answer.DID_NOT_MEET
    client_for(cast.member).post(reverse("pairings:new_partner", args=["northwind", check.pk]))
    check.refresh_from_db()
    assert check.wants_new_partner


def test_nobody_else_answers_a_check_on_the_page_or_the_api(cast, client_for):
    check = coffee_check(cast, cast.member)
    for who in (cast.other_cohort_member, cast.organizer):
        answer = reverse("pairings:answer", args=["northwind", check.pk])
        assert client_for(who).post(answer, {"answer": "met"}).status_code == 404
        api = api_as(who).post(f"{API}/meeting-checks/{check.pk}/answer", {"answer": "met"})
        assert api.status_code == 404
    outsider = api_as(cast.outsider).post(
        f"{API}/meeting-checks/{check.pk}/answer", {"answer": "met"}
    )
    assert outsider.status_code == 404
    anonymous = client_for(None).post(
        reverse("pairings:answer", args=["northwind", check.pk]), {"answer": "met"}
    )
    assert anonymous.status_code == 302
    check.refresh_from_db()
    assert check.answer == Answer.NOT_YET


def test_the_ritual_page_shows_how_many_groups_met_to_organizers(cast, client_for):
    coffee = coffee_round(cast)
    check = coffee_check(cast, cast.member, coffee)
    coffee_check(cast, cast.host, coffee)
    services.answer_check(by=cast.member, check=check, answer=Answer.MET)
    url = coffee.ritual.get_absolute_url()
    assert "1 of 2 groups met" in client_for(cast.organizer).get(url).content.decode()
    mine = client_for(cast.host).get(url).content.decode()
    assert "groups met" not in mine
    assert "Did you meet?" in mine  # the host's own check waits for an answer


def test_the_mentors_page_flags_a_silent_mentor_and_counts_matches_that_met(cast, client_for):
    match = mentor_match(cast, days_ago=8)
    check = MeetingCheck.objects.create(
        kind="mentoring", network=cast.network, mentor_match=match, user=cast.member
    )
    services.answer_check(by=cast.member, check=check, answer=Answer.MET)
    page = client_for(cast.organizer).get(reverse("mentors:list", args=["northwind"]))
    text = page.content.decode()
    assert "Mei Mentor has not answered Mo Member" in text
    assert "1 of 1 match</strong> met" in text
    health = client_for(cast.organizer).get(reverse("health:network", args=["northwind"]))
    assert "Meetings that happened" in health.content.decode()
    assert "not answered a new mentee within a week" in health.content.decode()


def test_the_metrics_count_meetings_that_happened_for_the_cohort(cast):
    from cadre.metrics.builtins import BUILTINS, week_range

    coffee = coffee_round(cast)
    check = coffee_check(cast, cast.member, coffee)
    coffee_check(cast, cast.other_cohort_member, coffee)  # asked, not answered yet
    services.answer_check(by=cast.member, check=check, answer=Answer.MET)
    series = BUILTINS["meetings"](cast.cohort, week_range())
    assert series.name == "Meetings that happened" and series.latest == 1.0
    assert BUILTINS["meetings"](cast.other_cohort, week_range()).latest == 1.0  # Oscar's coffee
    assert BUILTINS["meetings"](cast.cohort, week_range()).latest == 1.0


@pytest.mark.parametrize("who", ["mentor", "member"])
def test_either_of_the_pair_sets_the_agreement_through_the_api(cast, who):
    match = mentor_match(cast)
    done = call_api(
        getattr(cast, who),
        "put",
        f"/networks/northwind/mentoring/{match.pk}/agreement",
        {"what": "Game days", "how_often": "Monthly", "until": None},
    )
    assert done.status_code == 200
    assert Relationship.objects.get(match=match).what == "Game days"


def test_the_relationship_page_asks_the_viewer_their_own_check(cast, client_for):
    match = mentor_match(cast)
    MeetingCheck.objects.create(
        kind="mentoring", network=cast.network, mentor_match=match, user=cast.member
    )
    mine = client_for(cast.member).get(relationship_url(cast, match)).content.decode()
    assert "Did you meet?" in mine
    theirs = client_for(cast.mentor).get(relationship_url(cast, match)).content.decode()
    assert "Did you meet?" not in theirs


def test_the_network_home_asks_did_you_meet_while_an_answer_waits(cast, client_for) -> None:
    check = coffee_check(cast, cast.member)
    home = reverse("networks:home", args=[cast.network.slug])
    html = client_for(cast.member).get(home).content.decode()
    assert "Did you meet?" in html and "1 pairing is waiting for your answer" in html
    assert reverse("pairings:checks", args=[cast.network.slug]) in html
    # Someone with nothing to answer is not asked.
    assert "Did you meet?" not in client_for(cast.host).get(home).content.decode()
    # Once answered, the question goes.
    check.answer = Answer.MET
    check.save()
    assert "Did you meet?" not in client_for(cast.member).get(home).content.decode()
