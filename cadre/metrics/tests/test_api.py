"""The metrics endpoints: the same rules as the pages, stable errors, and all-or-nothing
bulk observations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.api.tests.helpers import assert_error
from cadre.metrics import importing
from cadre.metrics.models import Metric, Observation

from .helpers import cohort_metric, make_reporter, network_metric, observe

COHORT = "/networks/northwind/cohorts/reliability/metrics"
NETWORK = "/networks/northwind/metrics"


def day(n=0):
    return (timezone.localdate() - timedelta(days=n)).isoformat()


NEW = {"name": "Lead time", "kind": "cycle_time", "unit": "days", "direction": "lower", "target": 3}


@pytest.mark.parametrize("who", ["admin", "organizer", "host", "member"])
def test_cohort_metrics_are_listed_for_the_board(cast, api_as, who):
    cohort_metric(cast)
    body = api_as(getattr(cast, who)).get(COHORT).json()
    assert body["count"] == 1 and body["items"][0]["cohort"] == "reliability"
    assert body["items"][0]["target"] == "30.0000"


@pytest.mark.parametrize("who", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_people_outside_the_cohort_get_404(cast, api_as, who):
    metric = cohort_metric(cast)
    caller = api_as(getattr(cast, who))
    assert_error(caller.get(COHORT), 404, "not_found")
    assert_error(caller.get(f"{COHORT}/built-in"), 404, "not_found")
    assert_error(caller.get(f"{COHORT}/figures"), 404, "not_found")
    assert_error(caller.get(f"{NETWORK}/{metric.pk}/observations"), 404, "not_found")
    assert_error(
        caller.post(f"{NETWORK}/{metric.pk}/observations", {"date": day(), "value": 1}),
        404,
        "not_found",
    )


def test_anonymous_and_newcomer_are_refused(cast, api_as):
    assert_error(api_as(None).get(COHORT), 401, "not_authenticated")
    assert_error(api_as(cast.newcomer).get(COHORT), 403, "conduct_not_accepted")
    assert_error(api_as(cast.newcomer).get(NETWORK), 403, "conduct_not_accepted")


@pytest.mark.parametrize("who", ["host", "organizer"])
def test_hosts_and_organizers_define_cohort_metrics(cast, api_as, who):
    response = api_as(getattr(cast, who)).post(COHORT, NEW)
    assert response.status_code == 201, response.content
    assert Metric.objects.get(name="Lead time").cohort == cast.cohort


def test_members_may_not_define_and_duplicates_are_refused(cast, api_as):
    assert_error(api_as(cast.member).post(COHORT, NEW), 403, "forbidden")
    api_as(cast.host).post(COHORT, NEW)
    error = assert_error(api_as(cast.host).post(COHORT, NEW), 422, "validation_error")
    assert "name" in error["fields"]
    error = assert_error(
        api_as(cast.host).post(COHORT, {**NEW, "direction": "up"}), 422, "validation_error"
    )
    assert Metric.objects.count() == 1


def test_network_metrics_are_for_organizers_to_define_and_members_to_read(cast, api_as):
    assert_error(api_as(cast.host).post(NETWORK, NEW), 403, "forbidden")
    created = api_as(cast.organizer).post(NETWORK, NEW)
    assert created.status_code == 201 and created.json()["cohort"] is None
    assert api_as(cast.mentor).get(NETWORK).json()["count"] == 1
    assert api_as(cast.partner).get(NETWORK).json()["count"] == 0


def test_update_a_metric(cast, api_as):
    metric = cohort_metric(cast)
    path = f"{NETWORK}/{metric.pk}"
    assert_error(api_as(cast.member).patch(path, {"target": 20}), 403, "forbidden")
    response = api_as(cast.host).patch(path, {"target": 20, "baseline": None})
    assert response.status_code == 200 and response.json()["target"] == "20.0000"
    metric.refresh_from_db()
    assert metric.target == 20 and metric.baseline is None
    assert_error(api_as(cast.host).patch(path, {"target": None}), 422, "validation_error")


def test_record_one_observation(cast, api_as):
    metric = cohort_metric(cast)
    path = f"{NETWORK}/{metric.pk}/observations"
    response = api_as(cast.member).post(
        path, {"date": day(1), "value": "28.25", "person_email": "mo@northwind.test"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["person"]["id"] == cast.member.pk
    error = assert_error(
        api_as(cast.member).post(path, {"date": "tomorrow", "value": "x"}), 422, "validation_error"
    )
    assert set(error["fields"]) == {"date", "value"}
    assert api_as(cast.member).get(path).json()["count"] == 1


def test_bulk_observations_are_all_or_nothing(cast, api_as):
    metric = cohort_metric(cast)
    path = f"{NETWORK}/{metric.pk}/observations/bulk"
    items = [{"date": day(d), "value": 30 + d} for d in range(5)]
    items[3] = {"date": day(3), "value": "n/a"}
    items[4] = {"date": day(4), "value": 1, "person_email": "nobody@x.test"}
    error = assert_error(api_as(cast.member).post(path, {"items": items}), 422, "validation_error")
    assert set(error["fields"]) == {"items.3.value", "items.4.person_email"}
    assert not Observation.objects.exists()
    items = [{"date": day(d), "value": 30 + d} for d in range(5)]
    response = api_as(cast.member).post(path, {"items": items})
    assert response.status_code == 201 and response.json() == {"created": 5}
    too_many = [{"date": day(), "value": 1}] * (importing.MAX_ROWS + 1)
    assert_error(api_as(cast.member).post(path, {"items": too_many}), 422, "validation_error")
    assert Observation.objects.count() == 5


def test_a_data_reporter_records_by_api_but_sees_nothing_else(cast, api_as):
    metric = cohort_metric(cast)
    other = cohort_metric(cast, name="Other")
    reporter = make_reporter(cast, metric=metric)
    caller = api_as(reporter)
    assert [m["id"] for m in caller.get(COHORT).json()["items"]] == [metric.pk]
    response = caller.post(f"{NETWORK}/{metric.pk}/observations", {"date": day(), "value": 9})
    assert response.status_code == 201
    assert_error(caller.get(f"{NETWORK}/{other.pk}/observations"), 404, "not_found")
    assert_error(caller.get(f"{COHORT}/built-in"), 404, "not_found")
    assert_error(caller.get(f"{COHORT}/figures"), 404, "not_found")
    assert_error(caller.post(COHORT, NEW), 403, "forbidden")
    assert_error(
        caller.get("/networks/northwind/cohorts/reliability/commitments"), 404, "not_found"
    )


def test_members_may_not_record_network_metrics(cast, api_as):
    metric = network_metric(cast)
    path = f"{NETWORK}/{metric.pk}/observations"
    assert_error(api_as(cast.member).post(path, {"date": day(), "value": 1}), 403, "forbidden")
    assert api_as(cast.organizer).post(path, {"date": day(), "value": 1}).status_code == 201


def test_chart_data_and_builtins(cast, api_as):
    metric = cohort_metric(cast)
    observe(metric, 40, 7)
    chart = api_as(cast.member).get(f"{NETWORK}/{metric.pk}/chart").json()
    assert chart["headers"] == ["Date", "Recovery time"]
    assert chart["rows"][0][1] == "40" and "Target 30" in chart["summary"]
    series = api_as(cast.member).get(f"{COHORT}/built-in").json()
    assert [s["key"] for s in series][:2] == ["attendance", "follow-through"]
    assert len(series[0]["points"]) == 26
    for name in ("follow-through-by-week", "composition", "reuse"):
        assert api_as(cast.host).get(f"{COHORT}/charts/{name}").status_code == 200
    assert_error(api_as(cast.host).get(f"{COHORT}/charts/nope"), 404, "not_found")


@pytest.mark.parametrize("who", ["admin", "organizer", "host", "member"])
def test_the_board_reads_the_cohort_figures_with_their_windows(cast, api_as, who):
    figures = api_as(getattr(cast, who)).get(f"{COHORT}/figures").json()
    assert [(f["key"], f["label"]) for f in figures] == [
        ("attendance", "Attendance, last 4 weeks"),
        ("follow_through", "Follow-through, last 4 weeks"),
        ("help_offered", "Offers of help, last 4 weeks"),
        ("active_members", "Active members, today"),
    ]
    assert figures[0]["value"] is None and figures[0]["text"] == "—"
    assert (figures[3]["value"], figures[3]["text"]) == (3, "3")
