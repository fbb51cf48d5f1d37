"""Single sign-on as people meet it: the network's admin adds an OpenID Connect provider on the
network's settings, and a Contoso employee's address is routed to "Sign in with Contoso" from
the sign-in page. With CADRE_SCREENSHOTS set (`make screenshots`), docs/sso.md's two
screenshots are saved there."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_navigation import PASSWORD, save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_sets_up_a_provider_and_the_sign_in_page_routes_to_it(
    page, cast, settings, tmp_path
):
    settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS = False
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(cast.admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto("/n/northwind/settings/")
    page.get_by_role("navigation", name="Network settings").get_by_role(
        "link", name="Single sign-on"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Single sign-on for Northwind Learning"
    )
    page.get_by_label("Kind").select_option("oidc")
    page.get_by_label("Name people know it by").fill("Contoso")
    page.get_by_label("E-mail domains").fill("contoso.com")
    page.get_by_label("Issuer URL (OpenID Connect)").fill("https://login.contoso.com/tenant/v2.0")
    page.get_by_label("Client ID (OpenID Connect)").fill("0c7f3e2a-cadre")
    page.get_by_label("Client secret (OpenID Connect)").fill("a secret from Contoso")
    page.get_by_role("button", name="Add provider").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contoso")
    expect(page.get_by_text("/accounts/oidc/northwind-contoso/login/callback/")).to_be_visible()
    page.get_by_role("link", name="All identity providers").click()
    save(page, tmp_path, "sso-settings.png")

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Work e-mail address").fill("alice@contoso.com")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign in with Contoso")).to_be_visible()
    save(page, tmp_path, "sso-sign-in.png")

    page.goto("/accounts/login/")
    page.get_by_label("Work e-mail address").fill("someone@example.org")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("No single sign-on is set up for example.org")).to_be_visible()
