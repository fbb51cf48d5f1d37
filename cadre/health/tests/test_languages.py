"""Cohort health in the reader's language: the pages, the drift signals written again from
their words, the thresholds' form, a service's refusal, and the digest's drift lines in each
recipient's language (docs/languages.md)."""

import pytest
from django.utils import translation

from cadre.health import facts, services
from cadre.health.models import CohortHealth
from cadre.reminders.tasks import queue_due_reminders
from cadre.testing import run_worker, save_language

from .helpers import blocker, falling_attendance, recent_updates, settle_in
from .test_views import COHORT_URL, NETWORK_URL, SETTINGS_URL
from .test_worker import _digests, next_monday


def _received(inbox) -> dict[str, str]:
    """Every recipient's messages, whatever language their subjects are in."""
    found: dict[str, str] = {}
    for envelope, body in zip(inbox.messages, inbox.bodies(), strict=True):
        found[envelope.rcpt_tos[0]] = found.get(envelope.rcpt_tos[0], "") + body
    return found


GERMAN = "Hindernisse ohne Hilfsangebot"


@pytest.fixture
def drifting(cast):
    settle_in(cast.cohort)
    falling_attendance(cast.cohort, [cast.host, cast.member, cast.newcomer])
    recent_updates(cast.cohort)
    blocker(cast.member, cast.cohort, 3, text="Need read access to the incident database")
    recent_updates(cast.other_cohort)
    facts.refresh(facts.tracked_cohorts())
    return cast


def test_the_cohort_page_writes_the_signals_in_german(drifting, client_for):
    save_language(drifting.host, "de")
    page = client_for(drifting.host).get(COHORT_URL).content.decode()
    assert "<h1>Gesundheit der Kohorte</h1>" in page
    assert GERMAN in page and "Was tun:" in page and "Die Anwesenheit sinkt" in page
    assert "Mo Member: „Need read access to the incident database“" in page
    assert "Blockers without an offer of help" not in page and "What to do:" not in page
    # The snapshot keeps its text in English, for the API and for English readers.
    stored = CohortHealth.objects.get(cohort=drifting.cohort).signals
    assert {s["title"] for s in stored} >= {"Blockers without an offer of help"}
    english = client_for(drifting.organizer).get(COHORT_URL).content.decode()
    assert "Blockers without an offer of help" in english


def test_the_network_page_and_thresholds_speak_spanish(drifting, client_for):
    save_language(drifting.organizer, "es")
    browser = client_for(drifting.organizer)
    page = browser.get(NETWORK_URL).content.decode()
    assert "<h1>Salud de las cohortes</h1>" in page
    assert "Bloqueos sin oferta de ayuda" in page and "Se desvía" in page
    assert "Most reused in the library" not in page
    refused = browser.post(SETTINGS_URL, {"attendance_window": "40"})
    assert "Elige entre 2 y 12 sesiones." in refused.content.decode()


def test_a_refusal_is_written_in_the_active_language(drifting):
    with translation.override("de"), pytest.raises(services.Refused) as refused:
        services.refresh_cohort(drifting.member, drifting.cohort)
    assert refused.value.message == (
        "Nur die Gastgeber:innen der Kohorte und das Organisationsteam des Netzwerks "
        "aktualisieren sie."
    )


def test_the_digest_writes_drift_signals_in_each_recipients_language(drifting, smtp_inbox):
    save_language(drifting.host, "de")
    queue_due_reminders.enqueue(next_monday().isoformat())
    run_worker()
    german = _received(smtp_inbox)[drifting.host.email]
    assert "Gesundheit der Kohorten: Warnsignale" in german
    assert GERMAN in german and "Was tun:" in german
    assert "What to do:" not in german
    english = _digests(smtp_inbox)[drifting.organizer.email]
    assert "Cohort health: drift signals" in english and "Blockers without an offer" in english


@pytest.mark.parametrize("language, any_", [("es", "Cualquiera"), ("de", "Beliebig")])
def test_the_network_health_filters_offer_any_in_the_readers_language(
    cast, client_for, language, any_
):
    save_language(cast.organizer, language)
    page = client_for(cast.organizer).get(NETWORK_URL).content.decode()
    assert page.count(f'<option value="">{any_}</option>') == 3
    assert '<option value="">Any</option>' not in page
