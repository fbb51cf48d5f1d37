"""A "Test connection" result in the reader's language: the service keeps its words and
values, and each page says them again; a result kept before, in English only, is shown as
it was (docs/languages.md)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.sso import services
from cadre.sso.models import IdentityProvider
from cadre.testing import save_language

from .test_views import OIDC

UNREACHABLE = "http://127.0.0.1:9/o/.well-known/openid-configuration"


@pytest.fixture
def silent(cast):
    return services.save_provider(
        cast.admin, cast.network, **{**OIDC, "server_url": "http://127.0.0.1:9/o"}
    )


@pytest.mark.parametrize(
    "language, said",
    [
        ("es", f"{UNREACHABLE} no respondió (ConnectionError)."),
        ("de", f"{UNREACHABLE} hat nicht geantwortet (ConnectionError)."),
    ],
)
def test_the_test_connection_result_is_in_the_admins_language(
    client_for, cast, silent, language, said
):
    save_language(cast.admin, language)
    client = client_for(cast.admin)
    after = client.post(
        reverse("sso:provider_check", args=[cast.network.slug, silent.pk]), follow=True
    ).content.decode()
    assert said in after  # the message after the test and the page itself
    assert "did not answer" not in after
    silent.refresh_from_db()
    assert silent.check_message == f"{UNREACHABLE} did not answer (ConnectionError)."


def test_a_result_kept_before_its_words_were_is_shown_as_written(client_for, cast, silent):
    IdentityProvider.objects.filter(pk=silent.pk).update(
        checked_at=timezone.now(),
        check_ok=False,
        check_message="It did not answer.",
        check_result={},
    )
    save_language(cast.admin, "es")
    page = (
        client_for(cast.admin)
        .get(reverse("sso:provider", args=[cast.network.slug, silent.pk]))
        .content.decode()
    )
    assert "It did not answer." in page


def test_the_test_connection_stays_for_the_networks_admins(client_for, cast, silent):
    for who in ("organizer", "member", "outsider"):
        save_language(getattr(cast, who), "es")
        url = reverse("sso:provider_check", args=[cast.network.slug, silent.pk])
        assert client_for(getattr(cast, who)).post(url).status_code == 404
    silent.refresh_from_db()
    assert silent.checked_at is None
