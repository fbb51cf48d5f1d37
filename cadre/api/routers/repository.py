"""The library of a network under /networks/{slug}/library: items (case studies, templates,
learnings), promoting an experiment or a session report, copying a template into a cohort,
"I used this", and partner groups.

The same permission layer and forms as the library's pages: items someone may not read answer
404, changes they may not make 403, bad input 422 naming the field, and nothing is half saved.
The API is always authenticated, public items included (their web page serves anonymous
readers)."""

import json
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cadre.accountability.forms import ExperimentForm
from cadre.accountability.models import Experiment
from cadre.api import errors
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import NETWORK_SKILLS, ErrorOut, Id, UserRef
from cadre.cohorts.forms import CharterForm
from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import (
    can_view_cohort,
    visible_cohorts,
)
from cadre.lib.markdown import render
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404, is_network_insider
from cadre.networks.services import skills_by_slug
from cadre.repository import content, policy, services
from cadre.repository.forms import ItemForm, PartnerGroupForm
from cadre.repository.models import (
    ItemKind,
    ItemVisibility,
    PartnerGroup,
    RepositoryItem,
    TemplateKind,
)

router = Router(tags=["repository"])

LIBRARY = "/networks/{slug}/library"
NETWORK_ONLY = "Only shown to the network's people."


# --- schemas -------------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    network: str
    kind: str = Field(..., description="case_study, template or learning.")
    template_kind: str = Field(
        ..., description="agenda, charter or experiment_plan; templates only."
    )
    title: str
    summary: str
    origin: str = Field(..., description='Where it comes from: "From <network> · <cohort> cohort".')
    origin_cohort: str | None = Field(None, description="The slug of the cohort it comes from.")
    skills: list[str]
    visibility: str
    partner_groups: list[int] = Field(..., description=NETWORK_ONLY)
    reuse_count: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_network(obj: RepositoryItem) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_origin(obj: RepositoryItem) -> str:
        return obj.origin_label()

    @staticmethod
    def resolve_origin_cohort(obj: RepositoryItem) -> str | None:
        return obj.origin_cohort.slug if obj.origin_cohort else None

    @staticmethod
    def resolve_skills(obj: RepositoryItem) -> list[str]:
        return [s.slug for s in obj.skills.all()]

    @staticmethod
    def resolve_partner_groups(obj: RepositoryItem, context: dict[str, Any]) -> list[int]:
        user = context["request"].auth
        if not is_network_insider(user, obj.network):
            return []
        return [g.pk for g in obj.partner_groups.all()]


class ReuseOut(Schema):
    user: UserRef
    cohort: str | None
    note: str
    created_at: datetime

    @staticmethod
    def resolve_cohort(obj: Any) -> str | None:
        return obj.cohort.slug if obj.cohort else None


class ItemDetailOut(ItemOut):
    body: str = Field(..., description="Markdown, as written.")
    body_html: str = Field(..., description="The body rendered and sanitized.")
    data: dict[str, Any]
    author: UserRef | None = Field(None, description=NETWORK_ONLY)
    source_experiment: int | None
    source_report: int | None
    reuses: list[ReuseOut] = Field(
        ..., description="Who used it, for those who may see the network's directory."
    )

    @staticmethod
    def resolve_body_html(obj: RepositoryItem) -> str:
        return str(render(obj.body))

    @staticmethod
    def resolve_author(obj: RepositoryItem, context: dict[str, Any]) -> Any:
        user = context["request"].auth
        return obj.author if policy.can_see_item_author(user, obj.network) else None

    @staticmethod
    def resolve_source_experiment(obj: RepositoryItem) -> int | None:
        return obj.source_experiment_id

    @staticmethod
    def resolve_source_report(obj: RepositoryItem) -> int | None:
        return obj.source_report_id

    @staticmethod
    def resolve_reuses(obj: RepositoryItem, context: dict[str, Any]) -> list[Any]:
        user = context["request"].auth
        if not policy.can_see_reusers(user, obj.network):
            return []
        return list(policy.visible_reuses(user).filter(item=obj).select_related("user", "cohort"))


class ItemIn(Schema):
    kind: ItemKind
    template_kind: TemplateKind | None = None
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field("", max_length=500)
    body: str = ""
    data: dict[str, Any] = {}
    skills: list[str] = Field([], description=NETWORK_SKILLS)
    visibility: ItemVisibility = ItemVisibility.NETWORK
    partner_groups: list[Id] = Field([], description="Partner group ids, for visibility partners.")


class ItemPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, max_length=500)
    body: str | None = None
    data: dict[str, Any] | None = None
    skills: list[str] | None = None
    visibility: ItemVisibility | None = None
    partner_groups: list[Id] | None = None


class PromoteIn(Schema):
    title: str | None = Field(None, max_length=200, description="Defaults to the source's.")
    summary: str = Field("", max_length=500)
    body: str | None = Field(None, description="Markdown; defaults to a draft from the source.")
    skills: list[str] | None = None
    visibility: ItemVisibility = ItemVisibility.NETWORK
    partner_groups: list[Id] = []


class CopyIn(Schema):
    session: Id | None = Field(None, description="Agenda templates: the upcoming session.")
    cohort: Id | None = Field(None, description="Charter and experiment-plan templates.")
    fields: dict[str, Any] = Field(
        {},
        description="Values over the template's: for a charter next_review_on and change_note; "
        "for an experiment starts_on, ends_on and anything else of the experiment form.",
    )


class CopyOut(Schema):
    kind: str
    cohort: str
    session: int | None = None
    charter_version: int | None = None
    experiment: int | None = None
    reuse_count: int


class ReuseIn(Schema):
    cohort: Id | None = Field(None, description="One of your cohorts (id), or none.")
    note: str = Field("", max_length=300)


class ReuseCountOut(Schema):
    reuse_count: int
    created: bool


class GroupOut(Schema):
    id: int
    name: str
    organization: str
    shares: list[str]
    members: list[UserRef]

    @staticmethod
    def resolve_members(obj: PartnerGroup) -> list[Any]:
        return list(obj.members.all())


class GroupIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    organization: str = Field(..., min_length=1, max_length=120)
    shares: list[ItemKind] = []
    members: list[Id] = Field([], description="User ids of the network's partners.")


class GroupPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    organization: str | None = Field(None, min_length=1, max_length=120)
    shares: list[ItemKind] | None = None
    members: list[Id] | None = None


# --- helpers -------------------------------------------------------------------------------


def _network(request: HttpRequest, slug: str) -> Network:
    user = user_of(request)
    network = get_network_or_404(user, slug)
    if not policy.can_view_library(user, network):
        raise errors.not_found("No such network.")
    require_conduct(request, network)
    return network


def _item(request: HttpRequest, slug: str, pk: int) -> RepositoryItem:
    item = policy.get_repository_item_or_404(user_of(request), slug, pk)
    if item.visibility != ItemVisibility.PUBLIC:
        require_conduct(request, item.network)
    return item


def _editable(request: HttpRequest, slug: str, pk: int) -> RepositoryItem:
    item = _item(request, slug, pk)
    services.require_item_editor(user_of(request), item)
    return item


def _detail(pk: int) -> RepositoryItem:
    return (
        RepositoryItem.objects.select_related("network", "author", "origin_cohort")
        .prefetch_related("skills", "partner_groups")
        .get(pk=pk)
    )


def _form_errors(form: BaseForm) -> errors.ApiError:
    fields = {
        ("body" if name == "__all__" else name): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }
    return errors.invalid(fields)


def _item_form_data(network: Network, values: dict[str, Any]) -> dict[str, Any]:
    """The API's values as the item form's POST data, so the same rules apply."""
    data = {k: v for k, v in values.items() if k not in ("skills", "partner_groups", "data")}
    data["skills"] = [str(s.pk) for s in skills_by_slug(network, values.get("skills") or [])]
    data["partner_groups"] = [str(pk) for pk in values.get("partner_groups") or []]
    if "data" in values:
        data["data"] = json.dumps(values["data"] or {})
    return {k: ("" if v is None else v) for k, v in data.items()}


def _current_values(item: RepositoryItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "data": item.data,
        "skills": [s.slug for s in item.skills.all()],
        "visibility": item.visibility,
        "partner_groups": [g.pk for g in item.partner_groups.all()],
    }


# --- items ---------------------------------------------------------------------------------


@router.get(LIBRARY + "/items", response={200: list[ItemOut]}, summary="Library items")
@paginate(Pagination)
def items(
    request: HttpRequest,
    slug: str,
    kind: ItemKind | None = None,
    skill: str | None = None,
    cohort: str | None = None,
) -> QuerySet[RepositoryItem]:
    """The items of the network you may read, newest first; filter by kind, skill slug and
    the slug of the cohort they come from."""
    network = _network(request, slug)
    result = policy.visible_repository_items(user_of(request), network)
    if kind:
        result = result.filter(kind=kind)
    if skill:
        result = result.filter(skills__slug=skill)
    if cohort:
        result = result.filter(origin_cohort__slug=cohort)
    return result.select_related("network", "origin_cohort").prefetch_related(
        "skills", "partner_groups"
    )


@router.get(LIBRARY + "/items/{pk}", response={200: ItemDetailOut}, summary="One library item")
def item(request: HttpRequest, slug: str, pk: Id) -> RepositoryItem:
    return _detail(_item(request, slug, pk).pk)


@router.post(LIBRARY + "/items", response={201: ItemDetailOut}, summary="Add an item")
def create_item(request: HttpRequest, slug: str, payload: ItemIn) -> Status[RepositoryItem]:
    network = _network(request, slug)
    services.require_item_writer(user_of(request), network)
    instance = RepositoryItem(network=network, author=user_of(request))
    form = ItemForm(_item_form_data(network, payload.dict()), instance=instance, network=network)
    if not form.is_valid():
        raise _form_errors(form)
    created = services.create_item(user_of(request), network, **form.cleaned_data)
    return Status(201, _detail(created.pk))


@router.patch(LIBRARY + "/items/{pk}", response={200: ItemDetailOut}, summary="Change an item")
def update_item(request: HttpRequest, slug: str, pk: Id, payload: ItemPatch) -> RepositoryItem:
    found = _editable(request, slug, pk)
    values = {**_current_values(found), **payload.dict(exclude_unset=True)}
    form = ItemForm(_item_form_data(found.network, values), instance=found, network=found.network)
    if not form.is_valid():
        raise _form_errors(form)
    return _detail(services.update_item(user_of(request), found, **form.cleaned_data).pk)


@router.delete(LIBRARY + "/items/{pk}", response={204: None}, summary="Delete an item")
def delete_item(request: HttpRequest, slug: str, pk: Id) -> Status[None]:
    services.delete_item(user_of(request), _item(request, slug, pk))
    return Status(204, None)


# --- promotion -----------------------------------------------------------------------------


def _promotion_values(
    request: HttpRequest, network: Network, payload: PromoteIn, defaults: dict[str, Any]
) -> dict[str, Any]:
    """The case study's fields: what was sent, the source's defaults for the rest, checked
    as the item form checks them."""
    values = {
        "title": payload.title or defaults["title"],
        "summary": payload.summary or defaults.get("summary", ""),
        "body": payload.body if payload.body is not None else defaults["body"],
        "skills": payload.skills
        if payload.skills is not None
        else [s.slug for s in defaults.get("skills", [])],
        "visibility": payload.visibility,
        "partner_groups": payload.partner_groups,
    }
    form = ItemForm(
        _item_form_data(network, values),
        instance=RepositoryItem(network=network, kind=ItemKind.CASE_STUDY),
        network=network,
        kind=ItemKind.CASE_STUDY,
    )
    if not form.is_valid():
        raise _form_errors(form)
    return dict(form.cleaned_data)


@router.post(
    LIBRARY + "/promote/experiment/{pk}",
    response={201: ItemDetailOut, 409: ErrorOut},
    summary="Promote an experiment to a case study",
)
def promote_experiment(
    request: HttpRequest, slug: str, pk: Id, payload: PromoteIn
) -> Status[RepositoryItem]:
    """For a concluded experiment (outcome other than running): its owner, and for cohort
    experiments the cohort's hosts and the network's organizers."""
    network = _network(request, slug)
    user = user_of(request)
    experiment = services.experiment_to_promote(user, network, experiment=pk)
    values = _promotion_values(request, network, payload, services.experiment_defaults(experiment))
    item = services.promote_experiment(user, network, experiment=pk, **values)
    return Status(201, _detail(item.pk))


@router.post(
    LIBRARY + "/promote/report/{pk}",
    response={201: ItemDetailOut, 409: ErrorOut},
    summary="Promote a published session report to a case study",
)
def promote_report(
    request: HttpRequest, slug: str, pk: Id, payload: PromoteIn
) -> Status[RepositoryItem]:
    network = _network(request, slug)
    user = user_of(request)
    report = services.report_to_promote(user, network, report=pk)
    values = _promotion_values(request, network, payload, services.report_defaults(report))
    item = services.promote_report(user, network, report=pk, **values)
    return Status(201, _detail(item.pk))


# --- templates into cohorts ----------------------------------------------------------------


@router.post(
    LIBRARY + "/items/{pk}/copy",
    response={201: CopyOut, 409: ErrorOut},
    summary="Copy a template into a cohort",
)
def copy_template(request: HttpRequest, slug: str, pk: Id, payload: CopyIn) -> Status[Any]:
    """Agenda: `session` (upcoming, one you run) gets the blocks, fitted to its length.
    Charter: `cohort` (one whose charter you may change) gets the next charter version, the
    template over the current charter, through the charter form's rules. Experiment plan:
    `cohort` (one you take part in) gets a new experiment of yours through the experiment
    form's rules. Each copy counts as a reuse."""
    found = services.template_to_copy(_item(request, slug, pk))
    user = user_of(request)
    if found.template_kind == TemplateKind.AGENDA:
        session = services.copy_agenda(user, found, session=payload.session or 0)
        found.refresh_from_db(fields=["reuse_count"])
        return Status(
            201,
            {
                "kind": found.template_kind,
                "cohort": session.cohort.slug,
                "session": session.pk,
                "reuse_count": found.reuse_count,
            },
        )
    cohort = Cohort.objects.select_related("network").filter(pk=payload.cohort or 0).first()
    if cohort is None or not can_view_cohort(user, cohort):
        raise errors.invalid({"cohort": ["Choose one of your cohorts."]})
    if found.template_kind == TemplateKind.CHARTER:
        return _copy_charter(found, cohort, user, payload.fields)
    return _copy_experiment(found, cohort, user, payload.fields)


def _copy_charter(
    item: RepositoryItem, cohort: Cohort, user: Any, fields: dict[str, Any]
) -> Status[Any]:
    services.require_charter_editor(user, cohort)
    previous = cohort.current_charter()
    values = {**content.charter_initial(item, previous), **fields}
    form = CharterForm(values, previous=previous)
    if not form.is_valid():
        raise _form_errors(form)
    charter = services.copy_charter(
        user,
        item,
        cohort=cohort,
        based_on=previous.version if previous else None,
        values=form.charter_values(),
    )
    return Status(
        201,
        {
            "kind": item.template_kind,
            "cohort": cohort.slug,
            "charter_version": charter.version,
            "reuse_count": item.reuse_count,
        },
    )


def _copy_experiment(
    item: RepositoryItem, cohort: Cohort, user: Any, fields: dict[str, Any]
) -> Status[Any]:
    services.require_experimenter(user, cohort)
    values = {"visibility": "cohort", "outcome": "running"}
    values |= {k: v for k, v in item.data.items() if k in content.EXPERIMENT_PLAN_FIELDS}
    values |= {k: ("" if v is None else v) for k, v in fields.items()}
    form = ExperimentForm(
        values, instance=Experiment(cohort=cohort, owner=user), skills=cohort.network.skills.all()
    )
    if not form.is_valid():
        raise _form_errors(form)
    experiment = services.copy_experiment(user, item, experiment=form.save(commit=False))
    return Status(
        201,
        {
            "kind": item.template_kind,
            "cohort": cohort.slug,
            "experiment": experiment.pk,
            "reuse_count": item.reuse_count,
        },
    )


# --- "I used this" -------------------------------------------------------------------------


@router.post(
    LIBRARY + "/items/{pk}/reuse",
    response={200: ReuseCountOut, 201: ReuseCountOut},
    summary="I used this",
)
def reuse(request: HttpRequest, slug: str, pk: Id, payload: ReuseIn) -> Status[dict[str, Any]]:
    """Idempotent per person and cohort: 201 when counted, 200 when it already was."""
    found = _item(request, slug, pk)
    created = services.record_reuse(
        user_of(request), found, cohort=payload.cohort, note=payload.note
    )
    return Status(201 if created else 200, {"reuse_count": found.reuse_count, "created": created})


@router.delete(
    LIBRARY + "/items/{pk}/reuse",
    response={200: ReuseCountOut},
    summary="Undo “I used this”",
)
def undo_reuse(request: HttpRequest, slug: str, pk: Id, cohort: Id | None = None) -> dict[str, Any]:
    found = _item(request, slug, pk)
    services.undo_reuse(user_of(request), found, cohort=cohort or None)
    return {"reuse_count": found.reuse_count, "created": False}


# --- partner groups ------------------------------------------------------------------------


def _organized(request: HttpRequest, slug: str) -> Network:
    network = _network(request, slug)
    services.require_partner_manager(user_of(request), network)
    return network


def _group_form_data(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": values["name"],
        "organization": values["organization"],
        "shares": [str(s) for s in values.get("shares") or []],
        "members": [str(m) for m in values.get("members") or []],
    }


@router.get(LIBRARY + "/partner-groups", response={200: list[GroupOut]}, summary="Partner groups")
def partner_groups(request: HttpRequest, slug: str) -> QuerySet[PartnerGroup]:
    return _organized(request, slug).partner_groups.prefetch_related("members").order_by("name")


@router.post(
    LIBRARY + "/partner-groups",
    response={201: GroupOut},
    summary="Create a partner group",
)
def create_partner_group(request: HttpRequest, slug: str, payload: GroupIn) -> Status[PartnerGroup]:
    network = _organized(request, slug)
    form = PartnerGroupForm(_group_form_data(payload.dict()), network=network)
    if not form.is_valid():
        raise _form_errors(form)
    return Status(
        201, services.create_partner_group(user_of(request), network, **form.cleaned_data)
    )


def _group(request: HttpRequest, slug: str, pk: int) -> PartnerGroup:
    return services.partner_group_of(user_of(request), _organized(request, slug), group=pk)


@router.patch(
    LIBRARY + "/partner-groups/{pk}",
    response={200: GroupOut},
    summary="Change a partner group",
)
def update_partner_group(
    request: HttpRequest, slug: str, pk: Id, payload: GroupPatch
) -> PartnerGroup:
    group = _group(request, slug, pk)
    current = {
        "name": group.name,
        "organization": group.organization,
        "shares": group.shares,
        "members": [m.pk for m in group.members.all()],
    }
    values = {**current, **payload.dict(exclude_unset=True)}
    form = PartnerGroupForm(_group_form_data(values), instance=group, network=group.network)
    if not form.is_valid():
        raise _form_errors(form)
    return services.update_partner_group(user_of(request), group, **form.cleaned_data)


@router.delete(
    LIBRARY + "/partner-groups/{pk}",
    response={204: None},
    summary="Delete a partner group",
)
def delete_partner_group(request: HttpRequest, slug: str, pk: Id) -> Status[None]:
    services.delete_partner_group(user_of(request), _group(request, slug, pk))
    return Status(204, None)


# --- search ---
# Full-text search of the library and the journal (cadre/repository/search.py). Its own
# imports stay here so this section can be read and moved on its own.

from ninja import Query  # noqa: E402

from cadre.api.auth import ApiRateThrottle  # noqa: E402
from cadre.api.routers import MAX_PAGE  # noqa: E402
from cadre.networks.models import Skill  # noqa: E402
from cadre.repository import search as search_backend  # noqa: E402


class SearchResultOut(Schema):
    kind: str = Field(
        ...,
        description="case_study, template, learning, journal, commitment, experiment or report.",
    )
    id: int = Field(
        ...,
        description="The id of the item, journal entry, commitment, experiment or session report.",
    )
    title: str
    snippet: str = Field(
        ..., description="HTML: the text around the match, escaped, matched words in <mark>."
    )
    url: str = Field(..., description="The result's page, or an empty string.")
    network: str = Field(..., description="Slug of the network it comes from.")
    cohort: str | None = Field(None, description="Slug of its cohort of origin, if any.")
    reuse_count: int | None = Field(None, description="Items only: how many said “I used this”.")
    created_at: datetime


class SearchPageOut(Schema):
    items: list[SearchResultOut]
    count: int = Field(..., description=f"Exact up to {search_backend.COUNT_LIMIT:,}.")
    more: bool = Field(
        ..., description=f"True when more than {search_backend.COUNT_LIMIT:,} results match."
    )
    suggestion: str = Field(
        "",
        description="When nothing matches: a nearby query that finds something you may read "
        "(“did you mean”), or an empty string.",
    )


@router.get(
    LIBRARY + "/search",
    response={200: SearchPageOut},
    summary="Search the library and the journal",
    description=(
        "Repository items, journal entries, commitments, experiments and published session "
        "reports of the network that you may read, best match first. Every word of `q` must "
        "appear (alone or joined to a neighbour: `stand up` finds `standup`), stop words "
        "aside; the last word may be the start of a word; quotes and operators are plain "
        "text. Searches are limited per person "
        "(CADRE_SEARCH_RATE, 30 a minute by default, shared with the search page); over the "
        "limit the answer is 429 `rate_limited`."
    ),
    throttle=[ApiRateThrottle(), search_backend.SearchRateThrottle()],
)
def search_library(
    request: HttpRequest,
    slug: str,
    q: str = Query("", max_length=search_backend.MAX_QUERY_CHARS),
    kind: str = Query(
        "",
        pattern="^(case_study|template|learning|journal|commitment|experiment|report)?$",
        description="case_study, template, learning, journal, commitment, experiment or "
        "report; empty for all.",
    ),
    skill: str = Query("", max_length=80, description="A skill's slug."),
    cohort: str = Query("", max_length=80, description="A cohort's slug."),
    limit: int = Query(20, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> Any:
    user = user_of(request)
    network = get_network_or_404(user, slug)
    require_conduct(request, network)
    skill_obj = None
    if skill:
        skill_obj = Skill.objects.filter(network=network, slug=skill).first()
        if skill_obj is None:
            raise errors.invalid({"skill": [f"No skill “{skill}” in this network."]})
    cohort_obj = None
    if cohort:
        cohort_obj = visible_cohorts(user, network).filter(slug=cohort).first()
        if cohort_obj is None:
            raise errors.invalid({"cohort": [f"No cohort “{cohort}” you may see."]})
    filters: dict[str, Any] = {"kind": kind, "skill": skill_obj, "cohort": cohort_obj}
    page = search_backend.search(user, network, q, limit=limit, offset=offset, **filters)
    suggestion = "" if page.count else search_backend.did_you_mean(user, network, q, **filters)
    items = [
        {
            "kind": r.kind,
            "id": r.obj.pk,
            "title": r.title,
            "snippet": str(r.snippet),
            "url": search_backend.result_url(r),
            "network": r.network.slug,
            "cohort": r.cohort.slug if r.cohort else None,
            "reuse_count": r.reuse_count,
            "created_at": r.created_at,
        }
        for r in page.results
    ]
    return {"items": items, "count": page.count, "more": page.more, "suggestion": suggestion}
