"""Publishing a proposal: cohorts and memberships in one transaction, then e-mail to every
applicant; publishing twice is refused."""

from typing import Any

import pytest
from django.core import mail

from cadre.cohorts.models import Cohort, CohortMembership, CohortStatus
from cadre.formation import proposals, publishing
from cadre.formation.models import IntakeStatus, RunStatus

from .helpers import run_worker


@pytest.fixture
def run(cast: Any, intake: Any, applied: Any) -> Any:
    started = proposals.start_run(intake, cast.organizer, seconds=1, seed=2)
    run_worker()
    started.refresh_from_db()
    assert started.status == RunStatus.DONE
    return started


def new_cohorts(cast: Any) -> Any:
    return Cohort.objects.filter(network=cast.network).exclude(
        pk__in=[cast.cohort.pk, cast.other_cohort.pk]
    )


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_publishing_creates_the_cohorts_and_emails_every_applicant(
    cast, client_for, url, intake, run, applied, who
):
    response = client_for(getattr(cast, who)).post(url("publish"))
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.PUBLISHED and intake.published_at
    cohorts = list(new_cohorts(cast).order_by("name"))
    assert len(cohorts) == len(run.assignment)
    assert [c.name for c in cohorts] == [
        f"Spring Intake · Cohort {n}" for n in range(1, len(cohorts) + 1)
    ]
    assert all(c.status == CohortStatus.FORMING for c in cohorts)
    assert all(c.objective == intake.objective for c in cohorts)
    assert len({c.slug for c in cohorts}) == len(cohorts)
    by_pk = {a.pk: a.user_id for a in applied}
    for cohort, group in zip(cohorts, run.assignment, strict=True):
        members = set(
            CohortMembership.objects.filter(cohort=cohort).values_list("user_id", flat=True)
        )
        assert members == {by_pk[pk] for pk in group}
    run.refresh_from_db()
    assert sorted(run.published_cohorts) == sorted(c.pk for c in cohorts)

    assert mail.outbox == []  # nothing is sent in the web request
    run_worker()
    assert len(mail.outbox) == len(applied)
    to_member = next(m for m in mail.outbox if m.to == [cast.member.email])
    mine = CohortMembership.objects.get(user=cast.member, cohort__in=cohorts).cohort
    assert mine.name in to_member.subject
    assert mine.get_absolute_url() in to_member.body
    others = CohortMembership.objects.filter(cohort=mine).exclude(user=cast.member)
    for membership in others.select_related("user"):
        assert membership.user.name in to_member.body


def test_publishing_twice_is_refused(cast, client_for, url, run):
    client = client_for(cast.organizer)
    client.post(url("publish"))
    run_worker()
    count, sent = new_cohorts(cast).count(), len(mail.outbox)
    response = client.post(url("publish"), follow=True)
    run_worker()
    assert "already published" in response.content.decode()
    assert new_cohorts(cast).count() == count
    assert len(mail.outbox) == sent


def test_a_failure_half_way_creates_nothing(cast, client_for, url, intake, run, monkeypatch):
    # Every cohort gets the same slug, so the second one breaks the unique constraint after
    # the first cohort and its memberships were written.
    monkeypatch.setattr(publishing, "cohort_slug", lambda intake, number, taken: "clash")
    response = client_for(cast.organizer).post(url("publish"), follow=True)
    assert "Nothing was published" in response.content.decode()
    assert not new_cohorts(cast).exists()
    assert not CohortMembership.objects.filter(cohort__slug="clash").exists()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.OPEN
    run_worker()
    assert mail.outbox == []


def test_published_proposal_can_no_longer_change(cast, client_for, url, run, intake):
    client = client_for(cast.organizer)
    client.post(url("publish"))
    pk = run.assignment[0][0]
    response = client.post(url("move"), {"application": pk, "cohort": 2}, follow=True)
    assert "published" in response.content.decode()
    run.refresh_from_db()
    assert pk in run.assignment[0]
    assert client.post(url("rerun"), {"seconds": 1, "seed": 1}).status_code == 302
    assert intake.runs.count() == 1
    page = client.get(url("proposal"))
    assert b"Publish the cohorts" not in page.content


def test_slugs_step_around_existing_cohorts(cast, intake):
    taken = {"spring-1", "spring-1-2"}
    assert publishing.cohort_slug(intake, 1, taken) == "spring-1-3"
    assert publishing.cohort_slug(intake, 2, taken) == "spring-2"


def test_applicants_get_their_cohort_by_real_smtp(cast, client_for, url, run, applied, smtp_inbox):
    client_for(cast.organizer).post(url("publish"))
    run_worker()
    assert len(smtp_inbox.messages) == len(applied)
    recipients = sorted(r for m in smtp_inbox.messages for r in m.rcpt_tos)
    assert recipients == sorted(a.user.email for a in applied)
    body = next(
        b
        for m, b in zip(smtp_inbox.messages, smtp_inbox.bodies(), strict=True)
        if m.rcpt_tos == [cast.member.email]
    )
    assert "You are in Spring Intake · Cohort" in body
    assert "Mo Member (you)" in body
