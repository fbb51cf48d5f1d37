"""Checking observations before anything is saved, for the form, the CSV upload and the
API's bulk endpoint alike. Every row is checked; if any is bad nothing is saved and each
problem is reported with its row and column.

A CSV file has the columns date,value,person_email,note (date and value required). Rows are
numbered as a spreadsheet shows them: the header is row 1, the first observation row 2."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cadre.accounts.models import User
from cadre.engine import safecsv
from cadre.lib import dates
from cadre.lib.rules import Refused

from .models import IN_THE_FUTURE, VALUE_LIMIT, Metric, Observation

COLUMNS = ["date", "value", "person_email", "note"]
REQUIRED = ["date", "value"]
MAX_ROWS = 1000
MAX_BYTES = 256 * 1024
NOTE_LENGTH = 300
LINE = "__row__"  # read_csv's note of the row number a row came from


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportFailed(Refused):
    """Some rows are bad; nothing was saved. `errors` lists every problem by row and column;
    with `fields_under` the refusal also names them as the API's `fields` (as_fields)."""

    def __init__(self, errors: list[RowError], *, fields_under: str | None = None) -> None:
        fields = as_fields(errors, fields_under) if fields_under is not None else None
        count = len(errors)
        message = ngettext(
            "%(count)s problem; nothing was saved.", "%(count)s problems; nothing was saved.", count
        )
        super().__init__(message % {"count": count}, fields=fields)
        self.errors = errors


def as_fields(problems: list[RowError], prefix: str) -> dict[str, list[str]]:
    """Row errors as the API's `fields`: `date` for a single observation (prefix ""),
    `items.3.date` (0-based rows) under prefix `items`."""
    fields: dict[str, list[str]] = {}
    for p in problems:
        column = p.column if p.column in COLUMNS else None
        key = column or "body"
        if prefix:
            key = f"{prefix}.{p.row}.{column}" if column else prefix
        fields.setdefault(key, []).append(p.message)
    return fields


# --- one value at a time -------------------------------------------------------------------


def parse_date(text: str, today: date | None = None) -> date:
    text = (text or "").strip()
    if not text:
        raise ValueError(_("A date is required (YYYY-MM-DD)."))
    not_a_date = _("“%(text)s” is not a date; write it as YYYY-MM-DD.") % {"text": text[:40]}
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(not_a_date) from None
    if len(text) != 10:
        raise ValueError(not_a_date)
    if day > (today or timezone.localdate()):
        raise ValueError(IN_THE_FUTURE)
    if not dates.in_range(day):
        raise ValueError(dates.RANGE_MESSAGE)
    return day


def parse_value(text: Any) -> Decimal:
    raw = str(text if text is not None else "").strip()
    if not raw:
        raise ValueError(_("A value is required."))
    not_a_number = _("“%(text)s” is not a number.") % {"text": raw[:40]}
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(not_a_number) from None
    if not value.is_finite():
        raise ValueError(not_a_number)
    if abs(value) > VALUE_LIMIT:
        raise ValueError(
            _("The value must be between -%(limit)s and %(limit)s.") % {"limit": f"{VALUE_LIMIT:,}"}
        )
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int), "a finite number has a whole exponent"
    if exponent < -4:
        raise ValueError(_("Use at most four decimal places."))
    return value


def too_many_rows() -> str:
    return _("At most %(count)s rows at a time.") % {"count": f"{MAX_ROWS:,}"}


def people_for(metric: Metric, emails: Iterable[str]) -> dict[str, Any]:
    """lower-cased e-mail -> user, for the people an observation of `metric` may be about:
    the cohort's active members (cohort metric) or the network's people (network metric).
    One query, for the e-mails asked about only."""
    wanted = {e.strip().lower() for e in emails if e and e.strip()}
    if not wanted:
        return {}
    users = get_user_model().objects.annotate(email_lower=Lower("email"))
    users = users.filter(email_lower__in=wanted)
    if metric.cohort_id is not None:
        users = users.filter(
            cohort_memberships__cohort_id=metric.cohort_id,
            cohort_memberships__left_on__isnull=True,
        )
    else:
        users = users.filter(network_memberships__network_id=metric.network_id)
    return {u.email_lower: u for u in users}


def person_error(metric: Metric, email: str) -> str:
    if metric.cohort_id:
        return _("“%(email)s” is not among the cohort’s members.") % {"email": email[:80]}
    return _("“%(email)s” is not among the network’s people.") % {"email": email[:80]}


# --- many rows -----------------------------------------------------------------------------


def check_rows(
    metric: Metric,
    rows: Sequence[Mapping[str, Any]],
    recorded_by: User | None,
    *,
    first_row: int = 2,
    today: date | None = None,
) -> list[Observation]:
    """Unsaved observations for every row, or ImportFailed with every problem found."""
    if len(rows) > MAX_ROWS:
        raise ImportFailed([RowError(first_row + MAX_ROWS, "-", too_many_rows())])
    if not rows:
        raise ImportFailed([RowError(first_row, "-", _("There are no observations to record."))])
    people = people_for(metric, (str(r.get("person_email") or "") for r in rows))
    errors: list[RowError] = []
    observations: list[Observation] = []
    now = timezone.now()
    for offset, row in enumerate(rows):
        number = int(row.get(LINE, first_row + offset))
        fields: dict[str, Any] = {}
        try:
            fields["observed_on"] = parse_date(str(row.get("date") or ""), today)
        except ValueError as exc:
            errors.append(RowError(number, "date", str(exc)))
        try:
            fields["value"] = parse_value(row.get("value"))
        except ValueError as exc:
            errors.append(RowError(number, "value", str(exc)))
        email = str(row.get("person_email") or "").strip()
        if email:
            person = people.get(email.lower())
            if person is None:
                errors.append(RowError(number, "person_email", person_error(metric, email)))
            fields["person"] = person
        note = str(row.get("note") or "").strip()
        if len(note) > NOTE_LENGTH:
            errors.append(
                RowError(
                    number, "note", _("At most %(count)s characters.") % {"count": NOTE_LENGTH}
                )
            )
        if not errors:
            observations.append(
                Observation(
                    metric=metric, note=note, recorded_by=recorded_by, created_at=now, **fields
                )
            )
    if errors:
        raise ImportFailed(errors)
    return observations


def read_csv(data: bytes) -> list[dict[str, str]]:
    """The rows of an uploaded CSV as dicts; ImportFailed for a file that cannot be read."""
    if len(data) > MAX_BYTES:
        too_large = _("The file is larger than %(size)s KB.") % {"size": MAX_BYTES // 1024}
        raise ImportFailed([RowError(1, "-", too_large)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([RowError(1, "-", _("Save the file as UTF-8 CSV."))]) from None
    lines = safecsv.rows(io.StringIO(text))
    try:
        _first, header = next(lines, (1, []))
        headers = [h.strip().lower() for h in header]
        missing = [c for c in REQUIRED if c not in headers]
        unknown = [h for h in headers if h not in COLUMNS]
        problems = [RowError(1, c, _("This column is missing.")) for c in missing]
        problems += [
            RowError(
                1,
                h or "(empty)",
                _("Unknown column; use %(columns)s.") % {"columns": ", ".join(COLUMNS)},
            )
            for h in unknown
        ]
        if problems:
            raise ImportFailed(problems)
        rows: list[dict[str, str]] = []
        for line, values in lines:
            if len(rows) >= MAX_ROWS:
                raise ImportFailed([RowError(MAX_ROWS + 2, "-", too_many_rows())])
            if len(values) > len(headers):
                raise ImportFailed(
                    [RowError(line, "-", _("This row has more cells than the header."))]
                )
            if not any(v.strip() for v in values):
                continue  # a blank line, e.g. at the end of the file
            row = dict(zip(headers, values, strict=False))
            row[LINE] = str(line)
            rows.append(row)
    except safecsv.Unreadable as error:
        reason = error.reason[:1].upper() + error.reason[1:]
        raise ImportFailed([RowError(error.line, "-", reason)]) from None
    return rows


def record(observations: list[Observation]) -> list[Observation]:
    """Save checked observations all at once."""
    with transaction.atomic():
        return Observation.objects.bulk_create(observations)


def import_csv(metric: Metric, data: bytes, recorded_by: User | None) -> list[Observation]:
    return record(check_rows(metric, read_csv(data), recorded_by))
