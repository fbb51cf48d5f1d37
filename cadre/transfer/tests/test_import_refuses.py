"""`cadre import` takes only a network's own records, validates every row, and turns every
crafted or broken file into "Nothing was imported: <reason>" with nothing saved."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from cadre.accountability.models import Commitment
from cadre.accounts.models import User
from cadre.api.models import ApiToken, hash_token
from cadre.networks.models import Network
from cadre.testing import run_worker
from cadre.transfer import transfer
from cadre.transfer.transfer import ImportProblem, dump, export_network, import_network

KNOWN_TOKEN = "cadre_the-attacker-knows-this-one"
PASSWORD = "correct horse battery"


@pytest.fixture
def document(cast: Any) -> dict[str, Any]:
    Commitment.objects.create(cohort=cast.cohort, owner=cast.member, text="Run a game day")
    result: dict[str, Any] = json.loads(dump(export_network(cast.network)))
    return result


def section(document: dict[str, Any], label: str) -> list[Any]:
    """The rows of `label` in the file: objects, until a test puts something else there."""
    return next(rows for name, rows in document["models"] if name == label)


def state() -> tuple[int, ...]:
    """What an import could change, counted."""
    return (
        Network.objects.count(),
        User.objects.count(),
        User.objects.filter(is_superuser=True).count(),
        User.objects.filter(is_staff=True).count(),
        EmailAddress.objects.count(),
        ApiToken.objects.count(),
        Commitment.objects.count(),
        Permission.objects.filter(user__isnull=False).count(),
    )


def refused(document: dict[str, Any], message: str) -> None:
    before = state()
    with pytest.raises(ImportProblem, match=message):
        import_network(document, slug="copy")
    assert state() == before


def new_person(email: str, **extra: Any) -> dict[str, Any]:
    return {
        "model": "accounts.user",
        "pk": 9001,
        "fields": {
            "email": email,
            "name": "Mallory",
            "password": make_password(PASSWORD),
            "is_active": True,
            **extra,
        },
    }


# --- crafted files --------------------------------------------------------------------------


def test_a_file_cannot_create_a_superuser(document: dict[str, Any]) -> None:
    boss = new_person("boss@evil.test", is_superuser=True, is_staff=True)
    document["models"].append(["accounts.User", [boss]])
    refused(document, "'accounts.User' rows, which a network export never holds")
    assert not User.objects.filter(email="boss@evil.test").exists()


def test_a_person_in_the_file_gets_no_flags_groups_or_permissions(
    document: dict[str, Any],
) -> None:
    permission = Permission.objects.first()
    assert permission is not None, "Django's own models come with permissions"
    granted = new_person("perms@evil.test", user_permissions=[permission.pk])
    document["users"].append(granted)
    refused(document, "has the field 'user_permissions'")
    flagged = new_person("flags@evil.test", is_superuser=True, is_staff=True)
    document["users"][-1] = flagged
    import_network(document, slug="copy")
    person = User.objects.get(email="flags@evil.test")
    assert not person.is_superuser and not person.is_staff


def test_a_file_cannot_put_a_token_of_known_value_on_an_existing_account(
    cast: Any, document: dict[str, Any]
) -> None:
    token = {
        "model": "api.apitoken",
        "pk": 1,
        "fields": {
            "user": cast.admin.pk,
            "name": "sync",
            "prefix": KNOWN_TOKEN[:12],
            "token_hash": hash_token(KNOWN_TOKEN),
            "created_at": "2024-01-01T00:00:00Z",
            "last_used_at": None,
            "revoked_at": None,
        },
    }
    document["models"].append(["api.ApiToken", [token]])
    refused(document, "'api.ApiToken' rows, which a network export never holds")
    assert ApiToken.authenticate(KNOWN_TOKEN) is None


def attacker_address(cast: Any) -> dict[str, Any]:
    return {
        "model": "account.emailaddress",
        "pk": 77,
        "fields": {
            "user": cast.admin.pk,
            "email": "attacker@evil.test",
            "verified": True,
            "primary": False,
        },
    }


def test_a_verified_address_never_attaches_to_an_existing_account(
    cast: Any, client_for: Any, document: dict[str, Any], smtp_inbox: Any
) -> None:
    """Before: the address was attached to the admin's account, and a password reset sent to
    it let whoever wrote the file choose the admin's password."""
    document["models"].append(["account.EmailAddress", [attacker_address(cast)]])
    refused(document, "'account.EmailAddress' rows, which a network export never holds")
    assert not EmailAddress.objects.filter(email="attacker@evil.test").exists()

    client = client_for(None)
    client.post(reverse("account_reset_password"), {"email": "attacker@evil.test"})
    run_worker()
    for envelope in smtp_inbox.messages:
        body = envelope.content.decode()
        link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", body)
        if link:  # what the attacker would do with it
            page = client.get(link.group(1), follow=True)
            target = page.redirect_chain[-1][0] if page.redirect_chain else link.group(1)
            client.post(target, {"password1": "taken over now", "password2": "taken over now"})
    cast.admin.refresh_from_db()
    assert cast.admin.check_password(PASSWORD)


def test_the_personal_list_cannot_attach_an_address_to_an_existing_account(
    cast: Any, document: dict[str, Any]
) -> None:
    personal = dict(document["personal"])
    personal["account.EmailAddress"].append(attacker_address(cast))
    document["personal"] = [[label, rows] for label, rows in personal.items()]
    before = state()
    import_network(document, slug="copy")  # the admin keeps their account; the row is ignored
    assert state()[4] == before[4]
    assert not EmailAddress.objects.filter(email="attacker@evil.test").exists()


def test_a_new_person_cannot_claim_an_address_of_another_account(
    cast: Any, document: dict[str, Any]
) -> None:
    document["users"].append(new_person("mallory@evil.test"))
    claim = {
        "model": "account.emailaddress",
        "pk": 78,
        "fields": {"user": 9001, "email": cast.admin.email, "verified": True, "primary": False},
    }
    personal = dict(document["personal"])
    personal["account.EmailAddress"].append(claim)
    document["personal"] = [[label, rows] for label, rows in personal.items()]
    refused(document, f"{re.escape(cast.admin.email)} is an address of another account here")


def test_a_new_person_cannot_take_a_secondary_address_of_another_account(
    cast: Any, document: dict[str, Any]
) -> None:
    EmailAddress.objects.create(user=cast.admin, email="ada.second@northwind.test", verified=True)
    document["users"].append(new_person("ada.second@northwind.test"))
    refused(document, "ada.second@northwind.test is an address of another account here")


# --- malformed files ------------------------------------------------------------------------

Mangle = Callable[[dict[str, Any]], Any]


def _first(document: dict[str, Any], label: str) -> dict[str, Any]:
    return section(document, label)[0]


def _dupe_commitment(document: dict[str, Any]) -> None:
    rows = section(document, "accountability.Commitment")
    rows.append(json.loads(json.dumps(rows[0])))


def _set(label: str, **fields: Any) -> Mangle:
    return lambda d: _first(d, label)["fields"].update(fields)


def _set_row(label: str, **keys: Any) -> Mangle:
    return lambda d: _first(d, label).update(keys)


def _add(label: str) -> Mangle:
    return lambda d: d["models"].append([label, []])


def _replace(label: str, rows: Any) -> Mangle:
    def mangle(d: dict[str, Any]) -> None:
        d["models"] = [[name, rows if name == label else old] for name, old in d["models"]]

    return mangle


def _person(**fields: Any) -> Mangle:
    return lambda d: d["users"][0]["fields"].update(fields)


def _person_twice(d: dict[str, Any]) -> None:
    d["users"].append({**d["users"][0], "pk": 999})


def _second_network(d: dict[str, Any]) -> None:
    section(d, "networks.Network").append({**_first(d, "networks.Network"), "pk": 999})


BROKEN: list[tuple[str, Mangle, str]] = [
    ("row without fields", lambda d: _first(d, "cohorts.Cohort").pop("fields"), "has no fields"),
    ("fields not an object", lambda d: _first(d, "cohorts.Cohort").update(fields=[1]), "no fields"),
    ("row not an object", lambda d: section(d, "cohorts.Cohort").append(7), "is not an object"),
    ("row without id", lambda d: _first(d, "cohorts.Cohort").pop("pk"), "has no id"),
    ("id of the wrong type", lambda d: _first(d, "cohorts.Cohort").update(pk=[1]), "has no id"),
    ("junk in models", lambda d: d["models"].append("junk"), "is not a pair"),
    ("a triple in models", lambda d: d["models"].append(["a.B", [], 3]), "is not a pair"),
    ("rows not a list", _replace("networks.Skill", {}), "rows of networks.Skill are not a list"),
    ("users not a list", lambda d: d.update(users={}), "no 'users' list"),
    ("a person not an object", lambda d: d["users"].append("x"), "is not an object"),
    ("a person without address", _person(email=None), "has no e-mail address"),
    ("foreign model: sessions", _add("sessions.Session"), "never holds"),
    ("foreign model: two-factor", _add("mfa.Authenticator"), "never holds"),
    ("foreign model: permissions", _add("auth.Permission"), "never holds"),
    ("foreign model: calendar feed", _add("schedule.CalendarToken"), "never holds"),
    (
        "foreign model in personal",
        lambda d: d["personal"].append(["api.ApiToken", []]),
        "never holds",
    ),
    ("unknown model", _add("no such thing"), "never holds"),
    ("a model twice", _add("accountability.Commitment"), "holds accountability.Commitment twice"),
    ("duplicate ids", _dupe_commitment, "two rows with the id"),
    ("unknown field", _set("cohorts.Cohort", secret_flag=True), "has the field 'secret_flag'"),
    ("key of the wrong type", _set("cohorts.Cohort", network={"pk": 1}), "network is not an id"),
    ("not a date", _set("accountability.Commitment", due_on="next Friday"), "invalid date format"),
    (
        "a date out of range",
        _set("accountability.Commitment", due_on="9999-12-31"),
        "Enter a date from 1900-01-01 to 2200-12-31",
    ),
    ("not a number", _set("cohorts.Charter", weekly_hours="lots"), "must be a decimal number"),
    ("not a choice", _set("networks.NetworkMembership", role="god"), "'god' is not a valid choice"),
    ("not a time zone", _set("cohorts.Cohort", time_zone="Mars/Olympus"), "time_zone"),
    ("text too long", _set("accountability.Commitment", text="x" * 301), "at most 300 characters"),
    ("not a slug", _set("cohorts.Cohort", slug="not a slug!"), "slug: "),
    ("missing required text", _set("networks.Network", name=None), "networks.Network row"),
    ("row of another kind", _set_row("cohorts.Cohort", model="api.apitoken"), "'api.apitoken' row"),
    ("two networks", _second_network, "exactly one network"),
    ("two people, one address", _person_twice, "have the same e-mail address"),
]


@pytest.mark.parametrize(("what", "mangle", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_malformed_file_imports_nothing_and_says_why(
    document: dict[str, Any], tmp_path: Any, what: str, mangle: Mangle, message: str
) -> None:
    mangle(document)
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(document))
    before = state()
    with pytest.raises(CommandError, match=f"^Nothing was imported: .*({message})"):
        call_command("import", str(path), slug="copy")
    assert state() == before


def test_a_problem_found_after_every_row_exists_still_imports_nothing(
    document: dict[str, Any],
) -> None:
    """The journal's own rule (a cohort entry needs its cohort) is checked once all rows
    exist; what was created before it is rolled back."""
    entry = {
        "model": "journal.journalentry",
        "pk": 1,
        "fields": {
            "network": _first(document, "networks.Network")["pk"],
            "author": document["users"][0]["pk"],
            "cohort": None,
            "title": "t",
            "body": "b",
            "visibility": "cohort",
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
        },
    }
    document["models"] = [
        [label, [entry] if label == "journal.JournalEntry" else rows]
        for label, rows in document["models"]
    ]
    refused(document, "journal.JournalEntry row 1: cohort: Choose the cohort")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 200_000 + b"]" * 200_000, "nests lists or objects too deeply"),
        (b"\xff\xfe\x00not text", "is not UTF-8 text"),
        (b"{not json", "is not JSON"),
        (b"[1, 2, 3]", "not a Cadre network export"),
    ],
)
def test_an_unreadable_file_imports_nothing(
    cast: Any, tmp_path: Any, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = state()
    with pytest.raises(CommandError, match=f"^Nothing was imported: .*{message}"):
        call_command("import", str(path))
    assert state() == before


def test_a_file_too_large_is_not_read(
    document: dict[str, Any], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps(document))
    monkeypatch.setattr(transfer, "MAX_FILE_BYTES", path.stat().st_size - 1)
    before = state()
    with pytest.raises(CommandError, match="^Nothing was imported: .* is larger than"):
        call_command("import", str(path), slug="copy")
    assert state() == before
    monkeypatch.setattr(transfer, "MAX_FILE_BYTES", path.stat().st_size)
    call_command("import", str(path), slug="copy")
    assert Network.objects.filter(slug="copy").exists()


def test_the_order_of_the_models_in_the_file_does_not_matter(document: dict[str, Any]) -> None:
    document["models"].reverse()
    result = import_network(document, slug="copy")
    assert result.network.cohorts.count() == 2
