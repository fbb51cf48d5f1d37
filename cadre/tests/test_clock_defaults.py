"""Every date or time that one of Cadre's models fills in by itself comes from the clock at the
moment the row is made: a callable default, never a value computed once at import, and the
right kind of value for its field. New fields are picked up by themselves."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.db import models

# 00:30 in Berlin (the cast's time zone) on the night Europe's summer time starts, and still
# the 27th in UTC, the server's time zone. Then a day later, after the change.
MOMENT = datetime(2027, 3, 27, 23, 30, tzinfo=UTC)
LATER = MOMENT + timedelta(days=1, hours=1)


def date_fields_with_a_default() -> list:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("cadre."):
            continue
        for field in model._meta.concrete_fields:
            # DateTimeField is a DateField too.
            if isinstance(field, models.DateField) and field.has_default():
                found.append(pytest.param(field, id=f"{model._meta.label}.{field.name}"))
    return found


FIELDS = date_fields_with_a_default()


def test_the_models_have_date_defaults_to_check():
    names = {param.id for param in FIELDS}
    assert {"cohorts.CohortMembership.joined_on", "diagnostics.AssessmentRound.opens_on"} <= names
    assert "accountability.Commitment.created_at" in names


@pytest.mark.parametrize("field", FIELDS)
def test_a_date_default_reads_the_clock_when_the_row_is_made(field, time_machine):
    assert callable(field.default), (
        f"{field} defaults to a value computed once, when Cadre started; give the function "
        "itself (default=timezone.now or timezone.localdate), not its result"
    )
    time_machine.move_to(MOMENT, tick=False)
    at_moment = field.get_default()
    time_machine.move_to(LATER, tick=False)
    later = field.get_default()
    if isinstance(field, models.DateTimeField):
        assert (at_moment, later) == (MOMENT, LATER)
    else:
        # Dates are the server's (settings.TIME_ZONE, UTC) date, as everywhere else.
        assert type(at_moment) is date, f"{field} would store a moment in a date column"
        assert (at_moment, later) == (date(2027, 3, 27), date(2027, 3, 29))
