"""A profile saved through the page and through the API (PATCH /me/profile) leaves the same
rows, and both doors refuse with the same sentence (cadre.people.services.update_profile)."""

import html
from typing import Any

from django.urls import reverse

from cadre.networks.models import Skill
from cadre.people.models import Profile, ProfileSkill
from cadre.testing_parity import api_fields, call_api, fresh, rows

URL = reverse("people:profile_edit")


def form_data(cast: Any, **changes: Any) -> dict[str, Any]:
    facilitation = Skill.objects.get(network=cast.network, slug="facilitation")
    data: dict[str, Any] = {
        "name": cast.member.name,
        "headline": "Keeps the lights on",
        "function": "Engineering",
        "industry": "Logistics",
        "organization": "Acme",
        "seniority": "senior",
        "time_zone": "America/Chicago",
        "bio": "Ten years of on-call.",
        "goals": "incident reviews,  coaching , Coaching",
        "availability": ["9", "10", "33"],
        f"skill_{facilitation.pk}": "3",
    }
    data.update(changes)
    return data


def api_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "headline": "Keeps the lights on",
        "function": "Engineering",
        "industry": "Logistics",
        "organization": "Acme",
        "seniority": "senior",
        "time_zone": "America/Chicago",
        "bio": "Ten years of on-call.",
        "learning_goals": ["incident reviews", " coaching ", "Coaching"],
        "availability": [9, 10, 33],
        "skills": [{"network": "northwind", "skill": "facilitation", "level": 3}],
    }
    body.update(changes)
    return body


def profile_rows(cast: Any) -> Any:
    profile = Profile.objects.filter(user=cast.member)
    ratings = ProfileSkill.objects.filter(profile__user=cast.member).order_by("skill_id")
    return rows(profile), rows(ratings, leave_out={"profile_id"})


def test_a_profile_saved_on_the_page_and_by_the_api_leaves_the_same_rows(
    cast: Any, client_for: Any
) -> None:
    page = fresh(
        lambda: client_for(cast.member).post(URL, form_data(cast)), lambda: profile_rows(cast)
    )
    api = fresh(
        lambda: call_api(cast.member, "patch", "/me/profile", api_body()),
        lambda: profile_rows(cast),
    )
    assert page.response.status_code == 302
    assert api.response.status_code == 200, api.response.content
    assert page.rows == api.rows
    (profile,), ratings = api.rows
    assert profile["learning_goals"] == ["incident reviews", "coaching"]
    assert [r["level"] for r in ratings] == [3]


def test_both_doors_refuse_too_many_goals_with_the_same_sentence(
    cast: Any, client_for: Any
) -> None:
    goals = [f"goal {i}" for i in range(21)]
    page = fresh(
        lambda: client_for(cast.member).post(URL, form_data(cast, goals=", ".join(goals))),
        lambda: profile_rows(cast),
    )
    api = fresh(
        lambda: call_api(cast.member, "patch", "/me/profile", api_body(learning_goals=goals)),
        lambda: profile_rows(cast),
    )
    assert page.response.status_code == 200
    assert api.response.status_code == 422
    assert page.rows == api.rows
    (message,) = api_fields(api.response)["learning_goals"]
    assert message == "At most 20 learning goals, please."
    assert message in html.unescape(page.response.content.decode())
