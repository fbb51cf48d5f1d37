"""A network's own pages: its home, the member directory and profiles, the code of conduct,
and invitations (sending them as an organizer, accepting one as the invited person)."""

import logging
from typing import Any
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadre.accounts.http import AuthenticatedRequest
from cadre.accounts.models import User
from cadre.cohorts import policy as cohort_policy
from cadre.cohorts.models import CohortMembership, CohortStatus
from cadre.delivery.services import messages_about
from cadre.lib.rules import Refused, show_on_form
from cadre.networks import contributions, policy, services
from cadre.networks import invitations as invitation_links
from cadre.networks.forms import (
    ConductPublishForm,
    DirectoryFilterForm,
    InvitationForm,
    JoinWithNewAccountForm,
)
from cadre.networks.models import (
    Invitation,
    Network,
    NetworkMembership,
    Role,
)
from cadre.people.models import Profile, ProfileQuerySet, ProfileSkill

logger = logging.getLogger(__name__)

DIRECTORY_PAGE_SIZE = 25
OTHER_COHORTS_PAGE_SIZE = 12  # on the network home, after the person's own cohorts
INVITATIONS_PAGE_SIZE = 50


def _conduct_url(network: Network, next_url: str = "") -> str:
    url = reverse("networks:conduct", args=[network.slug])
    return f"{url}?{urlencode({'next': next_url}, safe='/')}" if next_url else url


def _safe_next(request: HttpRequest) -> str:
    """The `next` parameter if it points back into this site, else an empty string."""
    value = request.POST.get("next") or request.GET.get("next") or ""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


# --- home -------------------------------------------------------------------------------------


@login_required
@require_GET
def network_home(request: AuthenticatedRequest, network: str) -> HttpResponse:
    network_obj = policy.get_network_or_404(request.user, network)
    user = request.user
    manages = policy.can_manage_network(user, network_obj)
    must_accept = policy.must_accept_conduct(user, network_obj)
    visible = cohort_policy.visible_cohorts(user, network_obj)
    mine = cohort_policy.member_of(user)
    # Archived cohorts are left out unless asked for (?archived=1).
    show_archived = request.GET.get("archived") == "1"
    archived = Q(status=CohortStatus.ARCHIVED)
    shown = Q() if show_archived else ~archived
    # Both counts in one query: the archived ones not listed, and the others to page through.
    counts = visible.aggregate(
        archived=Count("pk", filter=archived), others=Count("pk", filter=shown & ~mine)
    )
    cohorts = visible.filter(shown).order_by("name")
    # The person's own cohorts always; the others a page at a time, so the page costs the
    # same however many cohorts the network shares.
    paginator = Paginator(cohorts.exclude(mine), OTHER_COHORTS_PAGE_SIZE)
    paginator.count = counts["others"]  # counted above, in the archived count's query
    others = paginator.get_page(request.GET.get("page"))
    home = contributions.contribute(
        contributions.NetworkHome(
            user=user,
            network=network_obj,
            cards=[
                *(contributions.Card(c, is_member=True) for c in cohorts.filter(mine)),
                *(contributions.Card(c, is_member=False) for c in others.object_list),
            ],
            conduct_pending=must_accept,
        )
    )
    context = {
        "network": network_obj,
        "role": policy.network_role(user, network_obj),
        "manages": manages,
        "can_view_directory": policy.can_view_directory(user, network_obj),
        "must_accept_conduct": must_accept,
        "conduct_url": _conduct_url(network_obj, network_obj.get_absolute_url()),
        "my_cards": home.my_cards,
        "other_cards": [c for c in home.cards if not c.is_member],
        "other_cohorts": others,
        "sections": home.sections,
        "show_archived": show_archived,
        "archived_count": counts["archived"],
        "pending_invitations": (
            Invitation.objects.pending().filter(network=network_obj).count() if manages else 0
        ),
    }
    return render(request, "networks/home.html", context)


# --- directory and profiles -------------------------------------------------------------------


def _get_directory_network_or_404(request: HttpRequest, slug: str) -> Network:
    network = policy.get_network_or_404(request.user, slug)
    if not policy.can_view_directory(request.user, network):
        raise Http404("No such page.")
    return network


def _network_profiles(network: Network) -> ProfileQuerySet:
    return Profile.objects.filter(user__network_memberships__network=network, user__is_active=True)


@login_required
@require_GET
def directory(request: AuthenticatedRequest, network: str) -> HttpResponse:
    network_obj = _get_directory_network_or_404(request, network)
    skills = list(network_obj.skills.active())
    members = _network_profiles(network_obj)
    form = DirectoryFilterForm(request.GET or None, skills=skills, profiles=members)
    role = NetworkMembership.objects.filter(network=network_obj, user=OuterRef("user_id"))
    profiles = (
        form.filtered(members)
        .select_related("user")
        .annotate(role=Subquery(role.values("role")[:1]))
        .prefetch_related(
            Prefetch(
                "skills",
                queryset=ProfileSkill.objects.filter(skill__network=network_obj)
                .select_related("skill")
                .order_by("-level", "skill__name"),
                to_attr="network_skills",
            )
        )
        .order_by("user__name", "pk")
    )
    page = Paginator(profiles, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    # Labelled here rather than in SQL: a role's label follows the page's language.
    role_labels = dict(Role.choices)
    for profile in page.object_list:
        profile.role_label = role_labels.get(profile.role, "")
    context = {
        "network": network_obj,
        "form": form,
        "page": page,
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
    }
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "networks/directory.html#results" if partial else "networks/directory.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def person(request: AuthenticatedRequest, network: str, user_id: int) -> HttpResponse:
    network_obj = _get_directory_network_or_404(request, network)
    membership = (
        NetworkMembership.objects.select_related("user")
        .filter(network=network_obj, user_id=user_id, user__is_active=True)
        .first()
    )
    if membership is None:
        raise Http404("No such person in this network.")
    profile = Profile.objects.filter(user_id=user_id).first()
    skills = (
        ProfileSkill.objects.filter(profile__user_id=user_id, skill__network=network_obj)
        .select_related("skill")
        .order_by("skill__category", "skill__name")
    )
    graduation = CohortMembership.objects.filter(cohort=OuterRef("pk"), user_id=user_id)
    cohorts = (
        cohort_policy.visible_cohorts(request.user, network_obj)
        .filter(memberships__user_id=user_id, memberships__left_on__isnull=True)
        .select_related("network")
        .annotate(graduated_on=Subquery(graduation.values("graduated_on")[:1]))
        .order_by("name")
    )
    context = {
        "network": network_obj,
        "membership": membership,
        "person": membership.user,
        "profile": profile,
        "skills": skills,
        "cohorts": cohorts,
        "is_me": membership.user_id == request.user.pk,
    }
    return render(request, "networks/person.html", context)


# --- code of conduct --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conduct(request: AuthenticatedRequest, network: str) -> HttpResponse:
    network_obj = policy.get_network_or_404(request.user, network)
    user = request.user
    code = network_obj.current_code_of_conduct()
    manages = policy.can_manage_network(user, network_obj)
    next_url = _safe_next(request)
    publish_form = None
    if manages:
        publish_form = ConductPublishForm(initial={"body": code.body if code else ""})

    if request.method == "POST":
        if request.POST.get("action") == "publish":
            publish_form = ConductPublishForm(request.POST)
            if publish_form.is_valid():
                try:
                    new = services.publish_conduct(
                        user,
                        network_obj,
                        body=publish_form.cleaned_data["body"],
                        change_note=publish_form.cleaned_data["change_note"],
                    )
                except Refused as refusal:
                    if refusal.kind == "forbidden":
                        raise PermissionDenied(refusal.message) from None
                    raise
                messages.success(
                    request,
                    _(
                        "Version %(version)s is published. Everyone in %(network)s will be asked "
                        "to accept it."
                    )
                    % {"version": new.version, "network": network_obj.name},
                )
                return redirect("networks:conduct", network_obj.slug)
        else:
            try:
                services.accept_conduct(user, network_obj, version=request.POST.get("version"))
            except Refused as refusal:
                if refusal.kind == "not_found":
                    return redirect(network_obj)
                messages.warning(request, refusal.message)
                return redirect(_conduct_url(network_obj, next_url))
            messages.success(request, _("Thank you for accepting the code of conduct."))
            return redirect(next_url or network_obj.get_absolute_url())

    acceptance = code.acceptances.filter(user=user).first() if code else None
    context: dict[str, Any] = {
        "network": network_obj,
        "code": code,
        "acceptance": acceptance,
        "next": next_url,
        "manages": manages,
        "publish_form": publish_form,
    }
    if manages and code is not None:
        context |= {
            "member_count": network_obj.memberships.count(),
            "accepted_count": code.acceptances.filter(
                user__network_memberships__network=network_obj
            ).count(),
        }
    return render(request, "networks/conduct.html", context)


# --- invitations (organizers) -----------------------------------------------------------------


def _get_managed_network(request: HttpRequest, slug: str) -> Network:
    network = policy.get_network_or_404(request.user, slug)
    try:
        services.require_invitation_manager(request.user, network)
    except Refused as refusal:
        raise PermissionDenied(refusal.message) from None
    return network


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: AuthenticatedRequest, network: str) -> HttpResponse:
    network_obj = _get_managed_network(request, network)
    form = InvitationForm(request.POST or None, network=network_obj, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(
                request.user,
                network_obj,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                message=form.cleaned_data["message"],
            )
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request, _("Invitation to %(email)s is on its way.") % {"email": invitation.email}
            )
            return redirect("networks:invitations", network_obj.slug)

    all_invitations = Invitation.objects.filter(network=network_obj).select_related(
        "invited_by", "accepted_by"
    )
    page = Paginator(all_invitations, INVITATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    sent = messages_about(f"invitation:{i.pk}" for i in page.object_list)
    for invitation in page.object_list:
        invitation.email_message = sent.get(f"invitation:{invitation.pk}")
        if invitation.email_message and invitation.email_message.status == "failed":
            invitation.link = invitation_links.accept_url(invitation)
    context = {
        "network": network_obj,
        "form": form,
        "page": page,
        "max_age_days": settings.CADRE_INVITATION_MAX_AGE_DAYS,
    }
    return render(request, "networks/invitations.html", context)


@login_required
@require_POST
def invitation_revoke(request: AuthenticatedRequest, network: str, pk: int) -> HttpResponse:
    network_obj = _get_managed_network(request, network)
    invitation = get_object_or_404(Invitation, pk=pk, network=network_obj)
    try:
        revoked = services.revoke_invitation(request.user, invitation)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        if revoked:
            messages.success(
                request,
                _("The invitation of %(email)s is revoked.") % {"email": invitation.email},
            )
    return redirect("networks:invitations", network_obj.slug)


# --- accepting an invitation (the invited person) ---------------------------------------------


def _problem(request: HttpRequest, problem: invitation_links.InvitationProblem) -> HttpResponse:
    return render(
        request, "networks/invitation_problem.html", {"problem": problem}, status=problem.status
    )


def _owns_address(user: User, email: str) -> bool:
    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _account_exists(email: str) -> bool:
    return (
        get_user_model().objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_links.verify_token(token)
    except invitation_links.InvitationProblem as problem:
        return _problem(request, problem)
    network = invitation.network
    conduct_url = _conduct_url(network, network.get_absolute_url())
    context: dict[str, object] = {"invitation": invitation, "invited_to": network}

    if request.user.is_authenticated:
        if not _owns_address(request.user, invitation.email):
            context["mode"] = "wrong_account"
            return render(request, "networks/invitation_accept.html", context, status=403)
        if request.method == "POST":
            try:
                invitation_links.accept(invitation, request.user)
            except invitation_links.InvitationProblem as problem:
                return _problem(request, problem)
            messages.success(request, _("Welcome to %(network)s.") % {"network": network.name})
            return redirect(conduct_url)
        context["mode"] = "join"
        return render(request, "networks/invitation_accept.html", context)

    if _account_exists(invitation.email):
        context["mode"] = "sign_in"
        context["login_url"] = (
            reverse("account_login") + "?" + urlencode({"next": request.get_full_path()})
        )
        return render(request, "networks/invitation_accept.html", context)

    form = JoinWithNewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    email=invitation.email,
                    password=form.cleaned_data["password1"],
                    name=form.cleaned_data["name"],
                )
                # The link reached this address, which proves it.
                EmailAddress.objects.create(
                    user=user, email=user.email, verified=True, primary=True
                )
                invitation_links.accept(invitation, user)
        except invitation_links.InvitationProblem as problem:
            return _problem(request, problem)
        except IntegrityError:
            # Someone made an account for this address a moment ago.
            return redirect(request.get_full_path())
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome to %(network)s, %(name)s.")
            % {"network": network.name, "name": user.get_short_name()},
        )
        return redirect(conduct_url)
    context["mode"] = "create"
    context["form"] = form
    return render(request, "networks/invitation_accept.html", context)
