"""What reminders are due, and queueing each one once.

`due(now)` lists every reminder that should have gone out by `now` and was never queued
(before a session, with the person's role; commitments due within two days and overdue;
blockers without an offer for two days; charter reviews due; the Monday digest), for active
members of the cohort only and as each person's preferences allow. `queue_due(now)` queues
them.

A reminder is decided once: its unique Reminder row and its e-mail in the outbox
(cadre.delivery) are written in one transaction, and a later scan skips a reminder whose row
exists. Sending is the outbox's job, outside any transaction, with retries; see
docs/reminders.md."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import CharField, Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cadre.accountability.models import Blocker, Commitment
from cadre.cohorts.models import Charter, CohortMembership, CohortRole
from cadre.delivery.services import Email, queue
from cadre.health.digest import drift_for_digest
from cadre.people.languages import in_language_of
from cadre.people.models import ProfileSkill
from cadre.schedule.models import ReportStatus, RoleAssignment, Session, SessionReport

from .models import Kind, NotificationPreference, Reminder

logger = logging.getLogger(__name__)

COMMITMENT_DUE_DAYS = 2
BLOCKER_WAIT = timedelta(days=2)
HELPER_LEVEL = 3
MAX_HOURS_BEFORE = 168
UNSUBSCRIBE_SALT = "cadre.reminders.unsubscribe"


@dataclass
class Due:
    """One reminder to send: to whom, about what, and what the e-mail says."""

    kind: str
    user: Any
    key: str
    subject: str
    lines: list[str] = field(default_factory=list)
    url: str = ""


def _day(value: Any, pattern: str) -> str:
    """`value` in a date pattern of the active language (month and day names translated).
    The patterns are marked so each language may order them its own way."""
    return date_format(value, pattern)


def site_url(path: str) -> str:
    return settings.CADRE_SITE_URL.rstrip("/") + path


def unsubscribe_token(user: Any, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) from a token; raises signing.BadSignature when it was tampered with."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or data.get("k") not in Kind.values:
        raise signing.BadSignature("Unknown kind")
    return int(data["u"]), str(data["k"])


def unsubscribe_url(user: Any, kind: str) -> str:
    return site_url(reverse("reminders:unsubscribe", args=[unsubscribe_token(user, kind)]))


# --- who gets what -----------------------------------------------------------------------


def _preferences(user_ids: Iterable[int]) -> dict[int, NotificationPreference]:
    found = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=user_ids)}
    return defaultdict(NotificationPreference, found)


def _active_members(cohort_ids: Iterable[int], **extra: Any) -> dict[int, list[Any]]:
    """cohort id -> its active members (active accounts only), by user id."""
    rows = (
        CohortMembership.objects.active()
        .filter(cohort_id__in=set(cohort_ids), user__is_active=True, **extra)
        .select_related("user__profile")  # the profile says which language to write in
        .order_by("cohort_id", "user_id")
    )
    members: dict[int, list[Any]] = defaultdict(list)
    for m in rows:
        members[m.cohort_id].append(m.user)
    return members


def thing_key(kind: str, pk: int) -> str:
    """The key of a reminder about one row: "<kind>:<pk>" ("session:12", "blocker:7")."""
    return f"{kind}:{pk}"


def _queued(kind: str, keys: Iterable[str]) -> set[tuple[int, str]]:
    """(user id, key) of the reminders of `kind` about `keys` already queued: each source
    skips them before writing any text, so a scan costs what is new, not the whole history
    of what was ever due."""
    return {(user_id, key) for k, user_id, key in already_queued(set(keys)) if k == kind}


def _not_queued(kind: str, owner: str = "owner_id") -> Q:
    """A filter for rows (keyed by `thing_key`, sent to `owner`) whose reminder of `kind` was
    never queued, in the database: an overdue commitment stays overdue for ever, and the
    scan must not read every one of them every time."""
    queued = Reminder.objects.filter(
        kind=kind,
        user_id=OuterRef(owner),
        key=Concat(Value(f"{kind}:"), Cast(OuterRef("pk"), CharField())),
    )
    return ~Q(Exists(queued))


def _cohort_url(name: str, cohort: Any, *extra: Any) -> str:
    return site_url(reverse(name, args=[cohort.network.slug, cohort.slug, *extra]))


def session_reminders(now: datetime) -> Iterator[Due]:
    sessions = list(
        Session.objects.held()
        .filter(starts_at__gt=now, starts_at__lte=now + timedelta(hours=MAX_HOURS_BEFORE))
        .select_related("cohort__network", "cohort__schedule")
    )
    members = _active_members(s.cohort_id for s in sessions)
    roles = {
        (r.session_id, r.user_id): r.role
        for r in RoleAssignment.objects.filter(session__in=sessions)
    }
    prefs = _preferences(u.pk for users in members.values() for u in users)
    queued = _queued(Kind.SESSION, (thing_key(Kind.SESSION, s.pk) for s in sessions))
    for session in sessions:
        for user in members[session.cohort_id]:
            pref = prefs[user.pk]
            key = thing_key(Kind.SESSION, session.pk)
            if not pref.session_reminders or (user.pk, key) in queued:
                continue
            if session.starts_at - now > timedelta(hours=pref.hours_before_session):
                continue
            role = roles.get((session.pk, user.pk))
            when = timezone.localtime(session.starts_at)
            where = session.where()
            names = {"session": session.label, "cohort": session.cohort.name}
            with in_language_of(user):
                item = Due(
                    Kind.SESSION,
                    user,
                    key,
                    _("[Cadre] %(cohort)s: %(session)s on %(when)s")
                    % {**names, "when": _day(when, pgettext("reminder date", "D j M, H:i"))},
                    [
                        _("%(session)s of %(cohort)s starts %(day)s at %(time)s (%(zone)s).")
                        % {
                            **names,
                            "day": _day(when, pgettext("reminder date", "l j F")),
                            "time": _day(when, "H:i"),
                            "zone": when.tzname(),
                        },
                        _("Your role: %(role)s.") % {"role": role}
                        if role
                        else _("You hold no role this time."),
                        *(
                            [_("Join the meeting: %(url)s") % {"url": where.meeting_url}]
                            if where.meeting_url
                            else []
                        ),
                        *([_("Place: %(place)s") % {"place": where.place}] if where.place else []),
                    ],
                    _cohort_url("schedule:session", session.cohort, session.pk),
                )
            yield item


def _active_owner() -> Exists:
    return Exists(
        CohortMembership.objects.active().filter(
            cohort_id=OuterRef("cohort_id"), user_id=OuterRef("owner_id")
        )
    )


def commitment_reminders(now: datetime) -> Iterator[Due]:
    today = timezone.localdate(now)
    found = (
        Commitment.objects.filter(_active_owner(), owner__is_active=True)
        .select_related("owner__profile", "cohort__network")
        .order_by("due_on", "pk")
    )
    due = list(
        found.due_soon(today, days=COMMITMENT_DUE_DAYS).filter(_not_queued(Kind.COMMITMENT_DUE))
    )
    overdue = list(found.overdue(today).filter(_not_queued(Kind.COMMITMENT_OVERDUE)))
    prefs = _preferences(c.owner_id for c in due + overdue)
    for kind, items in ((Kind.COMMITMENT_DUE, due), (Kind.COMMITMENT_OVERDUE, overdue)):
        for c in items:
            if not prefs[c.owner_id].commitment_reminders:
                continue
            with in_language_of(c.owner):
                short = _day(c.due_on, pgettext("reminder date", "j M"))
                day = _day(c.due_on, pgettext("reminder date", "l j F"))
                if kind == Kind.COMMITMENT_OVERDUE:
                    subject = _("[Cadre] Your commitment is overdue %(day)s") % {"day": short}
                    line = _("“%(text)s” is overdue on %(day)s.") % {"text": c.text, "day": day}
                else:
                    subject = _("[Cadre] Your commitment is due %(day)s") % {"day": short}
                    line = _("“%(text)s” is due on %(day)s.") % {"text": c.text, "day": day}
                item = Due(
                    kind,
                    c.owner,
                    thing_key(kind, c.pk),
                    subject,
                    [line, _("Cohort: %(cohort)s.") % {"cohort": c.cohort.name}],
                    _cohort_url("accountability:commitment", c.cohort, c.pk),
                )
            yield item


def blocker_alerts(now: datetime) -> Iterator[Due]:
    """Blockers nobody offered help with for two days, to the cohort's hosts and the
    members rated 3 or more in one of the blocker's skills (never to its author)."""
    blockers = list(
        Blocker.objects.unresolved()
        .filter(first_offer_at__isnull=True, created_at__lte=now - BLOCKER_WAIT)
        .filter(Q(update__commitment__isnull=True) | Q(update__commitment__visibility="cohort"))
        .select_related("update__cohort__network", "update__author")
        .prefetch_related("skills")
    )
    cohort_ids = {b.update.cohort_id for b in blockers}
    members = _active_members(cohort_ids)
    hosts = {
        (m.cohort_id, m.user_id)
        for m in CohortMembership.objects.active().filter(
            cohort_id__in=cohort_ids, role=CohortRole.HOST
        )
    }
    skilled = defaultdict(set)
    member_ids = {u.pk for users in members.values() for u in users}
    for user_id, skill_id in ProfileSkill.objects.filter(
        profile__user_id__in=member_ids, level__gte=HELPER_LEVEL
    ).values_list("profile__user_id", "skill_id"):
        skilled[user_id].add(skill_id)
    prefs = _preferences(member_ids)
    queued = _queued(Kind.BLOCKER, (thing_key(Kind.BLOCKER, b.pk) for b in blockers))
    for b in blockers:
        cohort = b.update.cohort
        skill_ids = {s.pk for s in b.skills.all()}
        for user in members[cohort.pk]:
            if user.pk == b.update.author_id or not prefs[user.pk].blocker_alerts:
                continue
            key = thing_key(Kind.BLOCKER, b.pk)
            if (user.pk, key) in queued:
                continue
            if (cohort.pk, user.pk) not in hosts and not skilled[user.pk] & skill_ids:
                continue
            skills = ", ".join(s.name for s in b.skills.all())
            with in_language_of(user):
                item = Due(
                    Kind.BLOCKER,
                    user,
                    key,
                    _("[Cadre] %(cohort)s: a blocker is waiting for help")
                    % {"cohort": cohort.name},
                    [
                        _("%(author)s is blocked and nobody has offered help yet:")
                        % {"author": b.update.author},
                        f"“{b.text}”",
                        _("Skills: %(skills)s.") % {"skills": skills or _("none named")},
                    ],
                    _cohort_url("accountability:board", cohort),
                )
            yield item


def charter_reviews(now: datetime) -> Iterator[Due]:
    today = timezone.localdate(now)
    latest = Charter.objects.values("cohort_id").annotate(v=Max("version")).values("v")
    charters = list(
        Charter.objects.filter(next_review_on__lte=today)
        .filter(version__in=latest.filter(cohort_id=OuterRef("cohort_id")))
        .select_related("cohort__network")
    )
    hosts = _active_members((c.cohort_id for c in charters), role=CohortRole.HOST)
    prefs = _preferences(u.pk for users in hosts.values() for u in users)
    queued = _queued(Kind.CHARTER_REVIEW, (thing_key(Kind.CHARTER_REVIEW, c.pk) for c in charters))
    for charter in charters:
        for user in hosts[charter.cohort_id]:
            key = thing_key(Kind.CHARTER_REVIEW, charter.pk)
            if not prefs[user.pk].charter_review or (user.pk, key) in queued:
                continue
            with in_language_of(user):
                item = Due(
                    Kind.CHARTER_REVIEW,
                    user,
                    key,
                    _("[Cadre] %(cohort)s: the charter is due for review")
                    % {"cohort": charter.cohort.name},
                    [
                        _(
                            "Version %(version)s of the charter of %(cohort)s was due for review"
                            " on %(day)s."
                        )
                        % {
                            "version": charter.version,
                            "cohort": charter.cohort.name,
                            "day": _day(charter.next_review_on, pgettext("reminder date", "j F Y")),
                        },
                    ],
                    site_url(charter.cohort.get_absolute_url()),
                )
            yield item


def digest_key(now: datetime) -> str:
    year, week, _weekday = timezone.localdate(now).isocalendar()
    return f"digest:{year}-W{week:02d}"


def weekly_digests(now: datetime) -> Iterator[Due]:
    """On Mondays, to every active cohort member: this week's sessions, their commitments due,
    open blockers in their cohorts and reports published in the last week."""
    today = timezone.localdate(now)
    if today.weekday() != 0:
        return
    key = digest_key(now)
    already = set(
        Reminder.objects.filter(kind=Kind.DIGEST, key=key).values_list("user_id", flat=True)
    )
    memberships = list(
        CohortMembership.objects.active()
        .filter(user__is_active=True)
        .exclude(user_id__in=already)
        .select_related("user__profile", "cohort")
        .order_by("user_id", "cohort_id")
    )
    prefs = _preferences({m.user_id for m in memberships})
    cohorts_of: dict[int, list[Any]] = defaultdict(list)
    users: dict[int, Any] = {}
    for m in memberships:
        if prefs[m.user_id].weekly_digest:
            cohorts_of[m.user_id].append(m.cohort)
            users[m.user_id] = m.user
    cohort_ids = {c.pk for cs in cohorts_of.values() for c in cs}
    # Drift signals for hosts, facilitators and organizers (who may be in no cohort).
    drift = drift_for_digest(now, exclude=already)
    for user_id, (user, _lines) in drift.items():
        users.setdefault(user_id, user)
        cohorts_of.setdefault(user_id, [])
    # Those who get the digest for its drift signals only, read again with their profile (the
    # language to write in) in one query.
    drift_only = [user_id for user_id in drift if not cohorts_of[user_id]]
    if drift_only:
        users.update(get_user_model().objects.select_related("profile").in_bulk(drift_only))
    sessions = defaultdict(list)
    for s in Session.objects.held().filter(
        cohort_id__in=cohort_ids, starts_at__gte=now, starts_at__lt=now + timedelta(days=7)
    ):
        sessions[s.cohort_id].append(s)
    blockers = defaultdict(list)
    for b in (
        Blocker.objects.unresolved()
        .filter(update__cohort_id__in=cohort_ids)
        .filter(Q(update__commitment__isnull=True) | Q(update__commitment__visibility="cohort"))
        .select_related("update")
    ):
        blockers[b.update.cohort_id].append(b)
    reports = defaultdict(list)
    for r in SessionReport.objects.filter(
        session__cohort_id__in=cohort_ids,
        status=ReportStatus.PUBLISHED,
        published_at__gte=now - timedelta(days=7),
    ).select_related("session"):
        reports[r.session.cohort_id].append(r)
    commitments = defaultdict(list)
    for c in Commitment.objects.open().filter(
        owner_id__in=users, due_on__lte=today + timedelta(days=7), cohort_id__in=cohort_ids
    ):
        commitments[c.owner_id].append(c)
    for user_id, cohorts in cohorts_of.items():
        with in_language_of(users[user_id]):
            item = Due(
                Kind.DIGEST,
                users[user_id],
                key,
                _("[Cadre] Your week, %(day)s")
                % {"day": _day(today, pgettext("reminder date", "j F"))},
                _digest_lines(cohorts, sessions, commitments[user_id], blockers, reports),
                site_url("/"),
            )
        item.lines += drift[user_id][1] if user_id in drift else []
        yield item


def _digest_lines(
    cohorts: list[Any],
    sessions: dict[int, list[Any]],
    commitments: list[Any],
    blockers: dict[int, list[Any]],
    reports: dict[int, list[Any]],
) -> list[str]:
    """The digest's own lines, in the active language (weekly_digests sets the recipient's)."""
    lines = [_("Sessions this week:")]
    for cohort in cohorts:
        for s in sessions[cohort.pk]:
            when = _day(timezone.localtime(s.starts_at), pgettext("reminder date", "D j M H:i"))
            lines.append(f"- {cohort.name}: {s.label}, {when}")
    lines += ["", _("Your commitments due:")]
    for c in commitments:
        day = _day(c.due_on, pgettext("reminder date", "j M"))
        lines.append("- " + _("%(text)s (due %(day)s)") % {"text": c.text, "day": day})
    lines += ["", _("Open blockers in your cohorts:")]
    for cohort in cohorts:
        lines += [f"- {cohort.name}: {b.text[:120]}" for b in blockers[cohort.pk]]
    lines += ["", _("Reports published this past week:")]
    for cohort in cohorts:
        lines += [f"- {cohort.name}: {r.session.label}" for r in reports[cohort.pk]]
    return lines


SOURCES = [session_reminders, commitment_reminders, blocker_alerts, charter_reviews]


def due(now: datetime) -> Iterator[Due]:
    for source in [*SOURCES, weekly_digests]:
        yield from source(now)


# --- queueing ---------------------------------------------------------------------------


def email_for(item: Due, reminder: Reminder) -> Email:
    unsubscribe = unsubscribe_url(item.user, item.kind)
    with in_language_of(item.user):
        body = render_to_string(
            "reminders/email.txt",
            {"person": item.user, "item": item, "unsubscribe": unsubscribe},
        )
    return Email(
        key=f"reminder:{reminder.pk}",
        to=item.user.email,
        user=item.user,
        subject=item.subject,
        body=body,
        headers={"List-Unsubscribe": f"<{unsubscribe}>"},
    )


def already_queued(keys: set[str], chunk: int = 500) -> set[tuple[str, int, str]]:
    """(kind, user id, key) of the reminders about `keys` already queued, read in chunks so a
    large network stays under the database's limit on query parameters."""
    ordered = sorted(keys)
    found: set[tuple[str, int, str]] = set()
    for start in range(0, len(ordered), chunk):
        rows = Reminder.objects.filter(key__in=ordered[start : start + chunk])
        found.update(rows.values_list("kind", "user_id", "key"))
    return found


def queue_due(now: datetime | None = None, chunk: int = 200) -> int:
    """Queue every reminder due at `now` that was never queued; returns how many this call
    queued. Each Reminder row is written with its message in one transaction, so a reminder
    is decided once and its e-mail exists exactly when it does; the outbox sends it."""
    now = now or timezone.now()
    new = list(due(now))  # each source leaves out what was queued before
    queued = 0
    for start in range(0, len(new), chunk):
        with transaction.atomic():
            for item in new[start : start + chunk]:
                reminder, created = Reminder.objects.get_or_create(
                    kind=item.kind, user=item.user, key=item.key
                )
                if not created:  # another scan queued it meanwhile
                    continue
                reminder.message = queue(email_for(item, reminder))
                reminder.save(update_fields=["message"])
                queued += 1
    logger.info("Queued %s reminders", queued)
    return queued
