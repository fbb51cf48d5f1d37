import pytest
from django.urls import reverse

from cadre.networks.models import NetworkMembership, Role, Skill
from cadre.people.models import Profile, ProfileSkill

URL = reverse("people:profile_edit")


def skill(network, slug):
    return Skill.objects.get(network=network, slug=slug)


def valid_data(**changes):
    data = {
        "name": "Mo Member-Jones",
        "headline": "Keeps the lights on",
        "function": "Engineering",
        "industry": "Logistics",
        "organization": "Acme",
        "seniority": "senior",
        "time_zone": "America/Chicago",
        "bio": "Ten years of on-call.",
        "goals": "incident reviews,  coaching , Coaching,,",
        "availability": ["9", "10", "33"],
    }
    data.update(changes)
    return data


def test_anonymous_visitor_is_sent_to_sign_in(db, client_for):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "who", ["admin", "organizer", "host", "member", "mentor", "partner", "outsider", "newcomer"]
)
def test_everyone_signed_in_edits_their_own_profile(cast, client_for, who):
    response = client_for(getattr(cast, who)).get(URL)
    assert response.status_code == 200
    assert response.context["form"].instance.user == getattr(cast, who)


def test_the_page_offers_the_skills_of_my_networks_only(cast, client_for):
    content = client_for(cast.member).get(URL).content.decode()
    assert "Facilitation" in content
    assert "Welding" not in content
    content = client_for(cast.outsider).get(URL).content.decode()
    assert "Welding" in content
    assert "Facilitation" not in content


def test_the_page_links_to_account_settings(cast, client_for):
    content = client_for(cast.member).get(URL).content.decode()
    for name in ["account_change_password", "account_email", "mfa_index", "api_tokens:list"]:
        assert f'href="{reverse(name)}"' in content


def test_saving_updates_the_name_profile_goals_availability_and_skills(cast, client_for):
    facilitation = skill(cast.network, "facilitation")
    data_analysis = skill(cast.network, "data-analysis")
    response = client_for(cast.member).post(
        URL,
        valid_data(
            **{f"skill_{facilitation.pk}": "3", f"skill_{data_analysis.pk}": "0"},
        ),
    )
    assert response.status_code == 302
    cast.member.refresh_from_db()
    profile = Profile.objects.get(user=cast.member)
    assert cast.member.name == "Mo Member-Jones"
    assert profile.headline == "Keeps the lights on"
    assert profile.seniority == "senior"
    assert profile.time_zone == "America/Chicago"
    assert profile.learning_goals == ["incident reviews", "coaching"]
    assert profile.availability == [9, 10, 33]
    assert dict(profile.skills.values_list("skill__slug", "level")) == {
        "facilitation": 3,
        "data-analysis": 0,
    }


def test_the_saved_profile_shows_again_in_the_form(cast, client_for):
    client = client_for(cast.member)
    facilitation = skill(cast.network, "facilitation")
    client.post(URL, valid_data(**{f"skill_{facilitation.pk}": "4"}))
    content = client.get(URL).content.decode()
    assert 'value="incident reviews, coaching"' in content
    assert 'name="availability" value="33" aria-label="Tue 09:00" checked' in content
    assert 'name="availability" value="34" aria-label="Tue 10:00">' in content
    assert '<option value="America/Chicago" selected>' in content
    assert '<option value="4" selected>' in content


def test_a_blank_level_removes_a_rating(cast, client_for):
    facilitation = skill(cast.network, "facilitation")
    ProfileSkill.objects.create(profile=cast.member.profile, skill=facilitation, level=2)
    client_for(cast.member).post(URL, valid_data(**{f"skill_{facilitation.pk}": ""}))
    assert not ProfileSkill.objects.filter(profile=cast.member.profile).exists()


def test_a_skill_of_a_network_i_am_not_in_is_ignored(cast, client_for):
    welding = skill(cast.other_network, "welding")
    client_for(cast.member).post(URL, valid_data(**{f"skill_{welding.pk}": "4"}))
    assert not ProfileSkill.objects.filter(skill=welding).exists()


def test_ratings_in_other_networks_are_kept(cast, client_for):
    NetworkMembership.objects.create(network=cast.other_network, user=cast.member, role=Role.MEMBER)
    welding = skill(cast.other_network, "welding")
    ProfileSkill.objects.create(profile=cast.member.profile, skill=welding, level=2)
    client_for(cast.member).post(URL, valid_data(**{f"skill_{welding.pk}": "3"}))
    assert ProfileSkill.objects.get(skill=welding).level == 3


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"availability": ["9", "168"]}, "availability"),
        ({"availability": ["-1"]}, "availability"),
        ({"availability": ["noon"]}, "availability"),
        ({"seniority": "intern"}, "seniority"),
        ({"name": "  "}, "name"),
        ({"goals": "x" * 61}, "goals"),
        ({"goals": ",".join(f"goal {i}" for i in range(21))}, "goals"),
        ({"headline": "h" * 161}, "headline"),
    ],
)
def test_bad_input_shows_the_error_and_saves_nothing(cast, client_for, changes, field):
    facilitation = skill(cast.network, "facilitation")
    response = client_for(cast.member).post(
        URL, valid_data(**changes, **{f"skill_{facilitation.pk}": "2"})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b'class="errorlist' in response.content
    cast.member.refresh_from_db()
    profile = Profile.objects.get(user=cast.member)
    assert cast.member.name == "Mo Member"
    assert profile.headline == ""
    assert profile.time_zone == "Europe/Berlin"
    assert profile.availability == []
    assert not ProfileSkill.objects.filter(profile=profile).exists()


def test_a_bad_skill_level_saves_nothing_else_either(cast, client_for):
    facilitation = skill(cast.network, "facilitation")
    response = client_for(cast.member).post(URL, valid_data(**{f"skill_{facilitation.pk}": "7"}))
    assert response.status_code == 200
    assert f"skill_{facilitation.pk}" in response.context["skills_form"].errors
    cast.member.refresh_from_db()
    assert cast.member.name == "Mo Member"
    assert Profile.objects.get(user=cast.member).headline == ""


def test_a_rejected_form_keeps_what_was_typed(cast, client_for):
    response = client_for(cast.member).post(URL, valid_data(time_zone="Nowhere"))
    content = response.content.decode()
    assert 'value="Keeps the lights on"' in content
    assert 'value="33" aria-label="Tue 09:00" checked' in content


def test_someone_without_a_profile_gets_one_on_saving(cast, client_for):
    Profile.objects.filter(user=cast.mentor).delete()
    client = client_for(cast.mentor)
    assert client.get(URL).status_code == 200
    client.post(URL, valid_data(name="Mei Mentor"))
    assert Profile.objects.get(user=cast.mentor).organization == "Acme"


def test_the_availability_grid_has_every_hour_of_the_week(cast, client_for):
    content = client_for(cast.member).get(URL).content.decode()
    assert content.count('name="availability"') == 168
    assert 'value="0" aria-label="Mon 00:00"' in content
    assert 'value="167" aria-label="Sun 23:00"' in content


HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_a_skill_description_and_name_show_as_text_not_markup(cast, client_for):
    # Organizers write the taxonomy; what they write must not run in a member's page.
    Skill.objects.filter(network=cast.network, slug="facilitation").update(
        name=f"Facilitation {HOSTILE}", description=f"Runs sessions {HOSTILE}"
    )
    content = client_for(cast.member).get(URL).content.decode()
    assert "Runs sessions &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in content
    assert "Facilitation &lt;img" in content
    assert "<script>alert" not in content and "<img src=x" not in content
