"""A cohort's data for its hosts and the network's organizers, as JSON and as CSV files.

This is what the people running a cohort may take away: everything recorded in the cohort
that they may read on its pages. Private rows (a private commitment, experiment or journal
entry, and what hangs off them) stay out, and so do the models whose content belongs to the
people in them alone (CONFIDENTIAL), such as coaching sessions and feedback that was not
shared with the cohort. People appear by id and name only.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from cadre.engine import safecsv
from cadre.transfer.graph import USER, cohort_models, user_fields
from cadre.transfer.transfer import _serialize

# Values of a `visibility` field that the cohort's hosts may read.
SHAREABLE = frozenset({"cohort", "network", "partners", "public"})

# Models whose rows only the people in them read, whatever the cohort's hosts may see.
CONFIDENTIAL: frozenset[str] = frozenset()


def _readable(model: type[models.Model], rows: QuerySet[Any]) -> QuerySet[Any]:
    names = {f.name for f in model._meta.concrete_fields}
    if "visibility" in names:
        rows = rows.filter(visibility__in=SHAREABLE)
    for f in model._meta.concrete_fields:
        if isinstance(f, models.ForeignKey) and f.related_model is not None:
            target_names = {g.name for g in f.related_model._meta.concrete_fields}
            if "visibility" in target_names:
                rows = rows.exclude(**{f"{f.name}__visibility": "private"})
    return rows


def export_cohort(cohort: Any) -> dict[str, Any]:
    """The cohort's readable data: {"cohort": ..., "people": [...], "tables": {label: rows}}."""
    tables: dict[str, list[dict[str, Any]]] = {}
    people: set[int] = set()
    for owned in cohort_models():
        if owned.label in CONFIDENTIAL:
            continue
        model = owned.model
        lookup = {owned.lookup: cohort} if owned.lookup else {"pk": cohort.pk}
        rows = _readable(model, model._default_manager.filter(**lookup)).order_by("pk").distinct()
        flat = [{"id": row["pk"], **row["fields"]} for row in _serialize(rows)]
        for f in user_fields(model):
            for row in flat:
                value = row.get(f.name)
                if isinstance(value, list):
                    people.update(value)
                elif value is not None:
                    people.add(value)
        tables[owned.label] = flat
    user_model = apps.get_model(USER)
    return {
        "format": "cadre-cohort-export",
        "version": 1,
        "exported_at": timezone.now().isoformat(),
        "cohort": {"network": cohort.network.slug, "slug": cohort.slug, "name": cohort.name},
        "people": [
            {"id": pk, "name": name}
            for pk, name in user_model._default_manager.filter(pk__in=people)
            .order_by("pk")
            .values_list("pk", "name")
        ],
        "tables": tables,
    }


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, indent=1)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) if not isinstance(v, dict | list) else json.dumps(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


def as_csv_zip(document: dict[str, Any]) -> bytes:
    """One CSV file per table (header row of field names; many-to-many as ids joined by
    ";"), plus people.csv, in a zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        tables = {"people": document["people"], **document["tables"]}
        for label, rows in tables.items():
            text = io.StringIO()
            columns = list(rows[0]) if rows else ["id"]
            writer = safecsv.writer(text)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_cell(row.get(column)) for column in columns])
            archive.writestr(f"{label.replace('.', '-').lower()}.csv", text.getvalue())
    return buffer.getvalue()
