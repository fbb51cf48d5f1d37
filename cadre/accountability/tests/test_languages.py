"""The "since last time" summary and the board's refusals in the language active when they
are written (docs/languages.md)."""

import pytest
from django.utils import translation

from cadre.accountability import services
from cadre.accountability.since import SinceLastTime
from cadre.lib.rules import Refused

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)


def test_the_first_sessions_summary_is_in_the_active_language():
    first = SinceLastTime(previous=None, since=None, until=None)
    with translation.override("es"):
        assert first.summary.startswith("Esta es la primera sesión de la cohorte")
    with translation.override("de"):
        assert first.summary.startswith("Dies ist die erste Sitzung der Kohorte")
    assert first.summary.startswith("This is the cohort’s first session")


def test_the_summarys_figures_read_as_one_sentence(monkeypatch):
    summary = SinceLastTime(previous=object(), since=None, until=None)
    counts = {"done": 9, "late": 2, "dropped": 1, "open": 0}
    monkeypatch.setattr(SinceLastTime, "count", lambda self, verdict: counts[verdict])
    monkeypatch.setattr(SinceLastTime, "due", property(lambda self: 12))
    assert summary.summary == "9 of 12 commitments done, 2 late, 1 dropped"
    with translation.override("de"):
        assert summary.summary == "9 von 12 Zusagen erledigt, 2 verspätet, 1 aufgegeben"
    counts["open"] = 3
    with translation.override("es"):
        assert summary.summary == (
            "9 de 12 compromisos cumplidos; con retraso: 2; abandonados: 1; vencen hoy: 3"
        )


def test_a_refusal_is_in_the_language_active_when_it_is_raised(cast):
    with translation.override("es"), pytest.raises(Refused) as refused:
        services.require_member(cast.outsider, cast.cohort)
    assert refused.value.message == (
        "Solo los miembros activos de la cohorte participan en su tablero."
    )


@pytest.mark.parametrize(
    "language, words, english",
    [
        (
            "es",
            ["Habilidades que ayudarían", "¿Qué te lo impide?", "obligatorio", "Empieza el"],
            ["Skills that would help", "What is in your way?", ">required<", "Starts on"],
        ),
        (
            "de",
            ["Fähigkeiten, die helfen würden", "Was steht dir im Weg?", "Pflichtfeld", "Endet am"],
            ["Skills that would help", "What is in your way?", ">required<", "Ends on"],
        ),
    ],
)
def test_the_update_and_experiment_forms_labels_and_help_follow_the_reader(
    cast, client_for, language, words, english
):
    from django.urls import reverse

    from cadre.testing import save_language

    save_language(cast.member, language)
    browser = client_for(cast.member)
    args = [cast.network.slug, cast.cohort.slug]
    pages = "".join(
        browser.get(reverse(f"accountability:{name}", args=args)).content.decode()
        for name in ("update_new", "experiment_new")
    )
    for said in words:
        assert said in pages
    for word in english:
        assert word not in pages
