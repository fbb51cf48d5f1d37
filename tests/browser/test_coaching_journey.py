"""Issue 6's journey: the coachee opens a session with the coach of the running round, the
coach's feedback is flagged and rewritten until it passes, the coachee's next step becomes a
commitment on the cohort board, the coachee's finished experiment is promoted to a case
study, and a member of another cohort finds it through the library's search."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cadre.accountability.models import Commitment, Experiment
from cadre.coaching.models import CoachingSession, Feedback
from cadre.repository.models import RepositoryItem
from cadre.rotations.models import CoachingGroup, CoachingRound, CoachingSeat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
BOARD = "/n/northwind/c/reliability/board/"
NEXT_STEP = "Send the new incident runbook to the on-call team by Friday"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_coachee_opens_a_session_gets_feedback_and_commits(page, browser, live_server, cast):
    round_ = CoachingRound.objects.create(
        cohort=cast.cohort, number=1, starts_on=timezone.localdate() - timedelta(days=1)
    )
    group = CoachingGroup.objects.create(round=round_, index=0)
    CoachingSeat.objects.create(group=group, user=cast.member, role="coachee")
    CoachingSeat.objects.create(group=group, user=cast.host, role="coach")

    # The first request loads every URL module, which on a busy machine can take longer
    # than the default timeout; warm the server up before the journey starts.
    page.goto("/healthz", timeout=60_000)

    # The coachee opens a session from their seat in the running round.
    sign_in(page, cast.member.email)
    page.goto("/n/northwind/c/reliability/")
    page.get_by_role("navigation", name=cast.cohort.name).get_by_role(
        "link", name="Coaching"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coaching sessions")
    expect(page.locator("body")).to_contain_text("you are coachee")
    page.get_by_role("link", name="Open a coaching session").click()
    expect(page.locator("body")).to_contain_text("Hana Host is your coach")
    page.get_by_label("What do you want to work on?").fill("Calmer incident reviews")
    page.get_by_label("Challenge my plan").check()
    page.get_by_role("button", name="Open the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coaching session")
    session = CoachingSession.objects.get()
    assert session.coach == cast.host and session.group == group
    expect(page.locator("#prompts-heading")).to_be_visible()

    # The coach reads the prompts and gives feedback in the session: flagged first.
    other = browser.new_context(base_url=live_server.url)
    coach = other.new_page()
    sign_in(coach, cast.host.email)
    coach.goto("/n/northwind/c/reliability/coaching/sessions/")
    coach.get_by_role("link", name="Calmer incident reviews").click()
    expect(coach.locator("body")).to_contain_text(session.prompts[0]["text"])
    coach.get_by_role("link", name="Give feedback in this session").click()
    expect(coach.get_by_label("Feedback for")).to_have_value(str(cast.member.pk))
    coach.get_by_label("Behaviour").fill("You are always so defensive")
    coach.get_by_role("button", name="Give feedback").click()
    expect(coach.get_by_role("alert")).to_contain_text("Before you give it")
    expect(coach.get_by_label("Give it as written")).to_be_visible()
    assert not Feedback.objects.exists()

    # Rewritten around a behaviour and its impact: the live check agrees, and it is given.
    coach.get_by_label("Situation").fill("In Tuesday's incident review")
    coach.get_by_label("Behaviour").fill(
        "you answered each question with a reason it was not your fault"
    )
    coach.get_by_label("Impact").fill("the team stopped asking and we ran out of time")
    coach.get_by_label("Suggestion").fill(
        "Next time, could you take two questions before you answer?"
    )
    expect(coach.locator("#check-ok")).to_be_visible()
    coach.get_by_role("button", name="Give feedback").click()
    expect(coach.locator(".messages")).to_contain_text("can read your feedback now")
    other.close()
    given = Feedback.objects.get()
    assert given.kept_anyway is False and given.coaching_session == session
    assert given.receiver == cast.member and given.visibility == "private"

    # The coachee writes their next step and turns it into a commitment.
    page.reload()
    expect(page.locator("body")).to_contain_text("take two questions before you answer")
    page.get_by_label("My next step").fill(NEXT_STEP)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Make my next step a commitment").click()
    expect(page.get_by_label("I commit to")).to_have_value(NEXT_STEP)
    page.get_by_role("button", name="Save commitment").click()
    expect(page.locator(".messages")).to_contain_text("Your next step is a commitment")
    expect(page.locator("#commitment-link")).to_have_text(NEXT_STEP)
    commitment = Commitment.objects.get()
    session.refresh_from_db()
    assert session.commitment == commitment and commitment.owner == cast.member

    page.goto(BOARD)
    expect(page.locator("body")).to_contain_text(NEXT_STEP)

    # The coachee's experiment has ended; they promote it to a case study with its data.
    experiment = Experiment.objects.create(
        cohort=cast.cohort,
        owner=cast.member,
        title="Blameless incident reviews",
        capability="Running incident reviews",
        hypothesis="Reviews without blame surface twice as many causes",
        plan="Run the next four reviews with the blameless template",
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() - timedelta(days=2),
        measure="Causes found per review",
        baseline="2 causes",
        result_data="4.5 causes on average over four reviews",
        outcome="succeeded",
        learnings="Asking what made sense at the time opens people up",
    )
    page.goto(f"/n/northwind/c/reliability/board/experiments/{experiment.pk}/")
    page.get_by_role("link", name="Promote to a case study").click()
    expect(page.get_by_label("Title")).to_have_value("Blameless incident reviews")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Blameless incident reviews")
    case = RepositoryItem.objects.get(source_experiment=experiment)
    assert case.kind == "case_study" and case.origin_cohort == cast.cohort

    # A member of another cohort finds it through the library's search.
    reader = browser.new_context(base_url=live_server.url).new_page()
    sign_in(reader, cast.other_cohort_member.email)
    reader.goto("/n/northwind/library/")
    reader.get_by_label("Search the library and the journal").fill("blameless reviews")
    reader.get_by_role("button", name="Search").first.click()
    result = reader.get_by_role("link", name="Blameless incident reviews")
    expect(result).to_be_visible()
    result.click()
    expect(reader.locator("body")).to_contain_text("4.5 causes on average over four reviews")
    expect(reader.locator("body")).to_contain_text("Platform Reliability")
