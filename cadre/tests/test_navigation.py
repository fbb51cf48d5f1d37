"""The network menu, the cohort tabs and the breadcrumbs (cadre/navigation.py): each person
sees exactly the places the linked pages let them into, and every link shown opens."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class _Nav(HTMLParser):
    """The links inside each <nav>, by its aria-label, and which one is aria-current."""

    def __init__(self) -> None:
        super().__init__()
        self.navs: dict[str, list[tuple[str, str, bool]]] = {}
        self._nav: list[str] = []
        self._link: tuple[str, bool] | None = None
        self._text: list[str] = []
        self._current_span: bool = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "nav":
            self._nav.append(a.get("aria-label") or "")
            self.navs.setdefault(self._nav[-1], [])
        elif tag == "a" and self._nav:
            self._link = (a.get("href") or "", a.get("aria-current") == "page")
            self._text = []
        elif tag == "span" and self._nav and a.get("aria-current") == "page":
            self._current_span = True
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav:
            self._nav.pop()
        elif tag == "a" and self._link is not None:
            href, current = self._link
            self.navs[self._nav[-1]].append(("".join(self._text).strip(), href, current))
            self._link = None
        elif tag == "span" and self._current_span:
            self.navs[self._nav[-1]].append(("".join(self._text).strip(), "", True))
            self._current_span = False

    def handle_data(self, data: str) -> None:
        if self._link is not None or self._current_span:
            self._text.append(data)


def navs(response: Any) -> dict[str, list[tuple[str, str, bool]]]:
    parser = _Nav()
    parser.feed(response.content.decode())
    return parser.navs


def labels(links: list[tuple[str, str, bool]]) -> list[str]:
    return [re.sub(r"\s+", " ", label) for label, _, _ in links]


MENU = "Northwind Learning"  # the network menu's label: the network's name
TABS = "Platform Reliability"  # the cohort tabs' label: the cohort's name


def menu_urls(slug: str) -> dict[str, str]:
    """Every place the network menu can link to, whoever looks."""
    return {
        name: reverse(name, args=[slug])
        for name in (
            "networks:home",
            "repository:list",
            "journal:list",
            "networks:directory",
            "coffee:list",
            "mentors:list",
            "mentors:mine",
            "formation:list",
            "health:network",
            "metrics:index",
            "networks:invitations",
            "networks:settings",
        )
    }


def tab_urls(cast: Any) -> dict[str, str]:
    """Every place the cohort tabs can link to, whoever looks."""
    args = [cast.network.slug, cast.cohort.slug]
    return {
        name: reverse(name, args=args)
        for name in (
            "cohorts:detail",
            "accountability:board",
            "schedule:page",
            "coaching:rotation",
            "peer_coaching:sessions",
            "diagnostics:overview",
            "metrics_cohort:index",
            "health:cohort",
            "impact:report",
            "transfer:cohort",
        )
    }


# Pages that open for someone and that the menu leaves out for them, on purpose.
LEFT_OUT: dict[str, set[str]] = {
    # The intake list opens for partners, and lists nothing: partners do not apply.
    "formation:list": {"partner"},
    # Network metrics are read by the network's people; the menu offers them to organizers.
    "metrics:index": {"host", "member", "other_cohort_member", "mentor"},
    # Organizers have the mentors page itself, which shows every match.
    "mentors:mine": {"admin", "organizer"},
    # The coaching tab opens the coaching sessions for those who may see them, the rotation
    # (linked from there) for the others.
    "coaching:rotation": {"admin", "organizer", "host", "member"},
}

EXPECTED_MENU = {
    "admin": [
        "Home", "My cohorts", "Library", "Journal", "People", "Coffee", "Mentors", "Intakes", "Health",
        "Metrics", "Programmes", "Invitations", "Settings",
    ],
    "organizer": [
        "Home", "My cohorts", "Library", "Journal", "People", "Coffee", "Mentors", "Intakes", "Health",
        "Metrics", "Programmes", "Invitations",
    ],
    "host": ["Home", "My cohorts", "Library", "Journal", "People", "Coffee", "Mentoring", "Intakes"],
    "member": ["Home", "My cohorts", "Library", "Journal", "People", "Coffee", "Mentoring", "Intakes"],
    "other_cohort_member": [
        "Home", "My cohorts", "Library", "Journal", "People", "Coffee", "Mentoring", "Intakes",
    ],
    "mentor": ["Home", "My cohorts", "Library", "Journal", "People", "Coffee", "Mentoring", "Intakes"],
    "partner": ["Home", "My cohorts", "Library", "Journal"],
}  # fmt: skip

ALL_TABS = ["Overview", "Board", "Schedule", "Coaching", "Skills", "Metrics", "Health", "Impact"]
EXPECTED_TABS = {
    "admin": [*ALL_TABS, "Data"],
    "organizer": [*ALL_TABS, "Data"],
    "host": [*ALL_TABS, "Data"],
    "member": ALL_TABS,
    # Once the cohort is shared with the network: its overview, schedule, coaching rotation
    # and impact report, not its board.
    "other_cohort_member": ["Overview", "Schedule", "Coaching", "Impact"],
    "mentor": ["Overview", "Schedule", "Coaching", "Impact"],
}


def _opens(client: Any, url: str) -> bool:
    return client.get(url).status_code == 200


@pytest.mark.parametrize("role", sorted(EXPECTED_MENU))
def test_the_menu_shows_each_role_exactly_the_places_that_open_for_them(cast, client_for, role):
    client = client_for(getattr(cast, role))
    found = navs(client.get(reverse("networks:home", args=[cast.network.slug])))[MENU]
    assert labels(found) == EXPECTED_MENU[role]
    shown = {href.split("#")[0] for _, href, _ in found}
    for name, url in menu_urls(cast.network.slug).items():
        opens = _opens(client, url)
        if url in shown:
            assert opens, f"{role} is shown {name} and cannot open it"
        elif role not in LEFT_OUT.get(name, set()):
            assert not opens, f"{role} may open {name} and the menu leaves it out"


@pytest.mark.parametrize("role", sorted(EXPECTED_TABS))
def test_the_tabs_show_each_role_exactly_the_areas_that_open_for_them(cast, client_for, role):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    client = client_for(getattr(cast, role))
    found = navs(client.get(cast.cohort.get_absolute_url()))[TABS]
    assert labels(found) == EXPECTED_TABS[role]
    shown = {href for _, href, _ in found}
    for name, url in tab_urls(cast).items():
        opens = _opens(client, url)
        if url in shown:
            assert opens, f"{role} is shown the {name} tab and cannot open it"
        elif role not in LEFT_OUT.get(name, set()):
            assert not opens, f"{role} may open {name} and the tabs leave it out"


def test_a_cohort_that_is_not_shared_has_no_tabs_for_people_outside_it(cast, client_for):
    for role in ("mentor", "partner", "other_cohort_member", "outsider"):
        response = client_for(getattr(cast, role)).get(cast.cohort.get_absolute_url())
        assert response.status_code == 404
        assert TABS not in navs(response)
        assert "Platform Reliability" not in response.content.decode()


def test_outsiders_and_anonymous_visitors_see_no_network_menu(cast, client_for):
    url = reverse("networks:home", args=[cast.network.slug])
    outsider = client_for(cast.outsider).get(url)
    assert outsider.status_code == 404
    assert "Northwind" not in outsider.content.decode()
    anonymous = client_for(None).get(reverse("home"))
    assert MENU not in navs(anonymous)
    assert labels(navs(anonymous)["Your account"]) == ["Sign in"]


def test_the_current_section_and_tab_are_marked(cast, client_for):
    client = client_for(cast.member)
    board = navs(client.get(reverse("accountability:board", args=["northwind", "reliability"])))
    assert [label for label, _, current in board[TABS] if current] == ["Board"]
    assert [label for label, _, current in board[MENU] if current] == ["My cohorts"]
    library = navs(client.get(reverse("repository:list", args=["northwind"])))
    assert [label for label, _, current in library[MENU] if current] == ["Library"]
    assert TABS not in library
    # A page deeper in an area marks its tab too.
    experiments = navs(
        client.get(reverse("accountability:experiments", args=["northwind", "reliability"]))
    )
    assert [label for label, _, current in experiments[TABS] if current] == ["Board"]


def test_breadcrumbs_lead_back_up_and_never_to_a_page_one_cannot_open(cast, client_for):
    client = client_for(cast.member)
    experiments = reverse("accountability:experiments", args=["northwind", "reliability"])
    crumbs = navs(client.get(experiments))["Breadcrumb"]
    assert crumbs == [
        ("Northwind Learning", "/n/northwind/", False),
        ("Platform Reliability", "/n/northwind/c/reliability/", False),
        ("Board", "/n/northwind/c/reliability/board/", False),
    ]
    board = navs(client.get(crumbs[-1][1]))["Breadcrumb"]
    assert board[-1] == ("Board", "", True)
    for _, href, _ in crumbs:
        assert _opens(client, href)


@pytest.mark.parametrize("role", ["organizer", "host", "member", "mentor", "partner"])
def test_every_breadcrumb_opens_for_the_person_shown_it(cast, client_for, role):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    client = client_for(getattr(cast, role))
    pages = [*menu_urls("northwind").values(), *tab_urls(cast).values()]
    for page in pages:
        response = client.get(page)
        if response.status_code != 200:
            continue
        for label, href, current in navs(response).get("Breadcrumb", []):
            if href:
                assert _opens(client, href), f"{role}: {label} on {page}"
            else:
                assert current, f"{role}: {label} on {page} is neither a link nor the page"


def test_the_sessions_tab_opens_the_next_session_then_the_last(cast, client_for):
    from datetime import UTC, datetime

    import time_machine

    from cadre.schedule.models import Session

    first = Session.objects.create(
        cohort=cast.cohort, starts_at=datetime(2026, 3, 3, 9, tzinfo=UTC)
    )
    second = Session.objects.create(
        cohort=cast.cohort, starts_at=datetime(2026, 3, 10, 9, tzinfo=UTC)
    )
    args = ["northwind", "reliability"]
    with time_machine.travel(datetime(2026, 3, 5, tzinfo=UTC), tick=False):
        client = client_for(cast.member)
        tabs = navs(client.get(cast.cohort.get_absolute_url()))[TABS]
        assert ("Next session", reverse("schedule:session", args=[*args, second.pk]), False) in tabs
        session_page = navs(client.get(reverse("schedule:session", args=[*args, first.pk])))
        assert [label for label, _, current in session_page[TABS] if current] == ["Next session"]
        # Partners and people who may not open a session's page see no such tab.
        cast.cohort.shared_with_network = True
        cast.cohort.save()
        mentor = navs(client_for(cast.mentor).get(cast.cohort.get_absolute_url()))[TABS]
        assert "Next session" not in labels(mentor)
    with time_machine.travel(datetime(2026, 4, 1, tzinfo=UTC), tick=False):
        tabs = navs(client_for(cast.member).get(cast.cohort.get_absolute_url()))[TABS]
        assert ("Last session", reverse("schedule:session", args=[*args, second.pk]), False) in tabs


def test_the_phone_menu_is_a_labelled_checkbox_that_needs_no_script(cast, client_for):
    html = client_for(cast.member).get("/n/northwind/").content.decode()
    assert '<input type="checkbox" id="menu-toggle"' in html
    assert '<label for="menu-toggle" class="menu-button">' in html


# --- empty states: the next step, for those who may take it -----------------------------------


def test_an_empty_board_offers_the_first_commitment_to_members_only(cast, client_for):
    url = reverse("accountability:board", args=["northwind", "reliability"])
    new = reverse("accountability:commitment_new", args=["northwind", "reliability"])
    member = client_for(cast.member).get(url).content.decode()
    assert "Make the first commitment" in member and new in member
    organizer = client_for(cast.organizer).get(url).content.decode()
    assert "Make the first commitment" not in organizer


def test_an_empty_library_offers_to_add_the_first_item_to_those_who_may(cast, client_for):
    url = reverse("repository:list", args=["northwind"])
    organizer = client_for(cast.organizer).get(url).content.decode()
    assert "Add the first item" in organizer
    partner = client_for(cast.partner).get(url).content.decode()
    assert "The library is empty." in partner and "Add the first item" not in partner


def test_an_empty_journal_offers_the_first_entry(cast, client_for):
    mine = client_for(cast.member).get(reverse("journal:mine", args=["northwind"])).content
    assert "Write your first entry" in mine.decode()
    partner = client_for(cast.partner).get(reverse("journal:list", args=["northwind"])).content
    assert "Nobody has shared an entry with you yet." in partner.decode()


def test_the_network_home_without_cohorts_says_how_to_get_into_one(cast, client_for):
    member = client_for(cast.mentor).get("/n/northwind/").content.decode()
    assert "See the intakes" in member and reverse("formation:list", args=["northwind"]) in member
    partner = client_for(cast.partner).get("/n/northwind/").content.decode()
    assert "See the intakes" not in partner
    from cadre.cohorts.models import Cohort

    Cohort.objects.filter(network=cast.network).delete()
    organizer = client_for(cast.organizer).get("/n/northwind/").content.decode()
    assert "Open an intake" in organizer
    assert reverse("formation:create", args=["northwind"]) in organizer


def _request_for(user: Any, url: str) -> Any:
    from django.test import RequestFactory
    from django.urls import resolve

    from cadre.accounts.models import User

    request = RequestFactory().get(url)
    request.user = User.objects.get(pk=user.pk)  # fresh, as each request's is
    request.resolver_match = resolve(url)
    return request


def test_the_header_reuses_the_cohort_the_page_found_and_asks_only_for_the_next_session(
    cast, django_assert_num_queries
):
    from datetime import timedelta

    from django.utils import timezone

    from cadre.cohorts.policy import get_cohort_or_404
    from cadre.navigation import navigation_for
    from cadre.schedule.models import Session

    Session.objects.create(cohort=cast.cohort, starts_at=timezone.now() + timedelta(days=2))
    request = _request_for(cast.member, cast.cohort.get_absolute_url())
    get_cohort_or_404(request.user, cast.network.slug, cast.cohort.slug)  # the page's view
    with django_assert_num_queries(1):  # the Sessions tab's next session
        nav = navigation_for(request)
    assert nav.cohort == cast.cohort and nav.network == cast.network
    tabs = [(link.label, link.url, link.current) for link in nav.tabs]
    assert labels(tabs) == ["Overview", "Board", "Schedule", "Next session", *ALL_TABS[3:]]


def test_the_header_of_a_network_page_costs_no_query_after_the_pages_own(
    cast, django_assert_num_queries
):
    from cadre.navigation import navigation_for
    from cadre.networks.policy import get_network_or_404

    request = _request_for(cast.member, reverse("networks:directory", args=[cast.network.slug]))
    get_network_or_404(request.user, cast.network.slug)  # the page's view
    with django_assert_num_queries(0):
        nav = navigation_for(request)
    assert [link.label for link in nav.menu] == EXPECTED_MENU["member"]


def test_the_header_of_a_cohort_one_may_not_open_shows_the_network_alone(cast):
    from cadre.navigation import navigation_for

    nav = navigation_for(_request_for(cast.other_cohort_member, cast.cohort.get_absolute_url()))
    assert nav.network == cast.network and nav.cohort is None and not nav.tabs
    assert not navigation_for(_request_for(cast.outsider, cast.cohort.get_absolute_url()))


def test_the_menus_addresses_follow_the_script_prefix(cast):
    from django.urls import get_script_prefix, set_script_prefix

    from cadre.navigation import _url

    home = reverse("networks:home", args=[cast.network.slug])
    before = get_script_prefix()
    try:
        set_script_prefix("/cadre/")
        assert _url("networks:home", cast.network.slug) == "/cadre" + home
    finally:
        set_script_prefix(before)
    assert _url("networks:home", cast.network.slug) == home
    assert _url("no-such-app:page", cast.network.slug) is None
