from typing import Any

import pytest

from cadre.api.tests.helpers import assert_error
from cadre.people.models import ProfileSkill

CAST = [
    "admin",
    "organizer",
    "host",
    "member",
    "other_cohort_member",
    "mentor",
    "partner",
    "outsider",
    "newcomer",
]


@pytest.mark.parametrize("who", CAST)
def test_everyone_signed_in_sees_themselves_and_their_networks(
    cast: Any, api_as: Any, who: str
) -> None:
    person = getattr(cast, who)
    response = api_as(person).get("/me")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["email"], body["name"]) == (person.pk, person.email, person.name)
    expected = "southgate" if who == "outsider" else "northwind"
    assert [n["slug"] for n in body["networks"]] == [expected]


def test_me_shows_my_role_in_each_network(cast: Any, api_as: Any) -> None:
    networks = api_as(cast.organizer).get("/me").json()["networks"]
    assert networks == [
        {"slug": "northwind", "name": "Northwind Learning", "description": "", "role": "organizer"}
    ]


def test_anonymous_cannot_read_or_change_a_profile(cast: Any, api_as: Any) -> None:
    assert_error(api_as(None).get("/me"), 401, "not_authenticated")
    assert_error(api_as(None).get("/me/profile"), 401, "not_authenticated")
    assert_error(api_as(None).patch("/me/profile", {"headline": "x"}), 401, "not_authenticated")


def test_my_profile_shows_my_ratings_in_my_networks(cast: Any, api_as: Any) -> None:
    skill = cast.network.skills.get(slug="facilitation")
    ProfileSkill.objects.create(profile=cast.member.profile, skill=skill, level=3)
    body = api_as(cast.member).get("/me/profile").json()
    assert body["time_zone"] == "Europe/Berlin"
    assert body["skills"] == [
        {"network": "northwind", "skill": "facilitation", "skill_name": "Facilitation", "level": 3}
    ]


def test_patch_changes_only_the_fields_sent(cast: Any, api_as: Any) -> None:
    cast.member.profile.organization = "Acme"
    cast.member.profile.save()
    response = api_as(cast.member).patch(
        "/me/profile",
        {
            "headline": "SRE who likes game days",
            "time_zone": "America/Chicago",
            "availability": [9, 10, 33],
            "learning_goals": [" incident review ", "chaos engineering"],
            "seniority": "senior",
        },
    )
    assert response.status_code == 200, response.content
    profile = cast.member.profile
    profile.refresh_from_db()
    assert profile.headline == "SRE who likes game days"
    assert profile.time_zone == "America/Chicago"
    assert profile.availability == [9, 10, 33]
    assert profile.learning_goals == ["incident review", "chaos engineering"]
    assert profile.seniority == "senior"
    assert profile.organization == "Acme"
    assert response.json()["organization"] == "Acme"


def test_patch_skills_replaces_my_ratings(cast: Any, api_as: Any) -> None:
    profile = cast.member.profile
    ProfileSkill.objects.create(
        profile=profile, skill=cast.network.skills.get(slug="facilitation"), level=1
    )
    response = api_as(cast.member).patch(
        "/me/profile",
        {
            "skills": [
                {"network": "northwind", "skill": "data-analysis", "level": 4},
                {"network": "northwind", "skill": "product-discovery", "level": 0},
            ]
        },
    )
    assert response.status_code == 200, response.content
    ratings = dict(profile.skills.values_list("skill__slug", "level"))
    assert ratings == {"data-analysis": 4, "product-discovery": 0}


def test_a_profile_is_made_for_someone_who_had_none(cast: Any, api_as: Any) -> None:
    cast.mentor.profile.delete()
    caller = api_as(cast.mentor)
    assert caller.get("/me/profile").json()["time_zone"] == "UTC"
    assert caller.patch("/me/profile", {"headline": "Mentor"}).status_code == 200
    cast.mentor.refresh_from_db()
    assert cast.mentor.profile.headline == "Mentor"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"availability": [3, 168]}, "availability"),
        ({"availability": [3, 3]}, "availability"),
        ({"availability": [1, "two"]}, "availability.1"),
        ({"availability": [True]}, "availability.0"),
        ({"learning_goals": ["ok", "   "]}, "learning_goals"),
        ({"learning_goals": ["x" * 61]}, "learning_goals"),
        ({"seniority": "wizard"}, "seniority"),
        ({"headline": "x" * 161}, "headline"),
        ({"headline": None}, "headline"),
        (
            {"skills": [{"network": "northwind", "skill": "facilitation", "level": 5}]},
            "skills.0.level",
        ),
        ({"skills": [{"network": "northwind", "skill": "juggling", "level": 2}]}, "skills.0.skill"),
        (
            {"skills": [{"network": "southgate", "skill": "welding", "level": 2}]},
            "skills.0.network",
        ),
        (
            {
                "skills": [
                    {"network": "northwind", "skill": "facilitation", "level": 2},
                    {"network": "northwind", "skill": "facilitation", "level": 3},
                ]
            },
            "skills.1.skill",
        ),
    ],
)
def test_bad_profile_input_is_422_naming_the_field_and_nothing_is_saved(
    cast: Any, api_as: Any, change: dict[str, Any], field: str
) -> None:
    profile = cast.member.profile
    ProfileSkill.objects.create(
        profile=profile, skill=cast.network.skills.get(slug="data-analysis"), level=2
    )
    # A valid change sent alongside the bad one must not be saved either.
    response = api_as(cast.member).patch("/me/profile", {"organization": "Changed", **change})
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"], error
    assert all(isinstance(m, str) and m for m in error["fields"][field])
    profile.refresh_from_db()
    assert profile.organization == ""
    assert profile.time_zone == "Europe/Berlin"
    assert dict(profile.skills.values_list("skill__slug", "level")) == {"data-analysis": 2}


def test_validation_error_lists_every_bad_field_at_once(cast: Any, api_as: Any) -> None:
    response = api_as(cast.member).patch(
        "/me/profile", {"time_zone": "Nowhere", "availability": [500]}
    )
    error = assert_error(response, 422, "validation_error")
    assert {"time_zone", "availability"} <= set(error["fields"])
