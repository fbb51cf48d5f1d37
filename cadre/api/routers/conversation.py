"""A cohort's activity feed, comments and reactions under /networks/{slug}/cohorts/{cohort},
and your notifications under /me/notifications. The same policy
(cadre.conversation.policy: an item's readers are its own app's) and services
(cadre.conversation.services) as the pages: an item you may not read is a 404, commenting and
reacting are for the cohort's active members (403 for others), and a notification is its
recipient's alone."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from cadre.accountability.policy import get_board_cohort_or_404
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import ID_MAX, Id, UserRef
from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import get_cohort_or_404
from cadre.conversation import feed, policy, services
from cadre.conversation.models import Comment, Notification, Reaction, ReactionKind, Subject

router = Router(tags=["conversation"])

COHORT = "/networks/{slug}/cohorts/{cohort}"


# --- schemas -------------------------------------------------------------------------------


class FeedItemOut(Schema):
    kind: str = Field(
        ...,
        description="update, help_offered, help_accepted, commitment_done, experiment_started,"
        " experiment_finished or report_published.",
    )
    at: datetime
    actor: UserRef | None
    url: str = Field(..., description="The item's page.")
    title: str
    done: str
    remaining: str
    blocker: str
    subject: Subject | None = Field(None, description="What comments on it attach to.")
    subject_id: int | None
    comments: int


class FeedOut(Schema):
    items: list[FeedItemOut]
    page: int
    has_next: bool


class CommentOut(Schema):
    id: int
    subject: Subject
    item: int
    parent: int | None
    author: UserRef
    body: str = Field(..., description="Markdown.")
    created_at: datetime
    edited_at: datetime | None

    @staticmethod
    def resolve_item(obj: Comment) -> int:
        return obj.subject_id

    @staticmethod
    def resolve_parent(obj: Comment) -> int | None:
        return obj.parent_id


class CommentIn(Schema):
    subject: Subject
    item: Id
    body: str = Field(..., min_length=1, max_length=services.MAX_BODY)
    parent: Id | None = Field(None, description="The comment this one answers.")


class CommentPatch(Schema):
    body: str = Field(..., min_length=1, max_length=services.MAX_BODY)


class ReactionIn(Schema):
    subject: Subject
    item: Id
    comment: Id | None = Field(None, description="React to this comment on the item instead.")
    kind: ReactionKind


class ReactionCount(Schema):
    kind: ReactionKind
    count: int
    mine: bool


class ReactionOut(Schema):
    added: bool = Field(..., description="True when the reaction was added, false when taken back.")
    reactions: list[ReactionCount]


class NotificationOut(Schema):
    id: int
    verb: str = Field(..., description="commented, replied, mentioned or reacted.")
    actor: UserRef
    others: int = Field(..., description="How many more people reacted.")
    network: str
    cohort: str
    subject: Subject
    item: int
    comment: int | None
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_network(obj: Notification) -> str:
        return obj.cohort.network.slug

    @staticmethod
    def resolve_cohort(obj: Notification) -> str:
        return obj.cohort.slug

    @staticmethod
    def resolve_item(obj: Notification) -> int:
        return obj.subject_id

    @staticmethod
    def resolve_comment(obj: Notification) -> int | None:
        return obj.comment_id


class MarkedOut(Schema):
    marked: int


# --- helpers -------------------------------------------------------------------------------


def _cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = get_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


def _item(request: HttpRequest, slug: str, cohort: str, subject: Subject, pk: int) -> policy.Item:
    return policy.get_item_or_404(user_of(request), _cohort(request, slug, cohort), subject, pk)


# --- the feed ------------------------------------------------------------------------------


@router.get(COHORT + "/activity", response={200: FeedOut}, summary="Activity feed")
def activity(
    request: HttpRequest, slug: str, cohort: str, page: int = Query(1, ge=1, le=feed.MAX_PAGES)
) -> dict[str, Any]:
    """What happened in the cohort, newest first, as the board shows it to you (private
    commitments and their updates only to their owner); pages of 20, at most 10 pages."""
    found = get_board_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    result = feed.activity(user_of(request), found, page=page)
    return {"items": result.items, "page": result.page, "has_next": result.has_next}


# --- comments ------------------------------------------------------------------------------


@router.get(COHORT + "/comments", response={200: list[CommentOut]}, summary="Comments on an item")
@paginate(Pagination)
def comments(
    request: HttpRequest,
    slug: str,
    cohort: str,
    subject: Subject,
    item: int = Query(..., ge=1, le=ID_MAX),
) -> Any:
    """The comments and replies on one item you may read, oldest first."""
    found = _item(request, slug, cohort, subject, item)
    return (
        policy.visible_comments(user_of(request), found.cohort)
        .filter(**found.fields)
        .select_related("author")
        .order_by("created_at", "pk")
    )


@router.post(COHORT + "/comments", response={201: CommentOut}, summary="Comment on an item")
def create_comment(
    request: HttpRequest, slug: str, cohort: str, payload: CommentIn
) -> Status[Comment]:
    """A comment (or, with `parent`, a reply) on an item; the item's owner, the author
    answered and the members @mentioned who may read the item are notified."""
    found = _item(request, slug, cohort, payload.subject, payload.item)
    parent = None
    if payload.parent is not None:
        parent = policy.get_comment_or_404(user_of(request), found.cohort, payload.parent)
    comment = services.post_comment(
        author=user_of(request), item=found, body=payload.body, parent=parent
    )
    return Status(201, comment)


@router.patch(COHORT + "/comments/{pk}", response={200: CommentOut}, summary="Edit a comment")
def edit_comment(
    request: HttpRequest, slug: str, cohort: str, pk: Id, payload: CommentPatch
) -> Comment:
    """Your own comment."""
    comment = policy.get_comment_or_404(user_of(request), _cohort(request, slug, cohort), pk)
    return services.edit_comment(person=user_of(request), comment=comment, body=payload.body)


@router.delete(COHORT + "/comments/{pk}", response={204: None}, summary="Remove a comment")
def delete_comment(request: HttpRequest, slug: str, cohort: str, pk: Id) -> Status[None]:
    """Your own comment, or any comment in a cohort you host; its replies go with it."""
    comment = policy.get_comment_or_404(user_of(request), _cohort(request, slug, cohort), pk)
    services.delete_comment(person=user_of(request), comment=comment)
    return Status(204, None)


# --- reactions -----------------------------------------------------------------------------


@router.post(COHORT + "/reactions", response={200: ReactionOut}, summary="Toggle a reaction")
def toggle_reaction(
    request: HttpRequest, slug: str, cohort: str, payload: ReactionIn
) -> dict[str, Any]:
    """Add your reaction of `kind` to the item (or to `comment` on it), or take it back if
    it is there."""
    me = user_of(request)
    found = _item(request, slug, cohort, payload.subject, payload.item)
    comment = None
    target: dict[str, Any] = found.fields
    if payload.comment is not None:
        comment = policy.get_comment_on_or_404(me, found, payload.comment)
        target = {"comment": comment}
    added = services.toggle_reaction(person=me, item=found, kind=payload.kind, comment=comment)
    rows = list(Reaction.objects.filter(**target))
    return {
        "added": added,
        "reactions": [
            {
                "kind": kind,
                "count": sum(1 for r in rows if r.kind == kind),
                "mine": any(r.kind == kind and r.user_id == me.pk for r in rows),
            }
            for kind in ReactionKind
        ],
    }


# --- notifications -------------------------------------------------------------------------


@router.get("/me/notifications", response={200: list[NotificationOut]}, summary="My notifications")
@paginate(Pagination)
def notifications(request: HttpRequest, unread: bool = False) -> Any:
    """Your notifications, newest first (`unread=true`: only those not read yet)."""
    found = policy.visible_notifications(user_of(request))
    if unread:
        found = found.unread()
    return found.select_related("actor", "cohort__network")


@router.post("/me/notifications/read", response={200: MarkedOut}, summary="Mark all read")
def read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.mark_all_read(person=user_of(request))}


@router.post(
    "/me/notifications/{pk}/read", response={200: NotificationOut}, summary="Mark one read"
)
def read_one(request: HttpRequest, pk: Id) -> Notification:
    notification = policy.get_notification_or_404(user_of(request), pk)
    return services.mark_read(person=user_of(request), notification=notification)
