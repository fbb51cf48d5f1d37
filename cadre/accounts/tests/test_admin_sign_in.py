"""The Django admin has no sign-in of its own: /admin/login/ sends people to Cadre's one sign-in
(allauth), with its second factor and its rate limits, and back to the admin afterwards."""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.management import call_command
from django.urls import reverse

from cadre.testing import make_user, run_worker

PASSWORD = "correct horse battery"
ADMIN_LOGIN = "/admin/login/"


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def staff(db):
    from allauth.account.models import EmailAddress

    user = make_user("sam@staff.test", "Sam Staff", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def staff_secret(staff) -> str:
    """The staff account has set up an authenticator app (TOTP)."""
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    return secret


def test_the_admin_sign_in_page_sends_people_to_the_one_sign_in(client, staff):
    response = client.get(ADMIN_LOGIN, {"next": "/admin/accounts/user/"})
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=%2Fadmin%2Faccounts%2Fuser%2F"
    # The admin's own pages ask for a sign-in through it too.
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fadmin%2F"


def test_a_password_posted_to_the_admin_sign_in_signs_nobody_in(client, staff, staff_secret):
    response = client.post(ADMIN_LOGIN, {"username": staff.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client.get("/admin/").status_code == 302


def test_a_staff_account_with_totp_reaches_the_admin_only_with_its_code(
    client, staff, staff_secret, settings
):
    settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS = True
    login_url = client.get("/admin/", follow=True).redirect_chain[-1][0]
    response = client.post(login_url, {"login": staff.email, "password": PASSWORD})
    # The password alone opens nothing: allauth asks for the code.
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(staff_secret)})
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_staff_account_without_totp_signs_in_with_its_password_when_not_required(
    client, staff, settings
):
    settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS = False
    login_url = client.get("/admin/", follow=True).redirect_chain[-1][0]
    response = client.post(login_url, {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_staff_account_without_totp_must_set_it_up_before_the_admin_when_required(
    client, staff, settings
):
    settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS = True
    login_url = client.get("/admin/", follow=True).redirect_chain[-1][0]
    client.post(login_url, {"login": staff.email, "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_guessing_a_staff_password_from_the_admin_is_rate_limited(client, staff):
    login_url = client.get(ADMIN_LOGIN, {"next": "/admin/"}).url
    for attempt in range(5):
        client.post(login_url, {"login": staff.email, "password": f"guess {attempt}"})
    response = client.post(login_url, {"login": staff.email, "password": PASSWORD})
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_a_signed_in_person_who_is_not_staff_is_refused_not_sent_round(client_for, cast):
    client = client_for(cast.member)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1  # /admin/ -> /admin/login/, then no further
    assert "staff only" in response.content.decode()


def test_signed_in_staff_go_straight_on(client_for, staff):
    client = client_for(staff)
    response = client.get(ADMIN_LOGIN, {"next": "/admin/accounts/user/"})
    assert response.status_code == 302 and response.url == "/admin/accounts/user/"
    # Never to another site.
    response = client.get(ADMIN_LOGIN, {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_the_first_superuser_confirms_its_address_and_sets_up_totp_before_the_admin(
    client, db, settings, smtp_inbox, monkeypatch
):
    """docs/operating.md: `createsuperuser` makes the first staff account, which signs in like
    everyone else."""
    settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS = True
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, email="root@example.org", name="Root")

    login_url = client.get("/admin/", follow=True).redirect_chain[-1][0]
    response = client.post(login_url, {"login": "root@example.org", "password": PASSWORD})
    assert response.url == reverse("account_email_verification_sent")
    run_worker()
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", smtp_inbox.bodies()[0])
    response = client.post(link.group(1))
    assert response.status_code == 302
    # Confirmed; the password again, and this time it signs in.
    assert "_auth_user_id" not in client.session
    client.post(login_url, {"login": "root@example.org", "password": PASSWORD})
    assert "_auth_user_id" in client.session

    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.url.startswith(reverse("account_reauthenticate"))  # the password once more
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
