"""Every write of follow-through on pairings, called alike by pages, the API and the worker:
answering "did you meet?" (signed in, or by the e-mail link that works once), asking for a
new partner, the mentoring agreement and meeting log, the mentor's first answer, and
re-matching a mentee in one step."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from cadre.accounts.models import User
from cadre.delivery.services import Email, queue_many
from cadre.lib.rules import Refused
from cadre.networks.models import Network
from cadre.networks.policy import Person
from cadre.people.languages import in_language_of
from cadre.schedule import mentoring
from cadre.schedule import services as schedule_services
from cadre.schedule.models import MentorMatch
from cadre.schedule.services import require_mentoring_manager

from . import policy
from .models import Answer, Kind, MeetingCheck, MentorMeeting, Relationship

LINK_SALT = "cadre.pairings.meeting-check"
LINK_MAX_AGE = timedelta(days=30)
# A mentor who has not answered a new mentee within this long is flagged to the organizers.
MENTOR_ANSWER_DAYS = 7

NOT_YOUR_CHECK = gettext_noop("Only the person asked can answer this check.")
LINK_BROKEN = gettext_noop(
    "This link is not one Cadre made, or it was cut short. Sign in to answer instead."
)
LINK_EXPIRED = gettext_noop("This link has expired. Sign in to answer instead.")
ALREADY_ANSWERED = gettext_noop(
    "You have already answered this, thank you. Sign in to change your answer."
)
CHOOSE_AN_ANSWER = gettext_noop("Choose whether you met, did not meet, or not yet.")
NOT_IN_PAIR = gettext_noop(
    "Only the mentor and the mentee keep this relationship's agreement and log."
)


class LinkUsed(Refused):
    """The e-mail link was used before: kindly, the answer is already in."""

    kind = "conflict"


# --- "did you meet?" ------------------------------------------------------------------------


def answer_check(*, by: Person, check: MeetingCheck, answer: str, note: str = "") -> MeetingCheck:
    """Record `by`'s answer to their own check; answering again changes it."""
    if not policy.can_answer_check(by, check):
        raise Refused(gettext(NOT_YOUR_CHECK), kind="forbidden")
    return _record(check, answer=answer, note=note)


def _record(check: MeetingCheck, *, answer: str, note: str, via_link: bool = False) -> MeetingCheck:
    if answer not in Answer.values:
        raise Refused(gettext(CHOOSE_AN_ANSWER), field="answer")
    note = note.strip()
    if len(note) > 280:
        raise Refused(gettext("Keep the note to 280 characters."), field="note")
    now = timezone.now()
    with transaction.atomic():
        check.answer = answer
        check.note = note
        check.answered_at = now if answer != Answer.NOT_YET else None
        fields = ["answer", "note", "answered_at"]
        if via_link:
            check.link_used_at = now
            fields.append("link_used_at")
        check.save(update_fields=fields)
        match = check.mentor_match
        if match is not None and check.user_id == match.mentor_id:
            _acknowledge(match, now)
    return check


def link_token(check: MeetingCheck) -> str:
    return signing.dumps({"c": check.pk, "n": check.nonce}, salt=LINK_SALT)


def link_url(check: MeetingCheck) -> str:
    return settings.CADRE_SITE_URL.rstrip("/") + reverse("meet:link", args=[link_token(check)])


def check_from_link(token: str) -> MeetingCheck:
    """The check an e-mail link is for. Refuses a forged or expired link, and one used
    before (LinkUsed: its check is in `detail`)."""
    try:
        found = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise Refused(gettext(LINK_EXPIRED), kind="not_found", code="link_expired") from None
    except signing.BadSignature:
        raise Refused(gettext(LINK_BROKEN), kind="not_found", code="link_broken") from None
    if not isinstance(found, dict) or not isinstance(found.get("c"), int):
        raise Refused(gettext(LINK_BROKEN), kind="not_found", code="link_broken")
    check = (
        MeetingCheck.objects.select_related("network", "user", "mentor_match")
        .filter(pk=found["c"], nonce=str(found.get("n")))
        .first()
    )
    if check is None:
        raise Refused(gettext(LINK_BROKEN), kind="not_found", code="link_broken")
    if check.link_used_at is not None:
        raise LinkUsed(
            ALREADY_ANSWERED,
            detail={"check": check.pk, "network": check.network.slug},
        )
    return check


def answer_by_link(*, token: str, answer: str, note: str = "") -> MeetingCheck:
    """Answer through the e-mail link, without signing in; the link works once."""
    check = check_from_link(token)
    with transaction.atomic():
        locked = MeetingCheck.objects.select_for_update().get(pk=check.pk)
        if locked.link_used_at is not None:
            raise LinkUsed(
                ALREADY_ANSWERED,
                detail={"check": check.pk, "network": check.network.slug},
            )
        return _record(check, answer=answer, note=note, via_link=True)


def ask_for_new_partner(*, by: Person, check: MeetingCheck) -> MeetingCheck:
    """After a pairing that did not happen: a coffee or coaching partner is found at once
    among the others of the same round who asked too (both are e-mailed), or waits for the
    next one to ask; a mentee goes back to the organizers' re-match queue."""
    if not policy.can_answer_check(by, check):
        raise Refused(gettext(NOT_YOUR_CHECK), kind="forbidden")
    if check.answer != Answer.DID_NOT_MEET:
        raise Refused(
            gettext("Ask for a new partner once you have said you did not meet."), kind="conflict"
        )
    if check.wants_new_partner:
        return check
    with transaction.atomic():
        check.wants_new_partner = True
        check.save(update_fields=["wants_new_partner"])
        if check.kind != Kind.MENTORING:
            _repair(check)
    return check


def _same_round(check: MeetingCheck) -> Any:
    checks = MeetingCheck.objects.filter(kind=check.kind)
    if check.coffee_group_id is not None:
        group = check.coffee_group
        assert group is not None
        return checks.filter(coffee_group__round_id=group.round_id).exclude(
            coffee_group=check.coffee_group_id
        )
    group_c = check.coaching_group
    assert group_c is not None
    return checks.filter(coaching_group__round_id=group_c.round_id).exclude(
        coaching_group=check.coaching_group_id
    )


def _repair(check: MeetingCheck) -> None:
    other = (
        _same_round(check)
        .select_for_update()
        .filter(wants_new_partner=True, repaired_with__isnull=True)
        .exclude(user=check.user_id)
        .select_related("user")
        .order_by("answered_at", "pk")
        .first()
    )
    if other is None:
        return
    check.repaired_with = other.user
    check.save(update_fields=["repaired_with"])
    other.repaired_with = check.user
    other.save(update_fields=["repaired_with"])
    emails = []
    for mine, theirs in ((check, other), (other, check)):
        with in_language_of(mine.user):
            body = render_to_string(
                "pairings/email_new_partner.txt",
                {"person": mine.user, "other": theirs.user, "network": check.network},
            )
            subject = gettext("[Cadre] A new partner: %(other)s") % {"other": theirs.user}
        emails.append(
            Email(
                key=f"new-partner:{mine.pk}",
                to=mine.user.email,
                user=mine.user,
                subject=subject,
                body=body,
            )
        )
    queue_many(emails)


# --- mentoring relationships ----------------------------------------------------------------


def relationship_of(by: Person, network: Network, *, match: int) -> MentorMatch:
    """The match `match` of `network` for its relationship page, or not found for anyone who
    may not see it."""
    found = (
        policy.visible_relationships(by, network)
        .select_related("network", "mentor__profile", "newcomer__profile")
        .filter(pk=match)
        .first()
    )
    if found is None:
        raise Refused(gettext("No such mentoring relationship."), kind="not_found")
    return found


def relationship(match: MentorMatch) -> Relationship:
    """The match's agreement and first answer (an unsaved empty one when there is none)."""
    found = Relationship.objects.filter(match=match).first()
    return found if found is not None else Relationship(match=match)


def _require_pair(by: Person, match: MentorMatch) -> None:
    if not policy.can_edit_relationship(by, match):
        raise Refused(gettext(NOT_IN_PAIR), kind="forbidden")


def _acknowledge(match: MentorMatch, now: Any) -> None:
    Relationship.objects.get_or_create(match=match)
    Relationship.objects.filter(match=match, acknowledged_at__isnull=True).update(
        acknowledged_at=now
    )


def acknowledge(*, by: Person, match: MentorMatch) -> Relationship:
    """The mentor says hello: the match is no longer flagged as unanswered."""
    _require_pair(by, match)
    if by.pk != match.mentor_id:
        raise Refused(gettext("Only the mentor answers a new match."), kind="forbidden")
    _acknowledge(match, timezone.now())
    return Relationship.objects.get(match=match)


def save_agreement(
    *,
    by: User,
    match: MentorMatch,
    what: str,
    how_often: str,
    until: date | None,
    meeting_url: str | None = None,
    place: str | None = None,
) -> Relationship:
    """What the pair will work on, how often they meet and until when, and where (a meeting
    link and a place, checked like a session's; None leaves them as they are)."""
    _require_pair(by, match)
    what, how_often = what.strip(), how_often.strip()
    if meeting_url is not None:
        match.meeting_url = schedule_services.clean_meeting_url(meeting_url)
    if place is not None:
        match.place = schedule_services.clean_place(place)
    problems: dict[str, list[str]] = {}
    if len(what) > 2000:
        problems["what"] = [gettext("Keep what you agreed to 2,000 characters.")]
    if len(how_often) > 80:
        problems["how_often"] = [gettext("Keep “how often” to 80 characters.")]
    if until is not None and until < match.created_at.date():
        problems["until"] = [gettext("The agreement cannot end before the match began.")]
    if problems:
        raise Refused(next(iter(problems.values()))[0], fields=problems)
    now = timezone.now()
    with transaction.atomic():
        match.save(update_fields=["meeting_url", "place"])
        found, _ = Relationship.objects.get_or_create(match=match)
        found.what, found.how_often, found.until = what, how_often, until
        found.updated_by, found.updated_at = by, now
        if by.pk == match.mentor_id and found.acknowledged_at is None:
            found.acknowledged_at = now
        found.save()
    return found


def log_meeting(*, by: User, match: MentorMatch, met_on: date, notes: str = "") -> MentorMeeting:
    """Add a meeting to the pair's log."""
    _require_pair(by, match)
    if met_on > timezone.localdate():
        raise Refused(gettext("Log a meeting once it has happened."), field="met_on")
    if met_on < match.created_at.date() - timedelta(days=1):
        raise Refused(gettext("That day is before the match began."), field="met_on")
    notes = notes.strip()
    if len(notes) > 4000:
        raise Refused(gettext("Keep the notes to 4,000 characters."), field="notes")
    with transaction.atomic():
        meeting = MentorMeeting.objects.create(match=match, met_on=met_on, notes=notes, added_by=by)
        if by.pk == match.mentor_id:
            _acknowledge(match, timezone.now())
    return meeting


def unanswered_matches(network: Network, now: Any = None) -> list[MentorMatch]:
    """Current matches whose mentor has not answered within MENTOR_ANSWER_DAYS days."""
    cutoff = (now or timezone.now()) - timedelta(days=MENTOR_ANSWER_DAYS)
    return list(
        MentorMatch.objects.current()
        .filter(network=network, created_at__lte=cutoff)
        .exclude(relationship__acknowledged_at__isnull=False)
        .select_related("mentor", "newcomer")
        .order_by("created_at", "pk")
    )


def rematch_queue(network: Network) -> list[MentorMatch]:
    """Current matches whose mentee said they did not meet and asked for a new mentor."""
    return list(
        MentorMatch.objects.current()
        .filter(network=network, checks__wants_new_partner=True, checks__user=F("newcomer"))
        .select_related("mentor", "newcomer")
        .distinct()
        .order_by("created_at", "pk")
    )


def _next_best_mentor(match: MentorMatch) -> Any:
    """The engine's best mentor with a free place for this mentee, other than their mentor
    (call it once the match has ended, so the mentee counts as without a mentor)."""
    proposals = mentoring.propose(match.network, days=36_500)
    for proposal in proposals.matches:
        if proposal.newcomer.pk == match.newcomer_id and proposal.mentor.pk != match.mentor_id:
            return proposal.mentor
    loads = [
        load
        for load in mentoring.mentor_loads(match.network)
        if load.free > 0 and load.user.pk != match.mentor_id
    ]
    return loads[0].user if loads else None


def rematch(*, by: User, match: MentorMatch, mentor: int | None = None) -> MentorMatch:
    """End `match` and match its mentee with `mentor`, or with the engine's next-best mentor
    when `mentor` is None, in one step; both new people are e-mailed. Nothing changes when
    no mentor can be found."""
    require_mentoring_manager(by, match.network)
    if match.ended_at is not None:
        raise Refused(gettext("This match has ended already."), kind="conflict")
    if mentor is not None and mentor == match.mentor_id:
        raise Refused(gettext("Choose a mentor other than the current one."), field="mentor")
    with transaction.atomic():
        MentorMatch.objects.filter(pk=match.pk).update(ended_at=timezone.now())
        match.ended_at = timezone.now()
        if mentor is None:
            chosen = _next_best_mentor(match)
            if chosen is None:
                raise Refused(gettext("No other mentor has a free place just now."), field="mentor")
            mentor = chosen.pk
        assert mentor is not None
        explanation = f"Re-matched after {match.mentor}."
        return mentoring.confirm(match.network, mentor, match.newcomer_id, by, explanation)
