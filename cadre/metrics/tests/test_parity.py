"""Both front doors do the same thing: each write the pages and the API both offer is made
once through the page (the form's fields, as the real person) and once through the API (their
token), each on its own fresh set-up, and leaves the same rows; a refused write is refused
with the same sentence."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cadre.api.models import ApiToken
from cadre.api.tests.helpers import ApiCaller
from cadre.metrics.models import Metric, Observation
from cadre.testing import Cast, build_cast

from .helpers import cohort_metric, network_metric, observe

pytestmark = pytest.mark.django_db

API_COHORT = "/networks/northwind/cohorts/reliability/metrics"
API_NETWORK = "/networks/northwind/metrics"


def day(n: int = 0) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def page_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_as(user: Any) -> ApiCaller:
    return ApiCaller(Client(), ApiToken.issue(user, "parity")[1])


def c_url(cast: Cast, name: str, *args: Any) -> str:
    return reverse(f"metrics_cohort:{name}", args=[cast.network.slug, cast.cohort.slug, *args])


def n_url(cast: Cast, name: str, *args: Any) -> str:
    return reverse(f"metrics:{name}", args=[cast.network.slug, *args])


def email(user: Any) -> str | None:
    return user.email if user is not None else None


def rows() -> dict[str, list[dict[str, Any]]]:
    """Every metric and observation, ids and timestamps aside, people by e-mail."""
    metrics = [
        {
            "network": m.network.slug,
            "cohort": m.cohort.slug if m.cohort else None,
            "created_by": email(m.created_by),
            **{f: getattr(m, f) for f in ("name", "kind", "unit", "direction", "description")},
            "target": m.target,
            "baseline": m.baseline,
        }
        for m in Metric.objects.order_by("name")
    ]
    observations = [
        {
            "metric": o.metric.name,
            "observed_on": o.observed_on,
            "value": o.value,
            "person": email(o.person),
            "note": o.note,
            "recorded_by": email(o.recorded_by),
        }
        for o in Observation.objects.order_by("metric__name", "observed_on", "value")
    ]
    return {"metrics": metrics, "observations": observations}


def on_fresh_setup(setup: Callable[[Cast], Any], act: Callable[[Cast, Any], Any]) -> Any:
    """Build a fresh cast and `setup(cast)`, `act(cast, made)`, and return the rows it left
    and what `act` returned; then undo it all, so the other door starts from the same."""
    saved = transaction.savepoint()
    try:
        cast = build_cast()
        made = setup(cast)
        answer = act(cast, made)
        return rows(), answer
    finally:
        transaction.savepoint_rollback(saved)


def both_doors(
    setup: Callable[[Cast], Any],
    page: Callable[[Cast, Any], Any],
    api: Callable[[Cast, Any], Any],
) -> tuple[Any, Any]:
    page_rows, page_answer = on_fresh_setup(setup, page)
    api_rows, api_answer = on_fresh_setup(setup, api)
    assert page_rows == api_rows
    return page_answer, api_answer


def nothing(cast: Cast) -> None:
    return None


def refused_alike(page_response: Any, api_response: Any, status: int) -> None:
    """The API refuses with `status` and a sentence the page shows too."""
    assert api_response.status_code == status, api_response.content
    message = api_response.json()["error"]["message"]
    assert escape(message) in page_response.content.decode()


# --- defining a metric -------------------------------------------------------------------------

NEW_PAGE = {
    "name": "Lead time",
    "kind": "cycle_time",
    "unit": "days",
    "direction": "lower",
    "target": "3",
    "baseline": "5.5",
    "description": "From first commit to production.",
}
NEW_API = {**NEW_PAGE, "target": "3", "baseline": "5.5"}


def test_defining_a_cohort_metric_leaves_the_same_rows():
    def page(cast, _):
        response = page_as(cast.host).post(c_url(cast, "new"), NEW_PAGE)
        assert response.status_code == 302, response.content

    def api(cast, _):
        response = api_as(cast.host).post(API_COHORT, NEW_API)
        assert response.status_code == 201, response.content

    both_doors(nothing, page, api)


def test_defining_a_network_metric_leaves_the_same_rows():
    def page(cast, _):
        assert page_as(cast.organizer).post(n_url(cast, "new"), NEW_PAGE).status_code == 302

    def api(cast, _):
        assert api_as(cast.organizer).post(API_NETWORK, NEW_API).status_code == 201

    both_doors(nothing, page, api)


def test_a_duplicate_metric_name_is_refused_alike():
    def setup(cast):
        return cohort_metric(cast, name="Lead time")

    page_answer, api_answer = both_doors(
        setup,
        lambda cast, _: page_as(cast.host).post(c_url(cast, "new"), NEW_PAGE),
        lambda cast, _: api_as(cast.host).post(API_COHORT, NEW_API),
    )
    refused_alike(page_answer, api_answer, 422)
    error = api_answer.json()["error"]
    assert error["fields"]["name"] == ["This cohort already has a metric called “Lead time”."]


@pytest.mark.parametrize(("who", "scope"), [("member", "cohort"), ("host", "network")])
def test_defining_without_the_role_is_refused_alike(who, scope):
    def page(cast, _):
        url = c_url(cast, "new") if scope == "cohort" else n_url(cast, "new")
        response = page_as(getattr(cast, who)).post(url, NEW_PAGE)
        assert response.status_code == 403
        return response

    def api(cast, _):
        return api_as(getattr(cast, who)).post(
            API_COHORT if scope == "cohort" else API_NETWORK, NEW_API
        )

    refused_alike(*both_doors(nothing, page, api), 403)


# --- changing a metric -------------------------------------------------------------------------


def test_changing_a_metric_leaves_the_same_rows():
    changed = {**NEW_PAGE, "name": "Recovery (p50)", "target": "25", "baseline": ""}

    def page(cast, metric):
        response = page_as(cast.host).post(c_url(cast, "edit", metric.pk), changed)
        assert response.status_code == 302, response.content

    def api(cast, metric):
        body = {**changed, "baseline": None}
        response = api_as(cast.host).patch(f"{API_NETWORK}/{metric.pk}", body)
        assert response.status_code == 200, response.content

    both_doors(cohort_metric, page, api)


def test_changing_a_metric_without_the_role_is_refused_alike():
    page_answer, api_answer = both_doors(
        cohort_metric,
        lambda cast, m: page_as(cast.member).post(c_url(cast, "edit", m.pk), NEW_PAGE),
        lambda cast, m: api_as(cast.member).patch(f"{API_NETWORK}/{m.pk}", {"target": 1}),
    )
    assert page_answer.status_code == 403
    refused_alike(page_answer, api_answer, 403)


def test_renaming_to_a_taken_name_is_refused_alike():
    def setup(cast):
        cohort_metric(cast, name="Lead time")
        return cohort_metric(cast, name="Recovery time")

    page_answer, api_answer = both_doors(
        setup,
        lambda cast, m: page_as(cast.host).post(c_url(cast, "edit", m.pk), NEW_PAGE),
        lambda cast, m: api_as(cast.host).patch(f"{API_NETWORK}/{m.pk}", {"name": "Lead time"}),
    )
    assert page_answer.status_code == 200
    refused_alike(page_answer, api_answer, 422)
    assert api_answer.json()["error"]["fields"]["name"]


# --- recording observations -------------------------------------------------------------------


def test_recording_an_observation_leaves_the_same_rows():
    about = "mo@northwind.test"

    def page(cast, metric):
        response = page_as(cast.host).post(
            c_url(cast, "record", metric.pk),
            {"observed_on": day(2), "value": "27.5", "person_email": about, "note": " game day "},
        )
        assert response.status_code == 302, response.content

    def api(cast, metric):
        response = api_as(cast.host).post(
            f"{API_NETWORK}/{metric.pk}/observations",
            {"date": day(2), "value": "27.5", "person_email": about, "note": " game day "},
        )
        assert response.status_code == 201, response.content

    both_doors(cohort_metric, page, api)


def test_an_observation_about_someone_outside_the_cohort_is_refused_alike():
    outside = "oscar@northwind.test"
    page_answer, api_answer = both_doors(
        cohort_metric,
        lambda cast, m: page_as(cast.member).post(
            c_url(cast, "record", m.pk),
            {"observed_on": day(), "value": "3", "person_email": outside},
        ),
        lambda cast, m: api_as(cast.member).post(
            f"{API_NETWORK}/{m.pk}/observations",
            {"date": day(), "value": "3", "person_email": outside},
        ),
    )
    assert page_answer.status_code == 422
    refused_alike(page_answer, api_answer, 422)
    assert api_answer.json()["error"]["fields"]["person_email"]


def test_recording_without_the_role_is_refused_alike():
    page_answer, api_answer = both_doors(
        network_metric,
        lambda cast, m: page_as(cast.member).post(
            n_url(cast, "record", m.pk), {"observed_on": day(), "value": "3"}
        ),
        lambda cast, m: api_as(cast.member).post(
            f"{API_NETWORK}/{m.pk}/observations", {"date": day(), "value": "3"}
        ),
    )
    assert page_answer.status_code == 403
    refused_alike(page_answer, api_answer, 403)


# --- many observations: the CSV upload and the bulk endpoint ----------------------------------

BATCH = [
    {"date": 3, "value": "31", "person_email": "", "note": "first"},
    {"date": 2, "value": "29.25", "person_email": "hana@northwind.test", "note": ""},
    {"date": 1, "value": "40", "person_email": "", "note": "after the outage"},
]


def csv_of(items: list[dict[str, Any]]) -> SimpleUploadedFile:
    lines = ["date,value,person_email,note"] + [
        f"{day(i['date']) if isinstance(i['date'], int) else i['date']},{i['value']},"
        f"{i['person_email']},{i['note']}"
        for i in items
    ]
    return SimpleUploadedFile("obs.csv", ("\n".join(lines) + "\n").encode(), "text/csv")


def as_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**i, "date": day(i["date"]) if isinstance(i["date"], int) else i["date"]} for i in items
    ]


def test_many_observations_leave_the_same_rows():
    def setup(cast):
        metric = cohort_metric(cast)
        observe(metric, 50, 10, recorded_by=cast.member)
        return metric

    def page(cast, metric):
        response = page_as(cast.member).post(
            c_url(cast, "upload", metric.pk), {"file": csv_of(BATCH)}
        )
        assert response.status_code == 302, response.content

    def api(cast, metric):
        response = api_as(cast.member).post(
            f"{API_NETWORK}/{metric.pk}/observations/bulk", {"items": as_items(BATCH)}
        )
        assert response.status_code == 201, response.content

    both_doors(setup, page, api)


def test_a_bad_row_among_many_is_refused_alike_and_nothing_is_saved():
    bad = [*BATCH[:1], {**BATCH[1], "date": "2026-02-30"}, BATCH[2]]
    page_answer, api_answer = both_doors(
        cohort_metric,
        lambda cast, m: page_as(cast.member).post(
            c_url(cast, "upload", m.pk), {"file": csv_of(bad)}
        ),
        lambda cast, m: api_as(cast.member).post(
            f"{API_NETWORK}/{m.pk}/observations/bulk", {"items": as_items(bad)}
        ),
    )
    assert page_answer.status_code == 422
    assert api_answer.status_code == 422
    (problem,) = api_answer.json()["error"]["fields"]["items.1.date"]
    assert escape(problem) in page_answer.content.decode()
