"""The Content-Security-Policy in a real browser: every role walks its pages (the demo network's
data, so pages have content) and htmx works, with no violation and no console error; and markup
injected into a page, the way stored text would be if it ever escaped the sanitizer, does not
run. (Every other browser test also fails on a violation: see conftest.py.)"""

import re
from collections import deque

import pytest
from playwright.sync_api import expect

from cadre.demo import data
from cadre.demo.builder import MIN_PEOPLE, build_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages each role is walked through from, besides the links found on them.
START = {
    None: ["/", "/accounts/login/", "/accounts/password/reset/", "/accounts/signup/"],
    "member": [
        "/",
        "/me/profile/",
        "/me/notifications/",
        "/me/tokens/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/calendar/",
        "/api/docs",
    ],
    "facilitator": ["/"],
    "organizer": ["/", "/n/northwind/health/"],
    "admin": ["/", "/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/"],
    "mentor": ["/"],
    "newcomer": ["/"],
}
PAGES_PER_ROLE = 40
NOT_PAGES = re.compile(
    r"\.(ics|csv|pdf|json|zip)$|/(csv|ics|pdf|zip)/$|/logout/|/export/|/reauthenticate/"
)


def shape(path: str) -> str:
    """Pages that differ only in ids, cohorts, tags or the query are one page for this walk;
    the admin's model pages are all alike."""
    path = path.split("?")[0]
    path = re.sub(r"/\d+(?=[/.]|$)", "/N", path)
    path = re.sub(r"/(c|tags|intakes)/[^/]+/", r"/\1/*/", path)
    return re.sub(r"^/admin/[^/]+/[^/]+/", "/admin/*/*/", path)


CAST_PASSWORD = "correct horse battery"


def sign_in(page, email: str, password: str = CAST_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def watch_console(page) -> list[str]:
    errors: list[str] = []

    def on_console(message) -> None:
        source = str(message.location.get("url"))
        # A page's own status is not the policy's business (the link crawler checks those).
        if message.type == "error" and source != page.url:
            errors.append(f"{message.text} ({source} on {page.url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{error} ({page.url})"))
    return errors


def walk(page, live_server_url: str, start: list[str], staff: bool) -> list[str]:
    """Visit the start pages and the same-site links found on them, one page per URL shape."""
    seen: set[str] = set()
    visited: list[str] = []
    queue = deque(start)
    while queue and len(visited) < PAGES_PER_ROLE:
        path = queue.popleft()
        if shape(path) in seen or NOT_PAGES.search(path):
            continue
        if path.startswith("/admin/") and not staff:
            continue
        seen.add(shape(path))
        response = page.goto(path)
        assert response is not None
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        assert response.status < 500, f"{path} answered {response.status}"
        visited.append(path)
        for href in page.locator("a[href]").evaluate_all("links => links.map(a => a.href)"):
            if href.startswith(live_server_url + "/"):
                queue.append(href[len(live_server_url) :].split("#")[0])
    return visited


def test_every_role_walks_its_pages_without_a_violation_or_console_error(page, live_server):
    build_demo(people=MIN_PEOPLE, seed=11)
    emails = {login.key: login.email for login in data.FIXED_PEOPLE}
    console_errors = watch_console(page)
    walked = {}
    for role, start in START.items():
        page.context.clear_cookies()
        if role is not None:
            sign_in(page, emails[role], data.PASSWORD)
        walked[role] = walk(page, live_server.url, start, staff=role == "admin")
        assert not page.csp_violations, (role, page.csp_violations)
        assert not console_errors, (role, console_errors)
    # The walk reached the pages that matter for the policy.
    every = {shape(path) for paths in walked.values() for path in paths}
    for expected in [
        "/n/northwind/c/*/",
        "/n/northwind/c/*/board/",
        "/n/northwind/c/*/schedule/sessions/N/run/",  # the agenda timers' script
        "/n/northwind/c/*/impact/",  # its own stylesheet
        "/n/northwind/c/*/metrics/",
        "/n/northwind/health/",
        "/n/northwind/coffee/N/",
        "/api/docs",
        "/admin/*/*/add/",
        "/accounts/2fa/totp/activate/",  # the QR code is a data: image
    ]:
        assert expected in every, sorted(every)
    assert all(len(paths) >= 10 for role, paths in walked.items() if role), walked


def test_the_api_docs_page_renders_under_its_policy(page, live_server):
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()


def test_htmx_searches_and_checks_as_people_type(page, cast):
    sign_in(page, cast.host.email)
    page.goto("/n/northwind/people/")
    page.evaluate("window.stillThisPage = true")
    page.get_by_label("Search").fill("Mo Mem")
    expect(page.locator("#results")).to_contain_text("1 person matches")
    expect(page).to_have_url(re.compile(r"/n/northwind/people/\?q=Mo%20Mem"))
    assert page.evaluate("window.stillThisPage") is True  # swapped in place, not reloaded

    page.goto("/n/northwind/c/reliability/coaching/feedback/new/")
    page.get_by_label("Behaviour").fill("You are always so defensive")
    expect(page.get_by_role("alert")).to_contain_text("Before you give it")


# What a stored text would put into a page if it ever got past the Markdown sanitizer: an
# inline script, an event handler, a javascript: URL, an htmx handler (hx-on needs eval) and
# an inline style.
INJECTED = """
<script>document.body.dataset.injected = "script";</script>
<img id="hostile-img" src="/no-such-image.png" onerror="document.body.dataset.injected = 'onerror'">
<a id="hostile-link" href="javascript:document.body.dataset.injected = 'link'">win a prize</a>
<button id="hostile-htmx" hx-on:click="document.body.dataset.injected = 'htmx'">click</button>
<p id="hostile-style" style="color: rgb(255, 0, 0)">red text</p>
"""


def serve_with_injection(page, path: str, keep_policy: bool) -> None:
    """Answer `path` with the page Cadre really served, its headers included (or without its
    policy), and the hostile markup added to its body."""

    def inject(route) -> None:
        response = route.fetch()
        headers = dict(response.headers)
        if not keep_policy:
            headers.pop("content-security-policy")
        body = response.text().replace("</main>", INJECTED + "</main>")
        route.fulfill(response=response, headers=headers, body=body)

    page.route(f"**{path}", inject)


def provoke(page) -> str | None:
    page.locator("#hostile-link").click()
    page.locator("#hostile-htmx").click()
    page.wait_for_timeout(300)
    return page.evaluate("document.body.dataset.injected || null")


def test_injected_inline_script_handlers_and_styles_are_blocked(page, cast):
    sign_in(page, cast.member.email)
    serve_with_injection(page, "/n/northwind/", keep_policy=True)
    page.goto("/n/northwind/")
    expect(page.locator("#hostile-style")).to_be_visible()
    assert provoke(page) is None
    assert page.locator("#hostile-style").evaluate("e => getComputedStyle(e).color") != (
        "rgb(255, 0, 0)"
    )
    blocked = {report.split(" ")[0] for report in page.csp_violations}
    assert {"script-src-elem", "script-src-attr", "style-src-attr"} <= blocked, page.csp_violations
    page.csp_violations.clear()  # provoked on purpose


def test_without_the_policy_the_same_injection_would_run(page, cast):
    # The control: the test above passes because of the header, not because the markup is inert.
    sign_in(page, cast.member.email)
    serve_with_injection(page, "/n/northwind/", keep_policy=False)
    page.goto("/n/northwind/")
    expect(page.locator("body")).to_have_attribute("data-injected", re.compile(r"script|onerror"))
    assert page.locator("#hostile-style").evaluate("e => getComputedStyle(e).color") == (
        "rgb(255, 0, 0)"
    )
    assert not page.csp_violations
