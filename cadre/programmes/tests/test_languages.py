"""Programmes in the reader's language: the list, a programme's weeks, the import and apply
pages, the messages after adding one, and the services' refusals (docs/languages.md). A
programme's own content (its title, themes and prompts) stays as it was written."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from cadre.lib.rules import Refused
from cadre.programmes import services
from cadre.schedule.tests.helpers import make_schedule
from cadre.testing import save_language

from .helpers import add_shipped


def url(name: str, *args: Any) -> str:
    return reverse(f"programmes:{name}", args=["northwind", *args])


def test_an_organizer_reads_the_programme_pages_in_spanish(cast, client_for):
    save_language(cast.organizer, "es")
    browser = client_for(cast.organizer)
    listing = browser.get(url("list")).content.decode()
    assert "<h1>Programas</h1>" in listing and "<h1>Programmes</h1>" not in listing
    assert "Programas que vienen con Cadre" in listing
    added = browser.post(url("add_shipped"), {"slug": "leading-change"}, follow=True)
    assert "se ha añadido a los programas de la red" in added.content.decode()
    mine = cast.network.programmes.get()
    detail = browser.get(url("detail", mine.pk)).content.decode()
    assert "Exportar como archivo" in detail and "Preguntas de coaching" in detail
    assert "Export as a file" not in detail
    importing = browser.get(url("import")).content.decode()
    assert "<h1>Importar un programa</h1>" in importing
    assert "Archivo del programa (.json)" in importing  # the form's label


def test_a_host_reads_the_apply_page_in_german(cast, client_for):
    make_schedule(cast.cohort)
    programme = add_shipped(cast.network, cast.organizer)
    save_language(cast.host, "de")
    page = client_for(cast.host).get(url("apply", programme.pk)).content.decode()
    assert "Das Programm auf den Zeitplan legen" in page
    assert "Lay the programme onto the schedule" not in page


def test_a_services_refusal_follows_the_active_language(cast):
    with translation.override("de"), pytest.raises(Refused) as refused:
        services.add_shipped(by=cast.member, network=cast.network, slug="leading-change")
    assert refused.value.message == "Nur das Organisationsteam des Netzwerks importiert Programme."
    with translation.override("es"), pytest.raises(Refused) as refused:
        services.add_shipped(by=cast.organizer, network=cast.network, slug="no-such-thing")
    assert refused.value.message == "Cadre no incluye ningún programa con ese nombre."
