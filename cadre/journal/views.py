"""The learning journal's pages: my journal, the network journal, a tag's entries, one entry,
and writing, changing and deleting an entry.

Every page is the network's: people outside it get 404, and people who have not accepted
its code of conduct are sent to accept it first. Which entries a person reads is decided by
cadre.journal.policy.visible_journal_entries; an entry they may not read is a 404, and only
its author changes or deletes it (403 for the other readers, from cadre.journal.services,
which makes every write)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from cadre.accounts.http import AuthenticatedRequest
from cadre.accounts.models import User
from cadre.cohorts.policy import visible_cohorts
from cadre.lib.rules import Refused
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404, must_accept_conduct

from . import policy, services
from .forms import LINKS, JournalEntryForm, JournalFilterForm
from .models import JournalEntry, JournalVisibility, with_details

PAGE_SIZE = 20

NetworkView = Callable[..., HttpResponse]


def journal_page(view: NetworkView) -> NetworkView:
    """Turn the `network` slug into a network the user belongs to (404 otherwise) and send
    them to the code of conduct until they have accepted its current version."""

    @wraps(view)
    def wrapper(request: AuthenticatedRequest, network: str, **kwargs: Any) -> HttpResponse:
        found = get_network_or_404(request.user, network)
        if must_accept_conduct(request.user, found):
            back = (
                request.get_full_path()
                if request.method in ("GET", "HEAD")
                else reverse("journal:mine", args=[found.slug])
            )
            target = reverse("networks:conduct", args=[found.slug]) + "?next=" + quote(back)
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return view(request, found, **kwargs)

    return wrapper


def _forbidden(refusal: Refused | None) -> None:
    if refusal is not None:
        raise PermissionDenied(refusal.message)


def _own_entry_or_404(request: AuthenticatedRequest, network: Network, pk: int) -> JournalEntry:
    entry = policy.get_journal_entry_or_404(request.user, network, pk)
    _forbidden(services.changing_refusal(request.user, entry))
    return entry


def readers_in_words(entry: JournalEntry, network: Network) -> str:
    """Who can read `entry`, as a sentence for the page."""
    author = entry.author.name or _("the author")
    if entry.visibility == JournalVisibility.NETWORK:
        who = _("Everyone in %(network)s except partners") % {"network": network.name}
    elif entry.visibility == JournalVisibility.COHORT and entry.cohort is not None:
        who = _("%(author)s and the members of %(cohort)s, and the network’s organizers") % {
            "author": author,
            "cohort": entry.cohort.name,
        }
    else:
        who = _("Only %(author)s") % {"author": author}
    named = [p.name or p.email for p in entry.shared_with.all()]
    if len(named) == 1:
        return _("%(readers)s, and %(person)s, by name.") % {"readers": who, "person": named[0]}
    if named:
        return _("%(readers)s, and %(people)s by name.") % {
            "readers": who,
            "people": _and_list(named),
        }
    return who + "."


def _and_list(names: list[str]) -> str:
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _visible_links(user: User, entry: JournalEntry) -> list[tuple[str, Any]]:
    """(kind, item) for what the entry is tied to that this reader may see."""
    found = []
    for kind in LINKS:
        item = getattr(entry, kind)
        if item is not None and policy.can_see_journal_link(user, item):
            found.append((kind, item))
    return found


def _paginate(request: AuthenticatedRequest, entries: QuerySet[JournalEntry]) -> Page:
    paginator = Paginator(with_details(entries), PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def _list(
    request: AuthenticatedRequest,
    network: Network,
    entries: QuerySet[JournalEntry],
    *,
    title: str,
    mine: bool,
    tag: str = "",
) -> HttpResponse:
    cohorts = (
        policy.journal_cohorts(request.user, network)
        if mine
        else visible_cohorts(request.user, network)
    )
    form = JournalFilterForm(request.GET or None, network=network, cohorts=cohorts)
    entries = form.apply(entries)
    author = None
    if form.is_bound and form.is_valid() and form.cleaned_data.get("author"):
        author = get_user_model().objects.filter(pk=form.cleaned_data["author"]).first()
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    partial = htmx is not None and bool(htmx) and not htmx.history_restore_request
    return render(
        request,
        "journal/list.html#results" if partial else "journal/list.html",
        {
            "network": network,
            "title": title,
            "mine": mine,
            "tag": tag,
            "form": form,
            "filtered": form.is_bound and form.filtered,
            "author": author,
            "page": _paginate(request, entries),
            "can_write": policy.can_write_journal(request.user, network),
        },
    )


@login_required
@require_GET
@journal_page
def mine(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    """My entries, newest first, whatever their visibility."""
    entries = JournalEntry.objects.filter(network=network, author=request.user)
    return _list(request, network, entries, title=_("My journal"), mine=True)


@login_required
@require_GET
@journal_page
def network_journal(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    """Every entry I may read: the network's, my cohorts', and those shared with me."""
    entries = policy.visible_journal_entries(request.user, network)
    return _list(
        request,
        network,
        entries,
        title=_("%(network)s journal") % {"network": network.name},
        mine=False,
    )


@login_required
@require_GET
@journal_page
def tag_page(request: AuthenticatedRequest, network: Network, tag: str) -> HttpResponse:
    entries = policy.visible_journal_entries(request.user, network).filter(tags__name=tag)
    return _list(
        request, network, entries, title=_("Tagged “%(tag)s”") % {"tag": tag}, mine=False, tag=tag
    )


@login_required
@require_GET
@journal_page
def entry_detail(request: AuthenticatedRequest, network: Network, pk: int) -> HttpResponse:
    entry = policy.get_journal_entry_or_404(request.user, network, pk)
    return render(
        request,
        "journal/entry.html",
        {
            "network": network,
            "entry": entry,
            "links": _visible_links(request.user, entry),
            "readers": readers_in_words(entry, network),
            "can_edit": services.changing_refusal(request.user, entry) is None,
            "can_write": policy.can_write_journal(request.user, network),
        },
    )


def _initial_links(request: AuthenticatedRequest, form: JournalEntryForm) -> dict[str, Any]:
    """?session=, ?experiment= or ?commitment= from the page the author came from, when it is
    something they may tie an entry to; the cohort follows."""
    initial: dict[str, Any] = {}
    for name in LINKS:
        value = request.GET.get(name, "")
        if not value.isdigit():
            continue
        field = form.fields[name]
        # JournalEntryForm makes each link a ModelChoiceField and always sets its choices.
        assert isinstance(field, ModelChoiceField) and field.queryset is not None
        item = field.queryset.filter(pk=int(value)).first()
        if item is not None:
            initial[name] = item.pk
            initial["cohort"] = item.cohort
    return initial


def _entry_form(
    request: AuthenticatedRequest, network: Network, entry: JournalEntry
) -> HttpResponse:
    choices = services.share_choices(request.user, network, entry)
    if request.method == "POST":
        try:
            if entry.pk is None:
                saved = services.write_entry(
                    request.user, network, data=request.POST, share_choices=choices
                )
            else:
                saved = services.change_entry(
                    request.user, entry, data=request.POST, share_choices=choices
                )
        except services.EntryInvalid as invalid:
            form = invalid.form
        except Refused as refused:
            raise PermissionDenied(refused.message) from None
        else:
            messages.success(request, _("Your journal entry is saved."))
            return redirect("journal:entry", network.slug, saved.pk)
        status = 422
    else:
        form = JournalEntryForm(instance=entry, share_choices=choices)
        if entry.pk is None:
            form.initial.update(_initial_links(request, form))
        status = 200
    return render(
        request,
        "journal/form.html",
        {"network": network, "form": form, "entry": entry, "can_write": True},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@journal_page
def entry_new(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    _forbidden(services.writing_refusal(request.user, network))
    return _entry_form(request, network, JournalEntry(network=network, author=request.user))


@login_required
@require_http_methods(["GET", "POST"])
@journal_page
def entry_edit(request: AuthenticatedRequest, network: Network, pk: int) -> HttpResponse:
    return _entry_form(request, network, _own_entry_or_404(request, network, pk))


@login_required
@require_http_methods(["GET", "POST"])
@journal_page
def entry_delete(request: AuthenticatedRequest, network: Network, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    entry = _own_entry_or_404(request, network, pk)
    if request.method == "POST":
        services.delete_entry(request.user, entry)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": entry.title})
        return redirect("journal:mine", network.slug)
    return render(request, "journal/delete.html", {"network": network, "entry": entry})
