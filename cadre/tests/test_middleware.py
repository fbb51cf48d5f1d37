"""The site's own middleware (cadre/middleware.py), through real requests. These run on both
databases: on PostgreSQL each request below was a 500 before (text with a NUL cannot be
compared there), on SQLite a page that found nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

NUL = "\x00"


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("repository:list", {"skill": f"facilitation{NUL}"}),
        ("repository:list", {"kind": "template", "cohort": f"x{NUL}"}),
        ("health:network", {"intake": f"spring{NUL}", "status": "ok"}),
        ("health:network", {f"status{NUL}": "ok"}),
    ],
)
def test_a_nul_character_in_a_pages_query_string_is_a_bad_request(
    cast: Any, client_for: Any, name: str, query: dict[str, str]
) -> None:
    response = client_for(cast.organizer).get(reverse(name, args=[cast.network.slug]), query)
    assert response.status_code == 400
    assert b"<title>" in response.content  # Cadre's 400 page


def test_a_nul_character_in_an_api_path_is_json_not_found(cast: Any, client_for: Any) -> None:
    response = client_for(cast.member).get(f"/api/v1/networks/north{NUL}wind")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_nul_character_in_a_pages_path_is_not_found(cast: Any, client_for: Any) -> None:
    response = client_for(cast.member).get(f"/n/north{NUL}wind/")
    assert response.status_code == 404


def test_pages_without_nul_are_untouched(cast: Any, client_for: Any) -> None:
    response = client_for(cast.organizer).get(
        reverse("repository:list", args=[cast.network.slug]), {"skill": "facilitation"}
    )
    assert response.status_code == 200
