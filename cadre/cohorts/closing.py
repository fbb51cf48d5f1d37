"""Closing a cohort, and filling a seat when someone leaves: the services behind the close
page, the end-of-cohort survey, renewing and graduating, and the turnover the roster keeps.
Pages and the API both call these; a refusal is `cadre.lib.rules.Refused` with the sentence
people see.

    take_seat(organizer, cohort, person=dana, replacing=sam)  # a waitlisted person joins
    answer_survey(member, cohort, value=4, changed="...", keep_or_change="...", join_again="yes")
    renew_cohort(organizer, cohort, name="Platform leads 2", slug="platform-leads-2")
    graduate_cohort(organizer, cohort)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from cadre.accounts.models import User
from cadre.delivery.services import Email, queue, queue_many
from cadre.lib.rules import Refused
from cadre.networks.policy import Person, forget
from cadre.people.languages import in_language_of

from .models import (
    Cohort,
    CohortMembership,
    CohortRole,
    CohortStatus,
    JoinAgain,
    SurveyAnswer,
    Turnover,
)
from .policy import can_answer_survey, can_manage_cohort, can_read_survey_results
from .services import (
    ROSTER_FOR_ORGANIZERS,
    _apply_cohort_changes,
    _join,
    _require_network_person,
    _require_open_roster,
    _save_cohort,
)

# --- turnover: a seat filled after someone left ---------------------------------------------

SEAT_FOR_SOMEONE_ELSE = gettext_noop("Someone takes the seat of another person, not their own.")
REPLACING_NOT_PAST = gettext_noop("{person} has not left {cohort}; choose someone who left it.")


def take_seat(
    user: Person, cohort: Cohort, *, person: User, replacing: User | None = None
) -> Turnover:
    """`person` joins the cohort as a member in the seat `replacing` left (None: a free
    seat), the turnover is recorded, and `person` is told by e-mail (the network's
    organizers). The caller (the intake's waitlist) says who is next."""
    if not can_manage_cohort(user, cohort):
        raise Refused(_(ROSTER_FOR_ORGANIZERS), kind="forbidden")
    _require_open_roster(cohort)
    _require_network_person(cohort, person)
    if replacing is not None and replacing.pk == person.pk:
        raise Refused(_(SEAT_FOR_SOMEONE_ELSE), field="replacing")
    if replacing is not None:
        left = CohortMembership.objects.filter(
            cohort=cohort, user=replacing, left_on__isnull=False
        ).exists()
        if not left:
            raise Refused(
                _(REPLACING_NOT_PAST).format(person=replacing.name, cohort=cohort.name),
                field="replacing",
            )
    with transaction.atomic():
        _join(cohort, person, CohortRole.MEMBER)
        turnover = Turnover.objects.create(
            cohort=cohort,
            left=replacing,
            joined=person,
            on=cohort.today(),
            recorded_by=user if isinstance(user, User) else None,
        )
        url = settings.CADRE_SITE_URL.rstrip("/") + cohort.get_absolute_url()
        with in_language_of(person):
            email = Email(
                key=f"cohort-seat:{turnover.pk}",
                to=person.email,
                user=person,
                subject=_("[Cadre] A seat for you in %(cohort)s") % {"cohort": cohort.name},
                body=render_to_string(
                    "cohorts/email_seat.txt", {"cohort": cohort, "person": person, "url": url}
                ),
            )
        queue(email)
    forget(person)
    return turnover


def turnover_count(cohort: Cohort) -> int:
    """Turnover, as the close page and the cohort's settings count it: how many seats were
    filled after someone left (free seats filled do not count)."""
    return Turnover.objects.filter(cohort=cohort, left__isnull=False).count()


# --- the end-of-cohort survey ------------------------------------------------------------

SURVEY_QUESTIONS = {
    "value": gettext_lazy("Overall, how valuable was this cohort for you? (1 not at all, 5 very)"),
    "changed": gettext_lazy("What changed in your work because of it?"),
    "keep_or_change": gettext_lazy("What should the next cohort keep, and what should it change?"),
    "join_again": gettext_lazy("Would you join another cohort?"),
}
SURVEY_FOR_MEMBERS = gettext_noop(
    "The end-of-cohort survey is for the cohort’s members, once the cohort has finished."
)
SURVEY_CLOSED = gettext_noop("The cohort is archived: its survey answers are kept as they are.")
SURVEY_VALUE = gettext_noop("Choose how valuable the cohort was, from 1 to 5.")
SURVEY_JOIN_AGAIN = gettext_noop("Say whether you would join another cohort: yes, maybe or no.")
SURVEY_TOO_LONG = gettext_noop("Keep each answer under 2000 characters.")
MAX_SURVEY_TEXT = 2000
NO_ANSWER_YET = gettext_noop("You have not answered this cohort’s survey yet.")


def my_answer(user: Person, cohort: Cohort) -> SurveyAnswer | None:
    return SurveyAnswer.objects.filter(cohort=cohort, user=user.pk).first()


def answer_survey(
    user: User,
    cohort: Cohort,
    *,
    value: int,
    changed: str = "",
    keep_or_change: str = "",
    join_again: str,
) -> SurveyAnswer:
    """Save the member's answer (one per member; a second answer replaces the first until
    the cohort is archived)."""
    if not can_answer_survey(user, cohort):
        raise Refused(_(SURVEY_FOR_MEMBERS), kind="forbidden")
    if cohort.status == CohortStatus.ARCHIVED:
        raise Refused(_(SURVEY_CLOSED), kind="conflict")
    problems: dict[str, list[str]] = {}
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        problems["value"] = [_(SURVEY_VALUE)]
    if join_again not in JoinAgain.values:
        problems["join_again"] = [_(SURVEY_JOIN_AGAIN)]
    texts = {"changed": changed.strip(), "keep_or_change": keep_or_change.strip()}
    for name, text in texts.items():
        if len(text) > MAX_SURVEY_TEXT:
            problems[name] = [_(SURVEY_TOO_LONG)]
    if problems:
        raise Refused(_("Your answer is not saved: correct the questions named."), fields=problems)
    now = timezone.now()
    answer, created = SurveyAnswer.objects.update_or_create(
        cohort=cohort,
        user=user,
        defaults={"value": value, "join_again": join_again, "updated_at": now, **texts},
        create_defaults={
            "value": value,
            "join_again": join_again,
            "answered_at": now,
            "updated_at": now,
            **texts,
        },
    )
    return answer


@dataclass(frozen=True)
class SurveyResults:
    """The survey's answers without names: how many members answered, the average value,
    how many chose each value and each "join again", and the written answers."""

    members: int
    answered: int
    average: float | None
    values: dict[int, int]
    join_again: dict[str, int]
    changed: list[str] = field(default_factory=list)
    keep_or_change: list[str] = field(default_factory=list)


SURVEY_RESULTS_FOR = gettext_noop(
    "The survey’s results are for the cohort’s hosts and the network’s organizers."
)


def survey_results(user: Person, cohort: Cohort) -> SurveyResults:
    if not can_read_survey_results(user, cohort):
        raise Refused(_(SURVEY_RESULTS_FOR), kind="forbidden")
    # Sorted by text, not by who answered or when, so the order gives nobody away.
    answers = list(SurveyAnswer.objects.filter(cohort=cohort))
    return SurveyResults(
        members=cohort.active_memberships().count(),
        answered=len(answers),
        average=round(mean(a.value for a in answers), 1) if answers else None,
        values={n: sum(1 for a in answers if a.value == n) for n in range(1, 6)},
        join_again={
            str(label): sum(1 for a in answers if a.join_again == choice)
            for choice, label in JoinAgain.choices
        },
        changed=sorted(a.changed for a in answers if a.changed),
        keep_or_change=sorted(a.keep_or_change for a in answers if a.keep_or_change),
    )


def queue_survey_invitations(cohort: Cohort) -> int:
    """Ask each active member of a cohort that has just completed to answer the survey, by
    e-mail through the outbox (once per member and cohort)."""
    url = settings.CADRE_SITE_URL.rstrip("/") + cohort.get_absolute_url() + "survey/"
    emails = []
    for m in cohort.active_memberships().select_related("user__profile"):
        if not m.user.email:
            continue
        with in_language_of(m.user):
            emails.append(
                Email(
                    key=f"cohort-survey:{cohort.pk}:{m.user_id}",
                    to=m.user.email,
                    user=m.user,
                    subject=_("[Cadre] How was %(cohort)s? Four short questions")
                    % {"cohort": cohort.name},
                    body=render_to_string(
                        "cohorts/email_survey.txt", {"cohort": cohort, "person": m.user, "url": url}
                    ),
                )
            )
    return queue_many(emails)


# --- renew, graduate ---------------------------------------------------------------------

CLOSE_FOR_ORGANIZERS = gettext_noop("Only the network’s organizers renew or graduate a cohort.")
CLOSE_AFTER_COMPLETING = gettext_noop(
    "Complete the cohort first: renewing and graduating close a finished one."
)


def _require_closer(user: Person, cohort: Cohort) -> None:
    if not can_manage_cohort(user, cohort):
        raise Refused(_(CLOSE_FOR_ORGANIZERS), kind="forbidden")
    if cohort.status != CohortStatus.COMPLETED:
        raise Refused(_(CLOSE_AFTER_COMPLETING), kind="conflict")


def renew_cohort(user: Person, cohort: Cohort, *, name: str, slug: str) -> Cohort:
    """A new cohort, forming, for another round with the same people: the same objective,
    outcomes, cadence, time zone, session length and visibility, every active member and
    host in the same role, and a link back to this one (the network's organizers)."""
    _require_closer(user, cohort)
    renewal = Cohort(network=cohort.network, renewed_from=cohort, status=CohortStatus.FORMING)
    fields = {
        "name": name.strip(),
        "slug": slug.strip(),
        "objective": cohort.objective,
        "outcomes": cohort.outcomes,
        "cadence": cohort.cadence,
        "time_zone": cohort.time_zone,
        "session_minutes": cohort.session_minutes,
        "shared_with_network": cohort.shared_with_network,
    }
    with transaction.atomic():
        _apply_cohort_changes(renewal, fields)
        _save_cohort(renewal)
        places = [
            CohortMembership(
                cohort=renewal, user_id=m.user_id, role=m.role, joined_on=renewal.today()
            )
            for m in cohort.active_memberships().filter(
                role__in=(CohortRole.MEMBER, CohortRole.HOST)
            )
        ]
        CohortMembership.objects.bulk_create(places)
    for place in places:
        forget(place.user)
    return renewal


def graduate_cohort(user: Person, cohort: Cohort) -> Cohort:
    """Mark the cohort's active members and hosts as graduates (today) and archive the cohort
    (the network's organizers)."""
    _require_closer(user, cohort)
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        if locked.status != CohortStatus.COMPLETED:
            raise Refused(_(CLOSE_AFTER_COMPLETING), kind="conflict")
        cohort.active_memberships().filter(
            role__in=(CohortRole.MEMBER, CohortRole.HOST), graduated_on__isnull=True
        ).update(graduated_on=cohort.today())
        cohort.status = CohortStatus.ARCHIVED
        cohort.save(update_fields=["status"])
    return cohort
