"""With two-factor sign-in required (CADRE_REQUIRE_2FA_FOR_ORGANIZERS), the API applies the
pages' rule: a network admin, organizer or staff member who has not set up an authenticator
gets 403 `two_factor_required`, by session and by token alike. Setting one up revokes the
tokens made before it."""

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

from cadre.accounts import two_factor
from cadre.api.models import ApiToken
from cadre.api.tests.helpers import V1, ApiCaller, assert_error


@pytest.fixture
def required(settings: Any) -> None:
    settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS = True


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_an_organizer_without_totp_gets_403_through_the_browser_session(
    cast: Any, client_for: Any, required: None, who: str
) -> None:
    response = client_for(getattr(cast, who)).get(f"{V1}/networks/northwind")
    error = assert_error(response, 403, "two_factor_required")
    assert error["message"] == two_factor.REQUIRED_MESSAGE
    assert error["detail"]["setup_url"] == f"http://testserver{reverse('mfa_activate_totp')}"


def test_an_organizer_without_totp_gets_403_with_a_token(
    cast: Any, api_as: Any, required: None
) -> None:
    response = api_as(cast.organizer).get("/networks/northwind/cohorts")
    assert_error(response, 403, "two_factor_required")
    response = api_as(cast.organizer).post(
        "/networks/northwind/cohorts", {"name": "Sneaky", "objective": "Get in."}
    )
    assert_error(response, 403, "two_factor_required")
    assert not cast.network.cohorts.filter(name="Sneaky").exists()


def test_staff_without_totp_get_403_too(cast: Any, api_as: Any, required: None) -> None:
    cast.member.is_staff = True
    cast.member.save(update_fields=["is_staff"])
    assert_error(api_as(cast.member).get("/me"), 403, "two_factor_required")


def test_an_organizer_with_totp_uses_the_api(cast: Any, client_for: Any, required: None) -> None:
    TOTP.activate(cast.organizer, generate_totp_secret())
    _, raw = ApiToken.issue(cast.organizer, "after two-factor")
    assert ApiCaller(Client(), raw).get("/networks/northwind").status_code == 200
    assert client_for(cast.organizer).get(f"{V1}/networks/northwind").status_code == 200


def test_members_are_not_asked_for_two_factor(cast: Any, api_as: Any, required: None) -> None:
    assert api_as(cast.member).get("/me").status_code == 200


def test_nothing_is_asked_when_the_setting_is_off(cast: Any, api_as: Any, settings: Any) -> None:
    settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS = False
    assert api_as(cast.organizer).get("/networks/northwind").status_code == 200


def test_the_pages_and_the_api_give_the_same_reason(
    cast: Any, client_for: Any, required: None
) -> None:
    client = client_for(cast.organizer)
    page = client.get(cast.network.get_absolute_url(), follow=True)
    assert two_factor.REQUIRED_MESSAGE in page.content.decode()
    api = client.get(f"{V1}/me")
    assert api.json()["error"]["message"] == two_factor.REQUIRED_MESSAGE


def test_setting_up_totp_revokes_the_tokens_made_before_it(
    cast: Any, client: Any, required: None, django_capture_on_commit_callbacks: Any
) -> None:
    # Made while the account had only a password: whoever had the password could have made it.
    before, raw_before = ApiToken.issue(cast.organizer, "made with a password alone")
    _, raw_member = ApiToken.issue(cast.member, "someone else's")
    assert_error(ApiCaller(Client(), raw_before).get("/me"), 403, "two_factor_required")

    password = "correct horse battery"
    client.post(reverse("account_login"), {"login": cast.organizer.email, "password": password})
    client.post(reverse("account_reauthenticate"), {"password": password})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302

    before.refresh_from_db()
    assert before.revoked_at is not None
    assert_error(ApiCaller(Client(), raw_before).get("/me"), 401, "not_authenticated")
    _, raw_after = ApiToken.issue(cast.organizer, "made after")
    assert ApiCaller(Client(), raw_after).get("/me").status_code == 200
    # Other people's tokens are untouched.
    assert ApiCaller(Client(), raw_member).get("/me").status_code == 200
