"""What people do with programmes, whichever door they come through (pages, API, the
`programme` command): import and export programme files, add a programme that ships with
Cadre, and lay a programme onto a cohort's schedule.

Each function checks the rule (cadre.programmes.policy) and raises `Refused`, whose message
is the sentence people see. The agendas are written through the schedule's own service
(`replace_agenda`), so they pass the same check as an agenda edited by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from cadre.cohorts.models import Cohort
from cadre.lib.rules import Refused
from cadre.networks.models import Network
from cadre.networks.policy import Person
from cadre.schedule import services as schedule
from cadre.schedule.models import Session

from . import files, policy
from .files import ProgrammeData, WeekData
from .models import Programme, ProgrammeWeek, SessionWeek

ORGANIZERS_ONLY = gettext_noop("Only the network’s organizers import programmes.")
APPLIERS_ONLY = gettext_noop(
    "Only the cohort’s hosts and the network’s organizers lay a programme onto its schedule."
)
TITLE_TAKEN = gettext_noop(
    "This network already has a programme with that title; rename one of them first."
)
NO_SUCH_SHIPPED = gettext_noop("Cadre ships no programme of that name.")
OTHER_NETWORK = gettext_noop("That programme belongs to another network.")
NO_UPCOMING = gettext_noop(
    "This cohort has no upcoming sessions: set its schedule first, then lay the programme onto it."
)


def _user_or_none(by: Person) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


# --- files ----------------------------------------------------------------------------------


def import_programme(*, by: Person, network: Network, content: bytes | str) -> Programme:
    """Check a programme file and save it in `network`: every problem is named with where it
    is (ProgrammeFileRefused), and nothing is saved unless all of it is."""
    if not policy.can_manage_programmes(by, network):
        raise Refused(_(ORGANIZERS_ONLY), kind="forbidden")
    data = files.parse(content)
    return save_programme(by=by, network=network, data=data)


def save_programme(*, by: Person, network: Network, data: ProgrammeData) -> Programme:
    """Save checked programme data in `network` (import_programme checked who may)."""
    if Programme.objects.filter(network=network, title=data.title).exists():
        raise Refused(_(TITLE_TAKEN), kind="conflict", field="title")
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                network=network,
                title=data.title,
                summary=data.summary,
                session_minutes=data.session_minutes,
                created_by=_user_or_none(by),
            )
            ProgrammeWeek.objects.bulk_create(
                ProgrammeWeek(
                    programme=programme,
                    number=w.number,
                    theme=w.theme,
                    blocks=w.blocks,
                    prompts=w.prompts,
                    experiment=w.experiment,
                    readings=w.readings,
                )
                for w in data.weeks
            )
    except IntegrityError:  # the same title saved at the same moment
        raise Refused(_(TITLE_TAKEN), kind="conflict", field="title") from None
    return programme


def add_shipped(*, by: Person, network: Network, slug: str) -> Programme:
    """Import one of the programmes that come with Cadre (cadre/programmes/library)."""
    path = files.shipped().get(slug)
    if path is None:
        raise Refused(_(NO_SUCH_SHIPPED), kind="not_found", field="slug")
    return import_programme(by=by, network=network, content=path.read_bytes())


def shipped_titles() -> list[tuple[str, str]]:
    """(slug, title) of each programme that ships with Cadre."""
    return [(slug, files.parse(path.read_bytes()).title) for slug, path in files.shipped().items()]


def programme_data(programme: Programme) -> ProgrammeData:
    return ProgrammeData(
        title=programme.title,
        summary=programme.summary,
        session_minutes=programme.session_minutes,
        weeks=[
            WeekData(w.number, w.theme, w.blocks, w.prompts, w.experiment, w.readings)
            for w in programme.weeks.order_by("number")
        ],
    )


def export_programme(*, programme: Programme) -> str:
    """The programme as a file that `import_programme` reads back as it was."""
    return files.dump(programme_data(programme))


# --- laying a programme onto a cohort's schedule ---------------------------------------------


def fit_minutes(minutes: list[int], total: int) -> list[int]:
    """`minutes` scaled to add up to exactly `total`, each block at least one minute: the
    programme's blocks fitted to a session of another length (largest remainder)."""
    given = sum(minutes)
    if given == total:
        return list(minutes)
    exact = [m * total / given for m in minutes]
    boxes = [max(1, int(x)) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - int(exact[i])), i))
    k = 0
    while sum(boxes) < total:
        boxes[order[k % len(order)]] += 1
        k += 1
    while sum(boxes) > total:
        i = max(range(len(boxes)), key=lambda j: boxes[j])
        boxes[i] -= 1
    return boxes


def blocks_for(week: ProgrammeWeek, session: Session) -> list[schedule.Block]:
    fitted = fit_minutes([b["minutes"] for b in week.blocks], session.minutes)
    return [
        schedule.Block(kind=b["kind"], title=b["title"], minutes=m, notes=b.get("notes", ""))
        for b, m in zip(week.blocks, fitted, strict=True)
    ]


def upcoming_sessions(cohort: Cohort) -> list[Session]:
    return list(Session.objects.upcoming().held().filter(cohort=cohort).order_by("starts_at", "pk"))


@dataclass
class Plan:
    """Which upcoming session gets which week, and which sessions have an agenda of their
    own that applying would replace."""

    programme: Programme
    cohort: Cohort
    pairs: list[tuple[ProgrammeWeek, Session]] = field(default_factory=list)
    own_agendas: list[Session] = field(default_factory=list)
    weeks_left: list[ProgrammeWeek] = field(default_factory=list)


def _follows_unchanged(session: Session) -> bool:
    """The session's agenda is still the one the programme week it follows gave it."""
    link = SessionWeek.objects.filter(session=session).select_related("week").first()
    if link is None:
        return False
    wanted = [(b.kind, b.title, b.minutes) for b in blocks_for(link.week, session)]
    have = [(b.kind, b.title, b.minutes) for b in session.agenda.order_by("order", "pk")]
    return wanted == have


def plan(*, programme: Programme, cohort: Cohort) -> Plan:
    """What applying `programme` to `cohort` now would do: week 1 on the next session,
    week 2 on the one after, and so on, for the sessions already on the schedule."""
    weeks = list(programme.weeks.order_by("number"))
    sessions = upcoming_sessions(cohort)
    result = Plan(programme, cohort, pairs=list(zip(weeks, sessions, strict=False)))
    result.weeks_left = weeks[len(sessions) :]
    result.own_agendas = [
        s for _week, s in result.pairs if schedule.has_own_agenda(s) and not _follows_unchanged(s)
    ]
    return result


def own_agendas_message(sessions: list[Session]) -> str:
    days = ", ".join(date_format(s.starts_at, "j M") for s in sessions)
    return ngettext(
        "%(count)s upcoming session already has an agenda of its own (%(days)s). "
        "Confirm to replace it with the programme’s.",
        "%(count)s upcoming sessions already have an agenda of their own (%(days)s). "
        "Confirm to replace them with the programme’s.",
        len(sessions),
    ) % {"count": len(sessions), "days": days}


def apply_programme(
    *, by: Person, programme: Programme, cohort: Cohort, overwrite: bool = False
) -> Plan:
    """Lay `programme` onto the cohort's upcoming sessions in one step: each gets its week's
    agenda blocks (fitted to the session's length) and follows that week (its coaching
    prompts, suggested experiment and reading show on the session page). Sessions that
    already ran are never touched; an upcoming agenda someone wrote is replaced only with
    `overwrite`. All or nothing."""
    if not policy.can_apply_programme(by, cohort):
        raise Refused(_(APPLIERS_ONLY), kind="forbidden")
    if programme.network_id != cohort.network_id:
        raise Refused(_(OTHER_NETWORK), kind="not_found", field="programme")
    result = plan(programme=programme, cohort=cohort)
    if not result.pairs:
        raise Refused(_(NO_UPCOMING), field="cohort")
    if result.own_agendas and not overwrite:
        raise Refused(
            own_agendas_message(result.own_agendas),
            kind="conflict",
            code="agenda_exists",
            field="overwrite",
            detail={"sessions": [s.pk for s in result.own_agendas]},
        )
    with transaction.atomic():
        for week, session in result.pairs:
            schedule.replace_agenda(by, session, blocks=blocks_for(week, session))
            SessionWeek.objects.update_or_create(
                session=session,
                defaults={
                    "week": week,
                    "applied_by": _user_or_none(by),
                    "applied_at": timezone.now(),
                },
            )
    return result


def cohorts_to_apply(by: Person, network: Network) -> list[Cohort]:
    """The network's cohorts `by` may lay a programme onto (not the archived or completed)."""
    return [
        c
        for c in Cohort.objects.filter(network=network)
        .exclude(status__in=["completed", "archived"])
        .select_related("network")
        .order_by("name")
        if policy.can_apply_programme(by, c)
    ]


def week_of(session: Session) -> ProgrammeWeek | None:
    """The programme week `session` follows, if any."""
    link = SessionWeek.objects.filter(session=session).select_related("week__programme").first()
    return link.week if link is not None else None
