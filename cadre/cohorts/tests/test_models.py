from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.cohorts.models import CharterConflict, CohortMembership


def _fields(**changes):
    fields = {
        "mission": "A mission.",
        "weekly_hours": 2,
        "learning_formats": ["demo"],
        "next_review_on": timezone.localdate() + timedelta(days=30),
    }
    fields.update(changes)
    return fields


def test_adding_a_charter_version_takes_the_next_number(cast):
    charter = cast.cohort.add_charter_version(created_by=cast.host, based_on=1, **_fields())
    assert charter.version == 2
    assert cast.cohort.charters.count() == 2


def test_adding_on_top_of_an_old_version_is_a_conflict(cast):
    cast.cohort.add_charter_version(created_by=cast.host, based_on=1, **_fields())
    with pytest.raises(CharterConflict) as raised:
        cast.cohort.add_charter_version(created_by=cast.organizer, based_on=1, **_fields())
    assert raised.value.current_version == 2
    assert cast.cohort.charters.count() == 2


def test_the_first_version_is_based_on_nothing(cast):
    cast.cohort.charters.all().delete()
    charter = cast.cohort.add_charter_version(created_by=None, based_on=None, **_fields())
    assert charter.version == 1


def test_format_labels_are_the_human_names(cast):
    assert cast.cohort.current_charter().format_labels() == ["Case discussion", "Experiment demo"]


# Sunday 28 March 2027, 00:30 in Berlin; still Saturday the 27th in UTC.
NIGHT = datetime(2027, 3, 27, 23, 30, tzinfo=UTC)


@pytest.mark.time_machine(NIGHT, tick=False)
def test_a_member_joins_on_the_day_the_place_is_made_and_may_leave_that_day(cast):
    place = CohortMembership.objects.create(cohort=cast.other_cohort, user=cast.member)
    assert place.joined_on == date(2027, 3, 27)
    place.left_on = timezone.localdate()
    place.save()
    place.refresh_from_db()
    assert place.left_on == place.joined_on and not place.is_active


@pytest.mark.time_machine(NIGHT, tick=False)
def test_the_database_refuses_leaving_before_joining(cast):
    place = CohortMembership.objects.get(cohort=cast.cohort, user=cast.member)
    assert place.joined_on == date(2027, 3, 27)  # the cast joined under the stopped clock too
    with pytest.raises(IntegrityError), transaction.atomic():
        CohortMembership.objects.filter(pk=place.pk).update(
            left_on=place.joined_on - timedelta(days=1)
        )


@pytest.mark.time_machine(NIGHT, tick=False)
def test_a_cohorts_today_is_the_date_in_its_own_time_zone(cast):
    assert cast.cohort.today() == date(2027, 3, 28)  # Berlin, 00:30
    assert cast.other_cohort.today() == date(2027, 3, 27)  # a cohort left on UTC
    cast.other_cohort.time_zone = "America/Los_Angeles"
    # Seven hours on it is the 28th in UTC and 23:30 on the 27th in California.
    assert cast.other_cohort.today(NIGHT + timedelta(hours=7)) == date(2027, 3, 27)
