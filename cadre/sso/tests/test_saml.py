"""SAML 2.0 sign-in through allauth's saml provider, with an identity provider made in the
test: a self-signed certificate, and a SAML Response whose assertion is signed with
python3-saml/xmlsec, posted to Cadre's ACS as the person's browser would."""

from __future__ import annotations

import base64
import datetime
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.urls import reverse
from django.utils import timezone
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from cadre.accounts.models import User
from cadre.networks.models import NetworkMembership, Role
from cadre.sso import services
from cadre.sso.models import Protocol

pytestmark = pytest.mark.django_db


IDP_ENTITY = "https://idp.contoso.test/saml"
IDP_SSO = "https://idp.contoso.test/saml/sso"


@pytest.fixture(scope="module")
def idp_keys():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.contoso.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture
def client(client, settings):
    # A browser always sends Host, and python3-saml reads it (the test client does not send it);
    # python3-saml also refuses a one-word host such as "testserver".
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "cadre.test"]
    client.defaults["HTTP_HOST"] = "cadre.test"
    return client


@pytest.fixture
def contoso(cast, idp_keys):
    return services.save_provider(
        cast.admin,
        cast.network,
        protocol=Protocol.SAML,
        name="Contoso",
        domains="contoso.test",
        allow_domain_signup=True,
        entity_id=IDP_ENTITY,
        sso_url=IDP_SSO,
        x509cert=idp_keys[1],
    )


def _instant(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def saml_response(provider, idp_keys, *, email, in_response_to, tamper=False, sign=True):
    key_pem, cert_pem = idp_keys
    acs = f"http://cadre.test{reverse('saml_acs', args=[provider.slug])}"
    audience = f"http://cadre.test{reverse('saml_metadata', args=[provider.slug])}"
    now = timezone.now()
    issued, later = _instant(now), _instant(now + datetime.timedelta(minutes=5))
    before = _instant(now - datetime.timedelta(minutes=1))
    assertion = f"""<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a{uuid.uuid4().hex}" Version="2.0" IssueInstant="{issued}"><saml:Issuer>{IDP_ENTITY}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{email}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{later}" Recipient="{acs}" InResponseTo="{in_response_to}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{before}" NotOnOrAfter="{later}"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{issued}" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement><saml:Attribute Name="urn:oid:0.9.2342.19200300.100.1.3"><saml:AttributeValue>{email}</saml:AttributeValue></saml:Attribute><saml:Attribute Name="urn:oid:2.5.4.42"><saml:AttributeValue>Dana</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>"""
    if not sign:
        return _wrap(assertion, acs, issued, in_response_to)
    signed = OneLogin_Saml2_Utils.add_sign(
        assertion,
        key_pem,
        cert_pem,
        sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
        digest_algorithm=OneLogin_Saml2_Constants.SHA256,
    )
    signed = signed.decode() if isinstance(signed, bytes) else signed
    signed = re.sub(r"^<\?xml[^>]*\?>\s*", "", signed)
    if tamper:
        signed = signed.replace(email, "mallory@contoso.test")
    return _wrap(signed, acs, issued, in_response_to)


def _wrap(assertion, acs, issued, in_response_to):
    response = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r{uuid.uuid4().hex}" Version="2.0" IssueInstant="{issued}" Destination="{acs}" InResponseTo="{in_response_to}"><saml:Issuer>{IDP_ENTITY}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{assertion}</samlp:Response>"""
    return base64.b64encode(response.encode()).decode()


def start(client, provider):
    """Cadre's AuthnRequest, as the redirect to the IdP carries it: its ID."""
    response = client.post(reverse("sso_entry:start", args=[provider.pk]), {"process": "login"})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(IDP_SSO)
    request_xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(
        parse_qs(urlsplit(location).query)["SAMLRequest"][0]
    )
    return re.search(rb'ID="([^"]+)"', request_xml).group(1).decode()


def post_to_acs(client, provider, saml):
    acs = client.post(reverse("saml_acs", args=[provider.slug]), {"SAMLResponse": saml})
    assert acs.status_code == 302
    return client.get(acs["Location"])


def test_a_signed_assertion_signs_a_domain_allowed_person_in(client, cast, contoso, idp_keys):
    request_id = start(client, contoso)
    saml = saml_response(contoso, idp_keys, email="dana@contoso.test", in_response_to=request_id)
    response = post_to_acs(client, contoso, saml)
    assert response.status_code == 302, response.content[:2000]
    user = User.objects.get(email="dana@contoso.test")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert NetworkMembership.objects.get(network=cast.network, user=user).role == Role.MEMBER


def test_a_tampered_assertion_is_refused(client, contoso, idp_keys):
    request_id = start(client, contoso)
    saml = saml_response(
        contoso, idp_keys, email="dana@contoso.test", in_response_to=request_id, tamper=True
    )
    response = post_to_acs(client, contoso, saml)
    assert response.status_code == 403
    assert b"could not be checked" in response.content
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email__in=["dana@contoso.test", "mallory@contoso.test"]).exists()


def test_an_assertion_for_another_domain_is_refused(client, contoso, idp_keys):
    request_id = start(client, contoso)
    saml = saml_response(contoso, idp_keys, email="eve@fabrikam.test", in_response_to=request_id)
    response = post_to_acs(client, contoso, saml)
    assert response.status_code == 403
    assert b"outside the domains" in response.content
    assert not User.objects.filter(email="eve@fabrikam.test").exists()


def test_the_sp_metadata_names_the_acs(client, contoso):
    response = client.get(reverse("saml_metadata", args=[contoso.slug]))
    assert response.status_code == 200
    assert reverse("saml_acs", args=[contoso.slug]).encode() in response.content


def test_a_metadata_url_that_does_not_answer_gets_a_clear_page(client, cast):
    down = services.save_provider(
        cast.admin,
        cast.network,
        protocol=Protocol.SAML,
        name="Fabrikam",
        domains="fabrikam.test",
        entity_id="https://idp.fabrikam.test",
        metadata_url="http://127.0.0.1:9/metadata",
    )
    response = client.post(reverse("sso_entry:start", args=[down.pk]), {"process": "login"})
    assert response.status_code == 502
    assert b"not answering right now" in response.content


def test_an_unsigned_assertion_is_refused(client, contoso, idp_keys):
    request_id = start(client, contoso)
    saml = saml_response(
        contoso, idp_keys, email="dana@contoso.test", in_response_to=request_id, sign=False
    )
    response = post_to_acs(client, contoso, saml)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="dana@contoso.test").exists()
