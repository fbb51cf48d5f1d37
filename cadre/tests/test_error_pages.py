"""Cadre's own 400, 403, 404 and 500 pages, served by the real handlers with DEBUG off (as
the test runner has it), and the API's JSON errors beside them."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def title(response: Any) -> str:
    html = response.content.decode()
    return html.split("<title>", 1)[1].split("</title>", 1)[0].strip()


def test_debug_is_off_in_these_tests(settings: Any) -> None:
    assert settings.DEBUG is False  # otherwise Django would show its technical pages


def test_an_unknown_address_answers_cadres_404_page_with_a_way_to_sign_in(client: Client) -> None:
    response = client.get("/no/such/page/?x=1")
    assert response.status_code == 404
    assert title(response) == "Page not found · Cadre"
    html = response.content.decode()
    assert "There is no page here" in html and 'class="error-page"' in html
    assert f'href="{reverse("home")}"' in html
    assert f'href="{reverse("account_login")}?next=/no/such/page/%3Fx%3D1"' in html
    assert "urlpatterns" not in html and "URLconf" not in html


def test_a_signed_in_person_is_offered_their_home_page_not_a_sign_in(client_for, cast) -> None:
    response = client_for(cast.member).get(f"/n/{cast.other_network.slug}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Go to your home page" in html
    assert reverse("account_login") not in html
    # "Not there" and "not yours" look the same: the other network is not named.
    assert cast.other_network.name not in html


def test_a_403_shows_the_reason_the_code_gave(client_for, cast) -> None:
    response = client_for(cast.member).post(
        reverse("mentors:confirm", args=[cast.network.slug]), {}
    )
    assert response.status_code == 403
    assert title(response) == "Not open to you · Cadre"
    html = response.content.decode()
    assert f"Only the organizers of {cast.network.name} match mentors and newcomers." in html
    assert "Go to your home page" in html


def test_visiting_an_address_that_only_takes_a_form_answers_cadres_405_page(
    client_for, cast
) -> None:
    response = client_for(cast.member).get(reverse("calendar:regenerate"))
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert title(response) == "Only for a form · Cadre"
    assert "This address takes a form, not a visit" in response.content.decode()


def test_the_api_keeps_its_json_405(client_for, cast) -> None:
    response = client_for(cast.member).put(reverse("api-1:me"))
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.urls("cadre.tests.error_urls")
def test_a_bare_permission_denied_gets_a_helpful_general_reason(client_for, cast) -> None:
    response = client_for(cast.member).get("/test/forbidden/")
    assert response.status_code == 403
    assert "ask one of your network’s organizers" in response.content.decode()
    anonymous = client_for(None).get("/test/forbidden/")
    assert anonymous.status_code == 403
    assert "for people who have signed in" in anonymous.content.decode()
    assert f"{reverse('account_login')}?next=/test/forbidden/" in anonymous.content.decode()


@pytest.mark.urls("cadre.tests.error_urls")
def test_a_crash_answers_cadres_500_page() -> None:
    response = Client(raise_request_exception=False).get("/test/crash/")
    assert response.status_code == 500
    html = response.content.decode()
    assert title(response) == "Something went wrong · Cadre"
    assert "Something went wrong on our side" in html and 'class="error-page"' in html
    assert "cadre/cadre.css" in html and "cadre/favicon.svg" in html
    assert "a bug in a view" not in html and "RuntimeError" not in html


def broken_context_processor(request: Any) -> dict[str, Any]:
    raise RuntimeError("a context processor that fails")


def test_the_500_page_renders_when_every_context_processor_fails(
    settings: Any, client_for, cast
) -> None:
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    f"{__name__}.broken_context_processor",
                ],
            },
        }
    ]
    client = client_for(cast.member)
    client.raise_request_exception = False
    response = client.get(cast.network.get_absolute_url())
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_500_page_renders_when_the_database_is_down(client_for, cast) -> None:
    client = client_for(cast.member)  # signed in: the session is in the database
    client.raise_request_exception = False
    down = OperationalError("could not connect to server")
    with mock.patch.object(connections["default"], "cursor", side_effect=down):
        response = client.get(cast.network.get_absolute_url())
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_gets_a_page_that_says_what_to_do(cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.member)
    response = client.post(reverse("people:profile_edit"), {"name": "Mo"})
    assert response.status_code == 403
    assert title(response) == "Form not accepted · Cadre"
    assert "reload the page and send it again" in response.content.decode()


def test_a_bad_host_gets_cadres_400_page(client: Client) -> None:
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert title(response) == "Request not understood · Cadre"


# --- the API keeps its JSON errors ----------------------------------------------------------


def test_the_api_answers_an_unknown_address_in_json(client_for, cast) -> None:
    response = client_for(cast.member).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.urls("cadre.tests.error_urls")
def test_a_crash_under_api_outside_the_api_answers_json() -> None:
    response = Client(raise_request_exception=False).get("/api/test/crash/")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


def test_the_api_answers_json_when_the_database_is_down(client_for, cast) -> None:
    client = client_for(cast.member)
    client.raise_request_exception = False
    down = OperationalError("could not connect to server")
    with mock.patch.object(connections["default"], "cursor", side_effect=down):
        response = client.get("/api/v1/me")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


# --- the favicon ----------------------------------------------------------------------------


def test_every_page_names_the_icon_and_favicon_ico_leads_to_it(client: Client) -> None:
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "cadre/favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in icon.getvalue()  # the streamed file, joined
