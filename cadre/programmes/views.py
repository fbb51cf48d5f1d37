"""Pages under /n/<network>/programmes/: the network's programmes, one programme's weeks,
importing a file or a programme that ships with Cadre, exporting one as a file, and laying
one onto a cohort's schedule. Rules are cadre.programmes.policy's, writes its services'."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadre.accounts.http import AuthenticatedRequest
from cadre.lib.rules import Refused, raise_for_page, show_on_form
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404, must_accept_conduct

from . import policy, services
from .files import ProgrammeFileRefused
from .forms import ApplyForm, ImportForm
from .models import Programme


def programmes_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The network from the URL for its insiders (404 for anyone else), after the
    code-of-conduct gate."""

    @wraps(view)
    def wrapper(request: HttpRequest, network: str, **kwargs: Any) -> HttpResponse:
        found = get_network_or_404(request.user, network)
        if not policy.can_view_programmes(request.user, found):
            raise Http404("No such page.")
        if must_accept_conduct(request.user, found):
            back = request.get_full_path() if request.method == "GET" else found.get_absolute_url()
            return redirect(reverse("networks:conduct", args=[found.slug]) + "?next=" + quote(back))
        return view(request, found, **kwargs)

    return wrapper


def _require_manager(request: AuthenticatedRequest, network: Network) -> None:
    if not policy.can_manage_programmes(request.user, network):
        raise PermissionDenied(_(services.ORGANIZERS_ONLY))


@login_required
@require_GET
@programmes_page
def programme_list(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    programmes = list(policy.visible_programmes(request.user, network).order_by("title"))
    have = {p.title for p in programmes}
    can_manage = policy.can_manage_programmes(request.user, network)
    shipped = [(slug, title) for slug, title in services.shipped_titles() if title not in have]
    return render(
        request,
        "programmes/list.html",
        {
            "network": network,
            "programmes": programmes,
            "can_manage": can_manage,
            "shipped": shipped if can_manage else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@programmes_page
def programme_import(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    """Upload a programme file: every problem is listed with where it is, nothing is saved
    unless all of it is right."""
    _require_manager(request, network)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.import_programme(
                by=request.user, network=network, content=form.cleaned_data["file"]
            )
        except ProgrammeFileRefused as refusal:
            problems = refusal.problems
            form.add_error("file", refusal.message)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            weeks = programme.weeks.count()
            messages.success(
                request,
                ngettext(
                    "“%(title)s” is imported, with %(count)s week.",
                    "“%(title)s” is imported, with %(count)s weeks.",
                    weeks,
                )
                % {"title": programme.title, "count": weeks},
            )
            return redirect("programmes:detail", network.slug, programme.pk)
    return render(
        request,
        "programmes/import.html",
        {"network": network, "form": form, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@programmes_page
def programme_add_shipped(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    """Add a programme that ships with Cadre to the network."""
    _require_manager(request, network)
    try:
        programme = services.add_shipped(
            by=request.user, network=network, slug=request.POST.get("slug", "")
        )
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, refusal.message)
        return redirect("programmes:list", network.slug)
    messages.success(
        request,
        _("“%(title)s” is added to the network’s programmes.") % {"title": programme.title},
    )
    return redirect("programmes:detail", network.slug, programme.pk)


def _programme(request: AuthenticatedRequest, network: Network, pk: int) -> Programme:
    return policy.get_programme_or_404(request.user, network, pk)


@login_required
@require_GET
@programmes_page
def programme_detail(
    request: AuthenticatedRequest, network: Network, programme: int
) -> HttpResponse:
    found = _programme(request, network, programme)
    return render(
        request,
        "programmes/detail.html",
        {
            "network": network,
            "programme": found,
            "weeks": list(found.weeks.order_by("number")),
            "can_apply": bool(services.cohorts_to_apply(request.user, network)),
        },
    )


@login_required
@require_GET
@programmes_page
def programme_export(
    request: AuthenticatedRequest, network: Network, programme: int
) -> HttpResponse:
    found = _programme(request, network, programme)
    response = HttpResponse(
        services.export_programme(programme=found), content_type="application/json; charset=utf-8"
    )
    name = slugify(found.title) or "programme"
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@programmes_page
def programme_apply(
    request: AuthenticatedRequest, network: Network, programme: int
) -> HttpResponse:
    """Lay the programme onto a cohort's upcoming sessions; asks before replacing agendas
    that someone wrote."""
    found = _programme(request, network, programme)
    cohorts = services.cohorts_to_apply(request.user, network)
    if not cohorts:
        raise PermissionDenied(_(services.APPLIERS_ONLY))
    form = ApplyForm(request.POST or None, cohorts=[(c.slug, c.name) for c in cohorts])
    ask_overwrite = False
    if request.method == "POST" and form.is_valid():
        cohort = next(c for c in cohorts if c.slug == form.cleaned_data["cohort"])
        try:
            done = services.apply_programme(
                by=request.user,
                programme=found,
                cohort=cohort,
                overwrite=form.cleaned_data["overwrite"],
            )
        except Refused as refusal:
            raise_for_page(refusal)
            ask_overwrite = refusal.code == "agenda_exists"
            show_on_form(form, refusal)
        else:
            laid = {"cohort": cohort.name, "title": found.title, "count": len(done.pairs)}
            if done.weeks_left:
                laid["first"] = done.weeks_left[0].number
                laid["last"] = done.weeks_left[-1].number
                message = _(
                    "%(cohort)s follows “%(title)s”: weeks 1–%(count)s are on its next "
                    "%(count)s sessions. Weeks %(first)s–%(last)s have no session yet; apply "
                    "again once the schedule has more."
                )
            else:
                message = _(
                    "%(cohort)s follows “%(title)s”: weeks 1–%(count)s are on its next "
                    "%(count)s sessions."
                )
            messages.success(request, message % laid)
            return redirect("schedule:page", network.slug, cohort.slug)
    return render(
        request,
        "programmes/apply.html",
        {"network": network, "programme": found, "form": form, "ask_overwrite": ask_overwrite},
        status=400 if request.method == "POST" else 200,
    )
