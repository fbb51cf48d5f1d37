"""Export a whole network to one JSON document, and import it again with nothing lost.

The document lists, for every model that belongs to a network (see `graph`), the network's
rows in Django's serialization format, plus the people those rows mention and their personal
rows (profile, notification preferences, e-mail addresses). Import creates everything anew
with fresh ids, in an order where every row comes after what it points to, inside one
transaction: a file with a problem imports nothing.

People are matched by e-mail address: someone who already has an account on the target
installation keeps it (and their own profile); others are created with the same password
hash, so they can sign in as before. Staff and superuser flags are never imported: they
belong to an installation, not to a network.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from cadre.transfer.graph import NETWORK, PERSONAL, USER, owned_models, user_fields

FORMAT = "cadre-network-export"
VERSION = 1

# Fields of a person that are the installation's business, not the network's.
USER_FIELDS_NOT_EXPORTED = ("groups", "user_permissions")
USER_FIELDS_RESET = {"is_staff": False, "is_superuser": False}

# Sent after an import, so derived data (the search index) can be rebuilt for the network.
network_imported = Signal()


class ImportProblem(ValueError):
    """The file cannot be imported; the message says what is wrong and where."""


Rows = list[dict[str, Any]]


class ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds (Django's rounds them to
    milliseconds), so an export imported and exported again is the same to the digit."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


def _serialize(objects: Iterable[models.Model], fields: list[str] | None = None) -> Rows:
    rows = serializers.serialize("python", objects, fields=fields)
    # Through JSON once, so the document in memory is exactly what a file would hold.
    result: Rows = json.loads(json.dumps(rows, cls=ExactEncoder))
    return result


def export_network(network: models.Model) -> dict[str, Any]:
    """The whole network as a JSON-serializable document."""
    sections: list[list[Any]] = []
    people: set[int] = set()
    for owned in owned_models():
        model = owned.model
        lookup = {owned.lookup: network} if owned.lookup else {"pk": network.pk}
        rows = _serialize(model._default_manager.filter(**lookup).order_by("pk"))
        pointers = [f.name for f in user_fields(model)]
        for row in rows:
            for name in pointers:
                value = row["fields"].get(name)
                if isinstance(value, list):
                    people.update(value)
                elif value is not None:
                    people.add(value)
        sections.append([owned.label, rows])
    user_model = apps.get_model(USER)
    keep = [
        f.name
        for f in [*user_model._meta.concrete_fields, *user_model._meta.many_to_many]
        if f.name not in USER_FIELDS_NOT_EXPORTED and not f.primary_key
    ]
    users = _serialize(user_model._default_manager.filter(pk__in=people).order_by("pk"), keep)
    personal = [
        [
            label,
            _serialize(
                apps.get_model(label)._default_manager.filter(user__in=people).order_by("pk")
            ),
        ]
        for label in PERSONAL
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "network": getattr(network, "slug", ""),
        "users": users,
        "personal": personal,
        "models": sections,
    }


def dump(document: dict[str, Any]) -> str:
    return json.dumps(document, cls=ExactEncoder, indent=1, sort_keys=True)


@dataclass
class ImportResult:
    network: Any
    created_people: set[Any] = field(default_factory=set)  # file ids of people created here
    matched_users: int = 0
    rows: int = 0
    # model label -> {id in the file: id in this database}
    ids: dict[str, dict[Any, Any]] = field(default_factory=lambda: defaultdict(dict))


def _check_document(document: Any) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportProblem(f"This is not a Cadre network export (expected format {FORMAT!r}).")
    if document.get("version") != VERSION:
        raise ImportProblem(
            f"This export has version {document.get('version')!r}; this Cadre reads version {VERSION}."
        )
    for key in ("users", "personal", "models"):
        if not isinstance(document.get(key), list):
            raise ImportProblem(f"The export has no {key!r} list.")


def _model(label: str) -> type[models.Model]:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        raise ImportProblem(
            f"The export holds {label!r} rows, which this version of Cadre does not know."
        ) from None


def import_network(
    document: Any, *, slug: str | None = None, name: str | None = None
) -> ImportResult:
    """Create the exported network in this database. Raises ImportProblem, and saves
    nothing, when the file is not a Cadre export or does not fit this database."""
    _check_document(document)
    network_model = apps.get_model(NETWORK)
    sections = dict(document["models"])
    network_rows = sections.get(NETWORK) or []
    if len(network_rows) != 1:
        raise ImportProblem("The export must hold exactly one network.")
    new_slug = slug or network_rows[0]["fields"].get("slug")
    if network_model._default_manager.filter(slug=new_slug).exists():
        raise ImportProblem(
            f"A network with the address {new_slug!r} already exists here; "
            "import it under another one with --slug."
        )
    with transaction.atomic():
        result = ImportResult(network=None)
        created = _import_people(document, result)
        _import_personal(document, result, created)
        deferred: list[tuple[type[models.Model], Any, str, str, Any]] = []
        for label, rows in document["models"]:
            model = _model(label)
            for row in rows:
                fields = dict(row["fields"])
                if label == NETWORK:
                    fields["slug"] = new_slug
                    if name:
                        fields["name"] = name
                new_id = _create(model, row, fields, result, deferred)
                result.ids[label][row["pk"]] = new_id
                result.rows += 1
        for model, new_id, attname, target, old in deferred:
            if old not in result.ids[target]:
                raise ImportProblem(
                    f"{model._meta.label} row points to {target} {old}, which is not in the file."
                )
            model._default_manager.filter(pk=new_id).update(**{attname: result.ids[target][old]})
        result.network = network_model._default_manager.get(slug=new_slug)
        network_imported.send(sender=network_model, network=result.network)
    return result


def _import_people(document: dict[str, Any], result: ImportResult) -> set[Any]:
    """Match people by e-mail or create them; returns the file ids of the people created."""
    user_model = apps.get_model(USER)
    created: set[Any] = set()
    for row in document["users"]:
        email = str(row.get("fields", {}).get("email") or "").strip()
        if not email:
            raise ImportProblem(f"Person {row.get('pk')} in the file has no e-mail address.")
        existing = user_model._default_manager.filter(email__iexact=email).first()
        if existing is not None:
            result.ids[USER][row["pk"]] = existing.pk
            result.matched_users += 1
            continue
        fields = {**row["fields"], **USER_FIELDS_RESET}
        saved = _deserialize(USER, fields)
        result.ids[USER][row["pk"]] = saved.pk
        created.add(row["pk"])
    result.created_people = created
    return created


def _import_personal(document: dict[str, Any], result: ImportResult, created: set[Any]) -> None:
    """Personal rows come along for the people created here; people who already had an
    account keep theirs (their one-to-one rows are mapped to the existing ones)."""
    for label, rows in document["personal"]:
        if label not in PERSONAL:
            raise ImportProblem(f"The export holds personal rows of {label!r}, which is unknown.")
        model = _model(label)
        one_to_one = isinstance(model._meta.get_field("user"), models.OneToOneField)
        for row in rows:
            owner = row["fields"].get("user")
            if owner not in result.ids[USER]:
                raise ImportProblem(f"{label} row {row.get('pk')} belongs to nobody in the file.")
            if owner in created:
                fields = {**row["fields"], "user": result.ids[USER][owner]}
                result.ids[label][row["pk"]] = _deserialize(label, fields).pk
            elif one_to_one:
                mine, _ = model._default_manager.get_or_create(user_id=result.ids[USER][owner])
                result.ids[label][row["pk"]] = mine.pk


def _create(
    model: type[models.Model],
    row: dict[str, Any],
    fields: dict[str, Any],
    result: ImportResult,
    deferred: list[tuple[type[models.Model], Any, str, str, Any]],
) -> Any:
    label = model._meta.label
    later: list[tuple[str, str, Any]] = []
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.ForeignKey) or f.related_model is None:
            continue
        old = fields.get(f.name)
        if old is None:
            continue
        target = f.related_model._meta.label
        if old in result.ids[target]:
            fields[f.name] = result.ids[target][old]
        elif f.null:
            fields[f.name] = None
            later.append((f.attname, target, old))
        else:
            raise ImportProblem(
                f"{label} row {row.get('pk')}: {f.name} points to {target} {old}, "
                "which is not in the file."
            )
    for f in model._meta.many_to_many:
        target = f.related_model._meta.label  # type: ignore[union-attr]
        olds = fields.get(f.name) or []
        missing = [old for old in olds if old not in result.ids[target]]
        if missing:
            raise ImportProblem(
                f"{label} row {row.get('pk')}: {f.name} lists {target} {missing[0]}, "
                "which is not in the file."
            )
        fields[f.name] = [result.ids[target][old] for old in olds]
    new_id = _deserialize(label, fields).pk
    deferred.extend((model, new_id, attname, target, old) for attname, target, old in later)
    return new_id


def _deserialize(label: str, fields: dict[str, Any]) -> models.Model:
    try:
        (obj,) = serializers.deserialize("python", [{"model": label, "pk": None, "fields": fields}])
        obj.save()
    except serializers.base.DeserializationError as error:
        raise ImportProblem(f"{label}: {error}") from None
    return obj.object


def differences(before: dict[str, Any], after: dict[str, Any], result: ImportResult) -> list[str]:
    """What an import changed: compare an export with the export of what it imported,
    mapping every id through `result.ids`. An empty list means nothing was lost. People who
    already had an account here (and their personal rows) are not compared: they keep theirs."""
    problems: list[str] = []
    created = result.created_people
    users_before = [row for row in before["users"] if row["pk"] in created]
    pairs: list[tuple[str, Rows, Rows]] = [(USER, users_before, after["users"])]
    after_personal = dict(after["personal"])
    for label, rows in before["personal"]:
        mine = [row for row in rows if row["fields"].get("user") in created]
        pairs.append((label, mine, after_personal.get(label, [])))
    after_sections = dict(after["models"])
    for label, rows in before["models"]:
        pairs.append((label, rows, after_sections.get(label, [])))
    for label, rows, after_rows in pairs:
        problems.extend(
            _compare(label, rows, after_rows, result, whole=label not in (USER, *PERSONAL))
        )
    return problems


def _compare(
    label: str, rows: Rows, after_rows: Rows, result: ImportResult, whole: bool
) -> list[str]:
    model = apps.get_model(label)
    relations = {
        f.name: f.related_model._meta.label  # type: ignore[union-attr]
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.is_relation and f.related_model is not None
    }
    problems: list[str] = []
    by_id = {row["pk"]: row for row in after_rows}
    if whole and len(by_id) != len(rows):
        problems.append(f"{label}: {len(rows)} rows exported, {len(by_id)} after import")
    for row in rows:
        twin = by_id.get(result.ids[label].get(row["pk"]))
        if twin is None:
            problems.append(f"{label} {row['pk']}: missing after import")
            continue
        for name, value in row["fields"].items():
            if (label == NETWORK and name in ("slug", "name")) or name in USER_FIELDS_RESET:
                continue
            got = twin["fields"].get(name)
            expected = value
            if name in relations and value is not None:
                ids = result.ids[relations[name]]
                if isinstance(value, list):
                    expected, got = sorted(ids.get(v) for v in value), sorted(got or [])
                else:
                    expected = ids.get(value)
            if expected != got:
                problems.append(f"{label} {row['pk']}.{name}: {expected!r} became {got!r}")
    return problems
