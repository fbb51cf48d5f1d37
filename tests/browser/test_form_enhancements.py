"""The enhancements of cadre/static/cadre/forms.js in a real browser: a long list gets a
filter box, and the availability grid is painted by dragging and walked with the arrow keys.
Without JavaScript the same forms are plain selects and checkboxes (the rest of the suite)."""

import re

import pytest
from playwright.sync_api import expect

from cadre.people.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign In")


def test_a_long_select_is_filtered_by_typing(page, cast):
    sign_in(page, cast.member.email)
    page.goto("/me/profile/")
    zone = page.get_by_label("Time zone", exact=False).and_(page.locator("select"))
    options = zone.locator("option")
    assert options.count() > 300
    page.get_by_role("searchbox", name="Filter Time zone").fill("europe lis")
    expect(page.get_by_text("1 of")).to_be_visible()
    visible = zone.locator("option:not([hidden])")
    expect(visible.filter(has_text="Europe/Lisbon")).to_have_count(1)
    assert visible.count() <= 2  # Lisbon, and the empty choice if the field has one
    zone.select_option("Europe/Lisbon")
    page.get_by_role("searchbox", name="Filter Time zone").fill("")
    assert zone.locator("option:not([hidden])").count() == options.count()


def test_the_availability_grid_is_painted_by_dragging_and_walked_by_keyboard(page, cast):
    sign_in(page, cast.member.email)
    page.goto("/me/profile/")
    grid = page.locator("table.availability")
    boxes = grid.locator('input[type="checkbox"]')
    before = [boxes.nth(i).is_checked() for i in range(boxes.count())]
    # Drag down one day's column over three hours, from an hour that was not ticked.
    first = grid.locator("tbody tr").nth(9).locator("td").nth(1)
    last = grid.locator("tbody tr").nth(11).locator("td").nth(1)
    assert not first.locator("input").is_checked()
    last.scroll_into_view_if_needed()
    a, b = first.bounding_box(), last.bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=8)
    page.mouse.up()
    painted = [
        grid.locator("tbody tr").nth(r).locator("td").nth(1).locator("input") for r in (9, 10, 11)
    ]
    for box in painted:
        expect(box).to_be_checked()
    # Only those three changed.
    after = [boxes.nth(i).is_checked() for i in range(boxes.count())]
    assert sum(x != y for x, y in zip(before, after, strict=True)) == 3
    # The arrow keys move between hours; Space ticks the one in focus.
    painted[2].focus()
    page.keyboard.press("ArrowDown")
    below = grid.locator("tbody tr").nth(12).locator("td").nth(1).locator("input")
    expect(below).to_be_focused()
    page.keyboard.press("ArrowRight")
    right = grid.locator("tbody tr").nth(12).locator("td").nth(2).locator("input")
    expect(right).to_be_focused()
    was = right.is_checked()
    page.keyboard.press("Space")
    assert right.is_checked() is not was
    # Dragging from a ticked hour clears.
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.up()
    expect(painted[0]).not_to_be_checked()
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".messages, .errorlist").first).to_be_visible()
    hours = set(Profile.objects.get(user=cast.member).availability)
    assert {int(painted[1].get_attribute("value")), int(painted[2].get_attribute("value"))} <= hours
    assert int(painted[0].get_attribute("value")) not in hours


def test_a_markdown_field_shows_its_preview(page, cast):
    sign_in(page, cast.member.email)
    page.goto(f"/n/{cast.network.slug}/journal/new/")
    page.get_by_label("Entry").fill("## What I tried\n\n- **Pairing** on the runbook")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".markdown-preview")
    expect(preview.get_by_role("heading", name="What I tried")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("Pairing")
    page.get_by_role("button", name="Hide preview").click()
    expect(preview).to_be_hidden()


def test_the_skills_to_rate_are_filtered_and_a_rated_one_stays(page, cast):
    from cadre.networks.models import Skill

    names = [f"Skill {word}" for word in "abcdefghijklmn"] + ["Incident command"]
    for name in names:
        Skill.objects.create(network=cast.network, name=name)
    sign_in(page, cast.member.email)
    page.goto("/me/profile/")
    page.get_by_label(re.compile(r"^Skill a\b")).select_option("4")
    # Matched by the skill's name, not the levels it can be rated at ("can do it").
    page.get_by_role("searchbox", name="Filter skills").fill("skill c")
    expect(page.get_by_label(re.compile(r"^Skill d\b"))).to_be_hidden()
    expect(page.get_by_text(re.compile(r"^2 of \d+ shown$"))).to_be_visible()  # c, and the rated
    page.get_by_role("searchbox", name="Filter skills").fill("incident")
    skills = page.locator("fieldset[data-filter] > [data-filter-item]")
    expect(page.get_by_label(re.compile(r"^Skill b\b"))).to_be_hidden()
    expect(page.get_by_label("Incident command")).to_be_visible()
    # The match, and the skill already rated.
    assert sum(skills.nth(i).is_visible() for i in range(skills.count())) == 2


def test_the_agenda_editor_adds_removes_reorders_and_keeps_the_total(page, cast):
    from datetime import timedelta

    from django.utils import timezone

    from cadre.schedule.models import AgendaBlock, Session

    session = Session.objects.create(
        cohort=cast.cohort, starts_at=timezone.now() + timedelta(days=2), minutes=60
    )
    AgendaBlock.ensure_for(session)
    titles = list(session.agenda.order_by("order").values_list("title", flat=True))
    assert len(titles) >= 3
    sign_in(page, cast.host.email)
    page.goto(f"/n/{cast.network.slug}/c/{cast.cohort.slug}/schedule/sessions/{session.pk}/agenda/")
    total = page.locator(".agenda-total")
    expect(total).to_have_text("60 of 60 minutes planned, exactly.")
    blocks = page.locator("[data-agenda-block]:not(.removed):not(.spare)")
    expect(blocks).to_have_count(len(titles))  # the spare empty form is left out
    # Move the last block to the top, one step at a time.
    last_title = titles[-1]
    moved = page.locator("[data-agenda-block]").filter(
        has=page.locator(f'input[value="{last_title}"]')
    )
    while moved.get_by_role("button", name="Move up").is_enabled():
        moved.get_by_role("button", name="Move up").click()
    expect(blocks.first.locator("legend")).to_have_text("Block 1")
    expect(blocks.first.locator('input[name$="-title"]')).to_have_value(last_title)
    # Remove the second block: the total shows the gap.
    second = blocks.nth(1)
    gone_minutes = int(second.locator('input[name$="-minutes"]').input_value())
    gone_title = second.locator('input[name$="-title"]').input_value()
    second.get_by_role("button", name="Remove").click()
    expect(total).to_have_text(
        f"{60 - gone_minutes} of 60 minutes planned: {gone_minutes} to fill."
    )
    # Add a block that fills the gap.
    page.get_by_role("button", name="Add a block").click()
    new = blocks.last
    new.locator('input[name$="-title"]').fill("Open questions")
    new.locator('input[name$="-minutes"]').fill(str(gone_minutes))
    expect(total).to_have_text("60 of 60 minutes planned, exactly.")
    # A block added and left blank is not sent as a block.
    page.get_by_role("button", name="Add a block").click()
    page.get_by_role("button", name="Save the agenda").click()
    expect(page.locator(".messages")).to_contain_text("Agenda saved.")
    saved = list(session.agenda.order_by("order").values_list("title", flat=True))
    expected = [last_title] + [t for t in titles[:-1] if t != gone_title] + ["Open questions"]
    assert saved == expected
