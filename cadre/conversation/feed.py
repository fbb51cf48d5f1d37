"""A cohort's activity, newest first: progress updates (with what is done, what remains and
the blocker), offers of help and the ones accepted, commitments done, experiments started
and finished, and session reports published.

Every source is read through its owning app's rule for the viewer (`visible_updates`,
`visible_commitments`, `visible_experiments`, `visible_session_reports`...), so a private
commitment and its updates show to their owner alone, here as on the board. The feed is
paged (PAGE_SIZE items) and capped at MAX_PAGES pages: each source gives at most the
items up to the page asked for, and they are merged by time."""

from __future__ import annotations

import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cadre.accountability import policy as board
from cadre.accountability.models import HelpOffer, Outcome
from cadre.cohorts.models import Cohort
from cadre.networks.contributions import Section
from cadre.schedule import policy as schedule
from cadre.schedule.models import ReportStatus

from .models import Comment, Subject

if TYPE_CHECKING:
    from cadre.accounts.models import User

PAGE_SIZE = 20
MAX_PAGES = 10
ON_BOARD = 8  # the newest items the board shows, with a link to the rest


class Kind:
    UPDATE = "update"
    OFFER = "help_offered"
    ACCEPTED = "help_accepted"
    DONE = "commitment_done"
    STARTED = "experiment_started"
    FINISHED = "experiment_finished"
    REPORT = "report_published"


@dataclass
class FeedItem:
    """One thing that happened: what, when, who, the words to show, and where it lives."""

    kind: str
    at: datetime
    actor: Any  # a User
    url: str
    title: str = ""
    done: str = ""
    remaining: str = ""
    blocker: str = ""
    other: Any = None  # the helper accepted, the person helped
    subject: Subject | None = None  # what comments attach to, when it takes comments
    subject_id: int | None = None
    comments: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Feed:
    items: list[FeedItem]
    page: int
    has_next: bool


def _args(cohort: Cohort, *rest: Any) -> list[Any]:
    return [cohort.network.slug, cohort.slug, *rest]


def _finished_at(cohort: Cohort, day: Any) -> datetime:
    # An experiment records the day it ends, not the moment its outcome was written.
    return datetime.combine(day, time(18, 0), tzinfo=zoneinfo.ZoneInfo(cohort.time_zone))


def _session_title(cohort: Cohort, session: Any) -> str:
    starts = timezone.localtime(session.starts_at, zoneinfo.ZoneInfo(cohort.time_zone))
    return f"{session.label}, {date_format(starts, 'j M')}"


def activity(user: User, cohort: Cohort, *, page: int = 1) -> Feed:
    """The page `page` (1 to MAX_PAGES) of what `user` may see happen in `cohort`."""
    page = max(1, min(page, MAX_PAGES))
    wanted = page * PAGE_SIZE + 1
    items: list[FeedItem] = []

    updates = (
        board.visible_updates(user, cohort)
        .select_related("author__profile", "commitment", "blocker")
        .order_by("-created_at", "-pk")[:wanted]
    )
    for u in updates:
        blocker = getattr(u, "blocker", None)
        items.append(
            FeedItem(
                Kind.UPDATE,
                u.created_at,
                u.author,
                reverse("conversation:update", args=_args(cohort, u.pk)),
                title=u.commitment.text if u.commitment else "",
                done=u.done,
                remaining=u.remaining,
                blocker=blocker.text if blocker else "",
                subject=Subject.UPDATE,
                subject_id=u.pk,
                extra={"blocker_id": blocker.pk if blocker else None},
            )
        )

    offers = HelpOffer.objects.filter(
        blocker__in=board.visible_blockers(user, cohort)
    ).select_related("helper__profile", "blocker__update__author__profile")
    for o in offers.order_by("-created_at", "-pk")[:wanted]:
        items.append(
            FeedItem(
                Kind.OFFER,
                o.created_at,
                o.helper,
                reverse("conversation:blocker", args=_args(cohort, o.blocker_id)),
                blocker=o.blocker.text,
                other=o.blocker.update.author,
                subject=Subject.BLOCKER,
                subject_id=o.blocker_id,
            )
        )
    for o in offers.filter(accepted_at__isnull=False).order_by("-accepted_at", "-pk")[:wanted]:
        assert o.accepted_at is not None
        items.append(
            FeedItem(
                Kind.ACCEPTED,
                o.accepted_at,
                o.blocker.update.author,
                reverse("conversation:blocker", args=_args(cohort, o.blocker_id)),
                blocker=o.blocker.text,
                other=o.helper,
                subject=Subject.BLOCKER,
                subject_id=o.blocker_id,
            )
        )

    done = (
        board.visible_commitments(user, cohort)
        .completed()
        .filter(completed_at__isnull=False)
        .select_related("owner__profile")
        .order_by("-completed_at", "-pk")[:wanted]
    )
    for c in done:
        assert c.completed_at is not None
        items.append(
            FeedItem(
                Kind.DONE,
                c.completed_at,
                c.owner,
                reverse("accountability:commitment", args=_args(cohort, c.pk)),
                title=c.text,
            )
        )

    experiments = board.visible_experiments(user, cohort).select_related("owner__profile")
    for e in experiments.order_by("-created_at", "-pk")[:wanted]:
        items.append(
            FeedItem(
                Kind.STARTED,
                e.created_at,
                e.owner,
                reverse("conversation:experiment", args=_args(cohort, e.pk)),
                title=e.title,
                subject=Subject.EXPERIMENT,
                subject_id=e.pk,
            )
        )
    finished = experiments.exclude(outcome=Outcome.RUNNING).order_by("-ends_on", "-pk")[:wanted]
    for e in finished:
        items.append(
            FeedItem(
                Kind.FINISHED,
                _finished_at(cohort, e.ends_on),
                e.owner,
                reverse("conversation:experiment", args=_args(cohort, e.pk)),
                title=e.title,
                subject=Subject.EXPERIMENT,
                subject_id=e.pk,
                extra={"outcome": e.get_outcome_display().lower()},
            )
        )

    reports = (
        schedule.visible_session_reports(user, cohort)
        .filter(status=ReportStatus.PUBLISHED, published_at__isnull=False)
        .select_related("session", "published_by__profile")
        .order_by("-published_at", "-pk")[:wanted]
    )
    for r in reports:
        assert r.published_at is not None
        items.append(
            FeedItem(
                Kind.REPORT,
                r.published_at,
                r.published_by,
                reverse("conversation:report", args=_args(cohort, r.pk)),
                title=_session_title(cohort, r.session),
                subject=Subject.REPORT,
                subject_id=r.pk,
            )
        )

    items.sort(key=lambda i: (i.at, i.kind), reverse=True)
    start = (page - 1) * PAGE_SIZE
    shown = items[start : start + PAGE_SIZE]
    _count_comments(cohort, shown)
    has_next = len(items) > start + PAGE_SIZE and page < MAX_PAGES
    return Feed(shown, page, has_next)


def _count_comments(cohort: Cohort, items: list[FeedItem]) -> None:
    """How many comments each item has, in one query however many items and kinds there are.
    Comments are read by whoever reads their item, and the feed lists only items the viewer
    reads."""
    about = Q(pk__in=[])
    for subject in Subject:
        ids = [i.subject_id for i in items if i.subject == subject]
        about |= Q(**{f"{subject.value}__in": ids})
    counts: Counter[tuple[str, int]] = Counter()
    fields = [subject.value for subject in Subject]
    for row in Comment.objects.filter(cohort=cohort).filter(about).values_list(*fields):
        for subject, pk in zip(Subject, row, strict=True):
            if pk is not None:
                counts[subject.value, pk] += 1
    for i in items:
        if i.subject is not None and i.subject_id is not None:
            i.comments = counts[i.subject.value, i.subject_id]


def add_board_feed(user: User, cohort: Cohort) -> Section | None:
    """The board's "Recent activity": the newest few items and a link to the whole feed."""
    feed = activity(user, cohort)
    return Section(
        "conversation/_board_feed.html",
        {"items": feed.items[:ON_BOARD], "more": len(feed.items) > ON_BOARD or feed.has_next},
    )
