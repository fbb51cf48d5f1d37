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
    happened = _happenings(user, cohort, wanted=page * PAGE_SIZE + 1)
    start = (page - 1) * PAGE_SIZE
    shown = _items(cohort, happened[start : start + PAGE_SIZE])
    has_next = len(happened) > start + PAGE_SIZE and page < MAX_PAGES
    return Feed(shown, page, has_next)


# One thing that happened before it is made an item: (when, its kind, the row it comes from).
# Only the items a page shows are made (their links reversed, their comments counted).
_Happening = tuple[datetime, str, Any]


def _happenings(user: User, cohort: Cohort, *, wanted: int) -> list[_Happening]:
    """What `user` may see happen in `cohort`, newest first: at most `wanted` of each source,
    so the first `wanted` of all of them are all there."""
    found: list[_Happening] = []
    updates = (
        board.visible_updates(user, cohort)
        .select_related("author__profile", "commitment", "blocker")
        .order_by("-created_at", "-pk")[:wanted]
    )
    found += [(u.created_at, Kind.UPDATE, u) for u in updates]
    offers = HelpOffer.objects.filter(
        blocker__in=board.visible_blockers(user, cohort)
    ).select_related("helper__profile", "blocker__update__author__profile")
    found += [(o.created_at, Kind.OFFER, o) for o in offers.order_by("-created_at", "-pk")[:wanted]]
    accepted = offers.filter(accepted_at__isnull=False).order_by("-accepted_at", "-pk")[:wanted]
    for o in accepted:
        assert o.accepted_at is not None
        found.append((o.accepted_at, Kind.ACCEPTED, o))
    done = (
        board.visible_commitments(user, cohort)
        .completed()
        .filter(completed_at__isnull=False)
        .select_related("owner__profile")
        .order_by("-completed_at", "-pk")[:wanted]
    )
    for c in done:
        assert c.completed_at is not None
        found.append((c.completed_at, Kind.DONE, c))
    experiments = board.visible_experiments(user, cohort).select_related("owner__profile")
    started = experiments.order_by("-created_at", "-pk")[:wanted]
    found += [(e.created_at, Kind.STARTED, e) for e in started]
    finished = experiments.exclude(outcome=Outcome.RUNNING).order_by("-ends_on", "-pk")[:wanted]
    found += [(_finished_at(cohort, e.ends_on), Kind.FINISHED, e) for e in finished]
    reports = (
        schedule.visible_session_reports(user, cohort)
        .filter(status=ReportStatus.PUBLISHED, published_at__isnull=False)
        .select_related("session", "published_by__profile")
        .order_by("-published_at", "-pk")[:wanted]
    )
    for r in reports:
        assert r.published_at is not None
        found.append((r.published_at, Kind.REPORT, r))
    found.sort(key=lambda h: (h[0], h[1]), reverse=True)
    return found


def _items(cohort: Cohort, happened: list[_Happening]) -> list[FeedItem]:
    """The feed's items for what happened, with their comments counted."""
    items = [_item(cohort, kind, row) for _, kind, row in happened]
    _count_comments(cohort, items)
    return items


def _item(cohort: Cohort, kind: str, row: Any) -> FeedItem:
    if kind == Kind.UPDATE:
        blocker = getattr(row, "blocker", None)
        return FeedItem(
            Kind.UPDATE,
            row.created_at,
            row.author,
            reverse("conversation:update", args=_args(cohort, row.pk)),
            title=row.commitment.text if row.commitment else "",
            done=row.done,
            remaining=row.remaining,
            blocker=blocker.text if blocker else "",
            subject=Subject.UPDATE,
            subject_id=row.pk,
            extra={"blocker_id": blocker.pk if blocker else None},
        )
    if kind in (Kind.OFFER, Kind.ACCEPTED):
        helper, helped = row.helper, row.blocker.update.author
        return FeedItem(
            kind,
            row.created_at if kind == Kind.OFFER else row.accepted_at,
            helper if kind == Kind.OFFER else helped,
            reverse("conversation:blocker", args=_args(cohort, row.blocker_id)),
            blocker=row.blocker.text,
            other=helped if kind == Kind.OFFER else helper,
            subject=Subject.BLOCKER,
            subject_id=row.blocker_id,
        )
    if kind == Kind.DONE:
        return FeedItem(
            Kind.DONE,
            row.completed_at,
            row.owner,
            reverse("accountability:commitment", args=_args(cohort, row.pk)),
            title=row.text,
        )
    if kind in (Kind.STARTED, Kind.FINISHED):
        started = kind == Kind.STARTED
        return FeedItem(
            kind,
            row.created_at if started else _finished_at(cohort, row.ends_on),
            row.owner,
            reverse("conversation:experiment", args=_args(cohort, row.pk)),
            title=row.title,
            subject=Subject.EXPERIMENT,
            subject_id=row.pk,
            extra={} if started else {"outcome": row.get_outcome_display().lower()},
        )
    assert kind == Kind.REPORT
    return FeedItem(
        Kind.REPORT,
        row.published_at,
        row.published_by,
        reverse("conversation:report", args=_args(cohort, row.pk)),
        title=_session_title(cohort, row.session),
        subject=Subject.REPORT,
        subject_id=row.pk,
    )


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
    # One more of each source than it shows tells whether there is more to see.
    happened = _happenings(user, cohort, wanted=ON_BOARD + 1)
    return Section(
        "conversation/_board_feed.html",
        {"items": _items(cohort, happened[:ON_BOARD]), "more": len(happened) > ON_BOARD},
    )
