"""The API tokens page in the reader's language (docs/languages.md); the API itself keeps its
field names."""

import pytest
from django.urls import reverse

from cadre.api.models import ApiToken
from cadre.testing import save_language

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)


def test_the_tokens_page_speaks_german_and_spanish(cast, client):
    save_language(cast.member, "de")
    client.force_login(cast.member)
    ApiToken.issue(cast.member, "sheet")
    page = client.get(reverse("api_tokens:list")).content.decode()
    assert "<h1>API-Tokens</h1>" in page and "Token erstellen" in page
    assert "Deine Tokens" in page and "Widerrufen</button>" in page
    assert "Create token" not in page and "Your tokens" not in page
    save_language(cast.organizer, "es")
    client.force_login(cast.organizer)
    created = client.post(reverse("api_tokens:list"), {"name": "hoja"}).content.decode()
    assert "Copia tu nuevo token ahora: no se volverá a mostrar." in created
    empty = client.post(reverse("api_tokens:list"), {"name": "   "}).content.decode()
    assert "Este campo es obligatorio." in empty or "Ponle un nombre al token" in empty


def test_revoking_says_so_in_spanish(cast, client):
    save_language(cast.member, "es")
    client.force_login(cast.member)
    token, _ = ApiToken.issue(cast.member, "hoja")
    answer = client.post(reverse("api_tokens:revoke", args=[token.pk]), follow=True)
    assert "El token «hoja» está revocado." in answer.content.decode()
