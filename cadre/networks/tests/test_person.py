import pytest
from django.urls import reverse

from cadre.networks.models import Skill
from cadre.people.models import Profile, ProfileSkill


def person_url(cast, user):
    return reverse("networks:person", args=[cast.network.slug, user.pk])


@pytest.fixture
def described_member(cast):
    Profile.objects.filter(user=cast.member).update(
        headline="Keeps the lights on",
        function="Engineering",
        industry="Logistics",
        organization="Acme",
        seniority="senior",
        learning_goals=["incident reviews", "coaching"],
    )
    for network, slug, level in [
        (cast.network, "facilitation", 3),
        (cast.other_network, "welding", 2),
    ]:
        skill = Skill.objects.get(network=network, slug=slug)
        ProfileSkill.objects.create(profile=cast.member.profile, skill=skill, level=level)
    return cast.member


def test_a_member_sees_a_peers_profile_with_this_networks_skills(
    cast, client_for, described_member
):
    response = client_for(cast.host).get(person_url(cast, described_member))
    assert response.status_code == 200
    content = response.content.decode()
    for text in ["Mo Member", "Keeps the lights on", "Engineering", "Logistics", "Acme"]:
        assert text in content
    assert "Senior" in content
    assert "Europe/Berlin" in content
    assert "Facilitation" in content and "can do it on my own" in content
    assert "Welding" not in content
    assert "incident reviews" in content
    assert "Platform Reliability" in content


def test_cohorts_the_viewer_may_not_see_are_not_listed(cast, client_for, described_member):
    response = client_for(cast.other_cohort_member).get(person_url(cast, described_member))
    assert response.status_code == 200
    assert list(response.context["cohorts"]) == []
    assert b"Platform Reliability" not in response.content


def test_organizer_sees_every_cohort_of_the_person(cast, client_for):
    response = client_for(cast.organizer).get(person_url(cast, cast.other_cohort_member))
    assert list(response.context["cohorts"]) == [cast.other_cohort]


def test_someone_outside_the_network_is_not_found_there(cast, client_for):
    assert client_for(cast.member).get(person_url(cast, cast.outsider)).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "partner"])
def test_outsiders_and_partners_get_404_for_a_profile(cast, client_for, who):
    response = client_for(getattr(cast, who)).get(person_url(cast, cast.member))
    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(cast, client_for):
    response = client_for(None).get(person_url(cast, cast.member))
    assert response.status_code == 302


def test_a_member_without_a_profile_still_has_a_page(cast, client_for):
    Profile.objects.filter(user=cast.mentor).delete()
    response = client_for(cast.member).get(person_url(cast, cast.mentor))
    assert response.status_code == 200
    assert b"Mei Mentor" in response.content


def test_profile_text_is_escaped(cast, client_for):
    Profile.objects.filter(user=cast.member).update(bio="<script>alert(1)</script>")
    response = client_for(cast.host).get(person_url(cast, cast.member))
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;" in response.content


def test_a_graduate_shows_as_such_on_their_page(cast, client_for):
    from django.urls import reverse

    from cadre.cohorts.models import CohortMembership

    CohortMembership.objects.filter(cohort=cast.cohort, user=cast.member).update(
        graduated_on=cast.cohort.today()
    )
    url = reverse("networks:person", args=[cast.network.slug, cast.member.pk])
    html = client_for(cast.host).get(url).content.decode()
    assert f"Graduated {cast.cohort.today():%-d %B %Y}" in html
    other = reverse("networks:person", args=[cast.network.slug, cast.host.pk])
    assert "Graduated" not in client_for(cast.member).get(other).content.decode()
