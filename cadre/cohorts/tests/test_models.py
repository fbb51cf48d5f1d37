from datetime import date, timedelta

import pytest

from cadre.cohorts.models import CharterConflict


def _fields(**changes):
    fields = {
        "mission": "A mission.",
        "weekly_hours": 2,
        "learning_formats": ["demo"],
        "next_review_on": date.today() + timedelta(days=30),
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
