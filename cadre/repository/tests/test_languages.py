"""The library in the reader's language: its list, an item, the search page and partner
groups, and a refusal in the active language (docs/languages.md)."""

import pytest
from django.urls import reverse
from django.utils import translation

from cadre.lib.rules import Refused
from cadre.repository import services
from cadre.testing import save_language

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}


def test_the_library_speaks_the_readers_language(cast, client_for, lib):
    save_language(cast.member, "de")
    page = client_for(cast.member).get(reverse("repository:list", args=[cast.network.slug]))
    text = page.content.decode()
    assert "<h1>Bibliothek von Northwind Learning</h1>" in text
    assert "Zur Bibliothek hinzufügen" in text and "Fallstudie" in text
    assert "Add to the library" not in text and "Case study" not in text
    english = client_for(cast.host).get(reverse("repository:list", args=[cast.network.slug]))
    assert "<h1>Library of Northwind Learning</h1>" in english.content.decode()


def test_an_item_and_the_search_page_speak_spanish(cast, client_for, lib):
    browser = client_for(cast.member)
    item = browser.get(lib.network_item.get_absolute_url(), **SPANISH).content.decode()
    assert "Lo he usado" in item and "Origen" in item
    assert "De Northwind Learning" in item  # where it comes from
    search = browser.get(reverse("repository:search", args=[cast.network.slug]), **SPANISH)
    assert "<h1>Buscar en la biblioteca</h1>" in search.content.decode()


def test_partner_groups_speak_german(cast, client_for, lib):
    save_language(cast.organizer, "de")
    page = client_for(cast.organizer).get(reverse("repository:partners", args=[cast.network.slug]))
    text = page.content.decode()
    assert "<h1>Partnergruppen</h1>" in text and "Gruppe anlegen" in text


def test_a_library_refusal_is_in_the_active_language(cast):
    with translation.override("es"), pytest.raises(Refused) as refused:
        services.require_item_writer(cast.partner, cast.network)
    assert refused.value.message == (
        "Los socios leen lo que se comparte con ellos; no añaden elementos."
    )


@pytest.mark.parametrize(
    ("language", "when"), [("es", "jue 03 Dic 2026"), ("de", "Do 03 Dez 2026")]
)
def test_an_upcoming_sessions_choice_names_its_day_and_month_in_the_active_language(language, when):
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from cadre.repository.forms import SessionChoiceField
    from cadre.schedule.models import Session

    session = SimpleNamespace(
        cohort=SimpleNamespace(name="Platform"),
        label="Session 4",
        starts_at=datetime(2026, 12, 3, 15, tzinfo=UTC),
        minutes=60,
    )
    field = SessionChoiceField(queryset=Session.objects.none())
    with translation.override(language):
        said = field.label_from_instance(session)
    assert said == f"Platform · Session 4 · {when} 15:00 UTC (60 min)"
