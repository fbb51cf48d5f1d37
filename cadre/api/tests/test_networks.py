from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.api.models import ApiToken
from cadre.api.tests.helpers import ApiCaller, assert_error
from cadre.networks.models import NetworkMembership, Role, Skill
from cadre.people.models import ProfileSkill
from cadre.testing import make_user

NETWORK_PEOPLE = [
    "admin",
    "organizer",
    "host",
    "member",
    "other_cohort_member",
    "mentor",
    "partner",
    "newcomer",
]
DIRECTORY_READERS = [who for who in NETWORK_PEOPLE if who != "partner"]


# --- networks ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", NETWORK_PEOPLE)
def test_network_people_see_the_network_in_their_list(cast: Any, api_as: Any, who: str) -> None:
    body = api_as(getattr(cast, who)).get("/networks").json()
    assert body["count"] == 1
    assert [n["slug"] for n in body["items"]] == ["northwind"]


def test_outsider_lists_only_their_own_network(cast: Any, api_as: Any) -> None:
    body = api_as(cast.outsider).get("/networks").json()
    assert [n["slug"] for n in body["items"]] == ["southgate"]
    assert body["items"][0]["role"] == "organizer"


@pytest.mark.parametrize("who", NETWORK_PEOPLE)
def test_network_people_can_open_the_network(cast: Any, api_as: Any, who: str) -> None:
    response = api_as(getattr(cast, who)).get("/networks/northwind")
    assert response.status_code == 200
    body = response.json()
    assert body["role"] == cast.network.memberships.get(user=getattr(cast, who)).role
    assert [s["slug"] for s in body["skills"]] == [
        "data-analysis",
        "facilitation",
        "product-discovery",
    ]
    assert body["conduct_url"].endswith("/n/northwind/conduct/")


def test_network_tells_the_newcomer_to_accept_the_code_of_conduct(cast: Any, api_as: Any) -> None:
    assert api_as(cast.newcomer).get("/networks/northwind").json()["must_accept_conduct"] is True
    assert api_as(cast.member).get("/networks/northwind").json()["must_accept_conduct"] is False


def test_outsider_gets_404_for_a_network_that_exists_as_for_one_that_does_not(
    cast: Any, api_as: Any
) -> None:
    caller = api_as(cast.outsider)
    existing = assert_error(caller.get("/networks/northwind"), 404, "not_found")
    missing = assert_error(caller.get("/networks/no-such-network"), 404, "not_found")
    assert existing == missing


def test_anonymous_gets_401_for_networks(cast: Any, api_as: Any) -> None:
    assert_error(api_as(None).get("/networks"), 401, "not_authenticated")
    assert_error(api_as(None).get("/networks/northwind"), 401, "not_authenticated")
    assert_error(api_as(None).get("/networks/northwind/members"), 401, "not_authenticated")


# --- directory ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", DIRECTORY_READERS)
def test_members_organizers_and_mentors_see_the_directory(cast: Any, api_as: Any, who: str) -> None:
    response = api_as(getattr(cast, who)).get("/networks/northwind/members")
    assert response.status_code == 200
    body = response.json()
    names = [m["name"] for m in body["items"]]
    assert body["count"] == len(names) == 8
    assert names == sorted(names)
    assert "Sol Outsider" not in names


def test_partner_gets_404_for_the_directory_as_on_the_web(cast: Any, api_as: Any) -> None:
    caller = api_as(cast.partner)
    assert_error(caller.get("/networks/northwind/members"), 404, "not_found")
    assert_error(caller.get(f"/networks/northwind/members/{cast.member.pk}"), 404, "not_found")


def test_outsider_gets_404_for_the_directory(cast: Any, api_as: Any) -> None:
    caller = api_as(cast.outsider)
    assert_error(caller.get("/networks/northwind/members"), 404, "not_found")
    assert_error(caller.get(f"/networks/northwind/members/{cast.member.pk}"), 404, "not_found")


def test_directory_shows_profile_summary_and_only_this_networks_skills(
    cast: Any, api_as: Any
) -> None:
    profile = cast.member.profile
    profile.headline = "Keeps the pager quiet"
    profile.organization = "Acme"
    profile.save()
    ProfileSkill.objects.create(
        profile=profile, skill=cast.network.skills.get(slug="facilitation"), level=3
    )
    # A rating in another network's taxonomy stays out of this network's directory.
    ProfileSkill.objects.create(
        profile=profile, skill=Skill.objects.get(network=cast.other_network), level=4
    )
    items = api_as(cast.mentor).get("/networks/northwind/members").json()["items"]
    mo = next(m for m in items if m["user_id"] == cast.member.pk)
    assert mo["role"] == "member"
    assert mo["profile"]["headline"] == "Keeps the pager quiet"
    assert mo["profile"]["organization"] == "Acme"
    assert mo["skills"] == [{"skill": "facilitation", "name": "Facilitation", "level": 3}]
    assert "email" not in mo


def test_directory_filters_by_text_skill_function_and_organization(cast: Any, api_as: Any) -> None:
    for person, function, organization in [
        (cast.member, "Engineering", "Acme"),
        (cast.host, "Engineering", "Globex"),
        (cast.mentor, "Design", "Acme"),
    ]:
        person.profile.function = function
        person.profile.organization = organization
        person.profile.save()
    facilitation = cast.network.skills.get(slug="facilitation")
    ProfileSkill.objects.create(profile=cast.host.profile, skill=facilitation, level=4)
    ProfileSkill.objects.create(profile=cast.mentor.profile, skill=facilitation, level=1)
    caller = api_as(cast.admin)

    def names(**params: Any) -> list[str]:
        response = caller.get("/networks/northwind/members", **params)
        assert response.status_code == 200, response.content
        return [m["name"] for m in response.json()["items"]]

    assert names(q="mei") == ["Mei Mentor"]
    assert names(q="globex") == ["Hana Host"]
    assert names(function="engineering") == ["Hana Host", "Mo Member"]
    assert names(organization="Acme") == ["Mei Mentor", "Mo Member"]
    assert names(skill="facilitation") == ["Hana Host", "Mei Mentor"]
    assert names(skill="facilitation", min_level=3) == ["Hana Host"]
    assert names(skill="facilitation", organization="acme") == ["Mei Mentor"]
    assert names(skill="welding") == []


def test_directory_pages_with_limit_and_offset(cast: Any, api_as: Any) -> None:
    caller = api_as(cast.member)
    everyone = [m["name"] for m in caller.get("/networks/northwind/members").json()["items"]]
    page = caller.get("/networks/northwind/members", limit=3, offset=3).json()
    assert page["count"] == 8
    assert [m["name"] for m in page["items"]] == everyone[3:6]


def test_bad_directory_filter_is_a_validation_error(cast: Any, api_as: Any) -> None:
    response = api_as(cast.member).get("/networks/northwind/members", min_level=9)
    assert "min_level" in assert_error(response, 422, "validation_error")["fields"]


def test_deactivated_people_are_not_in_the_directory(cast: Any, api_as: Any) -> None:
    cast.other_cohort_member.is_active = False
    cast.other_cohort_member.save()
    caller = api_as(cast.member)
    names = [m["name"] for m in caller.get("/networks/northwind/members").json()["items"]]
    assert "Oscar Othercohort" not in names
    response = caller.get(f"/networks/northwind/members/{cast.other_cohort_member.pk}")
    assert_error(response, 404, "not_found")


def _add_people(network: Any, count: int, start: int) -> None:
    skills = list(network.skills.all())
    for i in range(start, start + count):
        person = make_user(f"p{i}@northwind.test", f"Person {i:03}")
        NetworkMembership.objects.create(network=network, user=person, role=Role.MEMBER)
        for skill in skills:
            ProfileSkill.objects.create(profile=person.profile, skill=skill, level=i % 5)


def test_directory_costs_the_same_number_of_queries_for_few_or_many_people(cast: Any) -> None:
    _, raw = ApiToken.issue(cast.member, "bench")
    from django.test import Client

    def queries() -> int:
        caller = ApiCaller(Client(), raw)
        with CaptureQueriesContext(connection) as captured:
            response = caller.get("/networks/northwind/members", limit=100)
        assert response.status_code == 200
        return len(captured)

    _add_people(cast.network, 5, start=0)
    queries()  # the token's first use is recorded; the next ones, within minutes, are not
    few = queries()
    _add_people(cast.network, 60, start=5)
    many = queries()
    assert few == many
    assert many <= 8


# --- one person --------------------------------------------------------------------------


@pytest.mark.parametrize("who", DIRECTORY_READERS)
def test_directory_readers_can_open_a_profile(cast: Any, api_as: Any, who: str) -> None:
    cast.host.profile.availability = [9, 10]
    cast.host.profile.bio = "Ten years of on-call."
    cast.host.profile.save()
    response = api_as(getattr(cast, who)).get(f"/networks/northwind/members/{cast.host.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Hana Host"
    assert body["bio"] == "Ten years of on-call."
    assert body["availability"] == [9, 10]
    assert body["availability_utc"] == [8, 9]  # Berlin is UTC+1 in the reference week


def test_someone_outside_the_network_is_not_found_in_it(cast: Any, api_as: Any) -> None:
    response = api_as(cast.member).get(f"/networks/northwind/members/{cast.outsider.pk}")
    assert_error(response, 404, "not_found")
    assert_error(api_as(cast.member).get("/networks/northwind/members/999999"), 404, "not_found")
