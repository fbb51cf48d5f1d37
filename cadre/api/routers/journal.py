"""The learning journal under /networks/{slug}/journal. The same policy and services as the
pages: people outside the network get 404, the code of conduct comes next, entries the
caller may not read are 404, and only the author changes or deletes an entry (403 for its
other readers). Writes go through cadre.journal.services, so the rules and messages are the
pages' own; invalid fields come back as 422 with `fields`."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cadre.api import errors
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import NETWORK_SKILLS, Id, Omittable, UserRef
from cadre.journal import policy, services
from cadre.journal.forms import LINKS
from cadre.journal.models import (
    MAX_BODY_CHARS,
    MAX_TAGS,
    JournalEntry,
    JournalVisibility,
    with_details,
)
from cadre.lib import markdown
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404

router = Router(tags=["journal"])

JOURNAL = "/networks/{slug}/journal"


# --- schemas -------------------------------------------------------------------------------


def _reader(context: dict[str, Any] | None) -> Any:
    return context["request"].auth if context else None


def _link(obj: JournalEntry, kind: str, context: dict[str, Any] | None) -> int | None:
    """The id of what the entry is tied to, only for readers who may see that thing."""
    item = getattr(obj, kind)
    if item is None or not policy.can_see_journal_link(_reader(context), item):
        return None
    return int(item.pk)


class JournalEntryOut(Schema):
    id: int
    author: UserRef
    title: str
    visibility: str = Field(..., description="private, cohort or network.")
    cohort: str | None = Field(None, description="The cohort's slug.")
    session: int | None = Field(None, description="Only when you may see the session.")
    experiment: int | None = Field(None, description="Only when you may see the experiment.")
    commitment: int | None = Field(None, description="Only when you may see the commitment.")
    tags: list[str]
    skills: list[str] = Field(..., description=NETWORK_SKILLS)
    shared_with: list[UserRef]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_cohort(obj: JournalEntry) -> str | None:
        return obj.cohort.slug if obj.cohort else None

    @staticmethod
    def resolve_session(obj: JournalEntry, context: dict[str, Any]) -> int | None:
        return _link(obj, "session", context)

    @staticmethod
    def resolve_experiment(obj: JournalEntry, context: dict[str, Any]) -> int | None:
        return _link(obj, "experiment", context)

    @staticmethod
    def resolve_commitment(obj: JournalEntry, context: dict[str, Any]) -> int | None:
        return _link(obj, "commitment", context)

    @staticmethod
    def resolve_tags(obj: JournalEntry) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_skills(obj: JournalEntry) -> list[str]:
        return [s.slug for s in obj.skills.all()]

    @staticmethod
    def resolve_shared_with(obj: JournalEntry) -> list[Any]:
        return list(obj.shared_with.all())


class JournalEntryDetailOut(JournalEntryOut):
    body: str = Field(..., description="The Markdown as written.")
    body_html: str = Field(..., description="The Markdown rendered and sanitized.")

    @staticmethod
    def resolve_body_html(obj: JournalEntry) -> str:
        return str(markdown.render(obj.body))


class JournalEntryIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, description=f"Markdown, at most {MAX_BODY_CHARS:,}.")
    visibility: JournalVisibility = JournalVisibility.PRIVATE
    cohort: str | None = Field(
        None, description="Slug of a cohort you are an active member of; needed for cohort."
    )
    session: Id | None = None
    experiment: Id | None = None
    commitment: Id | None = None
    tags: list[str] = Field([], description=f"At most {MAX_TAGS}; stored as lower-case slugs.")
    skills: list[str] = Field([], description=NETWORK_SKILLS)
    shared_with: list[Id] = Field([], description="Ids of people of the network.")


class JournalEntryPatch(Schema):
    """Only the fields sent are changed; send null to untie cohort, session, experiment or
    commitment."""

    title: Omittable[str] = Field(None, min_length=1, max_length=200)
    body: Omittable[str] = Field(None, min_length=1)
    visibility: Omittable[JournalVisibility] = Field(None)
    cohort: str | None = None
    session: Id | None = None
    experiment: Id | None = None
    commitment: Id | None = None
    tags: Omittable[list[str]] = Field(None)
    skills: Omittable[list[str]] = Field(None)
    shared_with: Omittable[list[Id]] = Field(None)


# --- helpers -------------------------------------------------------------------------------


def _network(request: HttpRequest, slug: str) -> Network:
    network = get_network_or_404(user_of(request), slug)
    require_conduct(request, network)
    return network


def _current(entry: JournalEntry) -> dict[str, Any]:
    """An existing entry as the API's input fields."""
    return {
        "title": entry.title,
        "body": entry.body,
        "visibility": entry.visibility,
        "cohort": entry.cohort.slug if entry.cohort else None,
        **{kind: getattr(entry, f"{kind}_id") for kind in LINKS},
        "tags": [t.name for t in entry.tags.all()],
        "skills": [s.slug for s in entry.skills.all()],
        "shared_with": [p.pk for p in entry.shared_with.all()],
    }


def _as_form_data(fields: dict[str, Any]) -> dict[str, Any]:
    """The API's fields in the shape the entry form reads: tags as one comma-separated text,
    no value as an empty one."""
    if any("," in tag for tag in fields["tags"]):
        raise errors.invalid({"tags": ["Send each tag as its own item, without commas."]})
    return {
        **{k: ("" if v is None else v) for k, v in fields.items()},
        "tags": ", ".join(fields["tags"]),
    }


# --- endpoints -----------------------------------------------------------------------------


@router.get(JOURNAL, response={200: list[JournalEntryOut]}, summary="Journal entries")
@paginate(Pagination)
def entries(
    request: HttpRequest,
    slug: str,
    tag: str | None = None,
    skill: str | None = None,
    cohort: str | None = None,
    author: Id | None = None,
) -> QuerySet[JournalEntry]:
    """Entries you may read, newest first: the network's, your cohorts', your own and those
    shared with you by name. Filter by tag, skill slug, cohort slug or author id."""
    network = _network(request, slug)
    found = policy.visible_journal_entries(user_of(request), network)
    if tag:
        found = found.filter(tags__name=tag.lower())
    if skill:
        found = found.filter(skills__slug=skill)
    if cohort:
        found = found.filter(cohort__slug=cohort)
    if author is not None:
        found = found.filter(author_id=author)
    return with_details(found)


@router.get(JOURNAL + "/mine", response={200: list[JournalEntryOut]}, summary="My journal")
@paginate(Pagination)
def my_entries(request: HttpRequest, slug: str, tag: str | None = None) -> QuerySet[JournalEntry]:
    """Your own entries in the network, newest first, whatever their visibility."""
    network = _network(request, slug)
    found = JournalEntry.objects.filter(network=network, author=user_of(request))
    if tag:
        found = found.filter(tags__name=tag.lower())
    return with_details(found)


@router.post(JOURNAL, response={201: JournalEntryDetailOut}, summary="Write an entry")
def create_entry(request: HttpRequest, slug: str, payload: JournalEntryIn) -> Status[JournalEntry]:
    """Partners write private entries only; cohort visibility needs a cohort; what the entry is
    tied to must be of that cohort and visible to you."""
    network = _network(request, slug)
    data = _as_form_data(payload.model_dump())
    return Status(201, services.write_entry(user_of(request), network, data=data))


@router.get(JOURNAL + "/{pk}", response={200: JournalEntryDetailOut}, summary="One entry")
def entry_detail(request: HttpRequest, slug: str, pk: Id) -> JournalEntry:
    return policy.get_journal_entry_or_404(user_of(request), _network(request, slug), pk)


@router.patch(JOURNAL + "/{pk}", response={200: JournalEntryDetailOut}, summary="Change")
def update_entry(
    request: HttpRequest, slug: str, pk: Id, payload: JournalEntryPatch
) -> JournalEntry:
    """The author only; the fields sent replace the entry's (tags, skills and shared_with
    as whole lists)."""
    entry = policy.get_journal_entry_or_404(user_of(request), _network(request, slug), pk)
    # Not the author's: 403 before anything about what was sent.
    refusal = services.changing_refusal(user_of(request), entry)
    if refusal is not None:
        raise refusal
    fields = {**_current(entry), **payload.model_dump(exclude_unset=True)}
    return services.change_entry(user_of(request), entry, data=_as_form_data(fields))


@router.delete(JOURNAL + "/{pk}", response={204: None}, summary="Delete")
def delete_entry(request: HttpRequest, slug: str, pk: Id) -> Status[None]:
    """The author only."""
    entry = policy.get_journal_entry_or_404(user_of(request), _network(request, slug), pk)
    services.delete_entry(user_of(request), entry)
    return Status(204, None)
