"""A person's own page: their profile, shared with every network they belong to. (Their API
tokens page is the API app's: cadre/api/views.py.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cadre.accounts.http import AuthenticatedRequest
from cadre.lib.rules import Refused, show_on_form
from cadre.networks import policy as network_policy
from cadre.people import services
from cadre.people.forms import ProfileForm, SkillRatingsForm, availability_rows
from cadre.people.models import ProfileSkill


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedRequest) -> HttpResponse:
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
