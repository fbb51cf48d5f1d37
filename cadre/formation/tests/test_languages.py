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
