"""A member answers "Are you coming?" on a session's page, and the cohort's host sees the
expected counts on the same page (the clock stands on Tuesday 1 December 2026, the day of the
session). With CADRE_SCREENSHOTS set (`make screenshots`), docs/calendar.md's screenshots are
saved there."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from cadre.cohorts.models import CohortMembership, CohortRole
from cadre.networks.models import NetworkMembership, Role
from cadre.schedule import rsvp
from cadre.schedule.tests.helpers import make_schedule
from cadre.testing import make_user
from tests.browser.test_navigation import save, sign_in

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.time_machine(NOW),
]


def more_members(cohort, names):
    code = cohort.network.current_code_of_conduct()
    people = []
    for name in names:
        user = make_user(f"{name.split()[0].lower()}@northwind.test", name)
        NetworkMembership.objects.create(network=cohort.network, user=user, role=Role.MEMBER)
        code.acceptances.create(user=user)
        CohortMembership.objects.create(cohort=cohort, user=user, role=CohortRole.MEMBER)
        people.append(user)
    return people


def test_a_member_answers_and_the_host_sees_who_is_expected(page, cast, tmp_path):
    ines, raj, tove = more_members(cast.cohort, ["Ines Ibarra", "Raj Rao", "Tove Tang"])
    make_schedule(cast.cohort)
    session = cast.cohort.sessions.upcoming().order_by("starts_at").first()
    rsvp.respond(ines, session, answer="yes")
    rsvp.respond(raj, session, answer="no")
    rsvp.respond(tove, session, answer="maybe")
    path = f"/n/northwind/c/reliability/schedule/sessions/{session.pk}/"
    page.set_viewport_size({"width": 1200, "height": 800})

    sign_in(page, cast.member.email)
    page.goto(path)
    coming = page.get_by_role("region", name="Are you coming?")
    coming.get_by_role("button", name="Coming", exact=True).click()
    expect(page.locator("#my-rsvp")).to_have_text("Your answer: Coming.")
    expect(page.get_by_role("heading", name="Expected")).to_have_count(0)  # for who runs it
    save(page, tmp_path, "calendar-rsvp.png")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, cast.host.email)
    page.goto(path)
    expect(page.locator("#expected-counts")).to_have_text(
        "2 coming, 1 not, 1 maybe, 2 not answered."
    )
    page.get_by_role("region", name="Are you coming?").evaluate(
        "section => section.scrollIntoView()"
    )
    save(page, tmp_path, "calendar-expected.png")
