"""Mentor matching: organizers see proposals within mentors' capacities and confirm them;
mentors see their mentees, members their mentor."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.networks.models import NetworkMembership, Role, Skill
from cadre.people.models import ProfileSkill
from cadre.schedule import mentoring
from cadre.schedule.models import MentorMatch, MentorSettings
from cadre.testing import make_user, run_worker


def mentors_url(name, *extra, network="northwind"):
    return reverse(f"mentors:{name}", args=[network, *extra])


def rate(user, **levels):
    for slug, level in levels.items():
        skill = Skill.objects.get(network__slug="northwind", slug=slug)
        ProfileSkill.objects.update_or_create(
            profile=user.profile, skill=skill, defaults={"level": level}
        )


def add_mentor(cast, name, **levels):
    user = make_user(f"{name.lower()}@mentors.test", f"{name} Mentor")
    NetworkMembership.objects.create(network=cast.network, user=user, role=Role.MENTOR)
    rate(user, **levels)
    return user


@pytest.fixture
def setup(cast):
    """Cast newcomers are the members who joined recently: host, member, newcomer, Oscar
    (all joined today). Mei mentors facilitation; Max mentors data analysis."""
    rate(cast.mentor, facilitation=4, **{"data-analysis": 1})
    maxi = add_mentor(cast, "Max", **{"data-analysis": 4})
    for user in (cast.host, cast.member, cast.newcomer, cast.other_cohort_member):
        rate(user, facilitation=1, **{"data-analysis": 0})
    cast.member.profile.learning_goals = ["Data analysis"]
    cast.member.profile.save()
    return maxi


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["admin", "organizer"])
def test_organizers_see_proposals_with_explanations(cast, client_for, setup, person):
    response = client_for(getattr(cast, person)).get(mentors_url("list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Proposed matches" in text and "Max Mentor" in text
    assert "can teach" in text


@pytest.mark.parametrize("person", ["host", "member", "mentor", "partner", "newcomer"])
def test_people_who_do_not_organize_get_403_on_the_organizer_page(cast, client_for, person):
    client = client_for(getattr(cast, person))
    assert client.get(mentors_url("list")).status_code == 403
    data = {"mentor": cast.mentor.pk, "newcomer": cast.member.pk}
    assert client.post(mentors_url("confirm"), data).status_code == 403
    assert not MentorMatch.objects.exists()


def test_outsiders_get_404_and_anonymous_visitors_sign_in(cast, client_for):
    for name in ("list", "mine"):
        assert client_for(cast.outsider).get(mentors_url(name)).status_code == 404
        response = client_for(None).get(mentors_url(name))
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_partners_have_no_mentoring_page(cast, client_for):
    assert client_for(cast.partner).get(mentors_url("mine")).status_code == 403


# --- matching ---------------------------------------------------------------------------------


def test_proposals_respect_each_mentors_capacity(cast, setup):
    MentorSettings.objects.create(
        membership=NetworkMembership.objects.get(user=cast.mentor), capacity=1
    )
    MentorSettings.objects.create(membership=NetworkMembership.objects.get(user=setup), capacity=2)
    found = mentoring.propose(cast.network)
    per_mentor = {}
    for match in found.matches:
        per_mentor[match.mentor] = per_mentor.get(match.mentor, 0) + 1
    assert per_mentor == {cast.mentor: 1, setup: 2}
    assert len(found.unmatched) == 1
    wanted = next(m for m in found.matches if m.newcomer == cast.member)
    assert wanted.mentor == setup  # asked for data analysis
    assert "Data analysis" in wanted.explanation


def test_mentors_not_taking_newcomers_or_full_get_none(cast, setup):
    MentorSettings.objects.create(
        membership=NetworkMembership.objects.get(user=setup), accepting=False
    )
    MentorMatch.objects.create(network=cast.network, mentor=cast.mentor, newcomer=cast.host)
    MentorMatch.objects.create(network=cast.network, mentor=cast.mentor, newcomer=cast.member)
    found = mentoring.propose(cast.network)
    assert found.matches == []
    assert "free place" in found.message


def test_only_recent_members_without_a_mentor_are_newcomers(cast, setup):
    NetworkMembership.objects.filter(user=cast.host).update(
        joined_at=timezone.now() - timedelta(days=90)
    )
    MentorMatch.objects.create(network=cast.network, mentor=setup, newcomer=cast.member)
    people = set(mentoring.newcomers(cast.network))
    assert cast.host not in people and cast.member not in people
    assert cast.newcomer in people
    assert cast.host in set(mentoring.newcomers(cast.network, days=120))


def test_the_days_filter_is_validated(cast, client_for, setup):
    response = client_for(cast.organizer).get(mentors_url("list"), {"days": "-3"})
    assert response.status_code == 200
    assert response.context["days"] == 60


def test_confirming_a_match_saves_it_and_emails_both_people(cast, client_for, setup, smtp_inbox):
    response = client_for(cast.organizer).post(
        mentors_url("confirm"),
        {"mentor": setup.pk, "newcomer": cast.member.pk, "explanation": "Data analysis."},
    )
    assert response.status_code == 302
    match = MentorMatch.objects.get()
    assert (match.mentor, match.newcomer, match.confirmed_by) == (
        setup,
        cast.member,
        cast.organizer,
    )
    assert smtp_inbox.messages == []  # the worker sends them
    run_worker()
    recipients = sorted(r for m in smtp_inbox.messages for r in m.rcpt_tos)
    assert recipients == sorted([setup.email, cast.member.email])
    assert any("Max Mentor is your mentor" in body for body in smtp_inbox.bodies())


@pytest.mark.parametrize(
    "mentor, newcomer",
    [("member", "host"), ("mentor", "partner"), ("mentor", "outsider"), ("mentor", "mentor")],
)
def test_confirming_a_bad_match_saves_nothing(cast, client_for, setup, mentor, newcomer):
    data = {"mentor": getattr(cast, mentor).pk, "newcomer": getattr(cast, newcomer).pk}
    assert client_for(cast.organizer).post(mentors_url("confirm"), data).status_code == 302
    assert not MentorMatch.objects.exists()


def test_a_full_mentor_cannot_be_confirmed_and_nobody_gets_two_mentors(cast, setup):
    MentorSettings.objects.create(membership=NetworkMembership.objects.get(user=setup), capacity=1)
    mentoring.confirm(cast.network, setup.pk, cast.member.pk, cast.organizer)
    with pytest.raises(mentoring.MatchProblem):
        mentoring.confirm(cast.network, setup.pk, cast.host.pk, cast.organizer)
    with pytest.raises(mentoring.MatchProblem):
        mentoring.confirm(cast.network, cast.mentor.pk, cast.member.pk, cast.organizer)
    assert MentorMatch.objects.count() == 1


def test_organizers_end_a_match(cast, client_for, setup):
    match = MentorMatch.objects.create(network=cast.network, mentor=setup, newcomer=cast.member)
    client_for(cast.organizer).post(mentors_url("end", match.pk))
    match.refresh_from_db()
    assert match.ended_at is not None


# --- mentors and members ------------------------------------------------------------------------


def test_mentor_sees_their_mentees_and_member_their_mentor(cast, client_for, setup):
    MentorMatch.objects.create(network=cast.network, mentor=cast.mentor, newcomer=cast.member)
    text = client_for(cast.mentor).get(mentors_url("mine")).content.decode()
    assert "My mentees" in text and "Mo Member" in text
    text = client_for(cast.member).get(mentors_url("mine")).content.decode()
    assert "My mentor" in text and "Mei Mentor" in text
    text = client_for(cast.host).get(mentors_url("mine")).content.decode()
    assert "You have no mentor" in text


def test_mentor_changes_their_own_capacity(cast, client_for):
    response = client_for(cast.mentor).post(
        mentors_url("settings", cast.mentor.pk), {"capacity": "4", "accepting": "on"}
    )
    assert response.status_code == 302
    settings = MentorSettings.objects.get(membership__user=cast.mentor)
    assert (settings.capacity, settings.accepting) == (4, True)


def test_organizer_changes_a_mentors_capacity(cast, client_for):
    client_for(cast.organizer).post(mentors_url("settings", cast.mentor.pk), {"capacity": "0"})
    settings = MentorSettings.objects.get(membership__user=cast.mentor)
    assert (settings.capacity, settings.accepting) == (0, False)


@pytest.mark.parametrize("capacity", ["-1", "11", "many", ""])
def test_a_bad_capacity_saves_nothing(cast, client_for, capacity):
    client_for(cast.mentor).post(mentors_url("settings", cast.mentor.pk), {"capacity": capacity})
    assert not MentorSettings.objects.exists()


@pytest.mark.parametrize("person", ["member", "host", "partner"])
def test_others_may_not_change_a_mentors_capacity(cast, client_for, setup, person):
    response = client_for(getattr(cast, person)).post(
        mentors_url("settings", setup.pk), {"capacity": "9"}
    )
    assert response.status_code == 403
    assert not MentorSettings.objects.exists()


def test_mentor_links_on_the_network_home(cast, client_for):
    home = reverse("networks:home", args=["northwind"])
    assert mentors_url("list") in client_for(cast.organizer).get(home).content.decode()
    assert mentors_url("mine") in client_for(cast.mentor).get(home).content.decode()
    # Everyone else finds their own mentoring page (which says when they have no mentor) in
    # the network menu, never the organizers' list.
    member_home = client_for(cast.member).get(home).content.decode()
    assert mentors_url("mine") in member_home and f'href="{mentors_url("list")}"' not in member_home
