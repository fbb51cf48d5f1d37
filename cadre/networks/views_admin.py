"""The network's admin pages: its settings, its skill taxonomy, and inviting many people at
once (the last is the organizers', as single invitations are). Every change is a service in
`services.py` or `bulk_invitations.py`, which the API calls too."""

from itertools import groupby
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accounts.http import AuthenticatedRequest
from cadre.lib.rules import Refused, show_on_form
from cadre.networks import bulk_invitations, policy, services
from cadre.networks.forms import (
    BulkInvitationForm,
    NetworkSettingsForm,
    SkillForm,
    SkillMergeForm,
)
from cadre.networks.models import Network, Skill
from cadre.networks.views import _get_managed_network


def _admin_network(request: HttpRequest, slug: str) -> Network:
    """The network, for its admins; everyone else in it gets "not found", as the menu shows
    them no link (and outsiders cannot tell it exists)."""
    network = policy.get_network_or_404(request.user, slug)
    if not policy.can_edit_network_settings(request.user, network):
        raise Http404("No such page.")
    return network


def _skill(network: Network, pk: int) -> Skill:
    return get_object_or_404(Skill, pk=pk, network=network)


# --- settings -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def network_settings(request: AuthenticatedRequest, network: str) -> HttpResponse:
    found = _admin_network(request, network)
    initial = {"name": found.name, "description": found.description}
    form = NetworkSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_network(
                request.user,
                found,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except Refused as refusal:
            # The form holds what was typed; the network itself is read again unchanged.
            found.refresh_from_db()
            show_on_form(form, refusal)
        else:
            messages.success(request, _("The network’s settings are saved."))
            return redirect("networks:settings", found.slug)
    context = {
        "network": found,
        "form": form,
        "skill_count": found.skills.active().count(),
    }
    return render(request, "networks/settings.html", context)


# --- the skill taxonomy ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def skills(request: AuthenticatedRequest, network: str) -> HttpResponse:
    found = _admin_network(request, network)
    form = SkillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            skill = services.add_skill(request.user, found, **form.cleaned_data)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request, _("“%(skill)s” is added to the taxonomy.") % {"skill": skill.name}
            )
            return redirect("networks:skills", found.slug)
    every = list(found.skills.order_by("category", "name"))
    by_category = [
        (category, list(rows)) for category, rows in groupby(every, key=lambda s: s.category)
    ]
    context = {"network": found, "form": form, "by_category": by_category, "count": len(every)}
    return render(request, "networks/skills.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def skill_edit(request: AuthenticatedRequest, network: str, skill: int) -> HttpResponse:
    found = _admin_network(request, network)
    row = _skill(found, skill)
    initial = {"name": row.name, "category": row.category, "description": row.description}
    form = SkillForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_skill(request.user, row, **form.cleaned_data)
        except Refused as refusal:
            row.refresh_from_db()
            show_on_form(form, refusal)
        else:
            messages.success(request, _("“%(skill)s” is saved.") % {"skill": row.name})
            return redirect("networks:skills", found.slug)
    context = {
        "network": found,
        "skill": row,
        "form": form,
        "merge_form": SkillMergeForm(skill=row),
        "ratings": row.ratings.count(),
    }
    return render(request, "networks/skill_edit.html", context)


@login_required
@require_POST
def skill_retire(request: AuthenticatedRequest, network: str, skill: int) -> HttpResponse:
    found = _admin_network(request, network)
    row = _skill(found, skill)
    retire = request.POST.get("action") != "restore"
    services.retire_skill(request.user, row, retired=retire)
    if retire:
        messages.success(
            request,
            _("“%(skill)s” is retired: no longer offered, kept where people used it.")
            % {"skill": row.name},
        )
    else:
        messages.success(request, _("“%(skill)s” is offered again.") % {"skill": row.name})
    return redirect("networks:skills", found.slug)


@login_required
@require_POST
def skill_merge(request: AuthenticatedRequest, network: str, skill: int) -> HttpResponse:
    found = _admin_network(request, network)
    row = _skill(found, skill)
    form = SkillMergeForm(request.POST, skill=row)
    if form.is_valid():
        keep = _skill(found, int(form.cleaned_data["into"]))
        try:
            services.merge_skills(request.user, drop=row, keep=keep)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                _("“%(skill)s” is merged into “%(into)s”.")
                % {"skill": row.name, "into": keep.name},
            )
            return redirect("networks:skills", found.slug)
    context = {
        "network": found,
        "skill": row,
        "form": SkillForm(
            initial={"name": row.name, "category": row.category, "description": row.description}
        ),
        "merge_form": form,
        "ratings": row.ratings.count(),
    }
    return render(request, "networks/skill_edit.html", context, status=400)


# --- invitations in bulk (organizers) --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def invitations_bulk(request: AuthenticatedRequest, network: str) -> HttpResponse:
    found = _get_managed_network(request, network)
    form = BulkInvitationForm(
        request.POST or None, request.FILES or None, network=found, inviter=request.user
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "send":
                made, preview = bulk_invitations.invite_list(
                    request.user,
                    found,
                    text=data["text"],
                    format=data["format"],
                    role=data["role"],
                    message=data["message"],
                )
            else:
                preview = bulk_invitations.read_list(
                    found, text=data["text"], format=data["format"]
                )
                made = None
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            if made is not None:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d invitation is on the way.",
                        "%(count)d invitations are on the way.",
                        len(made),
                    )
                    % {"count": len(made)},
                )
                return redirect("networks:invitations", found.slug)
            # What was read is what will be sent: an uploaded file is carried as text.
            form = BulkInvitationForm(
                initial={**data, "file": None}, network=found, inviter=request.user
            )
    context: dict[str, Any] = {
        "network": found,
        "form": form,
        "preview": preview,
        "max_lines": bulk_invitations.MAX_LINES,
        "max_age_days": settings.CADRE_INVITATION_MAX_AGE_DAYS,
    }
    return render(request, "networks/invitations_bulk.html", context)
