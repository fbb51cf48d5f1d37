"""The post-session report: drafted from the session's data, edited and published by the
note-taker, e-mailed once to every member by the real worker, read by the cohort (and the
network when shared)."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.delivery.models import Message, Status
from cadre.schedule.models import (
    Attendance,
    NoteKind,
    SessionNote,
    SessionReport,
)
from cadre.schedule.reports import accountability, queue_report_emails
from cadre.testing import run_worker

from .helpers import add_members, make_held_session

EDITORS = ["admin", "organizer", "host", "note_taker"]


@pytest.fixture
def note_taker(cast: Any) -> Any:
    return add_members(cast.cohort, 1)[0]


@pytest.fixture
def session(cast: Any, note_taker: Any) -> Any:
    session = make_held_session(cast.cohort, facilitator=cast.member, note_taker=note_taker)
    Attendance.objects.create(session=session, user=cast.member, status="present")
    Attendance.objects.create(session=session, user=cast.host, status="excused")
    SessionNote.objects.create(session=session, author=cast.member, text="Reviewed the runbook")
    SessionNote.objects.create(
        session=session, author=cast.member, kind=NoteKind.INSIGHT, text="Smaller pages win"
    )
    return session


@pytest.fixture
def person(cast: Any, note_taker: Any) -> Any:
    return lambda name: note_taker if name == "note_taker" else getattr(cast, name)


def path(session: Any, name: str) -> str:
    cohort = session.cohort
    return reverse(f"schedule:{name}", args=[cohort.network.slug, cohort.slug, session.pk])


def published(session: Any, by: Any, share: bool = False) -> SessionReport:
    report = SessionReport.objects.create(session=session, body="# Notes\nAll good.")
    report.status = "published"
    report.published_at = timezone.now()
    report.published_by = by
    report.share_with_network = share
    report.save()
    return report


# --- drafting ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", EDITORS)
def test_note_taker_hosts_and_organizers_draft_the_report(cast, client_for, session, person, who):
    client = client_for(person(who))
    assert client.get(path(session, "report")).status_code == 200
    response = client.post(path(session, "report_draft"))
    assert response.status_code == 302
    body = SessionReport.objects.get(session=session).body
    assert "- Present: Mo Member" in body and "- Excused: Hana Host" in body
    assert "- Facilitator: Mo Member" in body
    assert "## Insights\n- Smaller pages win" in body
    assert "## Notes\n- Reviewed the runbook" in body


def test_the_facilitator_cannot_draft_or_publish_the_report(cast, client_for, session):
    client = client_for(cast.member)
    assert client.post(path(session, "report_draft")).status_code == 403
    assert client.post(path(session, "publish")).status_code == 403
    assert not SessionReport.objects.exists()


@pytest.mark.parametrize("who", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_people_outside_the_cohort_cannot_draft_or_publish(cast, client_for, session, who):
    client = client_for(getattr(cast, who))
    assert client.post(path(session, "report_draft")).status_code == 404
    assert client.post(path(session, "publish")).status_code == 404


def test_a_draft_is_hidden_from_members_who_do_not_edit_it(cast, client_for, session):
    SessionReport.objects.create(session=session, body="secret draft")
    assert client_for(cast.member).get(path(session, "report")).status_code == 404


def test_the_draft_includes_commitments_made_and_kept_when_accountability_exists(
    cast, client_for, session
):
    models = accountability()
    if models is None:
        pytest.skip("the accountability app is not installed")
    models.Commitment.objects.create(
        cohort=cast.cohort, owner=cast.member, text="Write the runbook", session=session
    )
    models.Commitment.objects.create(
        cohort=cast.cohort,
        owner=cast.host,
        text="Ship the dashboard",
        status="done",
        completed_at=timezone.now() - timedelta(days=1),
    )
    models.Commitment.objects.create(
        cohort=cast.cohort,
        owner=cast.host,
        text="My private goal",
        session=session,
        visibility="private",
    )
    client_for(cast.host).post(path(session, "report_draft"))
    body = SessionReport.objects.get(session=session).body
    assert "## Commitments made\n- Mo Member: Write the runbook" in body
    assert "## Commitments done since last time\n- Hana Host: Ship the dashboard" in body
    assert "My private goal" not in body


def test_the_note_taker_edits_the_draft(cast, client_for, session, note_taker):
    client = client_for(note_taker)
    client.post(path(session, "report_draft"))
    response = client.post(
        path(session, "report"),
        {"body": "Edited body", "what_worked": "Timeboxes", "what_did_not": "Audio, late start"},
    )
    assert response.status_code == 302
    report = SessionReport.objects.get(session=session)
    assert (report.body, report.what_worked) == ("Edited body", "Timeboxes")
    assert report.status == "draft"


# --- publishing and e-mail -----------------------------------------------------------------


def test_publishing_emails_every_member_once_even_when_asked_again(
    cast, client_for, session, note_taker, smtp_inbox
):
    client = client_for(note_taker)
    client.post(path(session, "report_draft"))
    response = client.post(
        path(session, "publish"), {"share_with_network": "on", "confirmed": "yes"}
    )
    assert response.status_code == 302
    report = SessionReport.objects.get(session=session)
    assert report.status == "published" and report.share_with_network
    assert report.published_by == note_taker
    assert smtp_inbox.messages == []  # nothing is sent in the web request

    run_worker()
    members = {cast.host.email, cast.member.email, cast.newcomer.email, note_taker.email}
    recipients = [rcpt for m in smtp_inbox.messages for rcpt in m.rcpt_tos]
    assert sorted(recipients) == sorted(members)
    assert "Smaller pages win" in smtp_inbox.bodies()[0]
    assert Message.objects.filter(key__startswith="report:", status=Status.SENT).count() == 4

    # Asking again queues nothing twice.
    assert queue_report_emails(report) == 0
    run_worker()
    assert len(smtp_inbox.messages) == 4


def test_publishing_twice_queues_nothing_more(cast, client_for, session, smtp_inbox):
    client = client_for(cast.host)
    client.post(path(session, "report_draft"))
    client.post(path(session, "publish"), {"confirmed": "yes"})
    client.post(path(session, "publish"), {"confirmed": "yes"})
    run_worker()
    assert len(smtp_inbox.messages) == 4


def test_a_draft_is_never_emailed(cast, session, smtp_inbox):
    report = SessionReport.objects.create(session=session, body="draft")
    assert queue_report_emails(report) == 0
    assert smtp_inbox.messages == []


# --- who reads a published report ----------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "organizer", "host", "member", "note_taker"])
def test_the_cohort_reads_a_published_report(cast, client_for, session, person, who):
    published(session, cast.host)
    response = client_for(person(who)).get(path(session, "report"))
    assert response.status_code == 200
    assert "All good." in response.content.decode()


@pytest.mark.parametrize("who", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_an_unshared_report_stays_in_the_cohort(cast, client_for, session, who):
    published(session, cast.host)
    assert client_for(getattr(cast, who)).get(path(session, "report")).status_code == 404


@pytest.mark.parametrize(
    "who,status",
    [("other_cohort_member", 200), ("mentor", 200), ("partner", 404), ("outsider", 404)],
)
def test_a_report_shared_with_the_network_is_read_by_its_members(
    cast, client_for, session, who, status
):
    published(session, cast.host, share=True)
    response = client_for(getattr(cast, who)).get(path(session, "report"))
    assert response.status_code == status
    if status == 200:
        assert "shared with the network" in response.content.decode()
        assert "Save the report" not in response.content.decode()


def test_anonymous_and_newcomer_cannot_read_the_report(cast, client_for, session):
    published(session, cast.host, share=True)
    assert client_for(None).get(path(session, "report")).status_code == 302
    response = client_for(cast.newcomer).get(path(session, "report"))
    assert response.url.startswith(reverse("networks:conduct", args=["northwind"]))
