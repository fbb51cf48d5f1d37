import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cadre.api.models import ApiToken
from cadre.api.tests.helpers import V1, ApiCaller, assert_error
from cadre.networks import policy as network_policy


def test_anonymous_request_gets_401_not_authenticated_json(cast: Any, api_as: Any) -> None:
    response = api_as(None).get("/me")
    error = assert_error(response, 401, "not_authenticated")
    assert "Bearer" in error["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_valid_token_authenticates_and_records_its_use(cast: Any) -> None:
    token, raw = ApiToken.issue(cast.member, "sync")
    response = ApiCaller(Client(), raw).get("/me")
    assert response.status_code == 200
    assert response.json()["email"] == cast.member.email
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_gets_401(cast: Any) -> None:
    token, raw = ApiToken.issue(cast.member, "old laptop")
    token.revoked_at = timezone.now()
    token.save()
    assert_error(ApiCaller(Client(), raw).get("/me"), 401, "not_authenticated")


def test_token_of_a_deactivated_person_gets_401(cast: Any) -> None:
    _, raw = ApiToken.issue(cast.member, "script")
    cast.member.is_active = False
    cast.member.save()
    assert_error(ApiCaller(Client(), raw).get("/me"), 401, "not_authenticated")


@pytest.mark.parametrize("header", ["Bearer cadre_nonsense", "Bearer ", "Token abc", "Basic eDp5"])
def test_made_up_or_malformed_credentials_get_401(cast: Any, header: str) -> None:
    response = Client().get(f"{V1}/me", headers={"Authorization": header})
    assert_error(response, 401, "not_authenticated")


def test_a_bad_token_is_refused_even_from_a_signed_in_browser(cast: Any, client_for: Any) -> None:
    client = client_for(cast.member)
    response = client.get(f"{V1}/me", headers={"Authorization": "Bearer cadre_revoked"})
    assert_error(response, 401, "not_authenticated")


def test_signed_in_browser_session_can_read_the_api(cast: Any, client_for: Any) -> None:
    response = client_for(cast.host).get(f"{V1}/me")
    assert response.status_code == 200
    assert response.json()["name"] == "Hana Host"


def test_session_writes_need_the_csrf_token(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.host)
    path = f"{V1}/networks/northwind/cohorts/reliability/charters"
    body = {
        "mission": "New",
        "weekly_hours": 2,
        "next_review_on": "2199-01-01",
        "change_note": "A sharper mission.",
    }

    refused = client.post(path, body, content_type="application/json")
    assert_error(refused, 403, "csrf_failed")
    assert cast.cohort.charters.count() == 1

    secret = secrets.token_hex(16)  # what Django keeps in the csrftoken cookie
    client.cookies["csrftoken"] = secret
    accepted = client.post(
        path, body, content_type="application/json", headers={"X-CSRFToken": secret}
    )
    assert accepted.status_code == 201, accepted.content
    assert cast.cohort.charters.count() == 2


def test_token_writes_need_no_csrf_token(cast: Any, api_as: Any) -> None:
    response = api_as(cast.host).post(
        "/networks/northwind/cohorts/reliability/charters",
        {
            "mission": "New",
            "weekly_hours": 2,
            "next_review_on": "2199-01-01",
            "change_note": "A sharper mission.",
        },
    )
    assert response.status_code == 201


def test_unknown_endpoint_gets_json_404(cast: Any, api_as: Any) -> None:
    assert_error(api_as(cast.member).get("/no/such/thing"), 404, "not_found")
    assert_error(api_as(None).get("/no/such/thing"), 404, "not_found")


def test_malformed_json_body_gets_a_json_error(cast: Any, api_as: Any) -> None:
    caller = api_as(cast.member)
    response = caller.client.patch(
        f"{V1}/me/profile", "{not json", content_type="application/json", headers=caller.headers
    )
    assert_error(response, 400, "bad_request")


def test_too_many_requests_get_429_rate_limited(cast: Any, api_as: Any, settings: Any) -> None:
    settings.CADRE_API_RATE = "3/m"
    caller = api_as(cast.member)
    for _ in range(3):
        assert caller.get("/me").status_code == 200
    response = caller.get("/me")
    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 0


def test_the_rate_counts_by_the_peer_address_not_by_a_forwarded_header(
    cast: Any, settings: Any
) -> None:
    # The client's address is REMOTE_ADDR, which `cadre serve` sets from the trusted proxy's
    # X-Forwarded-For; a header a client writes itself must not buy it a fresh budget.
    settings.CADRE_API_RATE = "3/m"
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(3):
        response = client.get(f"{V1}/no-such-endpoint", headers={"X-Forwarded-For": f"10.0.0.{n}"})
        assert response.status_code == 404
    response = client.get(f"{V1}/no-such-endpoint", headers={"X-Forwarded-For": "10.0.0.9"})
    assert_error(response, 429, "rate_limited")
    # Another address has its own budget.
    other = Client(REMOTE_ADDR="198.51.100.9").get(f"{V1}/no-such-endpoint")
    assert other.status_code == 404


def test_page_size_over_the_maximum_is_a_validation_error(cast: Any, api_as: Any) -> None:
    error = assert_error(api_as(cast.member).get("/networks", limit=1000), 422, "validation_error")
    assert "limit" in error["fields"]


def test_docs_page_loads(cast: Any, client_for: Any) -> None:
    response = client_for(cast.member).get("/api/docs")
    assert response.status_code == 200
    assert b"/api/openapi.json" in response.content
    # "Try it out" from a signed-in browser sends the CSRF token with unsafe methods.
    assert b"X-CSRFToken" in response.content or b'data-api-csrf="true"' in response.content


def test_openapi_document_lists_every_endpoint_and_both_ways_to_sign_in(client: Any) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path, methods in {
        "/api/v1/me": {"get"},
        "/api/v1/me/profile": {"get", "patch"},
        "/api/v1/networks": {"get"},
        "/api/v1/networks/{slug}": {"get"},
        "/api/v1/networks/{slug}/members": {"get"},
        "/api/v1/networks/{slug}/members/{user_id}": {"get"},
        "/api/v1/networks/{slug}/cohorts": {"get", "post"},
        "/api/v1/networks/{slug}/cohorts/{cohort}": {"get", "patch"},
        "/api/v1/networks/{slug}/cohorts/{cohort}/charters": {"get", "post"},
        "/api/v1/networks/{slug}/cohorts/{cohort}/charters/current": {"get"},
        "/api/v1/networks/{slug}/cohorts/{cohort}/memberships": {"get"},
    }.items():
        assert methods <= set(paths[path]), path
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    assert "ErrorOut" in schema["components"]["schemas"]
    assert not any("rest" in path for path in paths)


def test_error_shape_is_exactly_code_and_message_without_fields(cast: Any, api_as: Any) -> None:
    assert api_as(cast.member).get("/networks/nowhere").json() == {
        "error": {"code": "not_found", "message": "No such network."}
    }


def test_validation_error_shape_names_fields_with_lists_of_messages(cast: Any, api_as: Any) -> None:
    body = api_as(cast.member).patch("/me/profile", {"time_zone": "Nowhere"}).json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == "validation_error"
    assert list(body["error"]["fields"]) == ["time_zone"]
    assert "Nowhere" in body["error"]["fields"]["time_zone"][0]


def test_unexpected_failure_is_a_json_500_without_internals(
    cast: Any, api_as: Any, monkeypatch: Any
) -> None:

    def broken(user: Any) -> Any:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(network_policy, "visible_networks", broken)
    response = api_as(cast.member).get("/networks")
    error = assert_error(response, 500, "server_error")
    assert "hunter2" not in error["message"]


def test_a_token_records_its_use_at_most_once_every_five_minutes(cast: Any) -> None:
    # On SQLite every write takes the database's one write lock: a read must not write.
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

    def token_writes(queries: CaptureQueriesContext) -> list[str]:
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]

    with time_machine.travel(start, tick=False) as clock:
        token, raw = ApiToken.issue(cast.member, "sync")
        caller = ApiCaller(Client(), raw)
        with CaptureQueriesContext(connection) as first:
            assert caller.get("/me").status_code == 200
        with CaptureQueriesContext(connection) as second:
            clock.shift(ApiToken.USE_RECORDED_EVERY - timedelta(seconds=1))
            assert caller.get("/me").status_code == 200
        assert len(token_writes(first)) == 1
        assert token_writes(second) == []
        assert len(second) == len(first) - 1
        token.refresh_from_db()
        assert token.last_used_at == start

        clock.shift(timedelta(seconds=2))  # now more than five minutes after the last record
        assert caller.get("/me").status_code == 200
        token.refresh_from_db()
        assert token.last_used_at == start + ApiToken.USE_RECORDED_EVERY + timedelta(seconds=1)
