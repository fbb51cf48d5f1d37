"""The webhooks pages and API: the network's admins may, nobody else may (not even learn
that an endpoint exists); both doors leave the same rows and refuse with the same sentence;
the secret is shown once."""

from __future__ import annotations

import html
from typing import Any

import pytest

from cadre.testing_parity import api_as, api_fields, fresh, rows
from cadre.webhooks import services
from cadre.webhooks.models import Delivery, DeliveryStatus, Endpoint

PAGES = "/n/northwind/settings/webhooks/"
API = "/networks/northwind/webhooks"


@pytest.fixture
def endpoint(cast) -> Endpoint:
    return services.create_endpoint(
        cast.admin, cast.network, url="https://hooks.example.test/in", description="CRM sync"
    )


def call_api(user: Any, method: str, path: str, body: Any = None) -> Any:
    """One API call as `user`, with a personal token (GET without a body)."""
    return api_as(user)._send(method, path, body)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def endpoint_rows() -> list[dict[str, Any]]:
    return rows(Endpoint.objects.order_by("pk"), leave_out={"secret"})


def test_adding_an_endpoint_on_the_page_and_by_the_api_leaves_the_same_rows(cast, client_for):
    form = {
        "url": "https://hooks.example.test/in",
        "description": "CRM sync",
        "event_types": ["member.joined", "commitment.done"],
    }
    page = fresh(lambda: client_for(cast.admin).post(PAGES, form), endpoint_rows)
    api = fresh(lambda: call_api(cast.admin, "post", API, form), endpoint_rows)
    assert page.response.status_code == 200 and api.response.status_code == 201
    assert page.rows == api.rows
    assert page.rows[0]["event_types"] == ["commitment.done", "member.joined"]
    # The secret is in both answers, once.
    assert "whsec_" in text(page.response) and api.response.json()["secret"].startswith("whsec_")


def test_both_doors_refuse_a_plain_http_address_with_the_same_sentence(cast, client_for):
    form = {"url": "http://hooks.example.test/in", "description": ""}
    page = fresh(lambda: client_for(cast.admin).post(PAGES, form), endpoint_rows)
    api = fresh(lambda: call_api(cast.admin, "post", API, form), endpoint_rows)
    assert page.rows == api.rows == []
    assert page.response.status_code == 422 and api.response.status_code == 422
    assert services.URL_RULE in text(page.response)
    assert api_fields(api.response) == {"url": [services.URL_RULE]}


def test_the_endpoint_page_shows_the_log_but_never_the_secret(cast, client_for, endpoint):
    services.send_test(cast.admin, endpoint)
    Delivery.objects.update(status=DeliveryStatus.FAILED, attempts=5, last_response_code=503)
    page = client_for(cast.admin).get(f"{PAGES}{endpoint.pk}/")
    shown = text(page)
    assert page.status_code == 200
    assert "webhook.test" in shown and "503" in shown and "Retry now" in shown
    assert "This is a test event from Cadre." in shown  # the body, in the log
    assert endpoint.secret not in shown
    listing = text(client_for(cast.admin).get(PAGES))
    assert "CRM sync" in listing and endpoint.secret not in listing
    api = call_api(cast.admin, "get", f"{API}/{endpoint.pk}")
    assert "secret" not in api.json()


def test_the_settings_page_links_to_webhooks_for_admins_only(cast, client_for):
    assert PAGES in client_for(cast.admin).get("/n/northwind/settings/").content.decode()


def test_rotate_test_retry_and_delete_from_the_page(cast, client_for, endpoint):
    admin = client_for(cast.admin)
    old = endpoint.secret
    rotated = admin.post(f"{PAGES}{endpoint.pk}/rotate/")
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in text(rotated)

    admin.post(f"{PAGES}{endpoint.pk}/test/")
    delivery = Delivery.objects.get()
    assert delivery.event_type == "webhook.test"
    Delivery.objects.update(status=DeliveryStatus.FAILED, attempts=5)
    admin.post(f"{PAGES}{endpoint.pk}/deliveries/{delivery.pk}/retry/")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)

    edited = admin.post(
        f"{PAGES}{endpoint.pk}/",
        {"url": endpoint.url, "description": "Off for now", "event_types": []},
    )
    assert edited.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.description) == (False, "Off for now")

    admin.post(f"{PAGES}{endpoint.pk}/delete/")
    assert not Endpoint.objects.exists() and not Delivery.objects.exists()


def test_the_api_does_the_same(cast, endpoint):
    listed = call_api(cast.admin, "get", API)
    assert [e["description"] for e in listed.json()] == ["CRM sync"]
    tested = call_api(cast.admin, "post", f"{API}/{endpoint.pk}/test")
    assert tested.status_code == 201 and tested.json()["event_type"] == "webhook.test"
    log = call_api(cast.admin, "get", f"{API}/{endpoint.pk}/deliveries")
    assert [d["status"] for d in log.json()] == ["pending"]
    changed = call_api(
        cast.admin,
        "put",
        f"{API}/{endpoint.pk}",
        {"url": endpoint.url, "description": "", "event_types": ["member.left"], "active": False},
    )
    assert changed.json()["active"] is False and changed.json()["event_types"] == ["member.left"]
    rotated = call_api(cast.admin, "post", f"{API}/{endpoint.pk}/rotate")
    assert rotated.json()["secret"] != endpoint.secret
    assert call_api(cast.admin, "delete", f"{API}/{endpoint.pk}").status_code == 204
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("who", ["organizer", "host", "member", "newcomer", "mentor", "outsider"])
def test_nobody_but_the_admins_may_open_or_change_them(cast, client_for, endpoint, who):
    person = getattr(cast, who)
    browser = client_for(person)
    for url in (PAGES, f"{PAGES}{endpoint.pk}/"):
        assert browser.get(url).status_code == 404
    for action in ("rotate", "test", "delete"):
        assert browser.post(f"{PAGES}{endpoint.pk}/{action}/").status_code == 404
    assert browser.post(PAGES, {"url": "https://x.example.test/"}).status_code == 404
    for method, path, body in (
        ("get", API, None),
        ("post", API, {"url": "https://x.example.test/"}),
        ("get", f"{API}/{endpoint.pk}/deliveries", None),
        ("post", f"{API}/{endpoint.pk}/rotate", None),
        ("delete", f"{API}/{endpoint.pk}", None),
    ):
        assert call_api(person, method, path, body).status_code in (403, 404), (method, path)
    assert "/settings/webhooks/" not in browser.get("/n/northwind/settings/").content.decode()
    assert list(Endpoint.objects.values_list("secret", flat=True)) == [endpoint.secret]
    assert not Delivery.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client, endpoint):
    assert client.get(PAGES).status_code == 302
    assert client.get("/api/v1" + API).status_code == 401


def test_an_endpoint_of_another_network_is_not_found(cast, client_for, endpoint):
    from cadre.networks.models import NetworkMembership, Role
    from cadre.networks.policy import forget

    NetworkMembership.objects.filter(user=cast.outsider).update(role=Role.ADMIN)
    forget(cast.outsider)
    other = client_for(cast.outsider)
    assert other.get(f"/n/southgate/settings/webhooks/{endpoint.pk}/").status_code == 404
    assert other.get("/n/southgate/settings/webhooks/").status_code == 200
    assert (
        call_api(cast.outsider, "get", f"/networks/southgate/webhooks/{endpoint.pk}").status_code
        == 404
    )
