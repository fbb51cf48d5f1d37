"""The webhook pages, their form and their refusals in the reader's language
(docs/languages.md); the events themselves keep one format."""

import pytest
from django.urls import reverse

from cadre.testing import save_language
from cadre.webhooks import services
from cadre.webhooks.models import Endpoint

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)


def test_the_webhook_pages_speak_german(cast, client):
    save_language(cast.admin, "de")
    client.force_login(cast.admin)
    listing = client.get(reverse("webhooks:endpoints", args=[cast.network.slug])).content.decode()
    assert f"<h1>Webhooks von {cast.network.name}</h1>" in listing
    assert "Endpunkt hinzufügen" in listing and "Adresse des Empfängers" in listing
    assert "member.joined: Jemand ist einer Kohorte beigetreten." in listing  # an event's meaning
    assert "Add the endpoint" not in listing and "Someone joined a cohort." not in listing
    endpoint = services.create_endpoint(
        cast.admin, cast.network, url="https://hooks.example.test/in"
    )
    page = client.get(reverse("webhooks:endpoint", args=[cast.network.slug, endpoint.pk]))
    text = page.content.decode()
    assert "Webhook speichern" in text and "Ein Testereignis senden" in text
    assert "Save the webhook" not in text


def test_a_refused_address_is_explained_in_spanish(cast, client):
    save_language(cast.admin, "es")
    client.force_login(cast.admin)
    answer = client.post(
        reverse("webhooks:endpoints", args=[cast.network.slug]),
        {"url": "http://hooks.example.test/in", "description": ""},
    )
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "Indica la dirección completa de tu receptor, empezando por https://" in text
    assert services.URL_RULE not in text
    assert not Endpoint.objects.exists()
