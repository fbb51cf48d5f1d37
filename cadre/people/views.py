"""A person's own page: their profile, shared with every network they belong to. (Their API
tokens page is the API app's: cadre/api/views.py.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadre.accounts.http import AuthenticatedRequest
from cadre.accounts.models import User
from cadre.lib.rules import Refused, show_on_form
from cadre.networks import policy as network_policy
from cadre.people import avatars, languages, services
from cadre.people.forms import AvatarForm, ProfileForm, SkillRatingsForm, availability_rows
from cadre.people.models import Profile, ProfileSkill
from cadre.people.policy import can_view_avatar


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
                languages.remember(request, form.cleaned_data["language"])
                chosen = form.cleaned_data["language"] or translation.get_language()
                with translation.override(chosen):
                    messages.success(request, _("Your profile is saved."))
                return redirect("people:profile_edit")
        messages.error(request, _(services.NOT_SAVED))
    context = {
        "form": form,
        "skills_form": skills_form,
        "availability_rows": availability_rows(form["availability"].value() or []),
        "networks": networks,
        "network_names": ", ".join(n.name for n in networks),
        "avatar_form": AvatarForm(),
    }
    return render(request, "people/profile_edit.html", context)


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The language switcher in every page's footer: a visitor's choice is kept in a cookie,
    a signed-in person's on their profile too. Back to the page it was sent from."""
    language = request.POST.get("language", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    if language and not languages.is_offered(language):
        messages.error(request, _("Cadre does not speak that language yet."))
        return redirect(back)
    if request.user.is_authenticated and languages.saved_language(request.user) != language:
        try:
            services.update_profile(request.user, fields={"language": language})
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect(back)
    if request.user.is_authenticated:
        languages.remember(request, language)
    response = redirect(back)
    languages.set_cookie(response, language)
    return response


@login_required
@require_POST
def avatar_edit(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a new picture, or remove it (`action=remove`)."""
    if request.POST.get("action") == "remove":
        if avatars.remove_avatar(request.user):
            messages.success(request, _("Your picture is removed; your initials show instead."))
        return redirect("people:profile_edit")
    form = AvatarForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["avatar"]
        try:
            avatars.set_avatar(request.user, upload, size=upload.size)
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Your picture is saved."))
    else:
        for problem in form.errors.get("avatar", []):
            messages.error(request, str(problem))
    return redirect("people:profile_edit")


@login_required
@require_GET
def avatar(request: AuthenticatedRequest, user_id: int) -> HttpResponseBase:
    """A person's picture, for the people who may see them (not found for everyone else)."""
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None or not can_view_avatar(request.user, person):
        raise Http404("No such picture.")
    profile = Profile.objects.filter(user=person).first()
    if profile is None or not profile.avatar:
        raise Http404("No such picture.")
    try:
        handle = profile.avatar.open("rb")
    except FileNotFoundError:
        raise Http404("No such picture.") from None
    response = FileResponse(handle, content_type="image/jpeg")
    # Only this viewer's browser keeps it: who may see a picture can change.
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
