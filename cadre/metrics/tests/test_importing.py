"""CSV upload and bulk checks: every row is checked, problems name the row and column, and
nothing is saved unless every row is good."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.metrics import importing
from cadre.metrics.models import Observation

from .helpers import cohort_metric, network_metric


def day(n):
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def csv_of(rows, header="date,value,person_email,note"):
    return (header + "\n" + "\n".join(rows) + "\n").encode()


GOOD_ROWS = [f"{day(70 - 7 * i)},{40 - i},,week {i}" for i in range(8)]


def test_a_good_file_records_every_row(cast):
    metric = cohort_metric(cast)
    rows = GOOD_ROWS + [f'{day(1)},25.5,mo@northwind.test,"a note, with a comma"']
    saved = importing.import_csv(metric, csv_of(rows), cast.member)
    assert len(saved) == 9
    assert Observation.objects.filter(metric=metric).count() == 9
    last = Observation.objects.get(person=cast.member)
    assert str(last.value) == "25.5000" and last.note == "a note, with a comma"
    assert last.recorded_by == cast.member


def test_a_bad_date_in_row_7_saves_nothing(cast):
    metric = cohort_metric(cast)
    rows = list(GOOD_ROWS)
    rows[5] = "2026-02-30,33,,"  # spreadsheet row 7: the header is row 1
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_csv(metric, csv_of(rows), cast.member)
    assert [str(e) for e in failed.value.errors] == [
        "Row 7, column date: “2026-02-30” is not a date; write it as YYYY-MM-DD."
    ]
    assert not Observation.objects.exists()


def test_every_bad_row_is_reported_at_once(cast):
    metric = cohort_metric(cast)
    rows = list(GOOD_ROWS)
    rows[1] = f"{day(3)},twelve,,"
    rows[3] = f"{day(3)},12,nobody@nowhere.test,"
    rows[4] = f"{day(3)},12,oscar@northwind.test,"  # in the network, not in the cohort
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_csv(metric, csv_of(rows), cast.member)
    errors = [(e.row, e.column) for e in failed.value.errors]
    assert errors == [(3, "value"), (5, "person_email"), (6, "person_email")]
    assert "“twelve” is not a number" in str(failed.value.errors[0])
    assert "not among the cohort’s members" in str(failed.value.errors[1])
    assert not Observation.objects.exists()


def test_too_many_rows_saves_nothing(cast):
    metric = cohort_metric(cast)
    rows = [f"{day(1)},1,," for _ in range(importing.MAX_ROWS + 1)]
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_csv(metric, csv_of(rows), cast.member)
    assert "At most 1,000 rows" in str(failed.value.errors[0])
    assert not Observation.objects.exists()


def test_a_file_too_large_or_not_utf8_or_with_wrong_columns_is_refused(cast):
    metric = cohort_metric(cast)
    with pytest.raises(importing.ImportFailed, match="problem"):
        importing.read_csv(b"x" * (importing.MAX_BYTES + 1))
    with pytest.raises(importing.ImportFailed) as failed:
        importing.read_csv("date,value\n2026-01-01,\xff\n".encode("latin-1"))
    assert "UTF-8" in str(failed.value.errors[0])
    with pytest.raises(importing.ImportFailed) as failed:
        importing.read_csv(b"day,amount\n2026-01-01,3\n")
    assert [(e.column, e.message) for e in failed.value.errors][:2] == [
        ("date", "This column is missing."),
        ("value", "This column is missing."),
    ]
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_csv(metric, b"date,value\n", cast.member)
    assert "no observations" in str(failed.value.errors[0])


def test_blank_lines_are_skipped_and_row_numbers_stay_true(cast):
    metric = cohort_metric(cast)
    data = f"date,value\n{day(2)},1\n\n{day(1)},oops\n".encode()
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_csv(metric, data, cast.member)
    assert [(e.row, e.column) for e in failed.value.errors] == [(4, "value")]


def test_a_network_metric_accepts_anyone_in_the_network(cast):
    metric = network_metric(cast)
    saved = importing.import_csv(
        metric, csv_of([f"{day(1)},70,oscar@northwind.test,"]), cast.organizer
    )
    assert saved[0].person == cast.other_cohort_member
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_csv(metric, csv_of([f"{day(1)},70,sol@southgate.test,"]), cast.organizer)
    assert "not among the network’s people" in str(failed.value.errors[0])


def test_a_file_the_csv_module_cannot_read_names_the_row_in_words():
    with pytest.raises(importing.ImportFailed) as failed:
        importing.read_csv(b"date,value,note\n2026-01-01,3,ok\n2026-01-02,4,bad\0note\n")
    [error] = failed.value.errors
    assert (error.row, error.column) == (3, "-")
    assert error.message.startswith("The file holds a NUL character")


def test_a_date_outside_the_range_in_a_csv_saves_nothing(cast):
    metric = cohort_metric(cast)
    rows = list(GOOD_ROWS)
    rows[1] = "0001-01-01,33,,"
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_csv(metric, csv_of(rows), cast.member)
    assert [str(e) for e in failed.value.errors] == [
        "Row 3, column date: Enter a date from 1900-01-01 to 2200-12-31."
    ]
    assert not Observation.objects.exists()
