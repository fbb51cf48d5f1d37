"""The calendar files in a language: a session's .ics in the page's, the personal feed in
its owner's saved language, whatever the calendar app that fetches it asks for
(docs/languages.md)."""

from typing import Any

import pytest
from django.urls import reverse

from cadre.people.models import Profile
from cadre.schedule.models import CalendarToken

from .helpers import add_members, make_held_session, make_schedule

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)


def save_language(user: Any, language: str) -> None:
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.language = language
    profile.save()
    user.refresh_from_db()


def unfolded(content: bytes) -> str:
    return content.decode().replace("\r\n ", "")


def test_the_feed_is_in_its_owners_language(cast, client_for):
    make_schedule(cast.cohort)
    save_language(cast.member, "de")
    token = CalendarToken.for_user(cast.member)
    feed = unfolded(
        client_for(None)
        .get(reverse("calendar:feed", args=[token.token]), HTTP_ACCEPT_LANGUAGE="es")
        .content
    )
    assert "X-WR-CALNAME:Cadre-Sitzungen" in feed
    assert "Minuten mit Platform Reliability." in feed
    assert "minutes with" not in feed and "minutos con" not in feed


def test_a_sessions_ics_is_in_the_pages_language(cast, client_for):
    note_taker = add_members(cast.cohort, 1)[0]
    session = make_held_session(cast.cohort, facilitator=cast.member, note_taker=note_taker)
    save_language(cast.member, "es")
    path = reverse("schedule:session_ics", args=[cast.network.slug, cast.cohort.slug, session.pk])
    ics = unfolded(client_for(cast.member).get(path).content)
    assert "minutos con Platform Reliability." in ics and "Tu rol: " in ics
    assert "(tu rol: " in ics
