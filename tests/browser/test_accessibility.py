"""axe-core (through axe-playwright-python, which ships it) on the pages of the web app, each
opened in Chromium by someone who may use it: no serious or critical violation. Lesser
findings are printed, not failed, so they can be read and fixed in their turn.

PAGES lists the pages by who opens them; a new page goes here."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from cadre.accountability.services import make_commitment
from cadre.schedule.models import AgendaBlock, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
N = "/n/northwind"
C = f"{N}/c/reliability"

# Who opens which pages; `{session}` is a session two days ahead.
PAGES = {
    "admin": [
        f"{N}/settings/",
        f"{N}/settings/skills/",
        f"{N}/invitations/",
        f"{N}/invitations/bulk/",
    ],
    "host": [
        f"{C}/",
        f"{C}/board/",
        f"{C}/activity/",
        "/me/inbox/",
        f"{C}/schedule/",
        f"{C}/schedule/sessions/{{session}}/",
        f"{C}/schedule/sessions/{{session}}/agenda/",
        f"{C}/schedule/sessions/{{session}}/run/",
        f"{C}/settings/",
        f"{C}/close/",
    ],
    "organizer": [
        f"{N}/",
        f"{N}/c/new/",
        f"{C}/members/",
        f"{N}/intakes/",
        f"{N}/health/",
        f"{N}/metrics/",
        f"{N}/programmes/",
        f"{N}/programmes/import/",
    ],
    "member": [
        "/me/profile/",
        "/me/notifications/",
        f"{N}/journal/new/",
        f"{N}/library/",
        f"{N}/people/",
    ],
}

SERIOUS = {"serious", "critical"}


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign In")


@pytest.mark.parametrize("role", sorted(PAGES))
def test_no_serious_accessibility_violation(page, cast, role):
    session = Session.objects.create(
        cohort=cast.cohort, starts_at=timezone.now() + timedelta(days=2), minutes=60
    )
    AgendaBlock.ensure_for(session)
    make_commitment(
        cohort=cast.cohort,
        owner=cast.member,
        text="Write the runbook for the payments failover and try it in Thursday's game day",
        due_on=timezone.localdate() + timedelta(days=7),
        keep_anyway=True,
    )
    sign_in(page, getattr(cast, role).email)
    axe = Axe()
    found = []
    for url in PAGES[role]:
        url = url.format(session=session.pk)
        answer = page.goto(url)
        assert answer is not None and answer.status == 200, f"{url}: {answer and answer.status}"
        results = axe.run(page)
        for violation in results.response["violations"]:
            line = f"{url}: {violation['id']} ({violation['impact']}), {len(violation['nodes'])}×"
            if violation["impact"] in SERIOUS:
                found.append(line + "\n" + results.generate_report(violation["id"]))
            else:
                print("minor:", line)
    assert not found, "\n\n".join(found)


def test_the_check_finds_a_serious_violation_when_there_is_one(page):
    # A picture without a text alternative and an unlabelled field: both serious or worse.
    page.set_content('<html lang="en"><title>t</title><img src="x.png"><input type="text"></html>')
    impacts = {v["id"]: v["impact"] for v in Axe().run(page).response["violations"]}
    assert impacts.get("image-alt") in SERIOUS and impacts.get("label") in SERIOUS
