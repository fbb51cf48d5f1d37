"""The chat settings pages open for the network's admins alone, and say what is missing when
Slack is not set up on the server."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadre.chat.models import ChannelLink
from cadre.testing import csp_directives


@pytest.mark.parametrize("role", ["organizer", "host", "member", "mentor", "outsider"])
def test_only_the_admins_open_the_chat_settings(cast, client, role):
    client.force_login(getattr(cast, role))
    for name in ("chat:settings", "chat:deliveries"):
        assert client.get(reverse(name, args=[cast.network.slug])).status_code == 404
    answer = client.post(
        reverse("chat:cohort", args=[cast.network.slug, cast.cohort.slug]),
        {"teams_url": "https://prod-01.westeurope.logic.azure.com/workflows/x"},
    )
    assert answer.status_code == 404 and not ChannelLink.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    answer = client.get(reverse("chat:settings", args=[cast.network.slug]))
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_the_page_says_when_slack_is_not_set_up_on_the_server(cast, client, settings):
    settings.CADRE_SLACK_CLIENT_ID = ""
    client.force_login(cast.admin)
    page = client.get(reverse("chat:settings", args=[cast.network.slug])).content.decode()
    assert "Slack is not set up on this server" in page
    assert cast.cohort.name in page and "Teams workflow" in page
    settings_page = client.get(reverse("networks:settings", args=[cast.network.slug]))
    assert reverse("chat:settings", args=[cast.network.slug]) in settings_page.content.decode()


def test_a_teams_address_is_saved_from_the_page_and_a_bad_one_is_explained(cast, client):
    client.force_login(cast.admin)
    url = reverse("chat:cohort", args=[cast.network.slug, cast.cohort.slug])
    bad = client.post(url, {"teams_url": "http://example.com/x"}, follow=True)
    assert "Give the address of a Teams workflow" in bad.content.decode()
    assert not ChannelLink.objects.exists()
    good = "https://prod-01.westeurope.logic.azure.com:443/workflows/x/triggers/manual"
    client.post(url, {"teams_url": good})
    assert ChannelLink.objects.get().teams_url == good


def test_the_connect_form_may_go_on_to_slacks_authorize_page(cast, client, settings):
    """The connect button's answer is a redirect to Slack, and Chromium holds a form's
    redirects to the page's form-action: without Slack's origin there, the button did nothing."""
    settings.CADRE_SLACK_AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
    client.force_login(cast.admin)
    answer = client.get(reverse("chat:settings", args=[cast.network.slug]))
    form_action = csp_directives(answer["Content-Security-Policy"])["form-action"]
    assert sorted(form_action) == ["'self'", "https://slack.com"]
    other = client.get(reverse("chat:deliveries", args=[cast.network.slug]))
    assert csp_directives(other["Content-Security-Policy"])["form-action"] == ["'self'"]
