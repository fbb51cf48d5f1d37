"""Virtual-coffee pages: the network's own people see and join rituals; organizers set them
up; partners and outsiders get 404; newcomers accept the code of conduct first."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.rotations.models import Ritual, RitualParticipant

from .helpers import join, make_ritual

MAY_TAKE_PART = ["admin", "organizer", "host", "member", "other_cohort_member", "mentor"]
MEMBERS = ["host", "member", "other_cohort_member", "mentor"]
ORGANIZERS = ["admin", "organizer"]


def ritual_body(**changes):
    return {
        "name": "Monday coffee",
        "description": "Meet someone new.",
        "cadence": "weekly",
        "group_size": "3",
        "prefer_cross_cohort": "on",
        "prefer_different": ["function", "organization"],
        "active": "on",
        **changes,
    }


@pytest.mark.parametrize("person", MAY_TAKE_PART)
def test_the_networks_people_see_the_rituals_and_a_ritual_page(
    cast, client_for, coffee_url, ritual, person
):
    client = client_for(getattr(cast, person))
    listing = client.get(coffee_url("list"))
    assert listing.status_code == 200
    assert "Friday coffee" in listing.content.decode()
    detail = client.get(coffee_url("detail", ritual.pk))
    assert detail.status_code == 200
    assert "Please don't pair me with" in detail.content.decode()


@pytest.mark.parametrize("person", ["partner", "outsider"])
@pytest.mark.parametrize(
    "name, args, method",
    [
        ("list", (), "get"),
        ("create", (), "get"),
        ("exclusions", (), "get"),
        ("detail", ("ritual",), "get"),
        ("edit", ("ritual",), "get"),
        ("join", ("ritual",), "post"),
        ("snooze", ("ritual",), "post"),
        ("generate", ("ritual",), "post"),
        ("round", ("ritual", 1), "get"),
    ],
)
def test_partners_and_outsiders_get_404_for_every_coffee_page(
    cast, client_for, coffee_url, ritual, person, name, args, method
):
    args = [ritual.pk if a == "ritual" else a for a in args]
    response = getattr(client_for(getattr(cast, person)), method)(coffee_url(name, *args))
    assert response.status_code == 404
    assert b"Friday coffee" not in response.content
    assert not RitualParticipant.objects.exists()
    assert not ritual.rounds.exists()


def test_a_newcomer_accepts_the_code_of_conduct_first(cast, client_for, coffee_url, ritual):
    client = client_for(cast.newcomer)
    response = client.get(coffee_url("detail", ritual.pk))
    conduct = reverse("networks:conduct", args=[cast.network.slug])
    assert response.status_code == 302
    assert response.url == f"{conduct}?next={quote(coffee_url('detail', ritual.pk))}"
    assert client.post(coffee_url("join", ritual.pk)).status_code == 302
    assert not RitualParticipant.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client_for, coffee_url, ritual):
    for path in (coffee_url("list"), coffee_url("detail", ritual.pk)):
        response = client_for(None).get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("person", ORGANIZERS)
def test_organizers_set_up_a_ritual(cast, client_for, coffee_url, person):
    client = client_for(getattr(cast, person))
    assert client.get(coffee_url("create")).status_code == 200
    response = client.post(coffee_url("create"), ritual_body())
    ritual = Ritual.objects.get()
    assert response.status_code == 302 and response.url == ritual.get_absolute_url()
    assert ritual.network == cast.network
    assert ritual.created_by == getattr(cast, person)
    assert (ritual.cadence, ritual.group_size) == ("weekly", 3)
    assert ritual.prefer_cross_cohort and not ritual.prefer_close_time_zones
    assert ritual.prefer_different == ["function", "organization"]


def test_organizers_edit_a_ritual(cast, client_for, coffee_url, ritual):
    client = client_for(cast.organizer)
    assert client.get(coffee_url("edit", ritual.pk)).status_code == 200
    response = client.post(coffee_url("edit", ritual.pk), ritual_body(name="Tea", active=""))
    assert response.status_code == 302
    ritual.refresh_from_db()
    assert ritual.name == "Tea" and not ritual.active
    assert ritual.created_by == cast.organizer


@pytest.mark.parametrize("person", MEMBERS)
def test_members_may_not_set_up_edit_or_generate(cast, client_for, coffee_url, ritual, person):
    client = client_for(getattr(cast, person))
    assert client.get(coffee_url("create")).status_code == 403
    assert client.post(coffee_url("create"), ritual_body()).status_code == 403
    assert client.post(coffee_url("edit", ritual.pk), ritual_body(name="X")).status_code == 403
    assert client.post(coffee_url("generate", ritual.pk)).status_code == 403
    assert client.get(coffee_url("round", ritual.pk, 1)).status_code == 403
    ritual.refresh_from_db()
    assert ritual.name == "Friday coffee"
    assert Ritual.objects.count() == 1 and not ritual.rounds.exists()
    assert b"Generate the next round" not in client.get(coffee_url("detail", ritual.pk)).content


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"name": ""}, "name"),
        ({"group_size": "1"}, "group_size"),
        ({"group_size": "5"}, "group_size"),
        ({"group_size": "two"}, "group_size"),
        ({"cadence": "hourly"}, "cadence"),
        ({"prefer_different": ["shoe size"]}, "prefer_different"),
    ],
)
def test_bad_rituals_show_field_errors_and_save_nothing(
    cast, client_for, coffee_url, changes, field
):
    response = client_for(cast.organizer).post(coffee_url("create"), ritual_body(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Ritual.objects.exists()


def test_members_see_only_active_rituals_organizers_see_paused_ones_too(
    cast, client_for, coffee_url, ritual
):
    paused = make_ritual(cast, name="Paused tea", active=False)
    member = client_for(cast.member)
    assert b"Paused tea" not in member.get(coffee_url("list")).content
    assert member.get(coffee_url("detail", paused.pk)).status_code == 404
    assert member.post(coffee_url("join", paused.pk)).status_code == 404
    organizer = client_for(cast.organizer)
    assert b"Paused tea" in organizer.get(coffee_url("list")).content
    assert organizer.post(coffee_url("join", paused.pk)).status_code == 403
    assert not RitualParticipant.objects.exists()


def test_a_ritual_of_another_network_is_404(cast, client_for, coffee_url):
    theirs = Ritual.objects.create(network=cast.other_network, name="Guild tea")
    assert client_for(cast.member).get(coffee_url("detail", theirs.pk)).status_code == 404
    path = reverse("coffee:detail", args=[cast.other_network.slug, theirs.pk])
    assert client_for(cast.member).get(path).status_code == 404
    assert client_for(cast.outsider).get(path).status_code == 200


@pytest.mark.parametrize("person", MAY_TAKE_PART)
def test_the_networks_people_join_and_leave(cast, client_for, coffee_url, ritual, person):
    user = getattr(cast, person)
    client = client_for(user)
    assert client.post(coffee_url("join", ritual.pk)).status_code == 302
    assert client.post(coffee_url("join", ritual.pk)).status_code == 302  # twice is once
    assert RitualParticipant.objects.filter(ritual=ritual, user=user).count() == 1
    page = client.get(coffee_url("detail", ritual.pk)).content.decode()
    assert "You take part" in page
    assert client.post(coffee_url("leave", ritual.pk)).status_code == 302
    assert not RitualParticipant.objects.filter(ritual=ritual, user=user).exists()


def test_a_participant_snoozes_and_wakes_up(cast, client_for, coffee_url, ritual):
    join(ritual, [cast.member])
    client = client_for(cast.member)
    until = timezone.localdate() + timedelta(days=14)
    response = client.post(coffee_url("snooze", ritual.pk), {"until": until.isoformat()})
    assert response.status_code == 302
    mine = RitualParticipant.objects.get(user=cast.member)
    assert mine.snoozed_until == until and mine.is_snoozed()
    assert "You are snoozing until" in client.get(coffee_url("detail", ritual.pk)).content.decode()
    client.post(coffee_url("snooze", ritual.pk), {"until": ""})
    mine.refresh_from_db()
    assert mine.snoozed_until is None


@pytest.mark.parametrize("value", ["2001-01-01", "soon", "2999-01-01"])
def test_a_bad_snooze_date_shows_an_error_and_changes_nothing(
    cast, client_for, coffee_url, ritual, value
):
    join(ritual, [cast.member])
    response = client_for(cast.member).post(coffee_url("snooze", ritual.pk), {"until": value})
    assert response.status_code == 200
    assert "until" in response.context["snooze_form"].errors
    assert RitualParticipant.objects.get(user=cast.member).snoozed_until is None


def test_snoozing_needs_joining_first(cast, client_for, coffee_url, ritual):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(cast.member).post(coffee_url("snooze", ritual.pk), {"until": tomorrow})
    assert response.status_code == 403
    assert not RitualParticipant.objects.exists()


@pytest.mark.parametrize(
    "language, help_text",
    [
        ("es", "Preferir personas que no están en la misma cohorte."),
        ("de", "Personen bevorzugen, die nicht in derselben Kohorte sind."),
    ],
)
def test_the_ritual_forms_help_is_in_the_organizers_language(
    cast, client_for, coffee_url, language, help_text
):
    from cadre.testing import save_language

    save_language(cast.organizer, language)
    page = client_for(cast.organizer).get(coffee_url("create")).content.decode()
    assert help_text in page and "Prefer people who are not in the same cohort." not in page
    assert ">Cadence" not in page and ">Description" not in page
