"""An organizer invites people from a pasted list (issue 15, part 6): the list has a new
address, someone already in the network and a line that is no address; the preview says so,
line by line, and sending invites only the new person, whose invitation arrives at the mail
server."""

import re

import pytest
from playwright.sync_api import expect

from cadre.networks.models import Invitation
from cadre.testing import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_an_admin_invites_people_from_a_pasted_list(page, cast, smtp_inbox, settings):
    settings.CADRE_SITE_URL = "https://cadre.example.org"
    sign_in(page, cast.admin.email)
    page.goto("/n/northwind/")
    page.get_by_role("navigation").get_by_role("link", name="Invitations").click()
    page.get_by_role("link", name="Invite many people from a list or a CSV file").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("from a list")

    page.get_by_label("People to invite").fill(
        "Rosa Parks <rosa@example.test>\nmo@northwind.test\nnot-an-address\n"
    )
    page.get_by_label("Role").select_option("member")
    page.get_by_label("Personal message (optional)").fill("Our cohorts start in March.")
    page.get_by_role("button", name="Preview the list").click()

    preview = page.locator("#preview")
    expect(preview.get_by_role("heading", name="New: 1 will be invited")).to_be_visible()
    expect(preview).to_contain_text("Rosa Parks <rosa@example.test>")
    expect(preview.get_by_role("heading", name="Already a member: 1")).to_be_visible()
    expect(preview).to_contain_text("mo@northwind.test")
    expect(preview).to_contain_text("Line 3: “not-an-address” is not an e-mail address.")
    assert not Invitation.objects.exists()  # a preview sends nothing

    page.get_by_role("button", name="Send 1 invitation").click()
    expect(page.get_by_text("1 invitation is on the way.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("rosa@example.test")
    assert list(Invitation.objects.values_list("email", flat=True)) == ["rosa@example.test"]

    run_worker()
    [message] = smtp_inbox.messages
    assert message.rcpt_tos == ["rosa@example.test"]
    [body] = smtp_inbox.bodies()
    assert "Our cohorts start in March." in body
    assert re.search(r"https://cadre\.example\.org/invitations/\S+/", body)
