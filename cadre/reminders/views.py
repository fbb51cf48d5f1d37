"""Notification settings: a page for signed-in people, and the unsubscribe link in every
reminder, which works without signing in because its token is signed."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import PreferenceForm
from .models import PREFERENCE_FIELDS, PREFERENCE_OF, Kind, NotificationPreference
from .sending import read_unsubscribe_token


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    preference = NotificationPreference.for_user(request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications")
    return render(request, "reminders/preferences.html", {"form": form})


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_id, kind = read_unsubscribe_token(token)
        user = get_user_model().objects.get(pk=user_id, is_active=True)
    except (signing.BadSignature, get_user_model().DoesNotExist, ValueError):
        return render(request, "reminders/unsubscribe_invalid.html", status=400)
    label = Kind(kind).label
    if request.method == "POST":
        preference = NotificationPreference.for_user(user)
        everything = request.POST.get("all") == "1"
        fields = PREFERENCE_FIELDS if everything else [PREFERENCE_OF[Kind(kind)]]
        for name in fields:
            setattr(preference, name, False)
        preference.save(update_fields=[*fields, "updated_at"])
        return render(
            request, "reminders/unsubscribe_done.html", {"label": label, "everything": everything}
        )
    return render(request, "reminders/unsubscribe.html", {"label": label, "email": user.email})
