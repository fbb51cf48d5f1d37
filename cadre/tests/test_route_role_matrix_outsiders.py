"""The route × role matrix for the people outside the first network (anonymous visitors,
someone signed in who belongs to no network, Django staff, a member and an organizer of the
other network) or at its edge (a partner, who sees only what is shared with their group), and the gates that keep the matrix whole: every route filled, every model
with free text carrying canaries, every canary with a rule. See test_route_role_matrix.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from cadre.tests.matrix import (
    ROLES,
    SURFACES,
    Answer,
    Matrix,
    check_role,
    judge_api,
    judge_page,
    matrix_in_transaction,
)
from cadre.tests.matrix_routes import Request, Route, api_operations
from cadre.tests.matrix_rules import CANARY_FIELDS, NO_CANARY, free_text_fields, read_rule

pytestmark = pytest.mark.django_db

OUTSIDERS = ["anonymous", "newcomer", "staff", "other_member", "other_organizer", "partner"]


@pytest.fixture(scope="module")
def matrix(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Matrix]:
    with matrix_in_transaction(django_db_blocker) as built:
        yield built


def test_the_two_files_request_as_every_role() -> None:
    from cadre.tests.test_route_role_matrix import INSIDERS

    assert sorted(INSIDERS + OUTSIDERS) == sorted(ROLES)


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("role", OUTSIDERS)
def test_every_route_answers_this_person_without_leaking(
    matrix: Matrix, role: str, surface: str, settings: Any
) -> None:
    settings.CADRE_API_RATE = settings.CADRE_SEARCH_RATE = "100000/m"  # not what is tested here
    check_role(matrix, role, surface)


# --- the gates ---------------------------------------------------------------------------------


def test_every_route_and_api_operation_is_filled_from_the_world(matrix: Matrix) -> None:
    assert matrix.unfilled == [], "Routes the matrix cannot fill:\n" + "\n".join(matrix.unfilled)
    pages = {r.route.template for r in matrix.requests if r.route.kind == "page"}
    operations = {
        (r.route.method, r.route.template) for r in matrix.requests if r.route.kind == "api"
    }
    assert len(operations) == len(api_operations())
    assert "/n/{network}/c/{cohort}/board/commitments/{pk}/" in pages


def _ninja_paths() -> set[str]:
    found = set()

    def walk(resolver: URLResolver, prefix: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.callback.__module__.startswith("ninja."):
                found.add("/" + prefix + str(p.pattern))

    walk(get_resolver(), "")
    return found


def test_every_api_route_is_in_the_openapi_document() -> None:
    """The matrix takes API operations from the OpenAPI document: an endpoint left out of it
    would go untested (the catch-all for unknown paths aside)."""
    documented = {route.template.replace("{", "<").replace("}", ">") for route in api_operations()}
    assert _ninja_paths() - documented == {"/api/v1/<path:rest>"}


def test_every_model_with_free_text_carries_canaries() -> None:
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        if not (model.__module__.startswith("cadre.") or label == "accounts.User"):
            continue
        if free_text_fields(model) and label not in CANARY_FIELDS and label not in NO_CANARY:
            missing.append(f"{label}: {free_text_fields(model)}")
    assert missing == [], "Add these to CANARY_FIELDS (or NO_CANARY, saying why)"


def test_every_model_with_canaries_has_a_rule_for_who_reads_it() -> None:
    assert [label for label in CANARY_FIELDS if read_rule(label) is None] == []


def test_the_matrix_world_has_rows_of_every_model_with_canaries(matrix: Matrix) -> None:
    labels = {canary.label for canary in matrix.world.canaries.values()}
    assert sorted(set(CANARY_FIELDS) - labels) == []


# --- the judge, tried on answers made up to fail ------------------------------------------------


def _request(matrix: Matrix, url: str, kind: str = "page") -> Request:
    return Request(Route(kind, "GET", url, "made-up", ()), url)


def test_the_judge_reports_a_canary_the_person_may_not_read(matrix: Matrix) -> None:
    coaching = next(
        c for c in matrix.world.canaries.values() if c.label == "coaching.CoachingSession"
    )
    page = Answer(200, "text/html", f"<title>x · Cadre</title><p>{coaching.token}</p>")
    problems = judge_page(matrix, "organizer", _request(matrix, "/n/n1/"), page)
    assert problems == [f"shows {coaching}"]
    secret = next(
        s for s, (owner, what) in matrix.world.secrets.items() if what == "two-factor secret"
    )
    assert judge_page(
        matrix,
        "staff",
        _request(matrix, "/admin/x/"),
        Answer(200, "text/html", f"<title>x · Cadre</title>{secret}"),
    )


def test_the_judge_reports_bare_errors_and_broken_api_errors(matrix: Matrix) -> None:
    assert judge_page(matrix, "member_a", _request(matrix, "/n/n1/"), Answer(405, "text/html", ""))
    assert judge_page(
        matrix, "member_a", _request(matrix, "/n/n1/"), Answer(500, "", "", error="X")
    )
    api = _request(matrix, "/api/v1/networks", kind="api")
    assert judge_api(matrix, "member_a", api, Answer(404, "text/html", "<h1>Not Found</h1>"))
    assert judge_api(
        matrix,
        "member_a",
        api,
        Answer(400, "application/json", '{"error": {"code": "oops", "message": "x"}}'),
    )
    assert not judge_api(
        matrix,
        "member_a",
        api,
        Answer(404, "application/json", '{"error": {"code": "not_found", "message": "No."}}'),
    )
