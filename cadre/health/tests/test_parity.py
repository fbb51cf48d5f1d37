"""Both front doors do the same thing: the network's thresholds, the one health write the
pages and the API both offer, are changed once through the settings page (its form's
fields, as the organizer) and once through the API (their token), each on its own fresh
set-up, and leave the same rows; a value out of range is refused with the same sentence."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cadre.api.models import ApiToken
from cadre.api.tests.helpers import ApiCaller
from cadre.health.models import HealthSettings
from cadre.testing import Cast, build_cast

pytestmark = pytest.mark.django_db

SETTINGS = "/api/v1/networks/northwind/health/settings"


def rows() -> list[dict[str, Any]]:
    return list(
        HealthSettings.objects.order_by("network__slug").values(
            "network__slug", *HealthSettings.FIELDS
        )
    )


def on_fresh_setup(act: Callable[[Cast], Any]) -> tuple[list[dict[str, Any]], Any]:
    """A fresh cast, `act(cast)`, the rows it left and its answer; then all of it undone."""
    saved = transaction.savepoint()
    try:
        cast = build_cast()
        answer = act(cast)
        return rows(), answer
    finally:
        transaction.savepoint_rollback(saved)


def both_doors(page: Callable[[Cast], Any], api: Callable[[Cast], Any]) -> tuple[Any, Any]:
    page_rows, page_answer = on_fresh_setup(page)
    api_rows, api_answer = on_fresh_setup(api)
    assert page_rows == api_rows
    return page_answer, api_answer


def defaults() -> dict[str, int]:
    unsaved = HealthSettings()
    return {name: getattr(unsaved, name) for name in HealthSettings.FIELDS}


def send_page(cast: Cast, values: dict[str, int]) -> Any:
    client = Client()
    client.force_login(cast.organizer)
    return client.post(reverse("health:settings", args=[cast.network.slug]), values)


def send_api(cast: Cast, values: dict[str, int]) -> Any:
    caller = ApiCaller(Client(), ApiToken.issue(cast.organizer, "parity")[1])
    return caller.client.put(
        SETTINGS, json.dumps(values), content_type="application/json", headers=caller.headers
    )


def test_changing_the_thresholds_leaves_the_same_rows():
    values = {**defaults(), "blocker_wait_hours": 72, "missed_in_a_row": 3}
    page_answer, api_answer = both_doors(
        lambda cast: send_page(cast, values), lambda cast: send_api(cast, values)
    )
    assert page_answer.status_code == 302
    assert api_answer.status_code == 200


def test_a_threshold_out_of_range_is_refused_alike():
    values = {**defaults(), "attendance_window": 40}
    page_answer, api_answer = both_doors(
        lambda cast: send_page(cast, values), lambda cast: send_api(cast, values)
    )
    assert page_answer.status_code == 422 and api_answer.status_code == 422
    (message,) = api_answer.json()["error"]["fields"]["attendance_window"]
    assert escape(message) in page_answer.content.decode()
