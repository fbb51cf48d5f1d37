"""The schedule, a session's pages, coffee and did-you-meet in the reader's language, and the
report's e-mail in each recipient's (docs/languages.md)."""

from email import message_from_bytes, policy
from typing import Any

import pytest
from django.urls import reverse

from cadre.people.models import Profile
from cadre.testing import run_worker

from .helpers import add_members, make_held_session

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}


def save_language(user: Any, language: str) -> None:
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.language = language
    profile.save()
    user.refresh_from_db()


def test_the_schedule_page_speaks_the_readers_language(cast, client_for, schedule, url):
    save_language(cast.member, "de")
    page = client_for(cast.member).get(url("page")).content.decode()
    assert "<h1>Terminplan und Rollen</h1>" in page
    assert "Anstehende Sitzungen" in page
    english = client_for(cast.host).get(url("page")).content.decode()
    assert "<h1>Schedule and roles</h1>" in english


def test_the_run_view_and_session_page_speak_spanish(cast, client_for):
    note_taker = add_members(cast.cohort, 1)[0]
    session = make_held_session(cast.cohort, facilitator=cast.member, note_taker=note_taker)
    browser = client_for(cast.host)
    run = browser.get(
        reverse("schedule:run", args=[cast.network.slug, cast.cohort.slug, session.pk]), **SPANISH
    ).content.decode()
    assert "Conducir la sesión" in run
    assert 'data-pause="Pausar el temporizador"' in run  # the timer's words for run.js
    detail = browser.get(
        reverse("schedule:session", args=[cast.network.slug, cast.cohort.slug, session.pk]),
        **SPANISH,
    ).content.decode()
    assert "Notas y aprendizajes" in detail


def test_coffee_and_did_you_meet_pages_speak_spanish(cast, client_for):
    browser = client_for(cast.member)
    coffee = browser.get(reverse("coffee:list", args=[cast.network.slug]), **SPANISH)
    assert "<h1>Café virtual</h1>" in coffee.content.decode()
    checks = browser.get(reverse("pairings:checks", args=[cast.network.slug]), **SPANISH)
    assert "<h1>¿Os reunisteis?</h1>" in checks.content.decode()


def test_the_report_email_is_in_each_recipients_language(cast, client_for, smtp_inbox):
    note_taker = add_members(cast.cohort, 1)[0]
    session = make_held_session(cast.cohort, facilitator=cast.member, note_taker=note_taker)
    save_language(cast.member, "de")
    args = [cast.network.slug, cast.cohort.slug, session.pk]
    browser = client_for(note_taker)  # publishes from an English page
    browser.post(reverse("schedule:report_draft", args=args))
    browser.post(reverse("schedule:publish", args=args), {"confirmed": "yes"})
    run_worker()
    received = {}
    for envelope in smtp_inbox.messages:
        message = message_from_bytes(envelope.content, policy=policy.default)
        received[envelope.rcpt_tos[0]] = (str(message["Subject"]), message.get_content())
    subject, body = received[cast.member.email]
    assert ": Bericht von " in subject
    assert "hat den Bericht von" in body and body.startswith("Hallo ")
    host_subject, host_body = received[cast.host.email]
    assert ": report of " in host_subject and "published the report of" in host_body
