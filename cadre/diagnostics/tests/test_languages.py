"""Skill diagnostics in the reader's language: the gap map, rounds, the self-assessment and
the growth pages, and a refusal in the active language (docs/languages.md)."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from cadre.diagnostics import services
from cadre.lib.rules import Refused
from cadre.testing import save_language

from .helpers import assess, open_round, set_targets

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}


@pytest.fixture
def started(cast):
    set_targets(cast, facilitation=3, data_analysis=4)
    start = open_round(cast.cohort, "Start", days_ago=1)
    assess(start, "facilitation", cast.member, 1)
    return start


def url(cast: Any, name: str, *extra: Any) -> str:
    return reverse(f"diagnostics:{name}", args=[cast.network.slug, cast.cohort.slug, *extra])


def test_the_gap_map_speaks_the_readers_language(cast, client_for, started):
    save_language(cast.member, "de")
    page = client_for(cast.member).get(url(cast, "overview")).content.decode()
    assert "<h1>Fähigkeiten: Lückenkarte</h1>" in page
    assert "Wer braucht was" in page and "noch 2" in page  # facilitation: 1 of target 3
    assert "Who needs what" not in page and "2 to go" not in page
    english = client_for(cast.host).get(url(cast, "overview")).content.decode()
    assert "<h1>Skills: gap map</h1>" in english


def test_rounds_self_assessment_and_growth_speak_spanish(cast, client_for, started):
    browser = client_for(cast.member)
    rounds = browser.get(url(cast, "rounds"), **SPANISH).content.decode()
    assert "<h1>Rondas de evaluación</h1>" in rounds and "Assessment rounds" not in rounds
    mine = browser.get(url(cast, "assess"), **SPANISH).content.decode()
    assert "Guardar mi autoevaluación" in mine
    assert "Nota sobre Facilitation (opcional)" in mine
    growth = browser.get(url(cast, "growth"), **SPANISH).content.decode()
    assert "Facilitation: media de la cohorte" in growth


def test_a_diagnostics_refusal_is_in_the_active_language(cast):
    with translation.override("de"), pytest.raises(Refused) as refused:
        services.set_targets(cast.member, cast.cohort, targets=[("facilitation", 3)])
    assert refused.value.message == (
        "Zielfähigkeiten und Runden legen die Gastgeber:innen der Kohorte fest."
    )
