"""The Slack and Teams settings pages, their messages and refusals in the reader's language;
the notices posted to channels stay English (docs/languages.md)."""

import pytest
from django.urls import reverse
from django.utils import translation

from cadre.chat import notices
from cadre.chat.models import ChannelLink
from cadre.testing import save_language

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)


def test_the_chat_settings_page_speaks_spanish(cast, client, settings):
    settings.CADRE_SLACK_CLIENT_ID = ""
    save_language(cast.admin, "es")
    client.force_login(cast.admin)
    page = client.get(reverse("chat:settings", args=[cast.network.slug])).content.decode()
    assert f"Slack y Microsoft Teams para {cast.network.name}" in page
    assert "Slack no está configurado en este servidor." in page
    assert f"Flujo de Teams de {cast.cohort.name}" in page and "Canales de cada cohorte" in page
    assert "Channels of each cohort" not in page
    deliveries = client.get(reverse("chat:deliveries", args=[cast.network.slug])).content.decode()
    assert "Todavía no se ha publicado nada." in deliveries


def test_a_refusal_and_a_message_in_german_while_the_notices_stay_english(cast, client):
    save_language(cast.admin, "de")
    client.force_login(cast.admin)
    url = reverse("chat:cohort", args=[cast.network.slug, cast.cohort.slug])
    bad = client.post(url, {"teams_url": "http://example.com/x"}, follow=True).content.decode()
    assert "Gib die Adresse eines Teams-Workflows an" in bad
    assert not ChannelLink.objects.exists()
    good = "https://prod-01.westeurope.logic.azure.com:443/workflows/x/triggers/manual"
    saved = client.post(url, {"teams_url": good}, follow=True).content.decode()
    assert f"Die Mitteilungen von {cast.cohort.name} gehen in die gewählten Kanäle." in saved
    with translation.override("de"):
        notice = notices.test_notice(cast.cohort)
    assert notice.title == f"Cadre is connected to this channel for {cast.cohort.name}"


@pytest.mark.parametrize(
    "language, status, why",
    [
        (
            "es",
            "No publicado: Slack lo rechazó",
            "El canal está archivado: elige otro para la cohorte.",
        ),
        (
            "de",
            "Nicht gepostet: Slack hat es abgelehnt",
            "Der Kanal ist archiviert: wähle einen anderen für die Kohorte.",
        ),
    ],
)
def test_a_notice_slack_refused_says_so_in_the_admins_language(cast, client, language, status, why):
    from cadre.chat.models import ChatDelivery, DeliveryStatus

    ChatDelivery.objects.create(
        network=cast.network,
        cohort=cast.cohort,
        channel="slack",
        target="C0ALPHA",
        event_type="blocker.posted",
        key="refused-1",
        payload={},
        status=DeliveryStatus.REFUSED,
        attempts=1,
        slack_error="is_archived",
        last_error="Slack answered 200: is_archived. The channel is archived: choose another "
        "for the cohort.",
    )
    save_language(cast.admin, language)
    client.force_login(cast.admin)
    for name in ("chat:settings", "chat:deliveries"):
        page = client.get(reverse(name, args=[cast.network.slug])).content.decode()
        assert status in page and why in page
        assert "Slack answered" not in page and "gave up" not in page
