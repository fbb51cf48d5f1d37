"""Asking "did you meet?": the worker's job makes each check once and e-mails it once, through
the outbox to a real SMTP server, with a link that needs no sign-in and works once."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cadre.pairings.asking import ask_due
from cadre.pairings.models import Answer, MeetingCheck
from cadre.pairings.services import link_token
from cadre.pairings.tasks import ask_due_meeting_checks
from cadre.testing import run_worker
from cadre.worker.jobs import JOBS

from .helpers import coffee_check, coffee_round, mentor_match


def test_the_job_is_one_of_the_workers_periodic_jobs():
    assert "ask-meeting-checks" in [job.name for job in JOBS]


def test_the_job_asks_each_person_once_by_email_with_a_link(cast, smtp_inbox):
    coffee_round(cast, announced_days_ago=8)
    mentor_match(cast, days_ago=9)
    coffee_round(cast, announced_days_ago=2, number=2)  # too early to ask
    ask_due_meeting_checks.enqueue()
    run_worker()
    asked = sorted(m.rcpt_tos[0] for m in smtp_inbox.messages)
    assert asked == sorted(
        [
            cast.member.email,  # coffee
            cast.other_cohort_member.email,
            cast.host.email,
            cast.mentor.email,  # coffee
            cast.mentor.email,  # mentoring
            cast.member.email,  # mentoring
        ]
    )
    assert MeetingCheck.objects.count() == 6
    body = smtp_inbox.bodies()[0]
    assert "did you meet?" in body and "/meet/" in body
    ask_due_meeting_checks.enqueue()
    run_worker()
    assert len(smtp_inbox.messages) == 6
    assert MeetingCheck.objects.count() == 6


def test_pairings_long_past_are_left_alone(cast):
    coffee_round(cast, announced_days_ago=60)
    assert ask_due().checks == 0


def link_of(check):
    return reverse("meet:link", args=[link_token(check)])


def test_the_link_answers_without_signing_in_and_works_once(cast, client):
    check = coffee_check(cast, cast.member)
    url = link_of(check)
    page = client.get(url)
    assert page.status_code == 200
    assert "Oscar Othercohort" in page.content.decode()
    done = client.post(url, {"answer": "met", "note": "Coffee by the canal"})
    assert "Your answer is saved" in done.content.decode()
    check.refresh_from_db()
    assert (check.answer, check.note) == (Answer.MET, "Coffee by the canal")
    assert check.link_used_at is not None
    again = client.get(url)
    assert again.status_code == 200
    assert "You have already answered this, thank you" in again.content.decode()
    assert reverse("account_login") in again.content.decode()
    client.post(url, {"answer": "did_not_meet"})
    check.refresh_from_db()
    assert check.answer == Answer.MET


def test_a_forged_link_gets_a_clear_page(cast, client):
    check = coffee_check(cast, cast.member)
    token = link_token(check)
    for bad in (token[:-3] + "abc", "not-a-token", token.replace(":", "")):
        page = client.get(reverse("meet:link", args=[bad]))
        assert page.status_code == 404
        assert "not one Cadre made" in page.content.decode()
    check.nonce = "changed"
    check.save()
    assert client.get(reverse("meet:link", args=[token])).status_code == 404


def test_an_expired_link_gets_a_clear_page(cast, client):
    check = coffee_check(cast, cast.member)
    url = link_of(check)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        page = client.get(url)
    assert page.status_code == 404
    assert "This link has expired" in page.content.decode()


@pytest.mark.parametrize("answer", ["", "maybe"])
def test_the_link_page_says_what_is_wrong_with_a_bad_answer(cast, client, answer):
    check = coffee_check(cast, cast.member)
    page = client.post(link_of(check), {"answer": answer})
    assert page.status_code == 200
    assert "errorlist" in page.content.decode()
    check.refresh_from_db()
    assert check.link_used_at is None


def test_the_email_link_is_the_one_the_page_takes(cast, smtp_inbox, client):
    coffee_round(cast, announced_days_ago=8)
    ask_due_meeting_checks.enqueue()
    run_worker()
    body = smtp_inbox.bodies()[0]
    path = re.search(r"https?://[^/\s]+(/meet/\S+/)", body).group(1)
    assert client.get(path).status_code == 200


def test_a_coaching_group_is_asked_a_week_after_its_round_starts(cast):
    from cadre.rotations.models import CoachingGroup, CoachingRound, CoachingSeat

    round_ = CoachingRound.objects.create(
        cohort=cast.cohort, number=1, starts_on=timezone.localdate() - timedelta(days=8)
    )
    group = CoachingGroup.objects.create(round=round_, index=0)
    CoachingSeat.objects.create(group=group, user=cast.member, role="coach")
    CoachingSeat.objects.create(group=group, user=cast.host, role="coachee")
    assert ask_due().checks == 2
    check = MeetingCheck.objects.get(user=cast.member)
    assert (check.kind, check.cohort) == ("coaching", cast.cohort)
    assert ask_due().checks == 0
