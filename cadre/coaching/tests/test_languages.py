"""Coaching pages in the reader's language, and a coaching refusal in the active language
(docs/languages.md)."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from cadre.coaching import services
from cadre.lib.rules import Refused
from cadre.testing import save_language

from .helpers import feedback, session

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}


def page(client: Any, name: str, cast: Any, *extra: Any, **headers: Any) -> str:
    args = [cast.network.slug, cast.cohort.slug, *extra]
    return client.get(reverse(f"peer_coaching:{name}", args=args), **headers).content.decode()


def test_the_sessions_page_speaks_the_readers_language(cast, client_for):
    save_language(cast.member, "de")
    german = page(client_for(cast.member), "sessions", cast)
    assert "<h1>Coaching-Sitzungen</h1>" in german
    assert "Meine Sitzungen" in german and "Fragen für Coaches" not in german
    assert "My sessions" not in german
    english = page(client_for(cast.host), "sessions", cast)
    assert "<h1>Coaching sessions</h1>" in english


def test_a_session_and_the_feedback_pages_speak_spanish(cast, client_for):
    opened = session(cast.cohort, cast.member, cast.host)
    feedback(cast.cohort, cast.host, cast.member)
    browser = client_for(cast.member)
    detail = page(browser, "session", cast, opened.pk, **SPANISH)
    assert "Preguntas para el coach" in detail
    assert "Cuestionar mi plan" in detail  # the kind of help the coachee chose
    assert "Questions for the coach" not in detail
    received = page(browser, "feedback", cast, **SPANISH)
    assert "<h1>Feedback para mí</h1>" in received
    assert "Solo quien lo dio y yo" in received  # a visibility choice
    assert "Guardar quién puede leerlo" in received
    reciprocity = page(browser, "reciprocity", cast, **SPANISH)
    assert "1 sesión en total." in reciprocity


def test_a_coaching_refusal_is_in_the_active_language(cast):
    with translation.override("es"), pytest.raises(Refused) as refused:
        services.open_session(
            cast.member, cast.cohort, focus=" ", help_wanted="ideas", coach_id=cast.host.pk
        )
    assert refused.value.message == "Di en qué quieres trabajar."
    with pytest.raises(Refused) as english:
        services.open_session(
            cast.member, cast.cohort, focus=" ", help_wanted="ideas", coach_id=cast.host.pk
        )
    assert english.value.message == "Say what you want to work on."
