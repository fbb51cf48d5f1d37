"""Drift signals in the Monday digest (cadre.reminders.sending.weekly_digests asks here).

A cohort's signals go to the people who may read them with names: its hosts, the
facilitator of its sessions this coming week, and its network's organizers. They are read
from the snapshots (cadre.health.facts), so the digest costs a few queries whatever the size
of the network. Each reader's lines are written in their language (in_language_of), the
signals' words too (drift.worded)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre.cohorts.models import CohortMembership, CohortRole
from cadre.networks.models import ORGANIZING_ROLES, NetworkMembership
from cadre.people.languages import in_language_of
from cadre.reminders.models import NotificationPreference
from cadre.schedule.models import RoleAssignment, Session

from . import drift
from .facts import TRACKED
from .models import CohortHealth

MAX_COHORTS = 10  # per e-mail; the rest are on the network's health page
HEADING = gettext_lazy("Cohort health: drift signals")


def _url(path: str) -> str:
    return settings.CADRE_SITE_URL.rstrip("/") + path


def _lines(snapshot: CohortHealth) -> list[str]:
    cohort = snapshot.cohort
    label = snapshot.get_status_display()
    lines = [f"- {cohort.name} ({label}):"]
    for s in snapshot.worded_signals():
        lines.append(
            "  * "
            + _("%(title)s: %(message)s What to do: %(action)s")
            % {"title": s["title"], "message": s["message"], "action": s["action"]}
        )
    lines.append("  " + _url(reverse("health:cohort", args=[cohort.network.slug, cohort.slug])))
    return lines


def drift_for_digest(
    now: datetime, exclude: Iterable[int] = ()
) -> dict[int, tuple[Any, list[str]]]:
    """user id -> (user, the digest's lines about drift) for everyone who should read the
    signals of a cohort that is not healthy, except the users in `exclude` and those who
    turned the digest off."""
    snapshots = list(
        CohortHealth.objects.exclude(status=drift.OK)
        .filter(cohort__status__in=TRACKED)
        .select_related("cohort__network")
        .order_by("status", "cohort__name")  # "drifting" sorts before "watch"
    )
    if not snapshots:
        return {}
    cohort_ids = [s.cohort_id for s in snapshots]
    facilitators = set(
        RoleAssignment.objects.filter(
            role="facilitator",
            session__in=Session.objects.held().filter(
                cohort_id__in=cohort_ids, starts_at__gt=now, starts_at__lt=now + timedelta(days=7)
            ),
        ).values_list("session__cohort_id", "user_id")
    )
    cohorts_of: dict[int, list[int]] = defaultdict(list)
    users: dict[int, Any] = {}
    for m in (
        CohortMembership.objects.active()
        .filter(cohort_id__in=cohort_ids, user__is_active=True)
        .filter(Q(role=CohortRole.HOST) | Q(user_id__in={u for _cohort, u in facilitators}))
        .select_related("user__profile")
    ):
        if m.role == CohortRole.HOST or (m.cohort_id, m.user_id) in facilitators:
            cohorts_of[m.user_id].append(m.cohort_id)
            users[m.user_id] = m.user
    by_network: dict[int, list[int]] = defaultdict(list)
    for s in snapshots:
        by_network[s.network_id].append(s.cohort_id)
    for nm in NetworkMembership.objects.filter(
        network_id__in=by_network, role__in=ORGANIZING_ROLES, user__is_active=True
    ).select_related("user__profile"):
        cohorts_of[nm.user_id].extend(by_network[nm.network_id])
        users[nm.user_id] = nm.user
    excluded = set(exclude)
    off = set(
        NotificationPreference.objects.filter(user_id__in=users, weekly_digest=False).values_list(
            "user_id", flat=True
        )
    )
    by_cohort = {s.cohort_id: s for s in snapshots}
    result: dict[int, tuple[Any, list[str]]] = {}
    for user_id, ids in cohorts_of.items():
        if user_id in excluded or user_id in off:
            continue
        order = [s.cohort_id for s in snapshots if s.cohort_id in set(ids)]
        with in_language_of(users[user_id]):
            lines = ["", str(HEADING)]
            for cohort_id in order[:MAX_COHORTS]:
                lines += _lines(by_cohort[cohort_id])
            if len(order) > MAX_COHORTS:
                network = by_cohort[order[0]].cohort.network
                more = len(order) - MAX_COHORTS
                lines.append(
                    "- "
                    + _("and %(count)s more cohorts: %(url)s")
                    % {"count": more, "url": _url(reverse("health:network", args=[network.slug]))}
                )
        result[user_id] = (users[user_id], lines)
    return result
