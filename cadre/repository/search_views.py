"""The library's search page, /n/<network>/library/search/: repository items and journal
entries the signed-in person may read, best match first.

The page is for the network's people (any role: partners find what is shared with them and
public items, and their own journal); others get the 404 of every network page, and people
who have not accepted the code of conduct are sent to accept it first. Searches are
rate-limited per person (CADRE_SEARCH_RATE); over the limit the page answers 429 and says
when to try again. With htmx the form swaps only the results; without it, it is a plain GET
form."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.forms.utils import flatatt
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from cadre.accounts.http import AuthenticatedRequest
from cadre.accounts.models import User
from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import visible_cohorts
from cadre.networks.models import Network, Skill
from cadre.networks.policy import get_network_or_404, must_accept_conduct

from . import search as backend

PAGE_SIZE = 20
MAX_QUERY_CHARS = backend.MAX_QUERY_CHARS

KIND_CHOICES = [("", gettext_lazy("Everything")), *backend.KIND_LABELS.items()]


class QuickSelect(forms.Select):
    """A <select> whose options are written in Python rather than by one widget template per
    option: a network's organizer is offered every cohort, and rendering hundreds of option
    templates took longer than the search itself. The markup is the same as Select's."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = set(self.format_value(value))
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (str(option), mark_safe(" selected") if str(option) in chosen else "", label)
                for option, label in self.choices
            ),
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final), options)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search for"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("incident review")}
        ),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=KIND_CHOICES, required=False)
    skill = forms.ModelChoiceField(
        label=gettext_lazy("Skill"),
        queryset=Skill.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Any skill"),
        widget=QuickSelect,
    )
    cohort = forms.ModelChoiceField(
        label=gettext_lazy("Cohort"),
        queryset=Cohort.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Any cohort"),
        widget=QuickSelect,
    )

    def __init__(self, *args: Any, user: User, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        skill = self.fields["skill"]
        assert isinstance(skill, forms.ModelChoiceField)
        skill.queryset = Skill.objects.filter(network=network).order_by("name")
        # Only cohorts the person may open are offered; their names are no secret to them.
        cohort = self.fields["cohort"]
        assert isinstance(cohort, forms.ModelChoiceField)
        cohort.queryset = visible_cohorts(user, network).order_by("name")


def _page_numbers(count: int, requested: str | None) -> tuple[int, int]:
    pages = max(1, -(-count // PAGE_SIZE))
    try:
        number = min(int(requested or 1), 10**6)
    except ValueError:
        number = 1
    return min(max(number, 1), pages), pages


@login_required
@require_GET
def search(request: AuthenticatedRequest, network: str) -> HttpResponse:
    user = request.user
    network_obj = get_network_or_404(user, network)
    if must_accept_conduct(user, network_obj):
        target = reverse("networks:conduct", args=[network_obj.slug])
        return redirect(f"{target}?next={quote(request.get_full_path())}")

    form = SearchForm(request.GET or None, user=user, network=network_obj)
    context: dict[str, Any] = {
        "network": network_obj,
        "form": form,
        "searched": False,
        "results": [],
        "count": 0,
        "limited": "",
    }
    status = 200
    if form.is_valid() and backend.query_words(form.cleaned_data["q"]):
        throttle = backend.SearchRateThrottle()
        if not throttle.allow_request(request):
            wait = int(throttle.wait() or 0) + 1
            context["limited"] = ngettext(
                "You have searched many times in a short while. Try again in %(wait)s second.",
                "You have searched many times in a short while. Try again in %(wait)s seconds.",
                wait,
            ) % {"wait": wait}
            status = 429
        else:
            data = form.cleaned_data
            number, _ = _page_numbers(10**9, request.GET.get("page"))

            def run(page_number: int) -> backend.SearchPage:
                return backend.search(
                    user,
                    network_obj,
                    data["q"],
                    kind=data["kind"],
                    skill=data["skill"],
                    cohort=data["cohort"],
                    limit=PAGE_SIZE,
                    offset=(page_number - 1) * PAGE_SIZE,
                )

            found = run(number)
            last, pages = _page_numbers(found.count, str(number))
            if last != number:  # past the last page: show the last one
                number = last
                found = run(number)
            suggestion = ""
            if not found.count:
                suggestion = backend.did_you_mean(
                    user,
                    network_obj,
                    data["q"],
                    kind=data["kind"],
                    skill=data["skill"],
                    cohort=data["cohort"],
                )
            for result in found.results:
                result.url = backend.result_url(result)
            context.update(
                searched=True,
                suggestion=suggestion,
                results=found.results,
                count=found.count,
                more=found.more,
                number=number,
                first=(number - 1) * PAGE_SIZE + 1,
                pages=pages,
                has_previous=number > 1,
                has_next=number < pages,
            )
    htmx = getattr(request, "htmx", None)  # set by HtmxMiddleware
    partial = isinstance(htmx, HtmxDetails) and bool(htmx) and not htmx.history_restore_request
    template = "repository/search.html#results" if partial else "repository/search.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
