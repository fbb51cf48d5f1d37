"""The dates Cadre accepts: from 1 January 1900 to 31 December 2200, for every date a person
enters (a commitment's due date, an experiment's span, an observation, a session, an intake,
a review, a snooze...).

A date outside it is a typo (9999-12-31, 0001-01-01), never a plan, and it breaks what
computes with it: Python's dates end at 9999-12-31, so the calendar feed could not even add
the day an all-day event needs. The range is wide enough for any baseline measured in the
past and any plan for the future.

The rule is here once. Models carry `validate_date_in_range` on every DateField (and on the
session's start), so ModelForms, `full_clean()` and `cadre import` refuse such a date; plain
form fields and the API's `schemas.Date` call the same function, with the same message."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)
RANGE_MESSAGE = f"Enter a date from {EARLIEST.isoformat()} to {LATEST.isoformat()}."


def in_range(value: date) -> bool:
    """Whether `value` (a date, or a datetime's date where it is) is one Cadre accepts."""
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST <= day <= LATEST


def validate_date_in_range(value: date | None) -> None:
    """A Django validator (model and form fields); empty values are the field's business."""
    if value is not None and not in_range(value):
        raise ValidationError(RANGE_MESSAGE, code="date_out_of_range")
