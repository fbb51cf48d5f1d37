"""Generating a coffee round asks once, naming who will be e-mailed, and the round can be
undone, by page or API, until its announcement goes out."""

import pytest
from django.urls import reverse

from cadre.rotations.announcements import announce_round
from cadre.rotations.models import CoffeeRound
from cadre.testing_parity import call_api

from .helpers import add_members, join


@pytest.fixture
def joined(cast, ritual):
    people = add_members(cast.network, 3)
    join(ritual, people)
    return people


def test_the_confirmation_names_everyone_who_will_be_emailed(
    cast, client_for, coffee_url, ritual, joined
):
    page = client_for(cast.organizer).get(coffee_url("generate", ritual.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Generate and e-mail 3 people" in text
    for person in joined:
        assert person.name in text
    assert not ritual.rounds.exists()


def test_members_do_not_get_the_confirmation(cast, client_for, coffee_url, ritual, joined):
    assert client_for(cast.member).get(coffee_url("generate", ritual.pk)).status_code == 403


def test_a_round_is_undone_before_its_announcement_and_then_nobody_is_emailed(
    cast, client_for, coffee_url, ritual, joined
):
    client = client_for(cast.organizer)
    client.post(coffee_url("generate", ritual.pk))
    coffee = ritual.rounds.get()
    done = client.post(reverse("coffee:undo", args=[cast.network.slug, ritual.pk, coffee.number]))
    assert done.status_code == 302
    assert not CoffeeRound.objects.exists()
    assert announce_round(coffee.pk) == 0


def test_an_announced_round_can_no_longer_be_undone_through_either_door(
    cast, client_for, coffee_url, ritual, joined
):
    client_for(cast.organizer).post(coffee_url("generate", ritual.pk))
    coffee = ritual.rounds.get()
    announce_round(coffee.pk)
    page = client_for(cast.organizer).post(
        reverse("coffee:undo", args=[cast.network.slug, ritual.pk, coffee.number]), follow=True
    )
    assert "can no longer be undone" in page.content.decode()
    api = call_api(
        cast.organizer, "delete", f"/networks/northwind/rituals/{ritual.pk}/rounds/{coffee.number}"
    )
    assert api.status_code == 409
    assert CoffeeRound.objects.filter(pk=coffee.pk).exists()


def test_the_api_undoes_a_round_not_yet_announced_for_organizers_only(
    cast, client_for, coffee_url, ritual, joined
):
    client_for(cast.organizer).post(coffee_url("generate", ritual.pk))
    coffee = ritual.rounds.get()
    path = f"/networks/northwind/rituals/{ritual.pk}/rounds/{coffee.number}"
    assert call_api(cast.member, "delete", path).status_code == 403
    assert call_api(cast.outsider, "delete", path).status_code == 404
    assert call_api(cast.organizer, "delete", path).status_code == 204
    assert not CoffeeRound.objects.exists()


@pytest.mark.parametrize(
    "pattern", ["", "https://meet.example.org/cadre-{network}-{cohort}-{token}"]
)
def test_each_coffee_group_gets_its_own_room_when_a_video_service_is_configured(
    cast, client_for, coffee_url, ritual, joined, settings, pattern
):
    from cadre.delivery.models import Message

    settings.CADRE_VIDEO_ROOM_PATTERN = pattern
    client_for(cast.organizer).post(coffee_url("generate", ritual.pk))
    coffee = ritual.rounds.get()
    announce_round(coffee.pk)
    bodies = list(Message.objects.filter(key__startswith="coffee:").values_list("body", flat=True))
    page = client_for(cast.organizer).get(coffee_url("round", ritual.pk, coffee.number))
    text = page.content.decode()
    if not pattern:
        assert bodies and not any("video room" in b for b in bodies)
        assert "Join the group’s room" not in text
        return
    [group] = coffee.groups.all()
    link = group.room_link
    assert link.startswith("https://meet.example.org/cadre-northwind-coffee-")
    assert len(link.rsplit("-", 1)[1]) == 20 and group.room_link == link  # stable, unguessable
    assert all(f"Your group's video room: {link}" in b for b in bodies) and len(bodies) == 3
    assert f'href="{link}"' in text
