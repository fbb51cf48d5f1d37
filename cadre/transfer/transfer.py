"""Export a whole network to one JSON document, and import it again with nothing lost.

The document lists, for every model that belongs to a network (see `graph`), the network's
rows in Django's serialization format, plus the people those rows mention and their personal
rows (profile, notification preferences, e-mail addresses). Import creates everything anew
with fresh ids, in an order where every row comes after what it points to, inside one
transaction: a file with a problem imports nothing.

People are matched by e-mail address: someone who already has an account on the target
installation keeps it (and their own profile); others are created with the same password
hash, so they can sign in as before. Staff and superuser flags, groups and permissions are
never imported: they belong to an installation, not to a network.

An import file is untrusted input. Only the models an export writes are accepted (the
network's own, found by `graph.owned_models` as the export finds them, and the personal rows
of PERSONAL), never secrets such as API tokens, authenticators or sessions; every row is
validated as a form would validate it; an e-mail address is only ever given to the person
created with it; and whatever is wrong with a file is said as an ImportProblem, naming the
row and field, with nothing saved.
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
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, models, transaction
from django.dispatch import Signal
from django.utils import timezone

from cadre.transfer.graph import (
    NETWORK,
    PERSONAL,
    USER,
    owned_models,
    related_label,
    user_fields,
)

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


# The largest file `cadre import` reads: the whole file is held in memory while it is checked.
MAX_FILE_BYTES = 256 * 1024 * 1024

EMAIL_ADDRESS = "account.EmailAddress"


def read_export(path: str) -> Any:
    """The document in the file at `path`; ImportProblem when it cannot be read as JSON."""
    max_bytes = MAX_FILE_BYTES
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise ImportProblem(f"cannot read {path}: {error.strerror}.") from None
    if len(raw) > max_bytes:
        raise ImportProblem(
            f"{path} is larger than {max_bytes:,} bytes, the most `cadre import` reads."
        )
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ImportProblem(
            f"{path} is not UTF-8 text (byte {error.start} cannot be read)."
        ) from None
    except json.JSONDecodeError as error:
        raise ImportProblem(
            f"{path} is not JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    except RecursionError:
        raise ImportProblem(f"{path} nests lists or objects too deeply to be an export.") from None


# --- checking the file's shape before anything is written -----------------------------------


def _is_id(value: Any) -> bool:
    return isinstance(value, int | str) and not isinstance(value, bool)


def _importable_fields(label: str) -> set[str]:
    """The field names a row of `label` may carry: what the export writes for it."""
    model = apps.get_model(label)
    names = {
        f.name
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if not f.primary_key
    }
    if label == USER:
        names -= set(USER_FIELDS_NOT_EXPORTED)
    return names


def _check_rows(label: str, rows: Any, where: str) -> None:
    if not isinstance(rows, list):
        raise ImportProblem(f"{where}: the rows of {label} are not a list.")
    allowed = _importable_fields(label)
    seen: set[Any] = set()
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ImportProblem(f"{where}: row {index + 1} of {label} is not an object.")
        pk = row.get("pk")
        if not _is_id(pk):
            raise ImportProblem(f"{where}: row {index + 1} of {label} has no id (pk).")
        # Django's serializer writes the label in lower case ("accounts.user").
        if str(row.get("model", label)).lower() != label.lower():
            raise ImportProblem(f"{where}: {label} row {pk} says it is a {row.get('model')!r} row.")
        if pk in seen:
            raise ImportProblem(f"{where}: {label} has two rows with the id {pk!r}.")
        seen.add(pk)
        fields = row.get("fields")
        if not isinstance(fields, dict):
            raise ImportProblem(f"{where}: {label} row {pk} has no fields.")
        unknown = sorted(set(fields) - allowed, key=str)
        if unknown:
            raise ImportProblem(
                f"{where}: {label} row {pk} has the field {unknown[0]!r}, "
                f"which {label} rows do not have in an export."
            )


def _sections(document: dict[str, Any], key: str, allowed: set[str]) -> dict[str, Any]:
    """The [label, rows] pairs of `key`, as a dict; only labels in `allowed`, each once."""
    sections: dict[str, Any] = {}
    for index, pair in enumerate(document[key]):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
            raise ImportProblem(
                f"{key!r} entry {index + 1} is not a pair of a model name and its rows."
            )
        label, rows = pair
        if label not in allowed:
            raise ImportProblem(
                f"the {key!r} list holds {label!r} rows, which a network export never holds "
                "(only the network's own records are imported)."
            )
        if label in sections:
            raise ImportProblem(f"the {key!r} list holds {label} twice.")
        _check_rows(label, rows, key)
        sections[label] = rows
    return sections


def _check_document(document: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check the file's shape; returns its personal and network sections by label."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportProblem(f"this is not a Cadre network export (expected format {FORMAT!r}).")
    if document.get("version") != VERSION:
        raise ImportProblem(
            f"this export has version {document.get('version')!r}; "
            f"this Cadre reads version {VERSION}."
        )
    for key in ("users", "personal", "models"):
        if not isinstance(document.get(key), list):
            raise ImportProblem(f"the export has no {key!r} list.")
    _check_rows(USER, document["users"], "users")
    emails: dict[str, Any] = {}
    for row in document["users"]:
        email = row["fields"].get("email")
        if not isinstance(email, str) or not email.strip():
            raise ImportProblem(f"person {row['pk']} in the file has no e-mail address.")
        key = email.strip().lower()
        if key in emails:
            raise ImportProblem(
                f"persons {emails[key]} and {row['pk']} in the file have the same e-mail address."
            )
        emails[key] = row["pk"]
    personal = _sections(document, "personal", set(PERSONAL))
    network = _sections(document, "models", {owned.label for owned in owned_models()})
    if len(network.get(NETWORK, [])) != 1:
        raise ImportProblem("the export must hold exactly one network.")
    return personal, network


# --- creating the rows ----------------------------------------------------------------------


def import_network(
    document: Any, *, slug: str | None = None, name: str | None = None
) -> ImportResult:
    """Create the exported network in this database. Raises ImportProblem, and saves
    nothing, when the file is not a Cadre export or does not fit this database.

    Only the network's own models are imported (those `graph.owned_models` finds, as the
    export does), plus people and their personal rows; every row is validated as a form
    would (`full_clean`), and no row can point at one that is not in the file, except at the
    people matched by e-mail address."""
    personal, network = _check_document(document)
    network_model = apps.get_model(NETWORK)
    new_slug = slug or network[NETWORK][0]["fields"].get("slug")
    if network_model._default_manager.filter(slug=new_slug).exists():
        raise ImportProblem(
            f"a network with the address {new_slug!r} already exists here; "
            "import it under another one with --slug."
        )
    with transaction.atomic():
        result = ImportResult(network=None)
        created_rows: list[tuple[str, Any, Any]] = []  # (label, file id, new id)
        created = _import_people(document["users"], result, created_rows)
        _import_personal(personal, result, created, created_rows)
        deferred: list[tuple[type[models.Model], Any, str, str, Any]] = []
        # In dependency order whatever the file's order, so every row comes after its targets.
        for owned in owned_models():
            model = owned.model
            for row in network.get(owned.label, []):
                fields = dict(row["fields"])
                if owned.label == NETWORK:
                    fields["slug"] = new_slug
                    if name:
                        fields["name"] = name
                new_id = _create(model, row, fields, result, deferred)
                result.ids[owned.label][row["pk"]] = new_id
                created_rows.append((owned.label, row["pk"], new_id))
                result.rows += 1
        for model, new_id, attname, target, old in deferred:
            if old not in result.ids[target]:
                raise _not_in_the_file(f"{model._meta.label} row points to", target, old)
            model._default_manager.filter(pk=new_id).update(**{attname: result.ids[target][old]})
        _validate_whole(created_rows)
        result.network = network_model._default_manager.get(slug=new_slug)
        network_imported.send(sender=network_model, network=result.network)
    return result


def _import_people(rows: list[Any], result: ImportResult, created_rows: list[Any]) -> set[Any]:
    """Match people by e-mail or create them; returns the file ids of the people created.
    Someone created here never gets staff or superuser flags, groups or permissions."""
    from allauth.account.models import EmailAddress

    user_model = apps.get_model(USER)
    created: set[Any] = set()
    for row in rows:
        email = row["fields"]["email"].strip()
        existing = user_model._default_manager.filter(email__iexact=email).first()
        if existing is not None:
            result.ids[USER][row["pk"]] = existing.pk
            result.matched_users += 1
            continue
        if EmailAddress.objects.filter(email__iexact=email).exists():
            raise _address_taken(f"person {row['pk']}", email)
        fields = {**row["fields"], **USER_FIELDS_RESET}
        saved = _save_row(USER, row["pk"], fields)
        result.ids[USER][row["pk"]] = saved.pk
        created_rows.append((USER, row["pk"], saved.pk))
        created.add(row["pk"])
    result.created_people = created
    return created


def _import_personal(
    sections: dict[str, Any], result: ImportResult, created: set[Any], created_rows: list[Any]
) -> None:
    """Personal rows come along for the people created here; people who already had an
    account keep theirs (their one-to-one rows are mapped to the existing ones, and their
    e-mail addresses in the file are left out)."""
    for label in PERSONAL:
        model = apps.get_model(label)
        one_to_one = isinstance(model._meta.get_field("user"), models.OneToOneField)
        for row in sections.get(label, []):
            owner = row["fields"].get("user")
            if not _is_id(owner) or owner not in result.ids[USER]:
                raise ImportProblem(f"{label} row {row['pk']} belongs to nobody in the file.")
            mine = result.ids[USER][owner]
            if owner in created:
                fields = {**row["fields"], "user": mine}
                if label == EMAIL_ADDRESS:
                    _check_address(row["pk"], fields.get("email"), mine)
                new_id = _save_row(label, row["pk"], fields).pk
                result.ids[label][row["pk"]] = new_id
                created_rows.append((label, row["pk"], new_id))
            elif one_to_one:
                existing, _ = model._default_manager.get_or_create(user_id=mine)
                result.ids[label][row["pk"]] = existing.pk


def _check_address(pk: Any, email: Any, owner: Any) -> None:
    """An imported e-mail address belongs to the person created with it and to nobody else
    here: otherwise whoever wrote the file could take an account over by resetting its
    password through an address they control, or claim someone else's address."""
    from allauth.account.models import EmailAddress

    if not isinstance(email, str) or not email.strip():
        raise ImportProblem(f"{EMAIL_ADDRESS} row {pk} has no address.")
    address = email.strip()
    user_model = apps.get_model(USER)
    taken = (
        user_model._default_manager.filter(email__iexact=address).exclude(pk=owner).exists()
        or EmailAddress.objects.filter(email__iexact=address).exclude(user=owner).exists()
    )
    if taken:
        raise _address_taken(f"{EMAIL_ADDRESS} row {pk}", address)


def _not_in_the_file(where: str, target: str, old: Any) -> ImportProblem:
    return ImportProblem(f"{where} {target} {old}, which is not in the file.")


def _address_taken(row: str, address: str) -> ImportProblem:
    return ImportProblem(
        f"{row}: {address} is an address of another account here; "
        "an import never gives an address to a second account."
    )


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
        target = related_label(f)
        if not _is_id(old):
            raise ImportProblem(f"{label} row {row['pk']}: {f.name} is not an id ({old!r}).")
        if old in result.ids[target]:
            fields[f.name] = result.ids[target][old]
        elif f.null:
            fields[f.name] = None
            later.append((f.attname, target, old))
        else:
            raise _not_in_the_file(f"{label} row {row['pk']}: {f.name} points to", target, old)
    for f in model._meta.many_to_many:
        target = related_label(f)
        olds = fields.get(f.name) or []
        if not isinstance(olds, list) or not all(_is_id(old) for old in olds):
            raise ImportProblem(f"{label} row {row['pk']}: {f.name} is not a list of ids.")
        missing = [old for old in olds if old not in result.ids[target]]
        if missing:
            raise _not_in_the_file(f"{label} row {row['pk']}: {f.name} lists", target, missing[0])
        fields[f.name] = [result.ids[target][old] for old in olds]
    new_id = _save_row(label, row["pk"], fields).pk
    deferred.extend((model, new_id, attname, target, old) for attname, target, old in later)
    return new_id


def _relation_names(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation]


def _problem(label: str, pk: Any, error: ValidationError) -> ImportProblem:
    """The first thing `error` says, with the row and field it is about."""
    if hasattr(error, "error_dict"):
        name, messages = next(iter(error.message_dict.items()))
        where = "" if name == NON_FIELD_ERRORS else f"{name}: "
        return ImportProblem(f"{label} row {pk}: {where}{' '.join(messages)}")
    return ImportProblem(f"{label} row {pk}: {' '.join(error.messages)}")


def _save_row(label: str, pk: Any, fields: dict[str, Any]) -> models.Model:
    """Build the row, check each of its own fields (choices, lengths, validators) and save
    it. Its foreign keys were mapped to rows of this import already."""
    try:
        (found,) = serializers.deserialize(
            "python", [{"model": label, "pk": None, "fields": fields}]
        )
    except serializers.base.DeserializationError as error:
        # Django wraps the field's own error, which says what is wrong in a person's words.
        cause = error.__cause__ or error.__context__ or error
        message = " ".join(cause.messages) if isinstance(cause, ValidationError) else str(cause)
        raise ImportProblem(f"{label} row {pk}: {message}") from None
    obj = found.object
    try:
        obj.clean_fields(exclude=_relation_names(type(obj)))
    except ValidationError as error:
        raise _problem(label, pk, error) from None
    try:
        found.save()
    except DatabaseError as error:
        raise ImportProblem(f"{label} row {pk} does not fit this database: {error}") from None
    return obj


def _validate_whole(created_rows: list[tuple[str, Any, Any]]) -> None:
    """Once every row exists (a row's own rules may look at rows created after it), validate
    each as a form would (`full_clean`): its fields, its own rules and unique values. Left
    out: foreign keys, which the mapping only ever points at rows of this import or at matched
    people, and the models' constraints; the database enforced both when the row was saved,
    and asking again row by row would double the time an import takes."""
    by_label: dict[str, dict[Any, Any]] = defaultdict(dict)
    for label, old, new in created_rows:
        by_label[label][new] = old
    for label, rows in by_label.items():
        model = apps.get_model(label)
        exclude = _relation_names(model)
        for obj in model._default_manager.filter(pk__in=list(rows)):
            try:
                obj.full_clean(exclude=exclude, validate_constraints=False)
            except ValidationError as error:
                raise _problem(label, rows[obj.pk], error) from None


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
        f.name: related_label(f)
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
