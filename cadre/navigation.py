"""Where am I, and where can I go: the network menu in the header, the cohort tabs and the
breadcrumbs, for every page under /n/<network>/ (a context processor, `nav` in templates).

The place comes from the URL (the `network` and `cohort` parameters the view was called
with), never from a template's context, so a page that lists cohorts is not taken for a
cohort page. Each link is shown only to people the linked page lets in: the rule is the
owning app's policy, asked by name as `{% may %}` asks it (cadre.networks.access_tags), so
this module names rules and URLs and carries no rule of its own. A project-level module: it
sits on top of the apps, beside cadre.urls and cadre.views."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, pgettext

from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import active_cohort_roles, find_cohort
from cadre.networks.access_tags import policies
from cadre.networks.models import Network
from cadre.networks.policy import find_network
from cadre.schedule.models import Session


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str = ""  # empty when the viewer cannot open it, or it is the page itself
    current: bool = False


@dataclass
class Navigation:
    """What the header and the top of a page show; empty outside a network."""

    network: Network | None = None
    cohort: Cohort | None = None
    menu: list[Link] = field(default_factory=list)
    tabs: list[Link] = field(default_factory=list)
    crumbs: list[Crumb] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.network is not None


def _ask(rule: str, *args: Any) -> bool:
    """The owning app's answer to `rule(*args)`; False when that app is not installed."""
    check = policies().get(rule)
    return bool(check(*args)) if check is not None else False


def _url(name: str, *args: Any) -> str | None:
    # The same few dozen addresses on every page of a network, each worked out from the
    # URLconf, the script prefix, the language (were paths translated) and the arguments
    # alone: kept by all of them, it is never out of date.
    return _reverse(get_urlconf(), get_script_prefix(), get_language(), name, args)


@lru_cache(maxsize=4096)
def _reverse(
    urlconf: str | None, prefix: str, language: str | None, name: str, args: tuple[Any, ...]
) -> str | None:
    try:
        return reverse(name, urlconf=urlconf, args=args)
    except NoReverseMatch:  # an app that is not installed has no URLs
        return None


# --- where the request is -------------------------------------------------------------------

# The network menu's sections, by the namespace (or "namespace:url_name") of the page.
MENU_SECTION: dict[str, str] = {
    "networks:home": "home",
    "networks:directory": "people",
    "networks:person": "people",
    "networks:invitations": "invitations",
    "networks:invitations_bulk": "invitations",
    "networks:settings": "settings",
    "networks:skills": "settings",
    "networks:skill_edit": "settings",
    "networks:skill_merge": "settings",
    "webhooks": "settings",
    "sso": "settings",
    "chat": "settings",
    "repository": "library",
    "journal": "journal",
    "coffee": "coffee",
    "mentors": "mentors",
    "mentoring": "mentors",
    "formation": "intakes",
    "health:network": "health",
    "health:network_refresh": "health",
    "health:settings": "health",
    "metrics": "metrics",
    "programmes": "programmes",
}

# The cohort tabs, by the namespace (or "namespace:url_name") of the page.
TAB_SECTION: dict[str, str] = {
    "cohorts": "overview",
    "accountability": "board",
    "conversation": "board",
    "schedule": "schedule",
    "schedule:session": "sessions",
    "schedule:agenda": "sessions",
    "schedule:agenda_restore": "sessions",
    "schedule:run": "sessions",
    "schedule:attendance": "sessions",
    "schedule:note": "sessions",
    "schedule:commitment": "sessions",
    "schedule:report": "sessions",
    "schedule:report_draft": "sessions",
    "schedule:publish": "sessions",
    "coaching": "coaching",
    "peer_coaching": "coaching",
    "diagnostics": "skills",
    "metrics_cohort": "metrics",
    "health": "health",
    "impact": "impact",
    "transfer": "data",
}


def _section(table: dict[str, str], namespace: str, url_name: str) -> str:
    return table.get(f"{namespace}:{url_name}") or table.get(namespace, "")


# --- the network menu -----------------------------------------------------------------------


def network_menu(user: Any, network: Network, *, current: str) -> list[Link]:
    """The network's places `user` may open, in the header's order."""
    slug = network.slug
    items: list[tuple[str, str, str | None, bool]] = [
        ("home", pgettext("menu", "Home"), _url("networks:home", slug), True),
        (
            "cohorts",
            pgettext("menu", "My cohorts"),
            (_url("networks:home", slug) or "") + "#my-cohorts",
            True,  # the home's list of one's cohorts, or what to do to join one
        ),
        (
            "library",
            pgettext("menu", "Library"),
            _url("repository:list", slug),
            _ask("can_view_library", user, network),
        ),
        (
            "journal",
            pgettext("menu", "Journal"),
            _url("journal:list", slug),
            _ask("can_view_network", user, network),
        ),
        (
            "people",
            pgettext("menu", "People"),
            _url("networks:directory", slug),
            _ask("can_view_directory", user, network),
        ),
        (
            "coffee",
            pgettext("menu", "Coffee"),
            _url("coffee:list", slug),
            _ask("can_view_rituals", user, network),
        ),
    ]
    if _ask("can_manage_mentoring", user, network):
        items.append(("mentors", pgettext("menu", "Mentors"), _url("mentors:list", slug), True))
    else:
        items.append(
            (
                "mentors",
                pgettext("menu", "Mentoring"),
                _url("mentors:mine", slug),
                _ask("can_view_own_mentoring", user, network),
            )
        )
    # Partners see no intakes (visible_intakes gives them none), so the link would be empty.
    items.append(
        (
            "intakes",
            pgettext("menu", "Intakes"),
            _url("formation:list", slug),
            _ask("can_view_directory", user, network),
        )
    )
    items += [
        (
            "health",
            pgettext("menu", "Health"),
            _url("health:network", slug),
            _ask("can_view_network_health", user, network),
        ),
        (
            "metrics",
            pgettext("menu", "Metrics"),
            _url("metrics:index", slug),
            _manages_and(user, network, "can_view_network_metrics"),
        ),
        (
            "programmes",
            pgettext("menu", "Programmes"),
            _url("programmes:list", slug),
            _manages_and(user, network, "can_view_programmes"),
        ),
        (
            "invitations",
            pgettext("menu", "Invitations"),
            _url("networks:invitations", slug),
            _ask("can_manage_network", user, network),
        ),
        (
            "settings",
            pgettext("menu", "Settings"),
            _url("networks:settings", slug),
            _ask("can_edit_network_settings", user, network),
        ),
    ]
    return [
        Link(key, label, url, current=key == current)
        for key, label, url, shown in items
        if shown and url is not None
    ]


def _manages_and(user: Any, network: Network, rule: str) -> bool:
    """An organizer's place in the menu (the issue's "for organizers"), when the linked
    page's own rule also lets them in."""
    return _ask("can_manage_network", user, network) and _ask(rule, user, network)


# --- the cohort tabs ------------------------------------------------------------------------


def _session_tab(user: Any, cohort: Cohort) -> tuple[str, str | None]:
    """The cohort's next session (or its last one once none is left), for the Sessions tab."""
    if not _ask("can_view_session", user, cohort):
        return pgettext("cohort tab", "Sessions"), None
    held = Session.objects.filter(cohort=cohort).held()
    now = timezone.now()
    # The last one is only looked for once no session is left to come.
    session: int | None
    session = held.upcoming(now).order_by("starts_at").values_list("pk", flat=True).first()
    if session is not None:
        label = pgettext("cohort tab", "Next session")
    else:
        label = pgettext("cohort tab", "Last session")
        session = held.past(now).order_by("-starts_at").values_list("pk", flat=True).first()
    if session is None:
        return label, None
    return label, _url("schedule:session", cohort.network.slug, cohort.slug, session)


def cohort_tabs(user: Any, cohort: Cohort, *, current: str) -> list[Link]:
    """The cohort's areas `user` may open, in the tabs' order."""
    args = (cohort.network.slug, cohort.slug)
    coaching = (
        _url("peer_coaching:sessions", *args)
        if _ask("can_view_reciprocity", user, cohort)
        else _url("coaching:rotation", *args)
    )
    session_label, session_url = _session_tab(user, cohort)
    board = _ask("can_view_board", user, cohort)
    items: list[tuple[str, str, str | None, bool]] = [
        ("overview", pgettext("cohort tab", "Overview"), _url("cohorts:detail", *args), True),
        ("board", pgettext("cohort tab", "Board"), _url("accountability:board", *args), board),
        ("schedule", pgettext("cohort tab", "Schedule"), _url("schedule:page", *args), True),
        ("sessions", session_label, session_url, True),
        ("coaching", pgettext("cohort tab", "Coaching"), coaching, True),
        (
            "skills",
            pgettext("cohort tab", "Skills"),
            _url("diagnostics:overview", *args),
            _ask("can_view_diagnostics", user, cohort),
        ),
        (
            "metrics",
            pgettext("cohort tab", "Metrics"),
            _url("metrics_cohort:index", *args),
            board or _ask("is_cohort_reporter", user, cohort),
        ),
        (
            "health",
            pgettext("cohort tab", "Health"),
            _url("health:cohort", *args),
            _ask("can_view_health_summary", user, cohort),
        ),
        (
            "impact",
            pgettext("cohort tab", "Impact"),
            _url("impact:report", *args),
            _ask("can_view_impact_report", user, cohort),
        ),
        (
            "data",
            pgettext("cohort tab", "Data"),
            _url("transfer:cohort", *args),
            _ask("can_export_cohort", user, cohort),
        ),
    ]
    return [
        Link(key, label, url, current=key == current)
        for key, label, url, shown in items
        if shown and url is not None
    ]


# --- putting it together --------------------------------------------------------------------


def _crumbs(nav: Navigation, request: HttpRequest) -> list[Crumb]:
    """Network › cohort › section: each a link only where the viewer may open it and it is
    not the page itself."""
    assert nav.network is not None
    here = request.path
    crumbs: list[Crumb] = []
    home = nav.menu[0] if nav.menu and nav.menu[0].key == "home" else None
    crumbs.append(_crumb(nav.network.name, home.url if home else "", here))
    places = nav.tabs if nav.cohort is not None else nav.menu
    if nav.cohort is not None:
        overview = next((t for t in nav.tabs if t.key == "overview"), None)
        crumbs.append(_crumb(nav.cohort.name, overview.url if overview else "", here))
    section = next((p for p in places if p.current and p.key not in ("home", "overview")), None)
    if section is not None:
        crumbs.append(_crumb(section.label, section.url, here))
    return crumbs


def _crumb(label: str, url: str, here: str) -> Crumb:
    if url.split("#")[0] == here:
        return Crumb(label, "", current=True)
    return Crumb(label, url)


def navigation_for(request: HttpRequest) -> Navigation:
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or user is None or not user.is_authenticated:
        return Navigation()
    slug = match.kwargs.get("network")
    if not isinstance(slug, str):
        return Navigation()
    # The page's view looked them up already (the policies keep what they found for the
    # request); the cohort comes with its network.
    cohort_slug = match.kwargs.get("cohort")
    cohort = find_cohort(user, slug, cohort_slug) if isinstance(cohort_slug, str) else None
    network = cohort.network if cohort is not None else find_network(user, slug)
    if network is None:
        return Navigation()
    namespace, url_name = match.namespace, match.url_name or ""
    in_my_cohort = cohort is not None and cohort.pk in active_cohort_roles(user)
    nav = Navigation(network=network, cohort=cohort)
    nav.menu = network_menu(
        user,
        network,
        current="cohorts" if in_my_cohort else _section(MENU_SECTION, namespace, url_name),
    )
    if cohort is not None:
        nav.tabs = cohort_tabs(user, cohort, current=_section(TAB_SECTION, namespace, url_name))
    nav.crumbs = _crumbs(nav, request)
    return nav


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The context processor: `nav`, worked out the first time a template reads it."""
    return {"nav": SimpleLazyObject(lambda: navigation_for(request))}
