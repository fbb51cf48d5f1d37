"""The calendar files in a language: a session's .ics in the page's, the personal feed in
its owner's saved language, whatever the calendar app that fetches it asks for
(docs/languages.md)."""

import pytest
from django.urls import reverse

from cadre.schedule.models import CalendarToken
from cadre.testing import save_language

from .helpers import add_members, make_held_session, make_schedule

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)


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
