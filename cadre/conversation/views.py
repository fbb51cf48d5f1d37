"""The conversation's pages: a cohort's activity feed, each item's conversation (comments,
replies, reactions), and a person's inbox of notifications.

Pages reuse `cohort_page` (404 for people who may not see the cohort, the code-of-conduct
gate); an item's page then finds the item through its own app's rule
(cadre.conversation.policy.get_item_or_404), so it opens to exactly the item's readers.
Every write goes through cadre.conversation.services."""

from __future__ import annotations

from collections import Counter
from typing import Any, NoReturn

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accountability.policy import can_view_board
from cadre.accounts.http import AuthenticatedRequest
from cadre.cohorts.models import Cohort
from cadre.cohorts.views import cohort_page
from cadre.lib.rules import Refused, show_on_form
from cadre.networks.models import Network

from . import feed as activity
from . import policy, services
from .forms import CommentForm, ReactionForm
from .models import Comment, Notification, Reaction, ReactionKind, Subject
from .policy import Item

INBOX_PAGE = 50


def _raise_for(refused: Refused) -> NoReturn:
    """A refusal that is not about the form's input: the page's 404 or 403."""
    if refused.kind == "not_found":
        raise Http404(refused.message) from None
    raise PermissionDenied(refused.message) from None


# --- the feed -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
@cohort_page(require=can_view_board)
def feed(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    result = activity.activity(request.user, cohort, page=page)
    return render(
        request,
        "conversation/feed.html",
        {"network": network, "cohort": cohort, "feed": result, "max_pages": activity.MAX_PAGES},
    )


# --- an item's conversation ---------------------------------------------------------------------


def item_url(item: Item) -> str:
    cohort = item.cohort
    return reverse(
        f"conversation:{item.subject.value}", args=[cohort.network.slug, cohort.slug, item.pk]
    )


def _reaction_rows(mine: set[str], counts: Counter[str]) -> list[dict[str, Any]]:
    return [
        {"kind": kind, "emoji": label, "count": counts[kind], "mine": kind in mine}
        for kind, label in ReactionKind.choices
    ]


def _thread_context(request: AuthenticatedRequest, item: Item, form: CommentForm) -> dict[str, Any]:
    me = request.user
    cohort = item.cohort
    comments = list(
        policy.visible_comments(me, cohort)
        .filter(parent__isnull=True, **item.fields)
        .select_related("author")
        .prefetch_related(
            Prefetch("replies", queryset=Comment.objects.select_related("author")),
            "reactions",
            "replies__reactions",
        )
    )
    item_reactions = list(Reaction.objects.filter(**item.fields))

    def rows(reactions: list[Reaction]) -> list[dict[str, Any]]:
        return _reaction_rows(
            {r.kind for r in reactions if r.user_id == me.pk}, Counter(r.kind for r in reactions)
        )

    threads = [
        {
            "comment": c,
            "reactions": rows(list(c.reactions.all())),
            "can_edit": policy.can_edit_comment(me, c),
            "can_remove": policy.can_remove_comment(me, c),
            "replies": [
                {
                    "comment": r,
                    "reactions": rows(list(r.reactions.all())),
                    "can_edit": policy.can_edit_comment(me, r),
                    "can_remove": policy.can_remove_comment(me, r),
                }
                for r in c.replies.all()
            ],
        }
        for c in comments
    ]
    can_talk = policy.can_talk_about(me, item)
    return {
        "network": cohort.network,
        "cohort": cohort,
        "item": item,
        "obj": item.obj,
        "subject": item.subject.value,
        "threads": threads,
        "reactions": rows(item_reactions),
        "form": form,
        "can_talk": can_talk,
        "members": services.member_handles(cohort) if can_talk else [],
        "url": item_url(item),
        "react_url": reverse(
            f"conversation:{item.subject.value}_react",
            args=[cohort.network.slug, cohort.slug, item.pk],
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
@cohort_page
def thread(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int, subject: Subject
) -> HttpResponse:
    """The item, what was said about it, and the form to say something (POST)."""
    item = policy.get_item_or_404(request.user, cohort, subject, pk)
    form = CommentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = policy.get_comment_or_404(request.user, cohort, form.cleaned_data["parent"])
        try:
            comment = services.post_comment(
                author=request.user, item=item, body=form.cleaned_data["body"], parent=parent
            )
        except Refused as refused:
            if refused.kind != "invalid":
                _raise_for(refused)
            show_on_form(form, refused)
        else:
            messages.success(request, "Your comment is posted.")
            return redirect(f"{item_url(item)}#comment-{comment.pk}")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "conversation/thread.html", _thread_context(request, item, form), status=status
    )


def _toggle(
    request: AuthenticatedRequest, item: Item, comment: Comment | None = None
) -> HttpResponse:
    form = ReactionForm(request.POST)
    kind = form.cleaned_data["kind"] if form.is_valid() else request.POST.get("kind", "")
    try:
        added = services.toggle_reaction(person=request.user, item=item, kind=kind, comment=comment)
    except Refused as refused:
        if refused.kind == "invalid":
            messages.error(request, refused.message)
            return redirect(item_url(item))
        _raise_for(refused)
    label = ReactionKind(kind).label
    messages.success(request, f"You reacted {label}." if added else f"You took back your {label}.")
    anchor = f"#comment-{comment.pk}" if comment is not None else ""
    return redirect(item_url(item) + anchor)


@login_required
@require_POST
@cohort_page
def react(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int, subject: Subject
) -> HttpResponse:
    """Toggle a reaction to the item."""
    return _toggle(request, policy.get_item_or_404(request.user, cohort, subject, pk))


@login_required
@require_POST
@cohort_page
def comment_react(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    """Toggle a reaction to a comment."""
    comment = policy.get_comment_or_404(request.user, cohort, pk)
    return _toggle(request, policy.item_of(comment), comment)


@login_required
@require_http_methods(["GET", "POST"])
@cohort_page
def comment_edit(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    comment = policy.get_comment_or_404(request.user, cohort, pk)
    item = policy.item_of(comment)
    if not policy.can_edit_comment(request.user, comment):
        raise PermissionDenied(services.NOT_YOUR_COMMENT)
    form = CommentForm(
        request.POST if request.method == "POST" else None, initial={"body": comment.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(
                person=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except Refused as refused:
            if refused.kind != "invalid":
                _raise_for(refused)
            show_on_form(form, refused)
        else:
            messages.success(request, "Your comment is changed.")
            return redirect(f"{item_url(item)}#comment-{comment.pk}")
    return render(
        request,
        "conversation/comment_edit.html",
        {
            "network": network,
            "cohort": cohort,
            "comment": comment,
            "item": item,
            "form": form,
            "url": item_url(item),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@cohort_page
def comment_delete(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    comment = policy.get_comment_or_404(request.user, cohort, pk)
    item = policy.item_of(comment)
    try:
        services.delete_comment(person=request.user, comment=comment)
    except Refused as refused:
        _raise_for(refused)
    messages.success(request, "The comment is removed.")
    return redirect(item_url(item))


# --- the inbox ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    """Unread notifications (or all of them, `?show=all`), newest first."""
    show_all = request.GET.get("show") == "all"
    found = policy.visible_notifications(request.user)
    if not show_all:
        found = found.unread()
    rows = list(
        found.select_related(
            "actor",
            "cohort__network",
            "comment",
            "update__author",
            "blocker__update__author",
            "experiment",
            "report__session",
        )[:INBOX_PAGE]
    )
    entries = [_entry(request.user, n) for n in rows]
    return render(
        request,
        "conversation/inbox.html",
        {
            "entries": entries,
            "show_all": show_all,
            "unread": policy.visible_notifications(request.user).unread().count(),
        },
    )


def _entry(user: Any, notification: Notification) -> dict[str, Any]:
    """A notification as the inbox shows it: a link only while its item is still readable."""
    item = policy.item_of(notification)
    readable = policy.can_read_item(user, item)
    url = item_url(item) if readable else ""
    if readable and notification.comment_id:
        url += f"#comment-{notification.comment_id}"
    return {"n": notification, "item": item if readable else None, "url": url}


@login_required
@require_POST
def inbox_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = policy.get_notification_or_404(request.user, pk)
    services.mark_read(person=request.user, notification=notification)
    if request.POST.get("show") == "all":
        return redirect(reverse("inbox:list") + "?show=all")
    return redirect("inbox:list")


@login_required
@require_POST
def inbox_read_all(request: AuthenticatedRequest) -> HttpResponse:
    count = services.mark_all_read(person=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("inbox:list")
