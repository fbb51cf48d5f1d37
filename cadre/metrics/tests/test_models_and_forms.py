"""Metrics, observations and reporter grants as models, and the forms that make them."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from cadre.lib.rules import Refused
from cadre.metrics import services
from cadre.metrics.forms import MetricForm, ObservationForm
from cadre.metrics.models import Metric, MetricReporter, weekly_means

from .helpers import cohort_metric, monday, network_metric, observe


def test_meets_target_follows_the_direction(cast):
    lower = cohort_metric(cast)  # lower is better, target 30
    higher = network_metric(cast)  # higher is better, target 80
    assert lower.meets_target(Decimal("29")) is True
    assert lower.meets_target(Decimal("31")) is False
    assert higher.meets_target(Decimal("80")) is True
    assert higher.meets_target(Decimal("79.9")) is False
    assert higher.meets_target(None) is None


def test_weekly_means_group_observations_by_week(cast):
    metric = cohort_metric(cast)
    for value, days in [(10, 0), (20, 0), (40, 7)]:
        observe(metric, value, days)
    other = cohort_metric(cast, name="Other")
    weeks = weekly_means([metric.pk, other.pk])
    assert other.pk in weeks and weeks[other.pk] == []
    assert [n for _, _, n in weeks[metric.pk]] == [1, 2]
    last_week, this_week = weeks[metric.pk]
    assert this_week[1] == Decimal("15") and last_week[1] == Decimal("40")
    assert monday(this_week[0]) == this_week[0]


def test_names_are_unique_per_cohort_and_per_network(cast):
    cohort_metric(cast, name="Lead time")
    Metric.objects.create(
        network=cast.network,
        cohort=cast.other_cohort,
        name="Lead time",
        unit="d",
        direction="lower",
        target=1,
    )  # another cohort may use the name
    network_metric(cast, name="Lead time")  # so may the network
    with pytest.raises(IntegrityError), transaction.atomic():
        cohort_metric(cast, name="Lead time")
    with pytest.raises(IntegrityError), transaction.atomic():
        network_metric(cast, name="Lead time")


def test_a_reporter_grant_is_for_a_metric_or_a_cohort_not_both(cast):
    metric = cohort_metric(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        MetricReporter.objects.create(
            network=cast.network, metric=metric, cohort=cast.cohort, user=cast.mentor
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MetricReporter.objects.create(network=cast.network, user=cast.mentor)


def test_a_duplicate_name_in_the_same_cohort_is_refused_whatever_the_case(cast):
    cohort_metric(cast, name="Lead time")
    data = {"name": " lead time", "unit": "days", "direction": "lower", "target": 3}
    with pytest.raises(Refused) as refused:
        services.define_metric(cast.host, network=cast.network, cohort=cast.cohort, **data)
    assert refused.value.field == "name"
    assert refused.value.message == "This cohort already has a metric called “lead time”."
    other = services.define_metric(
        cast.organizer, network=cast.network, cohort=cast.other_cohort, **data
    )
    assert other.name == "lead time"


def test_metric_form_requires_a_direction_and_a_target(cast):
    form = MetricForm(
        {"name": "X", "unit": "d", "kind": "custom"}, network=cast.network, cohort=None
    )
    assert not form.is_valid()
    assert set(form.errors) == {"direction", "target"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("observed_on", "2026-13-01", "is not a date"),
        ("observed_on", "2999-01-01", "cannot be in the future"),
        ("value", "fast", "is not a number"),
        ("value", "NaN", "is not a number"),
        ("value", "1.23456", "four decimal places"),
        ("value", "99999999999", "must be between"),
        ("person_email", "oscar@northwind.test", "not among the cohort"),
    ],
)
def test_observation_form_names_the_bad_field(cast, field, value, message):
    metric = cohort_metric(cast)
    data = {"observed_on": "2026-01-05", "value": "12", "person_email": "", "note": ""}
    data[field] = value
    form = ObservationForm(data, metric=metric)
    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]


def test_observation_form_finds_the_person_among_the_cohort(cast):
    metric = cohort_metric(cast)
    data = {"observed_on": "2026-01-05", "value": "12.5", "person_email": "MO@northwind.test"}
    form = ObservationForm(data, metric=metric)
    assert form.is_valid(), form.errors
    assert form.person == cast.member
    assert form.cleaned_data["value"] == Decimal("12.5")


def test_naming_a_reporter_needs_someone_in_the_network_not_already_named(cast):
    metric = cohort_metric(cast)

    def name(email):
        return services.name_reporter(cast.host, network=cast.network, metric=metric, email=email)

    with pytest.raises(Refused) as refused:
        name(cast.outsider.email)
    assert refused.value.field == "email" and "is not in Northwind" in refused.value.message
    assert name(cast.mentor.email).user == cast.mentor
    with pytest.raises(Refused) as refused:
        name(cast.mentor.email)
    assert refused.value.field == "email" and "already a data reporter" in refused.value.message


def test_a_metric_unit_in_the_value_label_is_text_not_markup(cast):
    # Labels are escaped by Django (help text is not); this keeps it so for a stored unit.
    metric = cohort_metric(cast, unit="<script>alert(1)</script>")
    rendered = str(ObservationForm(metric=metric))
    assert "Value (&lt;script&gt;alert(1)&lt;/script&gt;)" in rendered
    assert "<script>" not in rendered


def test_the_record_fields_are_the_form_as_the_template_wrote_it(cast):
    """The metrics page's record form is written once per metric, unit and language
    (`record_fields`): the same HTML as the form's fields written by a template, escaped."""
    from django.template import Context, Template
    from django.utils import translation

    from cadre.metrics.forms import record_fields

    metric = cohort_metric(cast, unit="<b>days</b>")
    template = Template(
        "<p>{{ form.observed_on.label_tag }} {{ form.observed_on }}</p>\n        "
        "<p>{{ form.value.label_tag }} {{ form.value }}</p>\n        "
        "<p>{{ form.note.label_tag }} {{ form.note }}</p>"
    )
    for language in ("en", "de"):
        with translation.override(language):
            form = ObservationForm(metric=metric, auto_id=f"id_m{metric.pk}_%s")
            assert record_fields(metric) == template.render(Context({"form": form}))
    with translation.override("de"):
        assert "Datum" in record_fields(metric)
    assert f'id="id_m{metric.pk}_value"' in record_fields(metric)
    assert "&lt;b&gt;days&lt;/b&gt;" in record_fields(metric)
    metric.unit = "hours"  # a changed unit is written anew
    assert "Value (hours)" in record_fields(metric)
