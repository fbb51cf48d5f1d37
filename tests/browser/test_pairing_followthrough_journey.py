"""Follow-through on pairings (issue 15, part 4): a coffee pair answers "did you meet?" from
the link in the e-mail the local SMTP server received, without signing in, and the link
works once; a mentor logs a meeting on the mentoring relationship page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cadre.pairings.models import Answer, MeetingCheck, MentorMeeting
from cadre.pairings.tasks import ask_due_meeting_checks
from cadre.rotations.models import CoffeeGroup, CoffeeGroupMember, CoffeeRound, Ritual
from cadre.schedule.models import MentorMatch
from cadre.testing import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_coffee_pair_answers_did_you_meet_from_the_email_link(page, cast, smtp_inbox):
    ritual = Ritual.objects.create(network=cast.network, name="Monday coffee")
    coffee = CoffeeRound.objects.create(
        ritual=ritual,
        number=1,
        scheduled_for=timezone.localdate() - timedelta(days=8),
        announced_at=timezone.now() - timedelta(days=8),
    )
    group = CoffeeGroup.objects.create(round=coffee, index=0)
    for person in (cast.member, cast.other_cohort_member):
        CoffeeGroupMember.objects.create(group=group, user=person)
    ask_due_meeting_checks.enqueue()
    run_worker()

    mails = dict(
        zip((m.rcpt_tos[0] for m in smtp_inbox.messages), smtp_inbox.bodies(), strict=True)
    )
    path = re.search(r"https?://[^/\s]+(/meet/\S+/)", mails[cast.member.email]).group(1)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Did you meet?")
    expect(page.get_by_text("Oscar Othercohort")).to_be_visible()
    page.get_by_label("We met").check()
    page.get_by_label("A short note (optional)").fill("Coffee by the canal")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    check = MeetingCheck.objects.get(user=cast.member)
    assert (check.answer, check.note) == (Answer.MET, "Coffee by the canal")

    # The link works once.
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Already answered")
    expect(page.get_by_role("link", name="Sign in to Cadre")).to_be_visible()

    # The organizer sees the pair met on the ritual's page.
    sign_in(page, cast.organizer.email)
    page.goto(ritual.get_absolute_url())
    expect(page.get_by_text("1 of 1 group met")).to_be_visible()


def test_a_mentor_logs_a_meeting_on_the_relationship_page(page, cast):
    MentorMatch.objects.create(
        network=cast.network, mentor=cast.mentor, newcomer=cast.member, explanation="Reliability"
    )
    sign_in(page, cast.mentor.email)
    page.goto("/n/northwind/mentors/mine/")
    page.get_by_role("link", name="Mo Member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mei Mentor mentors Mo Member")
    page.get_by_role("button", name="I have said hello").click()
    page.get_by_label("What we will work on").fill("Calmer incident calls")
    page.get_by_label("How often we meet").fill("Every two weeks")
    page.get_by_role("button", name="Save the agreement").click()
    expect(page.get_by_text("The agreement is saved.")).to_be_visible()
    page.get_by_label("We met on").fill(timezone.localdate().isoformat())
    page.get_by_label("Notes").fill("Walked through last week's outage")
    page.get_by_role("button", name="Add to the log").click()
    expect(page.get_by_text("The meeting is in the log.")).to_be_visible()
    expect(page.locator(".meeting-log")).to_contain_text("Walked through last week's outage")
    assert MentorMeeting.objects.get().added_by == cast.mentor
