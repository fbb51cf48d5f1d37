"""Signing in: e-mail log-in, rate limits, two-factor, and real e-mail for password resets."""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from cadre.testing import run_worker

PASSWORD = "correct horse battery"


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.django_db
def test_a_member_signs_in_with_their_email_address(client, cast):
    response = sign_in(client, cast.member.email)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code in (200, 302)
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_message(client, cast):
    response = sign_in(client, cast.member.email, "not the password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert b"not correct" in response.content


@pytest.mark.django_db
def test_repeated_failed_sign_ins_are_rate_limited(client, cast):
    responses = [sign_in(client, cast.member.email, f"wrong {i}") for i in range(6)]
    assert b"Too many failed login attempts" not in responses[0].content
    assert b"Too many failed login attempts" in responses[-1].content
    # Even the right password is refused while the limit holds.
    response = sign_in(client, cast.member.email)
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_open_sign_up_is_closed_because_cadre_is_by_invitation(client):
    response = client.get(reverse("account_signup"))
    assert b"Sign Up Closed" in response.content or response.status_code == 403


@pytest.mark.django_db
def test_organizers_must_set_up_two_factor_when_required(client_for, cast, settings):
    settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS = True
    response = client_for(cast.organizer).get(cast.network.get_absolute_url())
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_members_are_not_forced_into_two_factor(client_for, cast, settings):
    settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS = True
    response = client_for(cast.member).get(reverse("home"))
    assert response.url != reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_two_factor_is_not_forced_when_the_setting_is_off(client_for, cast, settings):
    settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS = False
    response = client_for(cast.organizer).get(reverse("home"))
    assert response.status_code == 302
    assert response.url != reverse("mfa_activate_totp")


def current_code(secret):
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.django_db
def test_an_organizer_activates_totp_and_then_needs_a_code_to_sign_in(client, cast, settings):
    settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS = True
    assert sign_in(client, cast.organizer.email).status_code == 302
    # Setting up two-factor asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302, response.content[:2000]
    # Now the organizer reaches the network instead of the set-up page.
    page = client.get(cast.network.get_absolute_url())
    assert not (page.status_code == 302 and page.url == reverse("mfa_activate_totp"))

    client.logout()
    response = sign_in(client, cast.organizer.email)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_password_reset_mail_arrives_over_smtp_and_the_link_works(client, cast, smtp_inbox):
    response = client.post(reverse("account_reset_password"), {"email": cast.member.email})
    assert response.status_code == 302
    assert smtp_inbox.messages == []  # the worker sends it, as every e-mail
    run_worker()
    assert len(smtp_inbox.messages) == 1
    envelope = smtp_inbox.messages[0]
    assert envelope.rcpt_tos == [cast.member.email]
    body = envelope.content.decode()
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", body).group(1)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    response = client.post(
        form_url, {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    )
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert cast.member.check_password("a brand new passphrase")
