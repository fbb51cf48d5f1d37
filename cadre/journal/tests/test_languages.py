"""The journal in the reader's language: its lists, form, choices and messages, and its
refusals in the active language (docs/languages.md)."""

import pytest
from django.urls import reverse
from django.utils import translation

from cadre.journal import services
from cadre.testing import save_language

from .helpers import entry_for

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}


def test_my_journal_speaks_the_readers_language(cast, client_for):
    save_language(cast.member, "de")
    page = client_for(cast.member).get(reverse("journal:mine", args=[cast.network.slug]))
    text = page.content.decode()
    assert "Einen Eintrag schreiben" in text
    assert "Du hast noch nichts geschrieben." in text
    assert "Write an entry" not in text and "You have not written anything yet." not in text


def test_the_entry_form_and_an_entry_speak_spanish(cast, client_for):
    browser = client_for(cast.member)
    form = browser.get(reverse("journal:new", args=[cast.network.slug]), **SPANISH)
    text = form.content.decode()
    assert "<h1>Escribir en mi diario</h1>" in text
    assert "Solo yo (y las personas que nombro)" in text  # a visibility choice
    assert "Compartir también con" in text  # a label
    entry = entry_for(cast, "network", title="Retro notes")
    shown = browser.get(reverse("journal:entry", args=[cast.network.slug, entry.pk]), **SPANISH)
    assert "Todas las personas de Northwind Learning excepto los socios." in shown.content.decode()


def test_the_journal_saves_with_a_message_in_the_readers_language(cast, client_for):
    save_language(cast.member, "de")
    response = client_for(cast.member).post(
        reverse("journal:new", args=[cast.network.slug]),
        {"title": "Erste Notiz", "body": "Heute gelernt.", "visibility": "private"},
        follow=True,
    )
    assert "Dein Journaleintrag ist gespeichert." in response.content.decode()


def test_a_journal_refusal_is_in_the_active_language(cast):
    entry = entry_for(cast, "network")
    with translation.override("de"):
        refusal = services.changing_refusal(cast.host, entry)
    assert refusal is not None
    assert (
        refusal.message == "Nur wer einen Journaleintrag geschrieben hat, ändert oder löscht ihn."
    )


@pytest.mark.parametrize(("language", "month"), [("es", "Dic"), ("de", "Dez")])
def test_a_sessions_choice_names_its_month_in_the_active_language(language, month):
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from cadre.journal.forms import SessionChoiceField
    from cadre.schedule.models import Session

    session = SimpleNamespace(
        cohort=SimpleNamespace(name="Platform"),
        label="Session 4",
        starts_at=datetime(2026, 12, 3, 15, tzinfo=UTC),
    )
    field = SessionChoiceField(queryset=Session.objects.none())
    with translation.override(language):
        assert field.label_from_instance(session) == f"Platform: Session 4, 3 {month} 2026"
