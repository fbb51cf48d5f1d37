"""A network's programmes under /networks/{slug}/programmes: list, one programme, export as a
file, import a file, add one that ships with Cadre, and lay one onto a cohort's schedule. The
same policy and services (cadre.programmes.policy, cadre.programmes.services) as the pages."""

import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Body, Field, Router, Schema, Status

from cadre.api import errors
from cadre.api.routers import require_conduct, user_of
from cadre.api.schemas import ErrorOut, Id
from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import can_view_cohort
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404
from cadre.programmes import policy, services
from cadre.programmes.models import Programme

router = Router(tags=["programmes"])

PROGRAMMES = "/networks/{slug}/programmes"


class ProgrammeOut(Schema):
    id: int
    title: str
    summary: str
    session_minutes: int
    weeks: int
    created_at: datetime


class ProgrammeBlockOut(Schema):
    kind: str
    title: str
    minutes: int
    notes: str = ""


class ProgrammeReadingOut(Schema):
    title: str
    link: str | None = None
    library: str | None = None


class ProgrammeExperimentOut(Schema):
    title: str
    hypothesis: str
    measure: str


class ProgrammeWeekOut(Schema):
    number: int
    theme: str
    blocks: list[ProgrammeBlockOut]
    prompts: list[str]
    experiment: ProgrammeExperimentOut | None
    readings: list[ProgrammeReadingOut]


class ProgrammeDetailOut(ProgrammeOut):
    week_list: list[ProgrammeWeekOut]


class ShippedIn(Schema):
    slug: str = Field(..., min_length=1, max_length=80, description="e.g. leading-change")


class ApplyIn(Schema):
    cohort: str = Field(..., min_length=1, max_length=80, description="The cohort's slug.")
    overwrite: bool = Field(
        False,
        description="Replace agendas that upcoming sessions already have (409 `agenda_exists` "
        "without it).",
    )


class AppliedWeekOut(Schema):
    week: int
    session: int
    starts_at: datetime


class AppliedOut(Schema):
    cohort: str
    applied: list[AppliedWeekOut]
    weeks_without_session: list[int]


def _network(request: HttpRequest, slug: str) -> Network:
    user = user_of(request)
    network = get_network_or_404(user, slug)
    if not policy.can_view_programmes(user, network):
        raise errors.not_found("No such network.")
    require_conduct(request, network)
    return network


def _programme(request: HttpRequest, slug: str, programme: int) -> Programme:
    network = _network(request, slug)
    found = policy.visible_programmes(user_of(request), network).filter(pk=programme).first()
    if found is None:
        raise errors.not_found("No such programme.")
    return found


def _out(p: Programme) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "summary": p.summary,
        "session_minutes": p.session_minutes,
        "weeks": p.weeks.count(),
        "created_at": p.created_at,
    }


def _detail(p: Programme) -> dict[str, Any]:
    weeks = [
        {
            "number": w.number,
            "theme": w.theme,
            "blocks": w.blocks,
            "prompts": w.prompts,
            "experiment": w.experiment or None,
            "readings": w.readings,
        }
        for w in p.weeks.order_by("number")
    ]
    return {**_out(p), "week_list": weeks}


@router.get(PROGRAMMES, response={200: list[ProgrammeOut]}, summary="Programmes")
def programmes(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    network = _network(request, slug)
    found = policy.visible_programmes(user_of(request), network).order_by("title", "pk")
    return [_out(p) for p in found]


@router.post(
    PROGRAMMES + "/import",
    response={201: ProgrammeDetailOut, 409: ErrorOut},
    summary="Import a programme",
)
def import_programme(
    request: HttpRequest, slug: str, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    """A programme file's content as the body. Every problem is listed in
    `detail.problems` with where it is (422), and nothing is saved unless all is right;
    409 when the network has a programme of that title."""
    network = _network(request, slug)
    made = services.import_programme(
        by=user_of(request), network=network, content=json.dumps(payload)
    )
    return Status(201, _detail(made))


@router.post(
    PROGRAMMES + "/shipped",
    response={201: ProgrammeDetailOut, 409: ErrorOut},
    summary="Add a programme that ships with Cadre",
)
def add_shipped(request: HttpRequest, slug: str, payload: ShippedIn) -> Status[dict[str, Any]]:
    network = _network(request, slug)
    made = services.add_shipped(by=user_of(request), network=network, slug=payload.slug)
    return Status(201, _detail(made))


@router.get(PROGRAMMES + "/{programme}", response={200: ProgrammeDetailOut}, summary="Programme")
def programme(request: HttpRequest, slug: str, programme: Id) -> dict[str, Any]:
    return _detail(_programme(request, slug, programme))


@router.get(
    PROGRAMMES + "/{programme}/export",
    response={200: dict[str, Any]},
    summary="Export a programme",
)
def export_programme(request: HttpRequest, slug: str, programme: Id) -> Any:
    """The programme as a file (format `cadre-programme/1`) that the import reads back."""
    found = _programme(request, slug, programme)
    return json.loads(services.export_programme(programme=found))


@router.post(
    PROGRAMMES + "/{programme}/apply",
    response={200: AppliedOut, 409: ErrorOut},
    summary="Lay a programme onto a cohort's schedule",
)
def apply_programme(
    request: HttpRequest, slug: str, programme: Id, payload: ApplyIn
) -> dict[str, Any]:
    """Week 1 on the cohort's next session, week 2 on the one after, and so on; sessions
    that already ran are left alone. 409 `agenda_exists` (with `detail.sessions`) when
    upcoming sessions have an agenda of their own and `overwrite` is false."""
    found = _programme(request, slug, programme)
    cohort = Cohort.objects.filter(network=found.network, slug=payload.cohort).first()
    if cohort is None or not can_view_cohort(user_of(request), cohort):
        raise errors.not_found("No such cohort.")
    done = services.apply_programme(
        by=user_of(request), programme=found, cohort=cohort, overwrite=payload.overwrite
    )
    return {
        "cohort": cohort.slug,
        "applied": [
            {"week": w.number, "session": s.pk, "starts_at": s.starts_at} for w, s in done.pairs
        ],
        "weeks_without_session": [w.number for w in done.weeks_left],
    }
