"""Answering "are you coming?" to a session: yes, no or maybe, from the session page
(signed in), the API, or the link in the session's invitation e-mail (no sign-in). Every door
calls `respond`; the answers give a session's expected attendance (`expected`), which the
facilitator sees beside, never instead of, the attendance recorded while it runs.

The e-mail link carries a signed token naming one person and one session. It works for that
person only, as often as they like (an answer can change), until the session starts, while
they are an active member of its cohort and while the session is not cancelled. It needs no
sign-in, so whoever holds the e-mail can answer for them: it only ever sets their answer to
that one session."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from cadre.accounts.models import User
from cadre.cohorts.models import CohortMembership
from cadre.lib.rules import Refused
from cadre.networks.policy import Person

from . import policy
from .models import Rsvp, RsvpAnswer, Session

SALT = "cadre.schedule.rsvp"
CHOOSE = gettext_noop("Choose yes, no or maybe.")
CLOSED = gettext_noop("This session has started, is over or is cancelled, so answers are closed.")
NOT_A_MEMBER = gettext_noop("Only the cohort’s active members answer whether they are coming.")
LINK_BROKEN = gettext_noop("This answer link is not valid; it may have been cut short when copied.")


@dataclass(frozen=True)
class Expected:
    """Who is expected at a session, from the answers of its cohort's active members."""

    coming: int
    not_coming: int
    maybe: int
    unanswered: int

    @property
    def total(self) -> int:
        return self.coming + self.not_coming + self.maybe + self.unanswered


def _open(session: Session) -> None:
    if session.cancelled or session.is_past():
        raise Refused(gettext(CLOSED), kind="conflict", code="rsvp_closed")


def respond(by: Person, session: Session, *, answer: str, by_link: bool = False) -> Rsvp:
    """Record `by`'s answer to `session` (replacing the one they gave before)."""
    if answer not in RsvpAnswer.values:
        raise Refused(gettext(CHOOSE), field="answer")
    if not isinstance(by, User) or not policy.can_answer_rsvp(by, session.cohort):
        raise Refused(gettext(NOT_A_MEMBER), kind="forbidden")
    _open(session)
    with transaction.atomic():
        found, _ = Rsvp.objects.update_or_create(
            session=session,
            user=by,
            defaults={"answer": answer, "by_link": by_link, "answered_at": timezone.now()},
        )
    return found


def answer_of(person: Person, session: Session) -> Rsvp | None:
    if not isinstance(person, User):
        return None
    return Rsvp.objects.filter(session=session, user=person).first()


def count(members: Iterable[int], answers: Mapping[int, str], absent: Iterable[int]) -> Expected:
    """Expected attendance from the active `members`' answers; a member who marked themselves
    `absent` and gave no answer counts as not coming."""
    pool = set(members)
    found = {m: answers[m] for m in pool if m in answers}
    for user in set(absent) & pool:
        found.setdefault(user, RsvpAnswer.NO)
    values = list(found.values())
    return Expected(
        coming=values.count(RsvpAnswer.YES),
        not_coming=values.count(RsvpAnswer.NO),
        maybe=values.count(RsvpAnswer.MAYBE),
        unanswered=len(pool) - len(values),
    )


def expected(session: Session) -> Expected:
    """Who is expected at `session`, from its cohort's active members (see `count`)."""
    members = set(
        CohortMembership.objects.active()
        .filter(cohort_id=session.cohort_id)
        .values_list("user_id", flat=True)
    )
    answers: dict[int, str] = dict(session.rsvps.values_list("user_id", "answer"))
    return count(members, answers, session.absences.values_list("user_id", flat=True))


# --- the e-mail link ------------------------------------------------------------------------


def token(session: Session, person: Any) -> str:
    return signing.dumps({"s": session.pk, "u": person.pk}, salt=SALT)


def link(session: Session, person: Any, choice: str | None = None) -> str:
    """The link in `person`'s invitation to `session`; with `choice`, it opens with that
    answer picked (one link per answer in the e-mail)."""
    url = settings.CADRE_SITE_URL.rstrip("/") + reverse("rsvp:link", args=[token(session, person)])
    return f"{url}?answer={choice}" if choice else url


def from_link(value: str) -> tuple[Session, User]:
    """The session and person a link is for. Refuses a forged or altered link (not found);
    a closed session or a person no longer in the cohort is refused by `respond`."""
    try:
        found = signing.loads(value, salt=SALT)
    except signing.BadSignature:
        raise Refused(gettext(LINK_BROKEN), kind="not_found", code="link_broken") from None
    if not isinstance(found, dict) or not all(isinstance(found.get(k), int) for k in "su"):
        raise Refused(gettext(LINK_BROKEN), kind="not_found", code="link_broken")
    session = (
        Session.objects.select_related("cohort__network", "cohort__schedule")
        .filter(pk=found["s"])
        .first()
    )
    person = User.objects.filter(pk=found["u"], is_active=True).first()
    if session is None or person is None:
        raise Refused(gettext(LINK_BROKEN), kind="not_found", code="link_broken")
    return session, person


def respond_by_link(*, token: str, answer: str) -> Rsvp:
    """Answer through the e-mail link, without signing in, for the person it names."""
    session, person = from_link(token)
    return respond(person, session, answer=answer, by_link=True)
