from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _


def admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The Django admin's sign-in page, replaced: it signs nobody in, it sends people to
    Cadre's one sign-in (allauth, with two-factor and rate limits) and back to the admin
    page they asked for."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        # The admin sends signed-in people here when they may not use it: say so, rather
        # than send them round to the admin again.
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied(_("The Django admin is for Cadre's staff only."))
        return HttpResponseRedirect(next_url)
    return HttpResponseRedirect(
        f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
    )
