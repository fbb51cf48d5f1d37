"""The database side of cohort health: gather the facts of many cohorts at once (a fixed
number of queries per batch, whatever the batch's size) and write their snapshots.

Only what the cohort itself can see counts: private commitments, and updates and blockers
about them, are their owner's alone (the apps' policy modules), so they never feed a signal
that hosts or organizers read."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from cadre.accountability.models import Blocker, Commitment, CommitmentStatus, ProgressUpdate
from cadre.cohorts.models import Charter, Cohort, CohortMembership, CohortStatus
from cadre.metrics import figures
from cadre.metrics.figures import CohortFigures
from cadre.schedule.models import AttendanceStatus, RoleAssignment, Session

from . import drift
from .models import CohortHealth, HealthSettings

logger = logging.getLogger(__name__)

BATCH = 200
# Updates are counted over the figures' window: "this 4 weeks" against "the 4 weeks before".
TREND_DAYS = figures.RECENT.days or 28
HISTORY_DAYS = 182  # how far back sessions and commitments are read
MAX_SESSIONS = 48  # per cohort: enough for 4 attendance windows or the longest role run
# Cohorts whose health is kept: running ones. A forming cohort has no rhythm to drift from
# yet; a paused or completed one is not expected to meet.
TRACKED = (CohortStatus.ACTIVE,)


@dataclass
class Gathered:
    """The facts of one cohort plus the numbers the snapshot keeps beside the signals: the
    cohort's figures (cadre.metrics.figures) over the last four weeks and the four before."""

    facts: drift.CohortFacts
    figures: CohortFigures
    earlier: CohortFigures
    updates_recent: int
    updates_prev: int
    open_blockers: int
    last_update_at: datetime | None
    functions: list[str]


def _cohort_visible() -> Q:
    """Updates and blockers about private commitments are private with them."""
    return Q(commitment__isnull=True) | Q(commitment__visibility="cohort")


def gather(cohorts: Sequence[Cohort], now: datetime | None = None) -> dict[int, Gathered]:
    """cohort id -> its facts and numbers, for every cohort in `cohorts`, in eleven queries
    however many cohorts there are."""
    now = now or timezone.now()
    ids = [c.pk for c in cohorts]
    since = now - timedelta(days=HISTORY_DAYS)
    trend_start = now - timedelta(days=TREND_DAYS)
    prev_start = now - timedelta(days=2 * TREND_DAYS)
    recent, earlier = figures.over(ids, [figures.RECENT, figures.RECENT.before()], now)

    members: dict[int, list[drift.MemberFact]] = defaultdict(list)
    functions: dict[int, list[str]] = defaultdict(list)
    for m in (
        CohortMembership.objects.active()
        .filter(cohort_id__in=ids)
        .select_related("user__profile")
        .order_by("cohort_id", "user__name", "user_id")
    ):
        members[m.cohort_id].append(
            drift.MemberFact(m.user_id, m.user.name or m.user.email, m.joined_on)
        )
        profile = getattr(m.user, "profile", None)
        if profile is not None and profile.function.strip():
            functions[m.cohort_id].append(profile.function.strip())

    last_updates: dict[tuple[int, int], datetime] = {}
    update_counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in (
        ProgressUpdate.objects.filter(_cohort_visible(), cohort_id__in=ids)
        .values("cohort_id", "author_id")
        .annotate(
            last=Max("created_at"),
            recent=Count("pk", filter=Q(created_at__gt=trend_start, created_at__lte=now)),
            prev=Count("pk", filter=Q(created_at__gt=prev_start, created_at__lte=trend_start)),
        )
    ):
        last_updates[(row["cohort_id"], row["author_id"])] = row["last"]
        update_counts[row["cohort_id"]][0] += row["recent"]
        update_counts[row["cohort_id"]][1] += row["prev"]

    sessions = list(
        Session.objects.held()
        .filter(cohort_id__in=ids, starts_at__gte=since, starts_at__lte=now)
        .annotate(
            present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
            absent=Count("attendance", filter=Q(attendance__status=AttendanceStatus.ABSENT)),
        )
        .order_by("cohort_id", "starts_at")
        .values("pk", "cohort_id", "starts_at", "present", "absent")
    )
    roles: dict[int, dict[str, int]] = defaultdict(dict)
    for session_id, role, user_id in RoleAssignment.objects.filter(
        session__cohort_id__in=ids,
        session__cancelled=False,
        session__starts_at__gte=since,
        session__starts_at__lte=now,
    ).values_list("session_id", "role", "user_id"):
        roles[session_id][role] = user_id
    session_facts: dict[int, list[drift.SessionFact]] = defaultdict(list)
    for s in sessions:
        session_facts[s["cohort_id"]].append(
            drift.SessionFact(s["starts_at"], s["present"], s["absent"], roles.get(s["pk"], {}))
        )

    commitments: dict[int, list[drift.CommitmentFact]] = defaultdict(list)
    today = timezone.localdate(now)
    for cohort_id, owner_id, status, due_on in Commitment.objects.filter(
        cohort_id__in=ids,
        visibility="cohort",
        status__in=[CommitmentStatus.DONE, CommitmentStatus.MISSED],
        due_on__gte=since.date(),
        due_on__lte=today,
    ).values_list("cohort_id", "owner_id", "status", "due_on"):
        assert due_on is not None, "the query keeps commitments due in the window"
        commitments[cohort_id].append(drift.CommitmentFact(owner_id, status, due_on))

    blockers: dict[int, list[drift.BlockerFact]] = defaultdict(list)
    for b in (
        Blocker.objects.unresolved()
        .filter(update__cohort_id__in=ids)
        .filter(Q(update__commitment__isnull=True) | Q(update__commitment__visibility="cohort"))
        .values("update__cohort_id", "update__author_id", "text", "created_at", "first_offer_at")
    ):
        blockers[b["update__cohort_id"]].append(
            drift.BlockerFact(
                b["update__author_id"], b["text"], b["created_at"], b["first_offer_at"] is not None
            )
        )

    latest = Charter.objects.filter(cohort_id=OuterRef("cohort_id")).order_by("-version")
    reviews = dict(
        Charter.objects.filter(cohort_id__in=ids, pk=Subquery(latest.values("pk")[:1])).values_list(
            "cohort_id", "next_review_on"
        )
    )

    result: dict[int, Gathered] = {}
    for cohort_id in ids:
        people = [
            drift.MemberFact(
                m.user_id, m.name, m.joined_on, last_updates.get((cohort_id, m.user_id))
            )
            for m in members[cohort_id]
        ]
        lasts = [u for u in (p.last_update_at for p in people) if u is not None]
        result[cohort_id] = Gathered(
            facts=drift.CohortFacts(
                now=now,
                members=people,
                sessions=session_facts[cohort_id][-MAX_SESSIONS:],
                commitments=commitments[cohort_id],
                blockers=blockers[cohort_id],
                charter_review_on=reviews.get(cohort_id),
            ),
            figures=recent[cohort_id],
            earlier=earlier[cohort_id],
            updates_recent=update_counts[cohort_id][0],
            updates_prev=update_counts[cohort_id][1],
            open_blockers=len(blockers[cohort_id]),
            last_update_at=max(lasts) if lasts else None,
            functions=functions[cohort_id],
        )
    return result


def _snapshot(cohort: Cohort, g: Gathered, thresholds: drift.Thresholds) -> CohortHealth:
    found = drift.signals(g.facts, thresholds)
    counts = Counter(g.functions)
    main = ""
    if counts:
        name, n = counts.most_common(1)[0]
        # "Mostly" one function: at least half of those who named one.
        main = name if 2 * n >= len(g.functions) else ""
    return CohortHealth(
        cohort=cohort,
        network_id=cohort.network_id,
        status=drift.status_of(found),
        signals=[s.as_dict() for s in found],
        members=g.figures.active_members.count,
        attendance_rate=g.figures.attendance.value,
        attendance_prev=g.earlier.attendance.value,
        follow_through=g.figures.follow_through.value,
        follow_through_prev=g.earlier.follow_through.value,
        help_offered=g.figures.help_offered.count,
        help_offered_prev=g.earlier.help_offered.count,
        updates_recent=g.updates_recent,
        updates_prev=g.updates_prev,
        open_blockers=g.open_blockers,
        last_update_at=g.last_update_at,
        main_function=main[:80],
        functions=sorted(counts),
        computed_at=g.facts.now,
    )


def refresh(cohorts: Iterable[Cohort], now: datetime | None = None) -> int:
    """Recompute and save the snapshots of `cohorts`, in batches; returns how many. Running
    it twice gives the same rows."""
    now = now or timezone.now()
    cohorts = list(cohorts)
    network_ids = {c.network_id for c in cohorts}
    thresholds = {
        s.network_id: s.thresholds()
        for s in HealthSettings.objects.filter(network_id__in=network_ids)
    }
    done = 0
    for start in range(0, len(cohorts), BATCH):
        batch = cohorts[start : start + BATCH]
        gathered = gather(batch, now)
        rows = [
            _snapshot(c, gathered[c.pk], thresholds.get(c.network_id, drift.Thresholds()))
            for c in batch
        ]
        with transaction.atomic():
            CohortHealth.objects.filter(cohort_id__in=[c.pk for c in batch]).delete()
            CohortHealth.objects.bulk_create(rows)
        done += len(rows)
    return done


def tracked_cohorts(network_id: int | None = None) -> Any:
    cohorts = Cohort.objects.filter(status__in=TRACKED).order_by("pk")
    return cohorts.filter(network_id=network_id) if network_id else cohorts


def refresh_network(network_id: int, now: datetime | None = None) -> int:
    return refresh(tracked_cohorts(network_id), now)


def refresh_cohort(cohort: Cohort, now: datetime | None = None) -> CohortHealth:
    refresh([cohort], now)
    return CohortHealth.objects.get(cohort=cohort)


def refresh_stale(max_age: timedelta, now: datetime | None = None) -> int:
    """Refresh every tracked cohort whose snapshot is missing or older than `max_age`."""
    now = now or timezone.now()
    stale = tracked_cohorts().filter(
        Q(health__isnull=True) | Q(health__computed_at__lt=now - max_age)
    )
    return refresh(stale, now)
