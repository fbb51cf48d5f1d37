"""The page and the API are two doors to the same services: each write of peer rotations,
done by the same person with the same input on two identical set-ups, leaves the same rows,
and a refusal says the same sentence through both."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.rotations.models import (
    CoachingRound,
    CoachingSeat,
    CoffeeGroupMember,
    CoffeeRound,
    PairingExclusion,
    Ritual,
    RitualParticipant,
)
from cadre.testing_parity import (
    api_as,
    api_field_messages,
    api_message,
    fields_of,
    page_as,
    shown_on_page,
    through_both,
)

from .helpers import add_members, join, make_ritual


def today() -> date:
    return timezone.localdate()


API = "/networks/northwind"


def coffee(cast: Any, name: str, *args: Any) -> str:
    return reverse(f"coffee:{name}", args=[cast.network.slug, *args])


def nothing() -> None:
    return None


# --- coaching rotation ----------------------------------------------------------------------


def coaching_rows(_: Any) -> Any:
    return (
        fields_of(CoachingRound.objects.all()),
        fields_of(
            CoachingSeat.objects.all(),
            ignore=["group_id"],
            also=["group__index", "group__round__number"],
        ),
    )


def test_planning_coaching_leaves_the_same_rounds_through_both_doors(cast):
    add_members(cast.network, 3, cohort=cast.cohort)
    starts = (today() + timedelta(days=3)).isoformat()
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.host).post(
            reverse("coaching:plan", args=[cast.network.slug, cast.cohort.slug]),
            {"rounds": "3", "format": "triad", "starts_on": starts},
        ),
        lambda _: api_as(cast.host).post(
            f"{API}/cohorts/{cast.cohort.slug}/coaching",
            {"rounds": 3, "format": "triad", "starts_on": starts},
        ),
        coaching_rows,
    )
    assert len(page[0]) == 3 and page[1]
    assert page == api


def test_planning_from_a_past_day_is_refused_alike(cast):
    yesterday = (today() - timedelta(days=1)).isoformat()
    page = page_as(cast.host).post(
        reverse("coaching:plan", args=[cast.network.slug, cast.cohort.slug]),
        {"rounds": "3", "format": "pair", "starts_on": yesterday},
    )
    api = api_as(cast.host).post(
        f"{API}/cohorts/{cast.cohort.slug}/coaching",
        {"rounds": 3, "format": "pair", "starts_on": yesterday},
    )
    [message] = api_field_messages(api, "starts_on")
    assert page.context["form"].errors["starts_on"] == [message]
    assert not CoachingRound.objects.exists()


def test_members_who_may_not_plan_hear_the_same_reason(cast):
    page = page_as(cast.member).post(
        reverse("coaching:plan", args=[cast.network.slug, cast.cohort.slug]),
        {"rounds": "3", "format": "pair"},
    )
    api = api_as(cast.member).post(f"{API}/cohorts/{cast.cohort.slug}/coaching", {"rounds": 3})
    assert (page.status_code, api.status_code) == (403, 403)
    assert api_message(api) in shown_on_page(page)


# --- rituals --------------------------------------------------------------------------------


def ritual_rows(_: Any) -> Any:
    return fields_of(Ritual.objects.all())


RITUAL_FORM = {
    "name": "Monday coffee",
    "description": "Meet someone new.",
    "cadence": "weekly",
    "group_size": "3",
    "prefer_cross_cohort": "on",
    "prefer_different": ["function", "organization"],
    "active": "on",
}
RITUAL_JSON = {
    "name": "Monday coffee",
    "description": "Meet someone new.",
    "cadence": "weekly",
    "group_size": 3,
    "prefer_cross_cohort": True,
    "prefer_close_time_zones": False,
    "prefer_different": ["function", "organization"],
    "active": True,
}


def test_setting_up_a_ritual_leaves_the_same_row_through_both_doors(cast):
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.organizer).post(coffee(cast, "create"), RITUAL_FORM),
        lambda _: api_as(cast.organizer).post(f"{API}/rituals", RITUAL_JSON),
        ritual_rows,
    )
    assert len(page) == 1 and page == api


def test_changing_a_ritual_leaves_the_same_row_through_both_doors(cast):
    ritual = make_ritual(cast)
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.organizer).post(
            coffee(cast, "edit", ritual.pk), {**RITUAL_FORM, "active": ""}
        ),
        lambda _: api_as(cast.organizer).patch(
            f"{API}/rituals/{ritual.pk}", {**RITUAL_JSON, "active": False}
        ),
        ritual_rows,
    )
    assert page[0]["name"] == "Monday coffee" and not page[0]["active"]
    assert page == api


def test_members_who_may_not_set_up_a_ritual_hear_the_same_reason(cast):
    page = page_as(cast.member).post(coffee(cast, "create"), RITUAL_FORM)
    api = api_as(cast.member).post(f"{API}/rituals", RITUAL_JSON)
    assert (page.status_code, api.status_code) == (403, 403)
    assert api_message(api) in shown_on_page(page)
    assert not Ritual.objects.exists()


def participant_rows(_: Any) -> Any:
    return fields_of(RitualParticipant.objects.all())


@pytest.mark.parametrize("door", ["join", "leave"])
def test_joining_and_leaving_leave_the_same_rows_through_both_doors(cast, door):
    ritual = make_ritual(cast)
    if door == "leave":
        join(ritual, [cast.member, cast.host])
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(coffee(cast, door, ritual.pk)),
        lambda _: api_as(cast.member).post(f"{API}/rituals/{ritual.pk}/{door}"),
        participant_rows,
    )
    assert len(page) == 1
    assert page == api


def test_joining_a_paused_ritual_is_refused_alike(cast):
    ritual = make_ritual(cast, active=False)
    page = page_as(cast.organizer).post(coffee(cast, "join", ritual.pk))
    api = api_as(cast.organizer).post(f"{API}/rituals/{ritual.pk}/join")
    assert (page.status_code, api.status_code) == (403, 403)
    assert api_message(api) in shown_on_page(page)
    assert not RitualParticipant.objects.exists()


def test_snoozing_leaves_the_same_row_through_both_doors(cast):
    ritual = make_ritual(cast)
    join(ritual, [cast.member])
    until = today() + timedelta(days=20)
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(
            coffee(cast, "snooze", ritual.pk), {"until": until.isoformat()}
        ),
        lambda _: api_as(cast.member).post(
            f"{API}/rituals/{ritual.pk}/snooze", {"until": until.isoformat()}
        ),
        participant_rows,
    )
    assert page[0]["snoozed_until"] == until
    assert page == api


@pytest.mark.parametrize("days", [-1, 400])
def test_snoozing_too_early_or_too_long_is_refused_alike(cast, days):
    ritual = make_ritual(cast)
    join(ritual, [cast.member])
    until = (today() + timedelta(days=days)).isoformat()
    page = page_as(cast.member).post(coffee(cast, "snooze", ritual.pk), {"until": until})
    api = api_as(cast.member).post(f"{API}/rituals/{ritual.pk}/snooze", {"until": until})
    [message] = api_field_messages(api, "until")
    assert page.context["snooze_form"].errors["until"] == [message]
    assert RitualParticipant.objects.get().snoozed_until is None


# --- coffee rounds --------------------------------------------------------------------------


def round_rows(_: Any) -> Any:
    return (
        fields_of(CoffeeRound.objects.all()),
        fields_of(
            CoffeeGroupMember.objects.all(),
            ignore=["group_id"],
            also=["group__index", "group__round__number"],
        ),
    )


def test_generating_a_round_leaves_the_same_groups_through_both_doors(cast):
    ritual = make_ritual(cast, prefer_close_time_zones=False, prefer_cross_cohort=False)
    join(ritual, [cast.member, cast.host, cast.mentor, *add_members(cast.network, 3)])
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.organizer).post(coffee(cast, "generate", ritual.pk)),
        lambda _: api_as(cast.organizer).post(f"{API}/rituals/{ritual.pk}/rounds"),
        round_rows,
    )
    assert len(page[0]) == 1 and len(page[1]) == 6
    assert page == api


def test_generating_a_round_of_a_paused_ritual_is_refused_alike(cast):
    ritual = make_ritual(cast, active=False)
    page = page_as(cast.organizer).post(coffee(cast, "generate", ritual.pk), follow=True)
    api = api_as(cast.organizer).post(f"{API}/rituals/{ritual.pk}/rounds")
    assert api.status_code == 409
    assert api_message(api) in shown_on_page(page)
    assert not CoffeeRound.objects.exists()


# --- my private list ------------------------------------------------------------------------


def exclusion_rows(_: Any) -> Any:
    return fields_of(PairingExclusion.objects.all())


def test_adding_to_my_list_leaves_the_same_row_through_both_doors(cast):
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(coffee(cast, "exclusions"), {"user": cast.host.pk}),
        lambda _: api_as(cast.member).post(f"{API}/exclusions", {"user": cast.host.pk}),
        exclusion_rows,
    )
    assert len(page) == 1 and page == api


def test_adding_someone_already_on_my_list_is_refused_alike(cast):
    PairingExclusion.objects.create(network=cast.network, owner=cast.member, other=cast.host)
    page = page_as(cast.member).post(coffee(cast, "exclusions"), {"user": cast.host.pk})
    api = api_as(cast.member).post(f"{API}/exclusions", {"user": cast.host.pk})
    [message] = api_field_messages(api, "user")
    assert page.context["form"].errors["user"] == [message]
    assert PairingExclusion.objects.count() == 1


def test_removing_from_my_list_leaves_the_same_rows_through_both_doors(cast):
    mine = PairingExclusion.objects.create(network=cast.network, owner=cast.member, other=cast.host)
    PairingExclusion.objects.create(network=cast.network, owner=cast.member, other=cast.mentor)
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(coffee(cast, "exclusion_remove", mine.pk)),
        lambda _: api_as(cast.member).delete(f"{API}/exclusions/{mine.pk}"),
        exclusion_rows,
    )
    assert len(page) == 1 and page == api


def test_removing_someone_elses_entry_is_not_found_alike(cast):
    theirs = PairingExclusion.objects.create(
        network=cast.network, owner=cast.host, other=cast.member
    )
    page = page_as(cast.member).post(coffee(cast, "exclusion_remove", theirs.pk))
    api = api_as(cast.member).delete(f"{API}/exclusions/{theirs.pk}")
    # A 404 page says no more than that there is nothing here, whatever the reason.
    assert (page.status_code, api.status_code) == (404, 404)
    assert api_message(api) == "No such entry on your list."
    assert PairingExclusion.objects.count() == 1
