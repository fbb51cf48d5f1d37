"""Finding one's way, at desktop and phone width: the network menu, the cohort tabs and the
breadcrumbs; on a phone the menu opens from the keyboard and needs no JavaScript.

Each run takes the README's screenshots of the navigation (desktop and phone); with
CADRE_SCREENSHOTS set to a folder (`make screenshots` sets it to docs/images) they are saved
there as navigation-desktop.png and navigation-phone.png."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cadre.accountability.services import make_commitment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
COHORT = "/n/northwind/c/reliability/"
PHONE = {"width": 390, "height": 844}


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign In")


def save(page, tmp_path: Path, name: str) -> None:
    """A screenshot of the viewport, kept where CADRE_SCREENSHOTS says (if it says)."""
    path = tmp_path / name
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    folder = os.environ.get("CADRE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(folder) / name)


def with_a_commitment(cast):
    """A commitment on the board, and the charter's mission in plain words (the cast's
    carries a privacy canary, which has no place in the README's screenshots)."""
    from datetime import timedelta

    from django.utils import timezone

    from cadre.cohorts.models import Charter

    Charter.objects.filter(cohort=cast.cohort).update(
        mission="Cut incident recovery time by sharing what works, one game day at a time."
    )

    make_commitment(
        cohort=cast.cohort,
        owner=cast.member,
        text="Write the runbook for the payments failover and try it in Thursday's game day",
        due_on=timezone.localdate() + timedelta(days=7),
        keep_anyway=True,
    )


def test_desktop_menu_tabs_and_breadcrumbs(page, cast, tmp_path):
    with_a_commitment(cast)
    sign_in(page, cast.host.email)
    page.goto(COHORT)
    menu = page.get_by_role("navigation", name="Northwind Learning")
    tabs = page.get_by_role("navigation", name="Platform Reliability")
    # Wide enough: the menu is there, the phone's menu button is not.
    expect(menu.get_by_role("link", name="Library")).to_be_visible()
    expect(page.locator("label.menu-button")).to_be_hidden()
    expect(menu.get_by_role("link", name="My cohorts")).to_have_attribute("aria-current", "page")
    expect(menu.get_by_role("link", name="Health")).to_have_count(0)  # organizers only
    expect(tabs.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    save(page, tmp_path, "navigation-desktop.png")

    tabs.get_by_role("link", name="Board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board")
    expect(tabs.get_by_role("link", name="Board")).to_have_attribute("aria-current", "page")
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.get_by_role("link")).to_have_text(["Northwind Learning", "Platform Reliability"])
    expect(crumbs.locator("[aria-current=page]")).to_have_text("Board")
    crumbs.get_by_role("link", name="Northwind Learning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northwind Learning")
    expect(menu.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")


def test_phone_menu_opens_from_the_keyboard_and_a_tab_is_followed(
    browser, live_server, cast, tmp_path
):
    with_a_commitment(cast)
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        sign_in(page, cast.member.email)
        page.goto(COHORT)
        menu = page.get_by_role("navigation", name="Northwind Learning")
        # Folded away behind the menu button at first.
        expect(menu.get_by_role("link", name="Library")).to_be_hidden()
        expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
        # The keyboard reaches the button (a checkbox named "Menu") and Space opens it.
        toggle = page.get_by_role("checkbox", name="Menu")
        toggle.focus()
        page.keyboard.press("Space")
        expect(toggle).to_be_checked()
        expect(menu.get_by_role("link", name="Library")).to_be_visible()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        save(page, tmp_path, "navigation-phone.png")
        # Closing it again.
        page.keyboard.press("Space")
        expect(menu.get_by_role("link", name="Library")).to_be_hidden()

        # The cohort's tabs stay on the page and are followed with a tap.
        tabs = page.get_by_role("navigation", name="Platform Reliability")
        tabs.get_by_role("link", name="Board").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Board")
        expect(tabs.get_by_role("link", name="Board")).to_have_attribute("aria-current", "page")
        expect(page.locator("main")).to_contain_text("Write the runbook")

        # And the menu from there, to another place of the network.
        page.locator("label.menu-button").click()  # a tap on the button
        menu.get_by_role("link", name="Journal").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("journal")
        expect(page.locator(".network-menu [aria-current=page]")).to_have_text("Journal")
    finally:
        context.close()
