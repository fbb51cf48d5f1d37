"""Snapshots refreshed by the real worker, the `cadre health refresh` command, and drift
signals in the Monday digest delivered over SMTP."""

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import timezone

from cadre.health import facts
from cadre.health.models import CohortHealth
from cadre.health.tasks import refresh_network_health, refresh_stale_health
from cadre.reminders.models import NotificationPreference
from cadre.reminders.tasks import queue_due_reminders
from cadre.testing import run_worker

from .helpers import blocker, falling_attendance, recent_updates, settle_in


def make_drift(cast):
    settle_in(cast.cohort)
    falling_attendance(cast.cohort, [cast.host, cast.member, cast.newcomer])
    recent_updates(cast.cohort)
    recent_updates(cast.other_cohort)
    blocker(cast.member, cast.cohort, 3, text="Need read access to the incident database")


def next_monday() -> datetime:
    today = timezone.now().astimezone(UTC)
    day = today.date() + timedelta(days=(7 - today.weekday()) % 7 or 7)
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)


def test_the_periodic_refresh_fills_missing_snapshots_through_the_real_worker(cast):
    make_drift(cast)
    assert not CohortHealth.objects.exists()
    refresh_stale_health.enqueue()
    run_worker()
    snapshot = CohortHealth.objects.get(cohort=cast.cohort)
    assert snapshot.status == "drifting"
    assert "blockers_unanswered" in [s["code"] for s in snapshot.signals]
    assert CohortHealth.objects.get(cohort=cast.other_cohort).status == "ok"


def test_a_queued_network_refresh_is_run_by_the_worker(cast):
    make_drift(cast)
    facts.refresh(facts.tracked_cohorts())
    CohortHealth.objects.update(signals=[], status="ok")
    refresh_network_health.enqueue(cast.network.pk)
    run_worker()
    assert CohortHealth.objects.get(cohort=cast.cohort).status == "drifting"


def test_the_health_refresh_command(cast):
    make_drift(cast)
    out = StringIO()
    call_command("health", "refresh", stdout=out)
    assert "Refreshed the health of 2 cohorts." in out.getvalue()
    call_command("health", "refresh", "--network", "northwind", stdout=out)
    call_command("health", "refresh", "--stale", stdout=out)
    assert out.getvalue().splitlines()[-1] == "Refreshed the health of 0 cohorts."
    with pytest.raises(CommandError, match="no network with the slug 'nowhere'"):
        call_command("health", "refresh", "--network", "nowhere")


def _digests(inbox) -> dict[str, str]:
    found = {}
    for envelope, body in zip(inbox.messages, inbox.bodies(), strict=True):
        message = message_from_bytes(envelope.content, policy=policy.default)
        if message["Subject"].startswith("[Cadre] Your week"):
            found[envelope.rcpt_tos[0]] = body
    return found


def test_the_monday_digest_carries_drift_signals_to_hosts_and_organizers(cast, smtp_inbox):
    make_drift(cast)
    facts.refresh(facts.tracked_cohorts())
    NotificationPreference.objects.create(user=cast.admin, weekly_digest=False)
    queue_due_reminders.enqueue(next_monday().isoformat())
    run_worker()
    digests = _digests(smtp_inbox)
    for person in (cast.host, cast.organizer):
        body = digests[person.email]
        assert "Cohort health: drift signals" in body
        assert "Platform Reliability (Drifting):" in body
        assert "Blockers without an offer of help" in body
        assert "Mo Member: “Need read access to the incident database”" in body
        assert "What to do:" in body
        assert "/n/northwind/health/c/reliability/" in body
    # Members get their usual digest without signals about named peers.
    assert "Cohort health" not in digests[cast.member.email]
    assert "Cohort health" not in digests[cast.other_cohort_member.email]
    # The admin turned the digest off; mentors and partners see no cohort's health.
    assert not {cast.admin.email, cast.mentor.email, cast.partner.email} & set(digests)


def test_the_snapshot_age_comes_from_settings_or_the_environment(settings, monkeypatch):
    from cadre.health.tasks import max_age

    assert max_age() == timedelta(hours=1)
    monkeypatch.setenv("CADRE_HEALTH_MAX_AGE_MINUTES", "15")
    assert max_age() == timedelta(minutes=15)
    settings.CADRE_HEALTH_MAX_AGE_MINUTES = 5
    assert max_age() == timedelta(minutes=5)
    settings.CADRE_HEALTH_MAX_AGE_MINUTES = "soon"
    with pytest.raises(ImproperlyConfigured, match="whole number of minutes, not 'soon'"):
        max_age()
