"""The OpenAPI document is the API's contract: each schema has one name of its own, and every
operation lists the errors it can answer with, in the one error shape."""

import enum
import types
import typing
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, Literal

import pydantic

from cadre.api.api import api

DOCUMENT_URL = "/api/openapi.json"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
Mode = Literal["validation", "serialization"]  # how pydantic reads a model for its schema


def operations_in_schema() -> Iterator[tuple[str, Any]]:
    """(method, ninja operation) for every operation the document shows, walked the way
    ninja's own document builder walks them."""
    for bound_router in api._get_bound_routers():
        for path_view in bound_router.path_operations.values():
            for operation in path_view.operations:
                if operation.include_in_schema:
                    for method in operation.methods:
                        yield method.lower(), operation


def named_types(annotation: Any) -> Iterator[type]:
    """The models and enums an annotation refers to (through list[...], X | None, ...):
    what pydantic turns into named components."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel | enum.Enum):
        yield annotation
        if issubclass(annotation, pydantic.BaseModel):
            for field in annotation.model_fields.values():
                yield from named_types(field.annotation)
        return
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for argument in typing.get_args(annotation):
            yield from named_types(argument)


def component_classes() -> dict[str, set[tuple[type, Mode]]]:
    """Component name -> the (class, mode) pairs that the document builds under that name.
    Request models are read in validation mode and responses in serialization mode, as
    ninja does; the parameter and response wrappers ninja makes itself are not components."""
    found: dict[str, set[tuple[type, Mode]]] = defaultdict(set)
    for _, operation in operations_in_schema():
        wrappers: list[tuple[Any, Mode]] = [(model, "validation") for model in operation.models]
        wrappers += [
            (model, "serialization")
            for model in operation.response_models.values()
            if isinstance(model, type)
        ]
        for wrapper, mode in wrappers:
            for field in wrapper.model_fields.values():
                for named in named_types(field.annotation):
                    found[named.__name__].add((named, mode))
    return found


def describe(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def test_no_two_schema_classes_share_a_component_name(client: Any) -> None:
    """Two classes with one name overwrite each other in the document, and the operations
    of the one that loses then answer with what their published schema does not allow."""
    published = set(client.get(DOCUMENT_URL).json()["components"]["schemas"])
    found = component_classes()
    # The walk above must see what the document holds, or this test would prove nothing.
    assert published <= set(found), f"not found by the walk: {sorted(published - set(found))}"

    # Classes are told apart by where they are defined: ninja makes one Paged<Item> class per
    # paginated operation, all alike, from the same place.
    shared = {
        name: sorted(places)
        for name, uses in found.items()
        if len(places := {describe(cls) for cls, _ in uses}) > 1
    }
    assert not shared, "give each of these schemas a name of its own:\n" + "\n".join(
        f"  {name}: {', '.join(classes)}" for name, classes in sorted(shared.items())
    )


def test_a_schema_read_both_ways_is_the_same_both_ways() -> None:
    """A class used for requests and for responses gets one name; its request and response
    schemas must then be the same, or one of them overwrites the other."""
    differing = []
    for name, uses in component_classes().items():
        modes = {mode for _, mode in uses}
        for cls in {cls for cls, _ in uses}:
            if issubclass(cls, pydantic.BaseModel) and len(modes) > 1:
                schemas = [cls.model_json_schema(mode=mode) for mode in sorted(modes)]
                if schemas[0] != schemas[1]:
                    differing.append(f"{name} ({describe(cls)})")
    assert not differing, "split into an input and an output schema: " + ", ".join(differing)


def expected_errors(method: str, path: str, operation: dict[str, Any]) -> set[str]:
    """What the API can answer besides success, as docs/api.md's table of errors says."""
    where = {p["in"] for p in operation.get("parameters", [])}
    expected = {"401", "403", "429"}  # every operation needs a caller, and is rate-limited
    if "path" in where:
        expected.add("404")
    if "query" in where:
        expected |= {"400", "422"}
    if "requestBody" in operation:
        expected |= {"400", "413", "422"}
    return expected


def test_every_operation_lists_its_error_answers_with_the_one_error_schema(client: Any) -> None:
    document = client.get(DOCUMENT_URL).json()
    error_schema = {"$ref": "#/components/schemas/ErrorOut"}
    lacking: dict[str, list[str]] = {}
    other_schema: list[str] = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            name = f"{method.upper()} {path}"
            responses = operation["responses"]
            if missing := expected_errors(method, path, operation) - set(responses):
                lacking[name] = sorted(missing)
            for status, response in responses.items():
                if status.startswith("4") and (
                    response.get("content", {}).get("application/json", {}).get("schema")
                    != error_schema
                ):
                    other_schema.append(f"{name} {status}")
    assert not lacking, f"{len(lacking)} operations lack error answers: {lacking}"
    assert not other_schema, f"errors not in the ErrorOut shape: {other_schema}"


def test_the_forbidden_answer_names_the_codes_it_can_carry(client: Any) -> None:
    document = client.get(DOCUMENT_URL).json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            forbidden = operation["responses"]["403"]["description"]
            assert "`forbidden`" in forbidden and "`two_factor_required`" in forbidden, path
            assert ("`csrf_failed`" in forbidden) == (method != "get"), (method, path)
            network_content = path.startswith("/api/v1/networks/{slug}")
            assert ("`conduct_not_accepted`" in forbidden) == network_content, path


def test_the_error_schema_is_the_shape_the_handlers_answer_with(client: Any) -> None:
    schemas = client.get(DOCUMENT_URL).json()["components"]["schemas"]
    assert schemas["ErrorOut"]["required"] == ["error"]
    body = schemas["ErrorBody"]
    assert set(body["properties"]) == {"code", "message", "fields", "detail"}
    assert set(body["required"]) == {"code", "message"}
