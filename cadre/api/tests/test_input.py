"""What the API does with input it cannot use: integers beyond what the database stores, the
NUL character, bodies that are not JSON objects or are too large. Each is refused with the
stable error shape (never a 500), before anything is saved."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from cadre.api.schemas import ID_MAX
from cadre.api.tests.helpers import V1, assert_error

BEYOND = ID_MAX + 1  # 2**63: the first integer a 64-bit column cannot hold
HUGE = 2**64


def openapi(client: Client) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def fill(path: str, cast: Any, **values: Any) -> str:
    """An operation's path with real values for the network and the cohort, 1 for the other
    parameters (which are checked before anything is looked up)."""
    known = {"slug": cast.network.slug, "cohort": cast.cohort.slug, **values}
    return re.sub(r"\{(\w+)\}", lambda m: str(known.get(m.group(1), 1)), path)


# --- integers --------------------------------------------------------------------------------


def _integer_schemas(schema: dict[str, Any], doc: dict[str, Any], where: str) -> Iterator[Any]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        yield from _integer_schemas(doc["components"]["schemas"][name], doc, where)
        return
    if schema.get("type") == "integer":
        yield where, schema
    for key in ("anyOf", "allOf", "oneOf"):
        for part in schema.get(key, []):
            yield from _integer_schemas(part, doc, where)
    if isinstance(schema.get("items"), dict):
        yield from _integer_schemas(schema["items"], doc, f"{where}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _integer_schemas(schema["additionalProperties"], doc, f"{where}{{}}")
    for name, part in schema.get("properties", {}).items():
        yield from _integer_schemas(part, doc, f"{where}.{name}")


def test_every_integer_the_api_takes_is_bounded_by_what_the_database_stores(
    client: Client,
) -> None:
    # A new parameter or body field typed plain `int` fails here: use schemas.Id for ids and
    # schemas.Int32 (or explicit bounds) for the rest.
    doc = openapi(client)
    unbounded = []
    for method, path, operation in operations(doc):
        places = [
            (f"{parameter['in']} {parameter['name']}", parameter["schema"])
            for parameter in operation.get("parameters", [])
        ]
        for content in operation.get("requestBody", {}).get("content", {}).values():
            places.append(("body", content["schema"]))
        for where, schema in places:
            for name, integer in _integer_schemas(schema, doc, where):
                low, high = integer.get("minimum"), integer.get("maximum")
                if low is None or high is None or low < -ID_MAX - 1 or high > ID_MAX:
                    unbounded.append(f"{method.upper()} {path}: {name}")
    assert unbounded == []


def list_operations(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (method, path)
        for method, path, operation in operations(doc)
        if any(p["name"] == "offset" for p in operation.get("parameters", []))
    ]


def test_every_list_operation_refuses_an_offset_or_limit_beyond_the_database_range(
    cast: Any, api_as: Any, client: Client
) -> None:
    found = list_operations(openapi(client))
    assert len(found) >= 27  # every paged list, read from the document: new ones are covered
    caller = api_as(cast.admin)
    for method, path in found:
        assert method == "get"
        url = fill(path, cast).removeprefix("/api/v1")
        for name in ("offset", "limit"):
            response = caller.get(url, **{name: BEYOND})
            error = assert_error(response, 422, "validation_error")
            assert name in error["fields"], (path, error)


def test_the_largest_offset_the_database_stores_is_an_empty_page(cast: Any, api_as: Any) -> None:
    response = api_as(cast.member).get("/networks", offset=ID_MAX)
    assert response.status_code == 200, response.content
    assert response.json() == {"items": [], "count": 1}


@pytest.mark.parametrize(
    "path",
    [
        "/networks/{slug}/members/{n}",
        "/networks/{slug}/journal/{n}",
        "/networks/{slug}/library/items/{n}",
        "/networks/{slug}/metrics/{n}",
        "/networks/{slug}/rituals/{n}/rounds/{n}",
        "/networks/{slug}/cohorts/{cohort}/coaching/sessions/{n}",
        "/networks/{slug}/cohorts/{cohort}/sessions/{n}/agenda",
        "/networks/{slug}/cohorts/{cohort}/skills/growth/{n}",
    ],
)
@pytest.mark.parametrize("n", [BEYOND, HUGE, 0, "12abc"])
def test_an_id_in_the_path_that_cannot_exist_is_not_found(
    cast: Any, api_as: Any, path: str, n: Any
) -> None:
    response = api_as(cast.admin).get(fill(path, cast, n=n))
    assert_error(response, 404, "not_found")


def test_an_id_in_the_path_at_the_database_limit_is_looked_up_and_not_found(
    cast: Any, api_as: Any
) -> None:
    response = api_as(cast.admin).get(f"/networks/{cast.network.slug}/members/{ID_MAX}")
    assert_error(response, 404, "not_found")


def test_a_query_filter_id_beyond_the_database_range_names_the_filter(
    cast: Any, api_as: Any
) -> None:
    response = api_as(cast.member).get("/networks/northwind/journal", author=BEYOND)
    error = assert_error(response, 422, "validation_error")
    assert list(error["fields"]) == ["author"]
    # At the limit it is a filter that finds nothing.
    response = api_as(cast.member).get("/networks/northwind/journal", author=ID_MAX)
    assert response.json() == {"items": [], "count": 0}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/networks/northwind/journal",
            {"title": "Notes", "body": "Some", "shared_with": [1, HUGE]},
            "shared_with.1",
        ),
        (
            "/networks/northwind/journal",
            {"title": "Notes", "body": "S", "session": HUGE},
            "session",
        ),
        (
            "/networks/northwind/cohorts/reliability/coaching/sessions",
            {"focus": "Delegating", "coach": BEYOND},
            "coach",
        ),
        (
            "/networks/northwind/cohorts/reliability/coaching/feedback",
            {"receiver": HUGE, "behaviour": "You summarised the decision."},
            "receiver",
        ),
        (
            "/networks/northwind/cohorts/reliability/updates",
            {"done": "Shipped the runbook.", "commitment": HUGE},
            "commitment",
        ),
    ],
)
def test_an_id_in_a_body_beyond_the_database_range_names_the_field_and_saves_nothing(
    cast: Any, api_as: Any, path: str, body: dict[str, Any], field: str
) -> None:
    from cadre.journal.models import JournalEntry

    response = api_as(cast.member).post(path, body)
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"], error
    assert not JournalEntry.objects.exists()


def test_a_whole_number_field_beyond_a_32_bit_column_is_refused(cast: Any, api_as: Any) -> None:
    path = "/networks/northwind/cohorts/reliability/coaching/prompts"
    response = api_as(cast.organizer).post(
        path, {"text": "What did you try?", "stage": "opening", "position": HUGE}
    )
    error = assert_error(response, 422, "validation_error")
    assert list(error["fields"]) == ["position"]


def test_a_path_parameter_error_outranks_the_body(cast: Any, api_as: Any) -> None:
    # A thing that cannot exist is not there, whatever was sent to it.
    path = f"/networks/northwind/journal/{HUGE}"
    assert_error(api_as(cast.member).patch(path, {"title": ""}), 404, "not_found")


def test_a_non_numeric_page_number_is_still_a_validation_error(cast: Any, api_as: Any) -> None:
    error = assert_error(
        api_as(cast.member).get(f"{V1}/networks", offset="x"), 422, "validation_error"
    )
    assert list(error["fields"]) == ["offset"]


# --- the body's shape --------------------------------------------------------------------------


def send_raw(caller: Any, method: str, path: str, content: str) -> Any:
    send = getattr(caller.client, method)
    return send(V1 + path, content, content_type="application/json", headers=caller.headers)


@pytest.mark.parametrize("content", ["[null, null]", "[]", '"a string"', "3", "true", "null"])
def test_a_body_that_is_not_a_json_object_is_refused_under_body(
    cast: Any, api_as: Any, content: str
) -> None:
    from cadre.people.models import Profile

    before = Profile.objects.get(user=cast.member).headline
    response = send_raw(api_as(cast.member), "patch", "/me/profile", content)
    error = assert_error(response, 422, "validation_error")
    assert error["fields"] == {"body": ['The body must be a JSON object, like {"name": value}.']}
    assert Profile.objects.get(user=cast.member).headline == before


def test_every_request_body_in_the_document_is_an_object(client: Client) -> None:
    # The API refuses any other body (cadre.api.parsing); an endpoint that wanted a list
    # would have to change that first.
    doc = openapi(client)
    for method, path, operation in operations(doc):
        for content in operation.get("requestBody", {}).get("content", {}).values():
            schema = content["schema"]
            if "$ref" in schema:
                schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
            assert schema.get("type") == "object", (method, path)


def test_a_body_that_is_not_json_is_still_a_bad_request(cast: Any, api_as: Any) -> None:
    response = send_raw(api_as(cast.member), "patch", "/me/profile", "{not json")
    assert_error(response, 400, "bad_request")


# --- the NUL character ---------------------------------------------------------------------------
# PostgreSQL cannot store U+0000 in text: before these checks each of these was a 500 there
# (and saved or searched the NUL on SQLite). They run on both databases and must answer alike.

NUL = "\x00"
NUL_MESSAGE = "Must not contain the NUL character (\\u0000)."
BOARD = "/networks/northwind/cohorts/reliability"
EXPERIMENT = {
    "title": "Pairing on incidents",
    "capability": "Incident command",
    "hypothesis": "Pairs recover faster.",
    "plan": "Pair on every incident for a month.",
    "starts_on": "2030-01-01",
    "ends_on": "2030-02-01",
    "measure": "Median recovery time",
}


def library_item(cast: Any) -> int:
    from cadre.repository.models import RepositoryItem

    return int(
        RepositoryItem.objects.create(
            network=cast.network, author=cast.organizer, title="Game day plan", kind="learning"
        ).pk
    )


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", f"{BOARD}/commitments", {"text": f"Run a game day{NUL} by Friday"}, "text"),
        ("post", f"{BOARD}/updates", {"done": f"Wrote the runbook{NUL}"}, "done"),
        ("post", f"{BOARD}/experiments", {**EXPERIMENT, "plan": f"Pair{NUL}"}, "plan"),
        ("patch", "/me/profile", {"headline": f"SRE{NUL}"}, "headline"),
        ("patch", "/me/profile", {"learning_goals": ["ok", f"b{NUL}"]}, "learning_goals.1"),
        (
            "patch",
            "/me/profile",
            {"skills": [{"network": "northwind", "skill": f"facilitation{NUL}", "level": 2}]},
            "skills.0.skill",
        ),
        ("post", "/networks/northwind/library/items/{item}/reuse", {"note": f"Used{NUL}"}, "note"),
        ("post", "/networks/northwind/journal", {"title": "T", "body": "B", f"x{NUL}": 1}, "body"),
    ],
)
def test_a_nul_character_in_a_body_is_refused_naming_the_field(
    cast: Any, api_as: Any, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    from cadre.accountability.models import Commitment, Experiment, ProgressUpdate
    from cadre.people.models import Profile

    path = path.format(item=library_item(cast))
    response = getattr(api_as(cast.member), method)(path, body)
    error = assert_error(response, 422, "validation_error")
    assert error["fields"] == {field: [NUL_MESSAGE]}
    assert not Commitment.objects.exists()
    assert not ProgressUpdate.objects.exists()
    assert not Experiment.objects.exists()
    assert Profile.objects.get(user=cast.member).headline == ""


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/networks/northwind/members", {"q": f"mo{NUL}"}, "q"),
        ("/networks/northwind/journal", {"tag": f"ops{NUL}"}, "tag"),
        ("/networks/northwind/library/search", {"q": f"game{NUL}"}, "q"),
        (f"{BOARD}/commitments", {"status": f"open{NUL}"}, "status"),
    ],
)
def test_a_nul_character_in_a_query_parameter_is_refused_naming_it(
    cast: Any, api_as: Any, path: str, params: dict[str, str], field: str
) -> None:
    response = api_as(cast.member).get(path, **params)
    error = assert_error(response, 422, "validation_error")
    assert error["fields"] == {field: [NUL_MESSAGE]}


def test_a_lone_surrogate_in_a_body_is_refused_naming_the_field(cast: Any, api_as: Any) -> None:
    # JSON can spell "\\ud800" but no database can store it as UTF-8: a 500 on both before.
    from cadre.people.models import Profile

    content = '{"headline": "SRE \\ud800", "bio": "fine"}'
    response = send_raw(api_as(cast.member), "patch", "/me/profile", content)
    error = assert_error(response, 422, "validation_error")
    assert list(error["fields"]) == ["headline"]
    assert "surrogate" in error["fields"]["headline"][0]
    assert Profile.objects.get(user=cast.member).bio == ""


def test_a_nul_character_in_the_path_is_not_found(cast: Any, api_as: Any) -> None:
    assert_error(api_as(cast.member).get(f"/networks/north{NUL}wind"), 404, "not_found")
    assert_error(api_as(cast.member).get(f"{BOARD}{NUL}/commitments"), 404, "not_found")


def test_text_without_nul_still_goes_through(cast: Any, api_as: Any) -> None:
    response = api_as(cast.member).patch("/me/profile", {"headline": "SRE \\u0001 lead"})
    assert response.status_code == 200, response.content


# --- size ----------------------------------------------------------------------------------------


def test_a_body_over_the_upload_limit_is_413_payload_too_large(
    cast: Any, api_as: Any, settings: Any
) -> None:
    from cadre.people.models import Profile

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_as(cast.member).patch("/me/profile", {"bio": "x" * 2000})
    error = assert_error(response, 413, "payload_too_large")
    assert "1,000 bytes" in error["message"]
    assert Profile.objects.get(user=cast.member).bio == ""
    # Under the limit it is saved.
    assert api_as(cast.member).patch("/me/profile", {"bio": "x" * 500}).status_code == 200


def test_too_many_query_parameters_are_a_bad_request(cast: Any, api_as: Any) -> None:
    params = "&".join(f"p{n}=1" for n in range(1200))
    response = api_as(cast.member).client.get(
        f"{V1}/networks?{params}", headers=api_as(cast.member).headers
    )
    assert_error(response, 400, "bad_request")


# --- dates ---------------------------------------------------------------------------------------
# Every date a person enters is within cadre.lib.dates' range: a commitment due 9999-12-31
# made its owner's calendar feed a 500, and observations took 0001-01-01.


def _date_types(annotation: Any, metadata: list[Any], where: str) -> Iterator[tuple[str, Any]]:
    """(where, the date type with its validators) for each date inside `annotation`."""
    import datetime as dt
    import typing

    from pydantic import BaseModel

    if annotation is dt.date:
        yield where, typing.Annotated[(dt.date, *metadata)] if metadata else dt.date
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            yield from _date_types(field.annotation, list(field.metadata), f"{where}.{name}")
    elif typing.get_origin(annotation) is typing.Annotated:
        base, *more = typing.get_args(annotation)
        yield from _date_types(base, [*more, *metadata], where)
    else:
        for argument in typing.get_args(annotation):
            yield from _date_types(argument, [], where)


def test_every_date_the_api_takes_is_checked_against_the_range() -> None:
    # A new date parameter or body field typed plain `date` fails here: use schemas.Date.
    from pydantic import TypeAdapter, ValidationError

    from cadre.api.api import api

    found, unchecked = [], []
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for model in operation.models:
                    for where, kind in _date_types(model, [], f"{path} {model.__name__}"):
                        found.append(where)
                        adapter = TypeAdapter(kind)
                        adapter.validate_python("2200-12-31")
                        for outside in ("0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"):
                            try:
                                adapter.validate_python(outside)
                            except ValidationError:
                                continue
                            unchecked.append(f"{where} takes {outside}")
    assert len(found) >= 14
    assert unchecked == []


@pytest.mark.time_machine("2027-03-01 09:00Z", tick=False)
@pytest.mark.parametrize(
    ("who", "method", "path", "body", "field"),
    [
        ("member", "post", f"{BOARD}/commitments", {"text": "x", "due_on": "9999-12-31"}, "due_on"),
        (
            "member",
            "post",
            f"{BOARD}/experiments",
            {**EXPERIMENT, "ends_on": "2201-01-01"},
            "ends_on",
        ),
        ("organizer", "patch", BOARD, {"starts_on": "0001-01-01"}, "starts_on"),
        (
            "host",
            "post",
            f"{BOARD}/charters",
            {"mission": "M", "weekly_hours": 2, "next_review_on": "9999-12-31"},
            "next_review_on",
        ),
        (
            "member",
            "post",
            "/networks/northwind/metrics/{metric}/observations",
            {"date": "0001-01-01", "value": 3},
            "date",
        ),
        (
            "member",
            "post",
            "/networks/northwind/metrics/{metric}/observations/bulk",
            {"items": [{"date": "2027-02-01", "value": 1}, {"date": "1899-12-31", "value": 2}]},
            "items.1.date",
        ),
    ],
)
def test_a_date_outside_the_range_is_refused_naming_the_field(
    cast: Any, api_as: Any, who: str, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    from cadre.accountability.models import Commitment, Experiment
    from cadre.lib.dates import RANGE_MESSAGE
    from cadre.metrics.models import Observation
    from cadre.metrics.tests.helpers import cohort_metric

    path = path.format(metric=cohort_metric(cast).pk)
    response = getattr(api_as(getattr(cast, who)), method)(path, body)
    error = assert_error(response, 422, "validation_error")
    assert error["fields"][field] == [RANGE_MESSAGE]
    assert not Commitment.objects.exists() and not Experiment.objects.exists()
    assert not Observation.objects.exists()
    cast.cohort.refresh_from_db()
    assert cast.cohort.starts_on is None and cast.cohort.charters.count() == 1


@pytest.mark.time_machine("2027-03-01 09:00Z", tick=False)
def test_the_ends_of_the_range_are_accepted(cast: Any, api_as: Any) -> None:
    response = api_as(cast.member).post(
        f"{BOARD}/commitments",
        {"text": "Run the game day", "due_on": "2200-12-31", "keep_anyway": True},
    )
    assert response.status_code == 201, response.content
    response = api_as(cast.organizer).patch(BOARD, {"starts_on": "1900-01-01"})
    assert response.status_code == 200, response.content
