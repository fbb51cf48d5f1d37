"""The rotation endpoints: coaching rounds of a cohort, virtual-coffee rituals, rounds and
each person's private list, by the people who may and may not."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from cadre.api.models import ApiToken
from cadre.api.tests.helpers import V1, assert_error
from cadre.rotations import planning
from cadre.rotations.models import (
    CoachingRound,
    CoffeeRound,
    PairingExclusion,
    Ritual,
    RitualParticipant,
)
from cadre.rotations.tests.helpers import add_members, join, make_ritual, run_worker

COACHING = "/networks/northwind/cohorts/reliability/coaching"
RITUALS = "/networks/northwind/rituals"
EXCLUSIONS = "/networks/northwind/exclusions"


@pytest.fixture(autouse=True)
def _quick_planning(monkeypatch: Any) -> None:
    monkeypatch.setattr(planning, "COACHING_SECONDS", 1.0)
    monkeypatch.setattr(planning, "COFFEE_SECONDS", 1.0)


@pytest.fixture
def ritual(cast: Any) -> Ritual:
    return make_ritual(cast)


def delete(user: Any, path: str) -> Any:
    token = ApiToken.issue(user, "tests")[1]
    return Client().delete(V1 + path, headers={"Authorization": f"Bearer {token}"})


# --- coaching --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "organizer", "host"])
def test_hosts_and_organizers_plan_coaching_rounds(cast, api_as, who):
    add_members(cast.network, 3, cohort=cast.cohort)
    response = api_as(getattr(cast, who)).post(COACHING, {"rounds": 2, "format": "triad"})
    assert response.status_code == 201, response.content
    rounds = response.json()
    assert [r["number"] for r in rounds] == [1, 2]
    assert all(r["format"] == "triad" for r in rounds)
    roles = sorted(s["role"] for s in rounds[0]["groups"][0]["seats"])
    assert roles == ["coach", "coachee", "observer"]
    assert CoachingRound.objects.count() == 2


def test_members_read_coaching_rounds_but_may_not_plan_them(cast, api_as):
    api_as(cast.host).post(COACHING, {"rounds": 1})
    member = api_as(cast.member)
    response = member.get(COACHING)
    assert response.status_code == 200
    assert len(response.json()) == 1 and response.json()[0]["started"] is True
    assert_error(member.post(COACHING, {"rounds": 3}), 403, "forbidden")
    assert CoachingRound.objects.count() == 1


@pytest.mark.parametrize("who", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_people_outside_the_cohort_get_404_for_coaching(cast, api_as, who):
    client = api_as(getattr(cast, who))
    assert_error(client.get(COACHING), 404, "not_found")
    assert_error(client.post(COACHING, {"rounds": 1}), 404, "not_found")
    assert not CoachingRound.objects.exists()


def test_a_newcomer_accepts_the_code_of_conduct_before_coaching(cast, api_as):
    error = assert_error(api_as(cast.newcomer).get(COACHING), 403, "conduct_not_accepted")
    assert error["detail"]["network"] == "northwind"


def test_anonymous_callers_are_not_authenticated(cast, api_as):
    assert_error(api_as(None).get(COACHING), 401, "not_authenticated")
    assert_error(api_as(None).get(RITUALS), 401, "not_authenticated")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"rounds": 0}, "rounds"),
        ({"rounds": 13}, "rounds"),
        ({"rounds": "2"}, "rounds"),
        ({"format": "quartet"}, "format"),
        ({"starts_on": "2001-01-01"}, "starts_on"),
    ],
)
def test_bad_coaching_plans_are_422_and_save_nothing(cast, api_as, body, field):
    error = assert_error(api_as(cast.host).post(COACHING, body), 422, "validation_error")
    assert field in error["fields"]
    assert not CoachingRound.objects.exists()


# --- rituals ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_organizers_create_and_change_rituals(cast, api_as, who):
    client = api_as(getattr(cast, who))
    response = client.post(
        RITUALS, {"name": "Tea time", "group_size": 3, "prefer_different": ["function"]}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["group_size"] == 3 and body["prefer_different"] == ["function"]
    assert body["joined"] is False and body["participants"] == 0
    ritual = Ritual.objects.get(pk=body["id"])
    assert ritual.network == cast.network and ritual.created_by == getattr(cast, who)
    response = client.patch(f"{RITUALS}/{ritual.pk}", {"active": False, "cadence": "monthly"})
    assert response.status_code == 200
    ritual.refresh_from_db()
    assert not ritual.active and ritual.cadence == "monthly" and ritual.name == "Tea time"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": ""}, "name"),
        ({"name": "X", "group_size": 5}, "group_size"),
        ({"name": "X", "group_size": 1}, "group_size"),
        ({"name": "X", "cadence": "hourly"}, "cadence"),
        ({"name": "X", "prefer_different": ["shoe size"]}, "prefer_different.0"),
    ],
)
def test_bad_rituals_are_422_and_save_nothing(cast, api_as, body, field):
    error = assert_error(api_as(cast.organizer).post(RITUALS, body), 422, "validation_error")
    assert field in error["fields"]
    assert not Ritual.objects.exists()


@pytest.mark.parametrize("who", ["host", "member", "mentor"])
def test_members_may_not_create_change_or_generate(cast, api_as, ritual, who):
    client = api_as(getattr(cast, who))
    assert_error(client.post(RITUALS, {"name": "Mine"}), 403, "forbidden")
    assert_error(client.patch(f"{RITUALS}/{ritual.pk}", {"name": "Mine"}), 403, "forbidden")
    assert_error(client.post(f"{RITUALS}/{ritual.pk}/rounds"), 403, "forbidden")
    assert_error(client.get(f"{RITUALS}/{ritual.pk}/rounds"), 403, "forbidden")
    ritual.refresh_from_db()
    assert ritual.name == "Friday coffee" and Ritual.objects.count() == 1


@pytest.mark.parametrize("who", ["partner", "outsider"])
def test_partners_and_outsiders_get_404_for_rituals(cast, api_as, ritual, who):
    client = api_as(getattr(cast, who))
    assert_error(client.get(RITUALS), 404, "not_found")
    assert_error(client.get(f"{RITUALS}/{ritual.pk}"), 404, "not_found")
    assert_error(client.post(f"{RITUALS}/{ritual.pk}/join"), 404, "not_found")
    assert_error(client.get(EXCLUSIONS), 404, "not_found")
    assert not RitualParticipant.objects.exists()


def test_members_list_join_snooze_and_leave(cast, api_as, ritual):
    make_ritual(cast, name="Paused", active=False)
    client = api_as(cast.member)
    listing = client.get(RITUALS).json()
    assert [r["name"] for r in listing["items"]] == ["Friday coffee"]
    joined = client.post(f"{RITUALS}/{ritual.pk}/join").json()
    assert joined["joined"] is True and joined["participants"] == 1
    until = (timezone.localdate() + timedelta(days=7)).isoformat()
    snoozed = client.post(f"{RITUALS}/{ritual.pk}/snooze", {"until": until}).json()
    assert snoozed["snoozed_until"] == until
    bad = client.post(f"{RITUALS}/{ritual.pk}/snooze", {"until": "2001-01-01"})
    assert "until" in assert_error(bad, 422, "validation_error")["fields"]
    assert RitualParticipant.objects.get().snoozed_until.isoformat() == until
    left = client.post(f"{RITUALS}/{ritual.pk}/leave").json()
    assert left["joined"] is False
    assert not RitualParticipant.objects.exists()
    assert_error(client.post(f"{RITUALS}/{ritual.pk}/snooze", {"until": until}), 403, "forbidden")


def test_rounds_are_generated_listed_and_announced(cast, api_as, ritual):
    people = add_members(cast.network, 5)
    join(ritual, [cast.member, *people])
    organizer = api_as(cast.organizer)
    response = organizer.post(f"{RITUALS}/{ritual.pk}/rounds")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 1 and body["groups"] == 3
    placed = sorted(m["user"]["id"] for g in body["group_list"] for m in g["members"])
    assert placed == sorted([cast.member.pk, *(p.pk for p in people)])
    listing = organizer.get(f"{RITUALS}/{ritual.pk}/rounds").json()
    assert [r["number"] for r in listing["items"]] == [1]
    assert organizer.get(f"{RITUALS}/{ritual.pk}/rounds/1").json()["number"] == 1
    assert_error(organizer.get(f"{RITUALS}/{ritual.pk}/rounds/9"), 404, "not_found")

    mine = api_as(cast.member).get(f"{RITUALS}/{ritual.pk}/my-groups").json()
    assert len(mine) == 1 and mine[0]["round"] == 1
    assert 1 <= len(mine[0]["people"]) <= 2
    run_worker()
    assert len(mail.outbox) == 6
    assert CoffeeRound.objects.get().announced_at is not None


def test_generating_with_nobody_to_pair_is_422(cast, api_as, ritual):
    join(ritual, [cast.member])
    error = assert_error(
        api_as(cast.organizer).post(f"{RITUALS}/{ritual.pk}/rounds"), 422, "validation_error"
    )
    assert "At least two people" in error["message"]
    assert not CoffeeRound.objects.exists()


# --- my private list -------------------------------------------------------------------------


def test_my_list_is_mine_alone(cast, api_as):
    member = api_as(cast.member)
    response = member.post(EXCLUSIONS, {"user": cast.host.pk})
    assert response.status_code == 201
    entry = response.json()
    assert entry["other"]["id"] == cast.host.pk
    assert [e["other"]["id"] for e in member.get(EXCLUSIONS).json()["items"]] == [cast.host.pk]
    for who in ("admin", "organizer", "host", "mentor"):
        assert api_as(getattr(cast, who)).get(EXCLUSIONS).json() == {"items": [], "count": 0}
        response = delete(getattr(cast, who), f"{EXCLUSIONS}/{entry['id']}")
        assert_error(response, 404, "not_found")
    assert PairingExclusion.objects.count() == 1
    assert delete(cast.member, f"{EXCLUSIONS}/{entry['id']}").status_code == 204
    assert not PairingExclusion.objects.exists()


@pytest.mark.parametrize("other", ["member", "partner", "outsider", None])
def test_bad_list_entries_are_422_and_save_nothing(cast, api_as, other):
    value = getattr(cast, other).pk if other else 999999
    error = assert_error(
        api_as(cast.member).post(EXCLUSIONS, {"user": value}), 422, "validation_error"
    )
    assert "user" in error["fields"]
    assert not PairingExclusion.objects.exists()


def test_a_person_already_on_my_list_is_422(cast, api_as):
    api_as(cast.member).post(EXCLUSIONS, {"user": cast.host.pk})
    response = api_as(cast.member).post(EXCLUSIONS, {"user": cast.host.pk})
    assert "user" in assert_error(response, 422, "validation_error")["fields"]
    assert PairingExclusion.objects.count() == 1
