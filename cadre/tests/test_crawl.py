"""A crawler over the demo network: every link a person is shown must open for them, every
page is titled "<what it is> · Cadre", and no page shows Markdown as its source.

The demo network (the same builders `cadre demo` runs, at 50 people, under a fixed clock) has
every kind of content: sessions with published and shared reports, a cohort shared with the
network, commitments, updates, blockers and offers, experiments, coaching rounds and
sessions, journal entries, library items, rituals and coffee rounds, an intake, metrics and
health snapshots. Every stored Markdown field (cadre.lib.markdown.MARKDOWN_FIELDS) is then
overwritten with a document of its own (a heading, bold words, a list). For each kind of
person the crawler signs in, starts at the front page and follows every same-site `<a href>`
of every page it reaches (a few pages of each kind are read for links; see the limits
below). A link that answers an error to the person it was shown to is broken, whatever the
reason.
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client

from cadre.lib.markdown import MARKDOWN_FIELDS

NOW = datetime(2026, 3, 11, 9, 30, tzinfo=UTC)

# Pages of one kind (the same path once numbers are masked, the same query keys) differ in
# their content, not in who may open them, so a few of each kind are enough: up to this many
# links of a kind are opened, and the first pages of a kind are read for further links.
LINKS_OPENED_PER_KIND = 2
PAGES_READ_PER_KIND = 1
# A guard against a crawl that never ends (pages that link to ever new kinds of pages).
MAX_LINKS_OPENED = 2000

# Never followed: signing out ends the crawl's session.
SKIPPED = ("/accounts/logout/",)
# Opened but not read for links: Django's own admin has pages for every model.
NOT_READ = ("/admin/",)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.title: list[str] = []
        self._in_title = False
        self._in_head = True  # charts' <svg> have <title>s of their own

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)
        elif tag == "title" and self._in_head:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "head":
            self._in_head = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)


def same_site(href: str, base: str) -> str | None:
    """The path and query of a link to this site, or None for anything else."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc not in (
        "testserver",
        urlsplit(settings.CADRE_SITE_URL).netloc,
    ):
        return None
    path = parts.path
    if not path:
        path = urlsplit(base).path
    elif not path.startswith("/"):
        path = urlsplit(base).path.rsplit("/", 1)[0] + "/" + path
    return path + (f"?{parts.query}" if parts.query else "")


def kind_of(url: str) -> str:
    """Pages of one kind: numbers in the path masked, query values dropped."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/#", parts.path)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


@dataclass
class Broken:
    url: str
    answer: str
    found_on: str

    def __str__(self) -> str:
        return f"{self.url} answers {self.answer} (linked from {self.found_on})"


@dataclass
class Crawl:
    opened: int = 0
    read: int = 0
    not_opened: int = 0
    broken: list[Broken] = field(default_factory=list)
    bad_titles: list[str] = field(default_factory=list)
    markdown_source: list[str] = field(default_factory=list)  # "<field> on <url>"
    markdown_rendered: set[str] = field(default_factory=set)  # fields seen rendered


class Crawler:
    """Breadth first from the front page. Links of one kind are opened up to
    LINKS_OPENED_PER_KIND times; once one of a kind is broken, all of that kind are opened,
    so the failure lists every broken link and the page it was found on."""

    def __init__(self, client: Client, signed_in: bool, start: str = "/") -> None:
        self.client = client
        self.signed_in = signed_in
        self.result = Crawl()
        self.queue: deque[tuple[str, str]] = deque([(start, "(start)")])
        self.seen = {start}
        self.read_per_kind: Counter[str] = Counter()
        self.opened_per_kind: Counter[str] = Counter()
        self.waiting: dict[str, list[tuple[str, str]]] = {}  # kind -> links not opened yet
        self.broken_kinds: set[str] = set()

    def run(self) -> Crawl:
        while self.queue:
            url, found_on = self.queue.popleft()
            self.visit(url, found_on)
        self.result.not_opened = sum(len(links) for links in self.waiting.values())
        return self.result

    def broken(self, url: str, answer: str, found_on: str) -> None:
        self.result.broken.append(Broken(url, answer, found_on))
        kind = kind_of(url)
        self.broken_kinds.add(kind)
        self.queue.extend(self.waiting.pop(kind, []))

    def visit(self, url: str, found_on: str) -> None:
        self.result.opened += 1
        if self.result.opened > MAX_LINKS_OPENED:
            raise AssertionError(f"More than {MAX_LINKS_OPENED} links; are pages looping?")
        try:
            response = self.client.get(url, follow=True)
        except Exception as error:  # the test client re-raises what a view raised
            return self.broken(url, f"500 ({type(error).__name__}: {error})", found_on)
        final = response.request["PATH_INFO"]
        if response.status_code >= 400:
            return self.broken(url, str(response.status_code), found_on)
        if self.signed_in and final.startswith("/accounts/login/"):
            return self.broken(url, "a sign-in page to someone signed in", found_on)
        if not response.get("Content-Type", "").startswith("text/html"):
            return None  # a download: opened, not read
        html = response.content.decode()
        self.check_markdown(url, html)
        if url.startswith(NOT_READ) or final.startswith(NOT_READ):
            return None
        kind = kind_of(url)
        if self.read_per_kind[kind] >= PAGES_READ_PER_KIND:
            return None
        self.read_per_kind[kind] += 1
        self.result.read += 1
        parser = _Links()
        parser.feed(html)
        title = " ".join("".join(parser.title).split())  # as a browser shows it
        if not valid_title(title, final):
            self.result.bad_titles.append(f"{url}: {title!r}")
        for href in parser.hrefs:
            target = same_site(href, final)
            if target is None or target in self.seen or target.startswith(SKIPPED):
                continue
            self.seen.add(target)
            target_kind = kind_of(target)
            if (
                self.opened_per_kind[target_kind] >= LINKS_OPENED_PER_KIND
                and target_kind not in self.broken_kinds
            ):
                self.waiting.setdefault(target_kind, []).append((target, url))
                continue
            self.opened_per_kind[target_kind] += 1
            self.queue.append((target, url))
        return None

    def check_markdown(self, url: str, html: str) -> None:
        shown = EDITED_SOURCE.sub("", html)  # forms and the charter diff show the source
        for name in MARKDOWN_FIELDS:
            if any(source in shown for source in markdown_source(name)):
                self.result.markdown_source.append(f"{name} on {url}")
            if f"<strong>bold of {name}</strong>" in shown:
                self.result.markdown_rendered.add(name)


def crawl(client: Client, signed_in: bool) -> Crawl:
    return Crawler(client, signed_in).run()


# --- Markdown seeded into every Markdown field ----------------------------------------------

EDITED_SOURCE = re.compile(r"<textarea.*?</textarea>|<pre class=\"diff\">.*?</pre>", re.S)


def markdown_document(name: str) -> str:
    return f"## Heading of {name}\n\nWords in **bold of {name}**.\n\n- first item of {name}\n- second\n"


def markdown_source(name: str) -> tuple[str, ...]:
    return (f"## Heading of {name}", f"**bold of {name}**", f"- first item of {name}")


def seed_markdown() -> None:
    from django.apps import apps

    for name in MARKDOWN_FIELDS:
        app_label, model_name, field_name = name.split(".")
        model = apps.get_model(app_label, model_name)
        model._default_manager.update(**{field_name: markdown_document(name)})


def valid_title(title: str, path: str) -> bool:
    if path == "/":
        return title in ("Cadre", "Your networks · Cadre")
    head, sep, tail = title.rpartition(" · ")
    return bool(sep and tail == "Cadre" and head.strip() and not head.startswith("Cadre"))


# --- the network and its people ---------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo network, built once for this module inside a transaction rolled back after."""
    from cadre.accounts.models import User
    from cadre.cohorts.models import CohortMembership
    from cadre.demo import builder
    from cadre.networks.models import NetworkMembership, Role

    with time_machine.travel(NOW, tick=False), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            builder.build_demo(people=50)
            seed_markdown()
            by_email = {u.email: u for u in User.objects.filter(email__endswith="@demo.cadre.test")}
            people: dict[str, Any] = {
                key: by_email[f"{key}@demo.cadre.test"]
                for key in ("admin", "organizer", "member", "newcomer", "mentor", "outsider")
            }
            people["host"] = by_email["facilitator@demo.cadre.test"]
            member_cohorts = CohortMembership.objects.active().filter(user=people["member"])
            people["other_cohort_member"] = (
                User.objects.filter(
                    cohort_memberships__in=CohortMembership.objects.active().filter(
                        role="member", cohort__network__slug="northwind"
                    ),
                    network_memberships__role=Role.MEMBER,
                )
                .exclude(cohort_memberships__cohort__in=member_cohorts.values("cohort"))
                .order_by("email")
                .first()
            )
            people["partner"] = (
                User.objects.filter(
                    pk__in=NetworkMembership.objects.filter(
                        network__slug="northwind", role=Role.PARTNER
                    ).values("user")
                )
                .order_by("email")
                .first()
            )
            people["anonymous"] = None
            # Coach and coachee edit their notes; an observer reads them. Seat the member as
            # an observer once, so some crawl reads coaching notes.
            from cadre.coaching.models import CoachingSession

            CoachingSession.objects.filter(
                pk=CoachingSession.objects.filter(cohort__in=member_cohorts.values("cohort"))
                .exclude(coach=people["member"])
                .exclude(coachee=people["member"])
                .values("pk")[:1]
            ).update(observer=people["member"])
            yield people
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


ROLES = [
    "admin",
    "organizer",
    "host",
    "member",
    "other_cohort_member",
    "mentor",
    "partner",
    "newcomer",
    "outsider",
    "anonymous",
]


@pytest.fixture(scope="module")
def crawls(demo: dict[str, Any], django_db_blocker: Any) -> dict[str, Crawl]:
    """Every person's crawl, made once; the tests below each judge one side of them."""
    results = {}
    with time_machine.travel(NOW, tick=False), django_db_blocker.unblock():
        for role in ROLES:
            client = Client()
            person = demo[role]
            if person is not None:
                client.force_login(person)
            started = time.perf_counter()
            results[role] = result = crawl(client, signed_in=person is not None)
            print(
                f"{role}: opened {result.opened} links, read {result.read} pages, left "
                f"{result.not_opened} links of kinds already opened "
                f"({time.perf_counter() - started:.1f} s)"
            )
    return results


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_link_shown_to_a_person_opens_for_them(crawls: dict[str, Crawl], role: str) -> None:
    broken = crawls[role].broken
    assert not broken, f"{len(broken)} broken links for the {role}:\n" + "\n".join(map(str, broken))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_titled_page_then_cadre(crawls: dict[str, Crawl], role: str) -> None:
    assert not crawls[role].bad_titles, "Titles not of the form “page · Cadre”:\n" + "\n".join(
        crawls[role].bad_titles
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_the_source_of_a_markdown_field(crawls: dict[str, Crawl], role: str) -> None:
    assert not crawls[role].markdown_source, "Markdown shown as written:\n" + "\n".join(
        crawls[role].markdown_source
    )


@pytest.mark.django_db
def test_every_markdown_field_was_seen_rendered(crawls: dict[str, Crawl]) -> None:
    """The check above means something only if the pages showing each field were reached."""
    seen = set().union(*(c.markdown_rendered for c in crawls.values()))
    assert sorted(MARKDOWN_FIELDS - seen) == [], "Never seen rendered"


@pytest.mark.django_db
@pytest.mark.urls("cadre.tests.error_urls")
def test_the_crawler_reports_every_broken_link_with_the_page_it_was_found_on(
    demo: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(demo["member"])
    result = Crawler(client, signed_in=True, start="/test/links/").run()
    assert {(b.url, b.answer[:3], b.found_on) for b in result.broken} == {
        ("/test/forbidden/", "403", "/test/links/"),
        ("/no/such/page/", "404", "/test/links/"),
        ("/test/crash/", "500", "/test/links/"),
    }
    assert result.opened == 5  # the page, its three broken links and /healthz
