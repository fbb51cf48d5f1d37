"""/networks/{slug}/sso/providers: a network's admins list, add, change and remove its single
sign-on providers through the API, with the settings page's rules; secrets are write-only."""

from __future__ import annotations

import json

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp

from cadre.api.tests.helpers import assert_error
from cadre.repository.models import PartnerGroup
from cadre.sso.models import IdentityProvider

pytestmark = pytest.mark.django_db

OIDC = {
    "protocol": "oidc",
    "name": "Contoso",
    "domains": ["contoso.test"],
    "server_url": "https://login.contoso.test/o",
    "client_id": "cadre",
    "client_secret": "s3cret-not-to-be-shown",
}
SAML = {
    "protocol": "saml",
    "name": "Fabrikam",
    "domains": ["fabrikam.test"],
    "entity_id": "https://idp.fabrikam.test",
    "metadata_url": "https://idp.fabrikam.test/metadata",
    "slo_url": "https://idp.fabrikam.test/slo",
}


def providers(cast):
    return f"/networks/{cast.network.slug}/sso/providers"


def no_secret_in(response):
    body = response.content.decode()
    assert "s3cret" not in body
    for row in IdentityProvider.objects.exclude(sp_private_key=""):
        assert row.sp_private_key.strip().splitlines()[5] not in body
        assert "PRIVATE KEY" not in body


def test_an_admin_adds_lists_changes_and_removes_providers(api_as, cast):
    admin = api_as(cast.admin)
    added = admin.post(providers(cast), OIDC)
    assert added.status_code == 201, added.content
    no_secret_in(added)
    body = added.json()
    assert body["has_client_secret"] is True
    assert "client_secret" not in body
    provider = IdentityProvider.objects.get(pk=body["id"])
    assert provider.client_secret == "s3cret-not-to-be-shown"
    assert SocialApp.objects.get(provider_id=provider.slug).secret == provider.client_secret

    saml = admin.post(providers(cast), SAML)
    assert saml.status_code == 201, saml.content
    no_secret_in(saml)
    assert "BEGIN CERTIFICATE" in saml.json()["sp_x509cert"]

    listed = admin.get(providers(cast))
    assert listed.status_code == 200
    assert [p["name"] for p in listed.json()] == ["Contoso", "Fabrikam"]
    no_secret_in(listed)
    one = admin.get(f"{providers(cast)}/{provider.pk}")
    assert one.json()["domains"] == ["contoso.test"]
    no_secret_in(one)

    changed = admin.put(
        f"{providers(cast)}/{provider.pk}",
        {**OIDC, "name": "Contoso Ltd", "client_secret": "", "enabled": False},
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["name"], changed.json()["enabled"]) == ("Contoso Ltd", False)
    provider.refresh_from_db()
    assert provider.client_secret == "s3cret-not-to-be-shown"  # empty: the stored one stays
    assert not SocialApp.objects.filter(provider_id=provider.slug).exists()  # switched off

    SocialAccount.objects.create(user=cast.member, provider=provider.slug, uid="m")
    removed = admin.delete(f"{providers(cast)}/{provider.pk}")
    assert removed.status_code == 204
    assert not IdentityProvider.objects.filter(pk=provider.pk).exists()
    assert not SocialAccount.objects.exists()


def test_a_partner_organizations_provider_names_one_of_the_networks_groups(api_as, cast):
    group = PartnerGroup.objects.create(network=cast.network, name="Acme")
    elsewhere = PartnerGroup.objects.create(network=cast.other_network, name="Elsewhere")
    admin = api_as(cast.admin)
    refused = admin.post(providers(cast), {**OIDC, "partner_group": elsewhere.pk})
    body = assert_error(refused, 422, "validation_error")
    assert body["fields"]["partner_group"] == ["Choose one of this network's partner groups."]
    made = admin.post(providers(cast), {**OIDC, "partner_group": group.pk})
    assert made.status_code == 201
    assert made.json()["partner_group"] == group.pk


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"domains": ["not a domain"]}, "domains", "is not an e-mail domain"),
        ({"protocol": "ldap"}, "protocol", "Choose OpenID Connect or SAML 2.0."),
        ({"client_secret": ""}, "client_secret", "client secret is needed"),
        ({"server_url": "javascript:alert(1)"}, "server_url", "Enter a valid URL."),
        ({"server_url": "https://x.test/" + "a" * 200}, "server_url", "Enter a valid URL."),
    ],
)
def test_bad_input_gets_a_422_naming_the_field_and_saves_nothing(
    api_as, cast, change, field, words
):
    response = api_as(cast.admin).post(providers(cast), {**OIDC, **change})
    body = assert_error(response, 422, "validation_error")
    assert words in json.dumps(body["fields"][field])
    assert not IdentityProvider.objects.exists()
    assert not SocialApp.objects.exists()


def test_a_bad_slo_url_is_refused_on_a_change_and_the_provider_stays(api_as, cast):
    admin = api_as(cast.admin)
    made = admin.post(providers(cast), SAML).json()
    response = admin.put(f"{providers(cast)}/{made['id']}", {**SAML, "slo_url": "not a url"})
    assert_error(response, 422, "validation_error")
    assert IdentityProvider.objects.get().slo_url == SAML["slo_url"]


@pytest.mark.parametrize("who", ["organizer", "member", "partner"])
def test_the_networks_other_people_are_refused(api_as, cast, who):
    admin = api_as(cast.admin)
    made = admin.post(providers(cast), OIDC).json()
    caller = api_as(getattr(cast, who))
    one = f"{providers(cast)}/{made['id']}"
    for response in (
        caller.get(providers(cast)),
        caller.post(providers(cast), {**OIDC, "domains": ["other.test"]}),
        caller.get(one),
        caller.put(one, {**OIDC, "name": "Hijacked"}),
        caller.delete(one),
    ):
        body = assert_error(response, 403, "forbidden")
        assert body["message"] == "Only the network's admins can set up single sign-on."
    assert IdentityProvider.objects.get().name == "Contoso"
    assert IdentityProvider.objects.count() == 1


def test_another_network_and_anonymous_callers_learn_nothing(api_as, cast):
    made = api_as(cast.admin).post(providers(cast), OIDC).json()
    one = f"{providers(cast)}/{made['id']}"
    outsider = api_as(cast.outsider)  # the other network's organizer
    assert_error(outsider.get(providers(cast)), 404, "not_found")
    assert_error(outsider.get(one), 404, "not_found")
    assert_error(outsider.delete(one), 404, "not_found")
    # Their own network's address does not reach this network's provider either (they are
    # its organizer, not its admin; its admin would get 404).
    theirs = f"/networks/{cast.other_network.slug}/sso/providers/{made['id']}"
    assert_error(outsider.get(theirs), 403, "forbidden")
    nobody = api_as(None)
    assert_error(nobody.get(providers(cast)), 401, "not_authenticated")
    assert_error(nobody.post(providers(cast), OIDC), 401, "not_authenticated")
    assert IdentityProvider.objects.count() == 1
