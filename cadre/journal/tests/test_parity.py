"""The journal's pages and API are two doors to cadre.journal.services: writing, changing and
deleting an entry through the page (as its author, with the form's fields) and through the API
(with their token), each on the same fresh set-up, leave the same rows; a refusal reads the
same."""

from collections.abc import Callable
from html import unescape
from typing import Any

from django.db import models, transaction
from django.urls import reverse

from cadre.api.tests.helpers import V1
from cadre.journal import services
from cadre.journal.models import JournalEntry, JournalTag
from cadre.networks.models import Skill

from .helpers import entry_for

JOURNAL = "/networks/northwind/journal"


def rows() -> list[dict[str, Any]]:
    """Every entry's fields (its own id and times aside), with its tags, skills and readers."""
    found = []
    for entry in JournalEntry.objects.order_by("pk"):
        values: dict[str, Any] = {
            f.name: getattr(entry, f.attname)
            for f in JournalEntry._meta.concrete_fields
            if not f.primary_key and not isinstance(f, models.DateTimeField)
        }
        values["tags"] = sorted(
            JournalTag.objects.filter(entry=entry).values_list("name", flat=True)
        )
        values["skills"] = sorted(entry.skills.values_list("slug", flat=True))
        values["shared_with"] = sorted(entry.shared_with.values_list("pk", flat=True))
        found.append(values)
    return found


def both_doors(page: Callable[[], Any], api: Callable[[], Any]) -> tuple[Any, Any]:
    """The page's write, the rows; the database put back as it was; the API's write, the rows."""
    before = transaction.savepoint()
    page()
    by_page = rows()
    transaction.savepoint_rollback(before)
    api()
    return by_page, rows()


def page_says(response: Any, message: str) -> bool:
    return message in unescape(response.content.decode())


def api_says(response: Any, message: str) -> bool:
    error = response.json()["error"]
    said = [error["message"], *(m for ms in (error.get("fields") or {}).values() for m in ms)]
    return message in said


def test_writing_an_entry(cast, client_for, api_as):
    skill = Skill.objects.filter(network=cast.network).order_by("pk").first()
    api_fields = {
        "title": "What the game day taught me",
        "body": "We practised **failover** twice.",
        "visibility": "cohort",
        "cohort": cast.cohort.slug,
        "tags": ["game-day", "on-call"],
        "skills": [skill.slug],
        "shared_with": [cast.mentor.pk],
    }
    form = {
        **api_fields,
        "tags": "Game day, on-call",
        "skills": [skill.slug],
        "shared_with": [cast.mentor.pk],
    }
    by_page, by_api = both_doors(
        lambda: client_for(cast.member).post(reverse("journal:new", args=["northwind"]), form),
        lambda: api_as(cast.member).post(JOURNAL, api_fields),
    )
    assert by_page == by_api and len(by_page) == 1
    assert by_page[0]["tags"] == ["game-day", "on-call"] and by_page[0]["cohort"] == cast.cohort.pk

    # A cohort entry names its cohort: the model's message, on both doors.
    page = client_for(cast.member).post(
        reverse("journal:new", args=["northwind"]), {**form, "cohort": ""}
    )
    api = api_as(cast.member).post(JOURNAL, {**api_fields, "cohort": None})
    assert (page.status_code, api.status_code) == (422, 422)
    message = "Choose the cohort that may read this entry."
    assert page_says(page, message) and api_says(api, message)


def test_changing_an_entry(cast, client_for, api_as):
    entry = entry_for(cast, "private")
    form = {"title": "Changed", "body": "Now longer.", "visibility": "network", "tags": "retro"}
    fields = {"title": "Changed", "body": "Now longer.", "visibility": "network", "tags": ["retro"]}
    by_page, by_api = both_doors(
        lambda: client_for(cast.member).post(
            reverse("journal:edit", args=["northwind", entry.pk]), form
        ),
        lambda: api_as(cast.member).patch(f"{JOURNAL}/{entry.pk}", fields),
    )
    assert by_page == by_api and by_page[0]["visibility"] == "network"

    entry.visibility = "network"
    entry.save()
    page = client_for(cast.host).post(reverse("journal:edit", args=["northwind", entry.pk]), form)
    api = api_as(cast.host).patch(f"{JOURNAL}/{entry.pk}", fields)
    assert (page.status_code, api.status_code) == (403, 403)
    message = services.changing_refusal(cast.host, entry).message
    assert page_says(page, message) and api_says(api, message)


def test_deleting_an_entry(cast, client_for, api_as):
    entry = entry_for(cast, "network")
    caller = api_as(cast.member)
    by_page, by_api = both_doors(
        lambda: client_for(cast.member).post(
            reverse("journal:delete", args=["northwind", entry.pk])
        ),
        lambda: caller.client.delete(f"{V1}{JOURNAL}/{entry.pk}", headers=caller.headers),
    )
    assert by_page == by_api == []

    entry = entry_for(cast, "network")
    page = client_for(cast.host).post(reverse("journal:delete", args=["northwind", entry.pk]))
    host = api_as(cast.host)
    api = host.client.delete(f"{V1}{JOURNAL}/{entry.pk}", headers=host.headers)
    assert (page.status_code, api.status_code) == (403, 403)
    message = services.changing_refusal(cast.host, entry).message
    assert page_says(page, message) and api_says(api, message)
