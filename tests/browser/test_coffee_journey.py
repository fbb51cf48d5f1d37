"""An organizer's virtual coffee, from setting up the ritual to the announcement e-mails: the
organizer creates the ritual, members join (one through the page, the rest straight into the
database), a member puts someone on their private list, the organizer generates a round and
the real database worker sends everyone their group."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cadre.rotations.models import CoffeeRound, PairingExclusion, Ritual, RitualParticipant
from cadre.rotations.tests.helpers import add_members, join, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()


def test_organizer_sets_up_virtual_coffee_and_generates_a_round(page, cast):
    # The organizer sets up the ritual.
    sign_in(page, cast.organizer.email)
    page.goto("/n/northwind/")
    page.get_by_role("navigation", name="Northwind Learning").get_by_role(
        "link", name="Coffee"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Virtual coffee")
    page.get_by_role("link", name="New ritual").click()
    page.get_by_label("Name").fill("Tuesday coffee")
    page.get_by_label("Cadence").select_option("weekly")
    page.get_by_label("People per coffee").fill("2")
    page.get_by_label("Function").check()
    page.get_by_role("button", name="Save ritual").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tuesday coffee")
    expect(page.locator(".messages")).to_contain_text("is set up")
    ritual = Ritual.objects.get()
    assert ritual.cadence == "weekly" and ritual.prefer_different == ["function"]
    sign_out(page)

    # Five people and the host join in the database; the member joins on the page.
    others = add_members(cast.network, 5)
    join(ritual, [cast.host, *others])
    sign_in(page, cast.member.email)
    page.goto("/n/northwind/coffee/")
    page.get_by_role("link", name="Tuesday coffee").click()
    page.get_by_role("button", name="Join Tuesday coffee").click()
    expect(page.locator(".messages")).to_contain_text("You joined")
    expect(page.locator("main")).to_contain_text("7 people take part")

    # ... and asks, privately, not to be paired with the host.
    page.get_by_label("Person to keep apart from").select_option(label="Hana Host")
    page.get_by_role("button", name="Add to my private list").click()
    expect(page.locator(".messages")).to_contain_text("Nobody else can see this")
    expect(page.locator(".exclusions")).to_contain_text("Hana Host")
    assert PairingExclusion.objects.filter(owner=cast.member, other=cast.host).exists()
    sign_out(page)

    # The organizer generates the round; the private list is not shown to them.
    sign_in(page, cast.organizer.email)
    page.goto(ritual.get_absolute_url())
    expect(page.locator("main")).to_contain_text("7 people take part")
    expect(page.locator("main")).to_contain_text("Nobody on your list")
    page.get_by_role("link", name="Generate the next round").click()
    # Cadre asks once, naming everyone who will be e-mailed.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Generate the next round")
    page.get_by_role("button", name="Generate and e-mail 7 people").click()
    expect(page).to_have_url(re.compile(r"/coffee/\d+/rounds/1/$"))
    expect(page.locator(".messages")).to_contain_text("Round 1 is generated: 3 groups")
    groups = page.locator("ul.groups > li")
    expect(groups).to_have_count(3)
    expect(page.locator("main")).to_contain_text("e-mails waiting for a worker")
    expect(page.locator("main")).not_to_contain_text("don't pair")

    coffee = CoffeeRound.objects.get()
    placed = [{m.user_id for m in g.members.all()} for g in coffee.groups.all()]
    everyone = set(RitualParticipant.objects.values_list("user_id", flat=True))
    assert set().union(*placed) == everyone and sum(len(g) for g in placed) == 7
    assert not any({cast.member.pk, cast.host.pk} <= group for group in placed)

    # The worker e-mails everyone their group, once.
    assert mail.outbox == []
    run_worker()
    assert len(mail.outbox) == 7
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        RitualParticipant.objects.values_list("user__email", flat=True)
    )
    page.reload()
    expect(page.locator("main")).to_contain_text("e-mails sent")
