"""The metrics pages tried by everyone who may and may not use them."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadre.metrics.models import Metric, MetricReporter, Observation
from cadre.networks.models import NetworkMembership, Role

from .helpers import cohort_metric, make_reporter, network_metric, observe

BOARD_VIEWERS = ["admin", "organizer", "host", "member"]
NOT_IN_COHORT = ["other_cohort_member", "mentor", "partner", "outsider"]
DEFINERS = ["admin", "organizer", "host"]
TODAY = timezone.localdate


def c_url(cast, name, *args):
    return reverse(f"metrics_cohort:{name}", args=[cast.network.slug, cast.cohort.slug, *args])


def n_url(cast, name, *args):
    return reverse(f"metrics:{name}", args=[cast.network.slug, *args])


@pytest.fixture
def metric(cast):
    m = cohort_metric(cast)
    observe(m, 42, 14, recorded_by=cast.member)
    observe(m, 31, 7, recorded_by=cast.member)
    return m


@pytest.fixture
def network_one(cast):
    m = network_metric(cast)
    observe(m, 61, 3, recorded_by=cast.organizer)
    return m


def cohort_pages(cast, metric):
    obs = metric.observations.first()
    return {
        "index": c_url(cast, "index"),
        "detail": c_url(cast, "detail", metric.pk),
        "csv": c_url(cast, "csv", metric.pk),
        "upload": c_url(cast, "upload", metric.pk),
        "new": c_url(cast, "new"),
        "edit": c_url(cast, "edit", metric.pk),
        "observation_edit": c_url(cast, "observation_edit", obs.pk),
        "builtin": c_url(cast, "builtin_csv", "attendance"),
    }


# --- cohort metrics: who sees what ----------------------------------------------------------


@pytest.mark.parametrize("person", BOARD_VIEWERS)
def test_the_board_viewers_see_the_cohort_metrics_with_charts(cast, client_for, metric, person):
    response = client_for(getattr(cast, person)).get(c_url(cast, "index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Recovery time" in html
    assert 'role="img"' in html and "Target 30" in html
    assert "What Cadre sees" in html and "Members by function and seniority" in html


@pytest.mark.parametrize("person", NOT_IN_COHORT)
@pytest.mark.parametrize(
    "page", ["index", "detail", "csv", "upload", "new", "edit", "observation_edit", "builtin"]
)
def test_people_outside_the_cohort_get_404(cast, client_for, metric, person, page):
    url = cohort_pages(cast, metric)[page]
    assert client_for(getattr(cast, person)).get(url).status_code == 404


def test_a_shared_cohort_still_keeps_its_metrics_to_the_board(cast, client_for, metric):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    assert client_for(cast.other_cohort_member).get(c_url(cast, "index")).status_code == 404


@pytest.mark.parametrize("page", ["index", "detail", "upload", "new"])
def test_anonymous_visitors_are_sent_to_sign_in(cast, client_for, metric, page):
    response = client_for(None).get(cohort_pages(cast, metric)[page])
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_newcomer_must_accept_the_code_of_conduct_first(cast, client_for, metric):
    url = c_url(cast, "detail", metric.pk)
    response = client_for(cast.newcomer).get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("networks:conduct", args=["northwind"]))
    assert quote(url) in response.url
    response = client_for(cast.newcomer).post(
        c_url(cast, "record", metric.pk), {"observed_on": TODAY().isoformat(), "value": "1"}
    )
    assert response.status_code == 302 and metric.observations.count() == 2


@pytest.mark.parametrize("person", DEFINERS)
def test_hosts_and_organizers_define_metrics(cast, client_for, person):
    client = client_for(getattr(cast, person))
    assert client.get(c_url(cast, "new")).status_code == 200
    response = client.post(
        c_url(cast, "new"),
        {
            "name": "Review turnaround",
            "kind": "cycle_time",
            "unit": "hours",
            "direction": "lower",
            "target": "24",
            "baseline": "",
            "description": "",
        },
    )
    metric = Metric.objects.get(name="Review turnaround")
    assert response.status_code == 302 and response.url == metric.get_absolute_url()
    assert metric.cohort == cast.cohort and metric.created_by == getattr(cast, person)


def test_members_may_not_define_or_edit_metrics(cast, client_for, metric):
    client = client_for(cast.member)
    assert client.get(c_url(cast, "new")).status_code == 403
    response = client.post(
        c_url(cast, "edit", metric.pk),
        {"name": "Renamed", "kind": "custom", "unit": "m", "direction": "lower", "target": "1"},
    )
    assert response.status_code == 403
    metric.refresh_from_db()
    assert metric.name == "Recovery time"


def test_a_host_edits_a_metric_and_a_bad_target_names_the_field(cast, client_for, metric):
    client = client_for(cast.host)
    data = {
        "name": "Recovery time",
        "kind": "cycle_time",
        "unit": "minutes",
        "direction": "lower",
        "target": "soon",
    }
    response = client.post(c_url(cast, "edit", metric.pk), data)
    assert response.status_code == 200 and "Enter a number" in response.content.decode()
    data["target"] = "25"
    assert client.post(c_url(cast, "edit", metric.pk), data).status_code == 302
    metric.refresh_from_db()
    assert metric.target == 25


# --- recording observations -----------------------------------------------------------------


@pytest.mark.parametrize("person", ["member", "host", "organizer"])
def test_members_and_organizers_record_observations(cast, client_for, metric, person):
    response = client_for(getattr(cast, person)).post(
        c_url(cast, "record", metric.pk),
        {"observed_on": TODAY().isoformat(), "value": "27.5", "note": "after the game day"},
    )
    assert response.status_code == 302
    saved = metric.observations.get(note="after the game day")
    assert str(saved.value) == "27.5000" and saved.recorded_by == getattr(cast, person)


def test_a_bad_observation_is_shown_again_with_the_field_named(cast, client_for, metric):
    response = client_for(cast.member).post(
        c_url(cast, "record", metric.pk), {"observed_on": "yesterday", "value": "x"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "“yesterday” is not a date" in html and "“x” is not a number" in html
    assert metric.observations.count() == 2


def test_a_data_reporter_reads_and_records_only_their_metric(cast, client_for, metric):
    other = cohort_metric(cast, name="Change failure rate", unit="%")
    reporter = make_reporter(cast, metric=metric)
    client = client_for(reporter)
    index = client.get(c_url(cast, "index"))
    assert index.status_code == 200
    html = index.content.decode()
    assert "Recovery time" in html and "Change failure rate" not in html
    assert "What Cadre sees" not in html  # built-ins are board content
    assert client.get(c_url(cast, "detail", metric.pk)).status_code == 200
    assert client.get(c_url(cast, "detail", other.pk)).status_code == 404
    assert client.get(c_url(cast, "builtin_csv", "attendance")).status_code == 404
    response = client.post(
        c_url(cast, "record", metric.pk), {"observed_on": TODAY().isoformat(), "value": "29"}
    )
    assert response.status_code == 302 and metric.observations.filter(recorded_by=reporter).exists()
    assert (
        client.post(
            c_url(cast, "record", other.pk), {"observed_on": TODAY().isoformat(), "value": "1"}
        ).status_code
        == 404
    )
    # ...and nothing else of the cohort
    assert client.get(cast.cohort.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("accountability:board", args=["northwind", "reliability"])).status_code
        == 404
    )
    assert client.get(c_url(cast, "new")).status_code == 403


def test_a_cohort_wide_reporter_records_every_metric_of_the_cohort(cast, client_for, metric):
    other = cohort_metric(cast, name="Change failure rate", unit="%")
    elsewhere = Metric.objects.create(
        network=cast.network,
        cohort=cast.other_cohort,
        name="Elsewhere",
        unit="x",
        direction="higher",
        target=1,
    )
    reporter = make_reporter(cast, cohort=cast.cohort)
    client = client_for(reporter)
    for m in (metric, other):
        assert client.get(c_url(cast, "upload", m.pk)).status_code == 200
    url = reverse("metrics_cohort:detail", args=["northwind", "design-ops", elsewhere.pk])
    assert client.get(url).status_code == 404


def test_a_reporter_who_left_the_network_loses_the_grant(cast, client_for, metric):
    reporter = make_reporter(cast, metric=metric)
    NetworkMembership.objects.filter(user=reporter).delete()
    assert client_for(reporter).get(c_url(cast, "detail", metric.pk)).status_code == 404


def csv_file(rows):
    body = "date,value,person_email,note\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("obs.csv", body.encode(), content_type="text/csv")


def test_a_reporter_uploads_a_good_csv(cast, client_for, metric):
    reporter = make_reporter(cast, metric=metric)
    rows = [f"{(TODAY() - timedelta(days=d)).isoformat()},{30 + d},," for d in range(1, 6)]
    response = client_for(reporter).post(c_url(cast, "upload", metric.pk), {"file": csv_file(rows)})
    assert response.status_code == 302
    assert metric.observations.filter(recorded_by=reporter).count() == 5


def test_a_bad_csv_names_the_row_and_saves_nothing(cast, client_for, metric):
    rows = [f"{(TODAY() - timedelta(days=d)).isoformat()},{30 + d},," for d in range(1, 10)]
    rows[5] = "2026-02-30,3,,"
    response = client_for(cast.member).post(
        c_url(cast, "upload", metric.pk), {"file": csv_file(rows)}
    )
    assert response.status_code == 422
    assert "Row 7, column date" in response.content.decode()
    assert metric.observations.count() == 2


def test_mentors_and_other_members_cannot_record(cast, client_for, metric):
    for person in (cast.mentor, cast.other_cohort_member, cast.partner):
        response = client_for(person).post(
            c_url(cast, "record", metric.pk), {"observed_on": TODAY().isoformat(), "value": "1"}
        )
        assert response.status_code == 404
    assert metric.observations.count() == 2


# --- editing and deleting observations -----------------------------------------------------


@pytest.mark.parametrize("person", ["member", "host", "organizer"])
def test_the_recorder_and_hosts_edit_an_observation(cast, client_for, metric, person):
    obs = metric.observations.first()
    url = c_url(cast, "observation_edit", obs.pk)
    client = client_for(getattr(cast, person))
    assert client.get(url).status_code == 200
    response = client.post(url, {"observed_on": obs.observed_on.isoformat(), "value": "33"})
    assert response.status_code == 302
    obs.refresh_from_db()
    assert obs.value == 33


def test_another_member_may_not_edit_or_delete_an_observation(cast, client_for, metric):
    obs = metric.observations.first()
    client = client_for(cast.newcomer)
    cast.network.current_code_of_conduct().acceptances.create(user=cast.newcomer)
    assert client.get(c_url(cast, "observation_edit", obs.pk)).status_code == 403
    assert client.post(c_url(cast, "observation_delete", obs.pk)).status_code == 403
    assert Observation.objects.filter(pk=obs.pk).exists()


def test_the_recorder_deletes_an_observation(cast, client_for, metric):
    obs = metric.observations.first()
    client = client_for(cast.member)
    assert client.get(c_url(cast, "observation_delete", obs.pk)).status_code == 200
    assert client.post(c_url(cast, "observation_delete", obs.pk)).status_code == 302
    assert not Observation.objects.filter(pk=obs.pk).exists()


# --- data reporters ------------------------------------------------------------------------


def test_a_host_names_and_removes_a_cohort_data_reporter(cast, client_for, metric):
    client = client_for(cast.host)
    response = client.post(c_url(cast, "cohort_reporter_add"), {"email": cast.mentor.email})
    assert response.status_code == 302
    grant = MetricReporter.objects.get(user=cast.mentor)
    assert grant.cohort == cast.cohort and grant.metric is None and grant.granted_by == cast.host
    assert client_for(cast.mentor).get(c_url(cast, "index")).status_code == 200
    client = client_for(cast.host)
    assert client.post(c_url(cast, "reporter_remove", grant.pk)).status_code == 302
    assert not MetricReporter.objects.exists()


def test_a_host_cannot_name_an_outsider_and_members_cannot_name_anyone(cast, client_for, metric):
    client_for(cast.host).post(
        c_url(cast, "reporter_add", metric.pk), {"email": cast.outsider.email}
    )
    assert not MetricReporter.objects.exists()
    response = client_for(cast.member).post(
        c_url(cast, "reporter_add", metric.pk), {"email": cast.mentor.email}
    )
    assert response.status_code == 403 and not MetricReporter.objects.exists()


# --- network metrics -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "person", ["admin", "organizer", "host", "member", "other_cohort_member", "mentor"]
)
def test_network_members_read_network_metrics(cast, client_for, network_one, person):
    client = client_for(getattr(cast, person))
    response = client.get(n_url(cast, "index"))
    assert response.status_code == 200 and "Members active each week" in response.content.decode()
    assert client.get(n_url(cast, "detail", network_one.pk)).status_code == 200
    assert client.get(n_url(cast, "csv", network_one.pk)).status_code == 200


@pytest.mark.parametrize("person", ["partner", "outsider"])
def test_partners_and_outsiders_do_not_see_network_metrics(cast, client_for, network_one, person):
    client = client_for(getattr(cast, person))
    assert client.get(n_url(cast, "index")).status_code == 404
    assert client.get(n_url(cast, "detail", network_one.pk)).status_code == 404


def test_a_cohort_metric_is_not_reachable_through_the_network_urls(cast, client_for, metric):
    assert client_for(cast.organizer).get(n_url(cast, "detail", metric.pk)).status_code == 404


@pytest.mark.parametrize("person", ["host", "member", "mentor"])
def test_only_organizers_define_and_record_network_metrics(cast, client_for, network_one, person):
    client = client_for(getattr(cast, person))
    assert client.get(n_url(cast, "new")).status_code == 403
    response = client.post(
        n_url(cast, "record", network_one.pk), {"observed_on": TODAY().isoformat(), "value": "1"}
    )
    assert response.status_code == 403 and network_one.observations.count() == 1


def test_organizers_record_network_metrics(cast, client_for, network_one):
    response = client_for(cast.organizer).post(
        n_url(cast, "record", network_one.pk), {"observed_on": TODAY().isoformat(), "value": "66"}
    )
    assert response.status_code == 302 and network_one.observations.count() == 2


def test_a_partner_named_reporter_sees_only_that_network_metric(cast, client_for, network_one):
    hidden = network_metric(cast, name="Hidden")
    MetricReporter.objects.create(network=cast.network, metric=network_one, user=cast.partner)
    client = client_for(cast.partner)
    html = client.get(n_url(cast, "index")).content.decode()
    assert "Members active each week" in html and "Hidden" not in html
    assert client.get(n_url(cast, "detail", hidden.pk)).status_code == 404
    response = client.post(
        n_url(cast, "record", network_one.pk), {"observed_on": TODAY().isoformat(), "value": "5"}
    )
    assert response.status_code == 302
    assert client.get(reverse("networks:directory", args=["northwind"])).status_code in (403, 404)


# --- CSV of chart data ----------------------------------------------------------------------


def test_chart_csv_has_the_weekly_numbers(cast, client_for, metric):
    response = client_for(cast.member).get(c_url(cast, "csv", metric.pk))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "Date,Recovery time"
    assert [line.split(",")[1] for line in lines[1:]] == ["42", "31"]
    same = client_for(cast.member).get(c_url(cast, "detail", metric.pk) + "?format=csv")
    assert same.content == response.content


@pytest.mark.parametrize("key", ["attendance", "follow-through-by-week", "composition", "reuse"])
def test_builtin_chart_csv(cast, client_for, key):
    response = client_for(cast.host).get(c_url(cast, "builtin_csv", key))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    if key == "composition":
        assert response.content.decode().startswith("Function,")


def test_chart_csvs_neutralise_formula_text_in_metric_names_and_functions(cast, client_for, metric):
    metric.name = '=HYPERLINK("http://evil.example","x")'
    metric.save()
    observe(metric, -3, 21, recorded_by=cast.member)
    profile = cast.member.profile
    profile.function = "@SUM(A1:A9)"
    profile.save()
    client = client_for(cast.host)
    lines = client.get(c_url(cast, "csv", metric.pk)).content.decode().splitlines()
    assert lines[0] == 'Date,"\'=HYPERLINK(""http://evil.example"",""x"")"'
    assert [line.split(",")[1] for line in lines[1:]] == ["-3", "42", "31"]  # numbers stay
    composition = client.get(c_url(cast, "builtin_csv", "composition")).content.decode()
    assert "'@SUM(A1:A9)," in composition and "\n@" not in composition


def test_an_unknown_builtin_is_404(cast, client_for):
    assert client_for(cast.host).get(c_url(cast, "builtin_csv", "nope")).status_code == 404


# --- bounded queries ------------------------------------------------------------------------


def _fill(cast, metrics, weeks):
    made = []
    for i in range(metrics):
        m = cohort_metric(cast, name=f"Metric {len(Metric.objects.all())}-{i}")
        Observation.objects.bulk_create(
            Observation(
                metric=m,
                value=i + w,
                observed_on=TODAY() - timedelta(weeks=w),
                recorded_by=cast.member,
            )
            for w in range(weeks)
        )
        made.append(m)
    return made


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("person", ["host", "member"])
def test_the_cohort_metrics_page_costs_the_same_at_two_sizes(cast, client_for, person):
    _fill(cast, 1, 2)
    client = client_for(getattr(cast, person))
    small = _count(client, c_url(cast, "index"))
    _fill(cast, 6, 40)
    MetricReporter.objects.create(network=cast.network, cohort=cast.cohort, user=cast.mentor)
    assert _count(client, c_url(cast, "index")) == small


def test_the_metric_page_costs_the_same_at_two_sizes(cast, client_for):
    (metric,) = _fill(cast, 1, 2)
    client = client_for(cast.host)
    small = _count(client, c_url(cast, "detail", metric.pk))
    Observation.objects.bulk_create(
        Observation(
            metric=metric,
            value=w,
            observed_on=TODAY() - timedelta(days=w),
            recorded_by=cast.member,
            person=cast.member,
        )
        for w in range(300)
    )
    assert _count(client, c_url(cast, "detail", metric.pk)) == small


def test_the_network_metrics_page_costs_the_same_at_two_sizes(cast, client_for):
    network_metric(cast)
    client = client_for(cast.member)
    small = _count(client, n_url(cast, "index"))
    for i in range(5):
        m = network_metric(cast, name=f"N{i}")
        observe(m, i, i)
    NetworkMembership.objects.filter(user=cast.member).update(role=Role.MEMBER)
    assert _count(client, n_url(cast, "index")) == small


# --- across the cohorts (organizers) --------------------------------------------------------


def test_organizers_see_every_cohort_on_the_network_page(cast, client_for):
    response = client_for(cast.organizer).get(n_url(cast, "index"))
    html = response.content.decode()
    assert "Across the cohorts" in html and "Design Ops" in html and "Platform Reliability" in html
    csv = client_for(cast.organizer).get(n_url(cast, "index") + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0] == (
        'Cohort,"Commitments due, last 4 weeks","Follow-through, last 4 weeks (%)",'
        '"Attendance, last 4 weeks (%)","Offers of help, last 4 weeks","Active members, today"'
    )


def test_the_across_csv_neutralises_cohort_names_and_keeps_the_numbers(cast, client_for):
    cast.other_cohort.name = "=cmd|' /c calc'!A0"
    cast.other_cohort.save()
    lines = (
        client_for(cast.organizer)
        .get(n_url(cast, "index") + "?format=csv")
        .content.decode()
        .splitlines()
    )
    assert "'=cmd|' /c calc'!A0,0,,,0,1" in lines
    assert "Platform Reliability,0,,,0,3" in lines


@pytest.mark.parametrize("person", ["host", "member", "mentor"])
def test_members_do_not_see_other_cohorts_numbers(cast, client_for, person):
    response = client_for(getattr(cast, person)).get(n_url(cast, "index"))
    assert "Across the cohorts" not in response.content.decode()
    csv = client_for(getattr(cast, person)).get(n_url(cast, "index") + "?format=csv")
    assert not csv["Content-Type"].startswith("text/csv")


def test_the_organizer_network_page_costs_the_same_at_two_sizes(cast, client_for):
    from cadre.cohorts.models import Cohort, CohortStatus

    observe(network_metric(cast), 50, 1)
    client = client_for(cast.organizer)
    small = _count(client, n_url(cast, "index"))
    for i in range(6):
        Cohort.objects.create(
            network=cast.network,
            name=f"Extra {i}",
            slug=f"extra-{i}",
            objective="o",
            status=CohortStatus.ACTIVE,
        )
        network_metric(cast, name=f"Extra metric {i}")
    assert _count(client, n_url(cast, "index")) == small


# --- htmx: the same view answers with the live part of the metric page ----------------------


def test_recording_with_htmx_answers_the_live_fragment(cast, client_for, metric):
    headers = {"HX-Request": "true"}
    client = client_for(cast.member)
    response = client.post(
        c_url(cast, "record", metric.pk),
        {"observed_on": TODAY().isoformat(), "value": "26"},
        headers=headers,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="metric-live">') and "<html" not in html
    assert "Recorded 26 minutes" in html and "Target 30" in html
    assert '<section id="observations"' in html  # the table shows the new row too
    assert metric.observations.count() == 3
    bad = client.post(
        c_url(cast, "record", metric.pk), {"observed_on": "", "value": "x"}, headers=headers
    )
    assert bad.status_code == 200 and "“x” is not a number" in bad.content.decode()
    assert "<html" not in bad.content.decode() and metric.observations.count() == 3


def test_an_observation_dated_outside_the_range_is_refused_on_the_page(cast, client_for, metric):
    from cadre.lib.dates import RANGE_MESSAGE

    response = client_for(cast.member).post(
        c_url(cast, "record", metric.pk), {"observed_on": "0001-01-01", "value": "3"}
    )
    assert response.status_code == 422
    assert RANGE_MESSAGE in response.content.decode()
    assert metric.observations.count() == 2
