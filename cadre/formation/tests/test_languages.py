"""Formation in the reader's language: the intake pages, the application form, a run, the
proposal and the publish page; the publication e-mail in each recipient's language; the
services' refusals in the active language (docs/languages.md)."""

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from cadre.formation import proposals, publishing, services
from cadre.formation.models import Application, RunStatus
from cadre.lib.rules import Refused
from cadre.testing import save_language

from .helpers import run_worker


@pytest.fixture
def run(cast: Any, intake: Any, applied: Any) -> Any:
    started = proposals.start_run(intake, cast.organizer, seconds=1, seed=2)
    run_worker()
    started.refresh_from_db()
    assert started.status == RunStatus.DONE
    return started


def test_an_applicant_reads_the_intake_and_the_form_in_spanish(cast, client_for, url, intake):
    save_language(cast.member, "es")
    browser = client_for(cast.member)
    listing = browser.get(reverse("formation:list", args=[cast.network.slug])).content.decode()
    assert "Convocatorias en" in listing and "Intakes in" not in listing
    detail = browser.get(url("detail")).content.decode()
    assert "Lo que se proponen las cohortes" in detail
    assert "What the cohorts set out to do" not in detail
    form = browser.get(url("apply")).content.decode()
    assert "Enviar mi inscripción" in form and "Send my application" not in form
    assert "Por qué te inscribes" in form  # a form label
    assert "3 · sé hacerlo por mi cuenta" in form  # a skill level's choice label
    assert "Cuándo puedes reunirte" in form


def test_an_organizer_runs_formation_and_reads_the_proposal_in_german(
    cast, client_for, url, intake, run
):
    save_language(cast.organizer, "de")
    browser = client_for(cast.organizer)
    detail = browser.get(url("detail")).content.decode()
    assert "Kohorten zusammenstellen" in detail and "Forming cohorts" not in detail
    assert "Am wichtigsten" in detail  # the importance choices
    proposal = browser.get(url("proposal")).content.decode()
    assert "Vorgeschlagene Kohorten für" in proposal
    assert "Zusammengestellt für:" in proposal
    assert "Vielfalt zählt am meisten" in proposal  # the criteria's summary
    assert "Proposed cohorts" not in proposal and "Formed for:" not in proposal
    publish = browser.get(url("publish")).content.decode()
    assert "Kohorten benennen und veröffentlichen" in publish
    assert "Wer eine E-Mail bekommt" in publish and "Who will be e-mailed" not in publish


def test_the_publication_email_is_in_each_recipients_language(cast, intake, run, applied):
    save_language(cast.member, "es")
    german = next(a.user for a in applied if a.user != cast.member)
    save_language(german, "de")
    english = next(a.user for a in applied if a.user not in (cast.member, german))
    with translation.override("de"):  # the organizer's page language does not matter
        publishing.publish(intake=intake, run=run, by=cast.organizer, confirm=True)
    run_worker()
    by_address = {m.to[0]: m for m in mail.outbox}
    spanish_mail = by_address[cast.member.email]
    assert spanish_mail.subject.startswith("[Cadre] Tu cohorte: ")
    assert "Tu cohorte:" in spanish_mail.body and "están formadas" in spanish_mail.body
    german_mail = by_address[german.email]
    assert german_mail.subject.startswith("[Cadre] Deine Kohorte: ")
    assert "stehen fest" in german_mail.body
    english_mail = by_address[english.email]
    assert english_mail.subject.startswith("[Cadre] Your cohort: ")
    assert "are formed" in english_mail.body


def test_a_services_refusal_follows_the_active_language(cast, intake):
    with translation.override("de"), pytest.raises(Refused) as refused:
        services.withdraw_application(user=cast.outsider, intake=intake)
    assert refused.value.message == "Du hast keine Bewerbung, die du zurückziehen könntest."
    with translation.override("es"), pytest.raises(Refused) as refused:
        services.require_intake_manager(user=cast.member, network=intake.network)
    assert refused.value.message == (
        f"Solo el equipo organizador de {intake.network.name} gestiona convocatorias."
    )


def test_a_withdrawal_message_is_shown_in_the_readers_language(cast, client_for, url, applied):
    save_language(cast.member, "de")
    browser = client_for(cast.member)
    page = browser.post(url("withdraw"), follow=True).content.decode()
    assert "Deine Bewerbung ist zurückgezogen." in page
    assert Application.objects.get(user=cast.member).withdrawn


def test_the_engines_reasons_and_explanation_are_shown_in_the_readers_language(
    cast, client_for, url, intake, run
):
    run.scores = [
        {**score, "reasons": ["5 people from 3 functions, 1 industry, 2 organizations."]}
        for score in run.scores
    ]
    run.scores[-1]["common_slots"] = []  # the explanation shows when a cohort cannot meet
    run.result = {
        **run.result,
        "explanation": [
            "1 of 2 cohorts cannot meet (cohort 2): no 60-minute slot has every member free.",
            "A sentence the engine learnt later.",
        ],
    }
    run.save()
    save_language(cast.organizer, "es")
    spanish = client_for(cast.organizer).get(url("proposal")).content.decode()
    assert "5 personas de 3 funciones, 1 sector, 2 organizaciones." in spanish
    assert "5 people from" not in spanish
    assert "1 de 2 cohortes no pueden reunirse (cohorte 2)" in spanish
    assert "A sentence the engine learnt later." in spanish  # unknown: shown as written
    save_language(cast.organizer, "de")
    german = client_for(cast.organizer).get(url("proposal")).content.decode()
    assert "5 Personen aus 3 Funktionen, 1 Branche, 2 Organisationen." in german


@pytest.mark.parametrize(
    "english, spanish, german",
    [
        (
            "Everyone can meet for a 60-minute session at Mon 09:00 UTC, Tue 10:00 UTC and 2 "
            "more start times.",
            "Todos pueden reunirse en una sesión de 60 minutos el lun 09:00 UTC, mar 10:00 UTC "
            "y en 2 horas de inicio más.",
            "Alle können sich zu einer 60-minütigen Sitzung am Mo 09:00 UTC, Di 10:00 UTC "
            "treffen, und zu 2 weiteren Anfangszeiten.",
        ),
        (
            "No 90-minute slot fits everyone; at best 3 of 5 can meet (Wed 14:00 UTC).",
            "Ningún hueco de 90 minutos le va bien a todos; como mucho pueden reunirse 3 de 5 "
            "(mié 14:00 UTC).",
            "Kein 90-minütiges Zeitfenster passt allen; höchstens 3 von 5 können sich treffen "
            "(Mi 14:00 UTC).",
        ),
        (
            "Covers 2 of 3 target skills at level 3 or more (missing sql).",
            "Cubre 2 de 3 habilidades objetivo con nivel 3 o más (faltan sql).",
            "Deckt 2 von 3 Zielfähigkeiten auf Stufe 3 oder höher ab (es fehlen sql).",
        ),
        (
            "Shared goals: data (3 people), research (2 people).",
            "Objetivos compartidos: data (3 personas), research (2 personas).",
            "Gemeinsame Ziele: data (3 Personen), research (2 Personen).",
        ),
        (
            "At best 1 cohort cannot meet, whatever the arrangement (counted exactly over "
            "everyone's start hours, the cohort sizes and the constraints); this arrangement "
            "leaves 2.",
            "Como mínimo 1 cohorte no puede reunirse, sea cual sea la distribución (contado "
            "exactamente sobre las horas de inicio de todos, los tamaños de las cohortes y las "
            "restricciones); esta distribución deja 2.",
            "Mindestens 1 Kohorte kann sich nicht treffen, wie auch immer aufgeteilt wird (genau "
            "gezählt über die Anfangszeiten aller, die Kohortengrößen und die Bedingungen); "
            "diese Aufteilung lässt 2 übrig.",
        ),
        (
            "No proposal could be formed (infeasible).",
            "No se pudo formar ninguna propuesta (infeasible).",
            "Es konnte kein Vorschlag gebildet werden (infeasible).",
        ),
    ],
)
def test_each_known_engine_sentence_is_written_again_and_reads_the_same_in_english(
    english, spanish, german
):
    from cadre.formation.wording import in_words

    with translation.override("en"):
        assert in_words(english) == english
    with translation.override("es"):
        assert in_words(english) == spanish
    with translation.override("de"):
        assert in_words(english) == german


def test_a_failed_runs_reason_is_in_the_readers_language(cast, client_for, url, intake, applied):
    failed = proposals.start_run(intake, cast.organizer, seconds=1, seed=2)
    failed.status = RunStatus.FAILED
    failed.error = "Formation stopped with an error: division by zero"
    failed.save()
    save_language(cast.organizer, "es")
    page = client_for(cast.organizer).get(url("detail")).content.decode()
    assert "La formación se detuvo con un error: division by zero" in page
    save_language(cast.organizer, "de")
    page = client_for(cast.organizer).get(url("detail")).content.decode()
    assert "Die Bildung wurde mit einem Fehler abgebrochen: division by zero" in page
