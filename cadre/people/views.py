"""A person's own pages: their profile (shared with every network they belong to) and their
personal API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cadre.api.models import ApiToken
from cadre.lib.rules import Refused, show_on_form
from cadre.networks import policy as network_policy
from cadre.people import services
from cadre.people.forms import ProfileForm, SkillRatingsForm, TokenForm, availability_rows
from cadre.people.models import ProfileSkill


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    profile = services.profile_of(user)
    networks = network_policy.visible_networks(user).prefetch_related("skills").order_by("name")
    ratings = (
        dict(ProfileSkill.objects.filter(profile=profile).values_list("skill_id", "level"))
        if profile.pk
        else {}
    )
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=profile, user=user)
    skills_form = SkillRatingsForm(data, networks=networks, ratings=ratings)
    if request.method == "POST":
        # Validate both before saving either, so a mistake anywhere leaves everything as it was.
        forms_valid = form.is_valid()
        skills_valid = skills_form.is_valid()
        if forms_valid and skills_valid:
            try:
                services.update_profile(
                    user,
                    name=form.cleaned_data["name"],
                    fields=form.profile_fields(),
                    ratings=skills_form.ratings(),
                )
            except Refused as refusal:
                show_on_form(form, refusal)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect("people:profile_edit")
        messages.error(request, services.NOT_SAVED)
    context = {
        "form": form,
        "skills_form": skills_form,
        "availability_rows": availability_rows(form["availability"].value() or []),
        "networks": networks,
    }
    return render(request, "people/profile_edit.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        token, raw = ApiToken.issue(request.user, form.cleaned_data["name"])
        # Shown on this response only: the database keeps just a hash.
        new_token = {"token": token, "raw": raw}
        form = TokenForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    return render(request, "people/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, f"The token “{token.name}” is revoked.")
    return redirect("people:tokens")
