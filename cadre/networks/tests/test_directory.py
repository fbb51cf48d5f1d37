import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre.networks.models import Skill
from cadre.people.models import Profile, ProfileSkill

from .factories import add_members


def directory_url(cast):
    return reverse("networks:directory", args=[cast.network.slug])


def names(response):
    return [p.user.name for p in response.context["page"].object_list]


def set_profile(user, **fields):
    Profile.objects.filter(user=user).update(**fields)


def rate(user, network, slug, level):
    skill = Skill.objects.get(network=network, slug=slug)
    ProfileSkill.objects.create(profile=user.profile, skill=skill, level=level)


def test_anonymous_visitor_is_sent_to_sign_in(cast, client_for):
    response = client_for(None).get(directory_url(cast))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["outsider", "partner"])
def test_outsiders_and_partners_get_404_for_the_directory(cast, client_for, who):
    assert client_for(getattr(cast, who)).get(directory_url(cast)).status_code == 404


@pytest.mark.parametrize(
    "who", ["admin", "organizer", "host", "member", "other_cohort_member", "mentor", "newcomer"]
)
def test_network_members_see_everyone_in_the_network_and_no_one_else(cast, client_for, who):
    response = client_for(getattr(cast, who)).get(directory_url(cast))
    assert response.status_code == 200
    listed = names(response)
    assert "Mo Member" in listed
    assert "Hana Host" in listed
    assert "Sol Outsider" not in listed
    assert len(listed) == 8


def test_free_text_search_matches_organization_and_headline(cast, client_for):
    set_profile(cast.member, organization="Acme Logistics")
    set_profile(cast.host, headline="SRE lead at a logistics firm")
    response = client_for(cast.mentor).get(directory_url(cast), {"q": "logistics"})
    assert sorted(names(response)) == ["Hana Host", "Mo Member"]
    response = client_for(cast.mentor).get(directory_url(cast), {"q": "acme"})
    assert names(response) == ["Mo Member"]


def test_filter_by_skill_with_a_minimum_level(cast, client_for):
    rate(cast.member, cast.network, "facilitation", 4)
    rate(cast.host, cast.network, "facilitation", 1)
    client = client_for(cast.organizer)
    assert sorted(names(client.get(directory_url(cast), {"skill": "facilitation"}))) == [
        "Hana Host",
        "Mo Member",
    ]
    response = client.get(directory_url(cast), {"skill": "facilitation", "min_level": "3"})
    assert names(response) == ["Mo Member"]


def test_filter_by_function_and_organization_offers_the_networks_own_values(cast, client_for):
    set_profile(cast.member, function="Engineering", organization="Acme")
    set_profile(cast.host, function="Engineering", organization="Globex")
    set_profile(cast.outsider, function="Welding", organization="Southgate Works")
    client = client_for(cast.member)
    response = client.get(directory_url(cast))
    form = response.context["form"]
    assert [v for v, _ in form.fields["function"].choices] == ["", "Engineering"]
    assert [v for v, _ in form.fields["organization"].choices] == ["", "Acme", "Globex"]
    response = client.get(directory_url(cast), {"function": "Engineering", "organization": "Acme"})
    assert names(response) == ["Mo Member"]


def test_a_skill_of_another_network_is_not_a_valid_filter(cast, client_for):
    response = client_for(cast.member).get(directory_url(cast), {"skill": "welding"})
    assert response.status_code == 200
    assert "skill" in response.context["form"].errors
    assert len(names(response)) == 8


def test_cards_show_only_skills_of_this_network(cast, client_for):
    rate(cast.member, cast.network, "data-analysis", 3)
    rate(cast.member, cast.other_network, "welding", 4)
    response = client_for(cast.host).get(directory_url(cast), {"q": "Mo Member"})
    assert b"Data analysis 3/4" in response.content
    assert b"Welding" not in response.content


def test_full_page_without_htmx_and_results_only_with_htmx(cast, client_for):
    client = client_for(cast.member)
    full = client.get(directory_url(cast), {"q": "Mo"})
    assert b"<html" in full.content
    assert b'hx-get="' in full.content
    assert b'id="results"' in full.content
    partial = client.get(directory_url(cast), {"q": "Mo"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert b"<html" not in partial.content
    assert b"<form" not in partial.content
    assert b"Mo Member" in partial.content
    assert b"Hana Host" not in partial.content
    assert "HX-Request" in partial["Vary"]


def test_history_restore_gets_the_full_page(cast, client_for):
    response = client_for(cast.member).get(
        directory_url(cast), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert b"<html" in response.content


def test_directory_is_paginated_and_keeps_filters_in_page_links(cast, client_for):
    add_members(cast.network, 30)
    client = client_for(cast.member)
    first = client.get(directory_url(cast), {"q": "Extra"})
    assert len(names(first)) == 25
    assert first.context["page"].paginator.num_pages == 2
    assert b"?q=Extra&amp;page=2" in first.content
    second = client.get(directory_url(cast), {"q": "Extra", "page": "2"})
    assert len(names(second)) == 5


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"skill": "facilitation"})
    assert response.status_code == 200
    return len(queries), len(names(response))


def test_directory_query_count_does_not_grow_with_the_number_of_members(cast, client_for):
    client = client_for(cast.member)
    url = directory_url(cast)
    add_members(cast.network, 5)
    few, shown_few = count_queries(client, url)
    add_members(cast.network, 40, start=5)
    many, shown_many = count_queries(client, url)
    assert shown_few < shown_many
    assert few == many
    # 12, plus the header's unread notifications and the pictures' two look-ups (the viewer's
    # cohort mates, then the network's people for everyone else: cadre.people.policy).
    assert many <= 14
