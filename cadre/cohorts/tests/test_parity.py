"""A charter version saved through the page and through the API leaves the same rows, and
both doors refuse with the same sentence (cadre.cohorts.services.save_charter)."""

import html
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cadre.cohorts.models import Charter, CharterAcknowledgement
from cadre.testing_parity import api_fields, api_message, call_api, fresh, rows

CHARTERS = "/networks/northwind/cohorts/reliability/charters"


def form_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "mission": "Cut incident recovery time by sharing what works.",
        "weekly_hours": "3",
        "learning_formats": ["coaching", "case"],
        "project_kinds": "Game days in our own teams",
        "norms": "Cameras on.\r\nStart on time.",
        "next_review_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "change_note": "More time for game days.",
        "based_on": "1",
    }
    data.update(changes)
    return data


def api_body(**changes: Any) -> dict[str, Any]:
    body = {k: v for k, v in form_data(**changes).items() if k != "based_on"}
    body["weekly_hours"] = float(body["weekly_hours"])
    return body


def charter_rows(cast: Any) -> Any:
    charters = Charter.objects.filter(cohort=cast.cohort).order_by("version")
    acknowledged = CharterAcknowledgement.objects.filter(charter__cohort=cast.cohort)
    return (
        rows(charters),
        sorted((a.charter.version, a.user_id) for a in acknowledged.select_related("charter")),
    )


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("who", ["host", "organizer"])
def test_a_charter_version_saved_on_the_page_and_by_the_api_leaves_the_same_rows(
    cast: Any, client_for: Any, url: Any, who: str
) -> None:
    person = getattr(cast, who)
    page = fresh(
        lambda: client_for(person).post(url("charter_edit"), form_data()),
        lambda: charter_rows(cast),
    )
    api = fresh(lambda: call_api(person, "post", CHARTERS, api_body()), lambda: charter_rows(cast))
    assert page.response.status_code == 302
    assert api.response.status_code == 201, api.response.content
    assert page.rows == api.rows
    assert len(page.rows[0]) == 2


@pytest.mark.parametrize(
    "change, field",
    [
        ({"next_review_on": "today"}, "next_review_on"),  # read when the test runs
        ({"change_note": ""}, "change_note"),
    ],
)
def test_both_doors_refuse_a_bad_charter_with_the_same_sentence(
    cast: Any, client_for: Any, url: Any, change: dict[str, Any], field: str
) -> None:
    if change.get("next_review_on") == "today":
        change = {"next_review_on": timezone.localdate().isoformat()}
    page = fresh(
        lambda: client_for(cast.host).post(url("charter_edit"), form_data(**change)),
        lambda: charter_rows(cast),
    )
    api = fresh(
        lambda: call_api(cast.host, "post", CHARTERS, api_body(**change)),
        lambda: charter_rows(cast),
    )
    assert page.rows == api.rows
    assert len(api.rows[0]) == 1
    assert api.response.status_code == 422
    (message,) = api_fields(api.response)[field]
    assert message in page_text(page.response)


def test_both_doors_refuse_a_version_that_changes_nothing(
    cast: Any, client_for: Any, url: Any
) -> None:
    current = cast.cohort.current_charter()
    same = {
        "mission": current.mission,
        "weekly_hours": "2",
        "learning_formats": ["case", "demo"],
        "project_kinds": current.project_kinds,
        "norms": current.norms,
        "next_review_on": current.next_review_on.isoformat(),
    }
    page = fresh(
        lambda: client_for(cast.host).post(url("charter_edit"), form_data(**same)),
        lambda: charter_rows(cast),
    )
    api = fresh(
        lambda: call_api(cast.host, "post", CHARTERS, api_body(**same)),
        lambda: charter_rows(cast),
    )
    assert page.rows == api.rows
    assert api.response.status_code == 422
    assert api_message(api.response) == "Nothing changed from version 1; there is nothing to save."
    assert api_message(api.response) in page_text(page.response)


def test_both_doors_tell_a_member_the_same_reason_they_may_not_change_the_charter(
    cast: Any, client_for: Any, url: Any
) -> None:
    page = fresh(
        lambda: client_for(cast.member).post(url("charter_edit"), form_data()),
        lambda: charter_rows(cast),
    )
    api = fresh(
        lambda: call_api(cast.member, "post", CHARTERS, api_body()), lambda: charter_rows(cast)
    )
    assert (page.response.status_code, api.response.status_code) == (403, 403)
    assert page.rows == api.rows
    assert api_message(api.response) in page_text(page.response)
