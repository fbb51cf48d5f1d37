"""Planning's refusals in the reader's language, with the date in its words."""

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cadre.api.models import ApiToken
from cadre.rotations.models import CoachingRound
from cadre.testing import save_language
from cadre.testing_parity import Caller, page_as

API = "/api/v1/networks/northwind"
TODAY = date(2026, 3, 4)

SAID = {
    "es": "La siguiente ronda debe empezar después de la ronda 1 (4 de marzo de 2026).",
    "de": "Die nächste Runde muss nach Runde 1 (4. März 2026) beginnen.",
    "en": "The next round must start after round 1 (March 4, 2026).",
}


@pytest.mark.parametrize("language", ["es", "de", "en"])
def test_a_round_before_the_last_started_one_is_refused_in_the_readers_language(cast, language):
    plan_url = reverse("coaching:plan", args=[cast.network.slug, cast.cohort.slug])
    with time_machine.travel(TODAY, tick=False):
        assert (
            page_as(cast.host).post(plan_url, {"rounds": "1", "format": "pair"}).status_code == 302
        )
        CoachingRound.objects.update(starts_on=TODAY)
        save_language(cast.host, language)
        starts = TODAY.isoformat()
        page = page_as(cast.host).post(
            plan_url, {"rounds": "1", "format": "pair", "starts_on": starts}
        )
        # The API follows the request's language.
        caller = Caller(Client(HTTP_ACCEPT_LANGUAGE=language), ApiToken.issue(cast.host, "t")[1])
        api = caller.post(
            f"{API}/cohorts/{cast.cohort.slug}/coaching",
            {"rounds": 1, "format": "pair", "starts_on": starts},
        )
    assert page.status_code == 200
    assert SAID[language] in page.content.decode()
    assert api.json()["error"]["message"] == SAID[language]
    assert CoachingRound.objects.count() == 1


@pytest.mark.parametrize(("language", "said"), [("es", "Los tríos"), ("de", "Dreiergruppen")])
def test_too_few_for_triads_is_refused_in_the_readers_language(cast, language, said):
    save_language(cast.host, language)
    plan_url = reverse("coaching:plan", args=[cast.network.slug, cast.cohort.slug])
    cast.cohort.memberships.exclude(user=cast.host).exclude(user=cast.member).delete()
    with time_machine.travel(TODAY + timedelta(days=1), tick=False):
        page = page_as(cast.host).post(plan_url, {"rounds": "1", "format": "triad"})
    assert page.status_code == 200
    assert said in page.content.decode() and "Triads need" not in page.content.decode()
