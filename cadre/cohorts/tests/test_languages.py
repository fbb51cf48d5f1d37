"""A cohort's settings, status, members, charter and close pages in the reader's language,
the cohort's choices, and the services' refusals in the language active when they are
raised (docs/languages.md)."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from cadre.cohorts import services
from cadre.cohorts.models import Cadence, Cohort, CohortStatus
from cadre.lib.rules import Refused
from cadre.testing import save_language

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)


def page(client_for: Any, user: Any, path: str) -> str:
    response = client_for(user).get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_members_and_status_pages_speak_german(cast, client_for, url):
    save_language(cast.organizer, "de")
    members = page(client_for, cast.organizer, url("members"))
    assert "Mitglieder von" in members and "Jemanden hinzufügen" in members
    assert "Add someone" not in members and "Current members" not in members
    status = page(client_for, cast.organizer, url("status"))
    assert "Status von" in status and "Die Kohorte läuft" in status
    assert "Status of" not in status and "The cohort is running" not in status


def test_the_settings_and_new_cohort_pages_speak_spanish(cast, client_for, url):
    save_language(cast.organizer, "es")
    settings = page(client_for, cast.organizer, url("edit"))
    assert "Configuración de" in settings and "Guardar la configuración" in settings
    assert "Cada dos semanas" in settings  # the cadence's choices
    assert "Save the settings" not in settings and "Every two weeks" not in settings
    new = page(client_for, cast.organizer, reverse("cohorts:new", args=[cast.network.slug]))
    assert "Nueva cohorte" in new and "Crear la cohorte" in new
    assert "Create the cohort" not in new


def test_the_charter_pages_speak_german(cast, client_for, url):
    save_language(cast.host, "de")
    cast.cohort.add_charter_version(
        created_by=cast.host,
        based_on=1,
        mission="A new mission",
        weekly_hours=2,
        learning_formats=["case"],
        project_kinds="Real work",
        norms="Start on time.",
        next_review_on="2026-06-01",
        change_note="Sharper",
    )
    edit = page(client_for, cast.host, url("charter_edit"))
    assert "Charta bearbeiten" in edit and "Version 3 speichern" in edit
    assert "Wöchentlicher Zeitaufwand (Stunden)" in edit
    history = page(client_for, cast.host, url("charter_history"))
    assert "Mit v1 vergleichen" in history and "Compare with" not in history
    diff = page(client_for, cast.host, url("charter_diff", **{"from": 1, "to": 2}))
    assert "Charta: Version 1 → Version 2" in diff and "Unverändert" in diff
    assert "Nothing changed" not in diff and "Unchanged" not in diff


def test_the_close_page_speaks_spanish(cast, client_for, url):
    Cohort.objects.filter(pk=cast.cohort.pk).update(status=CohortStatus.COMPLETED)
    save_language(cast.organizer, "es")
    close = page(client_for, cast.organizer, url("close"))
    assert "1. El informe de impacto" in close and "Renovar la cohorte" in close
    assert "Completada" in close  # the status badge
    assert "The impact report" not in close and "Renew the cohort" not in close


def test_the_cohorts_choices_follow_the_language():
    with translation.override("de"):
        assert str(CohortStatus.ACTIVE.label) == "Aktiv"
        assert str(Cadence.WEEKLY.label) == "Jede Woche"
    assert str(CohortStatus.ACTIVE.label) == "Active"


def test_a_refusal_is_in_the_language_active_when_it_is_raised(cast):
    with translation.override("es"), pytest.raises(Refused) as refused:
        services.change_status(cast.member, cast.cohort, status=CohortStatus.PAUSED)
    assert refused.value.message == (
        "Solo quienes organizan la red cambian el estado de una cohorte."
    )
    with pytest.raises(Refused) as english:
        services.change_status(cast.member, cast.cohort, status=CohortStatus.PAUSED)
    assert english.value.message == services.STATUS_FOR_ORGANIZERS


def test_a_refused_status_change_shows_in_the_readers_language(cast, client_for, url):
    save_language(cast.organizer, "de")
    response = client_for(cast.organizer).post(url("status"), {"status": "forming"})
    assert "Eine begonnene Kohorte geht nicht zurück in den Aufbau" in response.content.decode()
