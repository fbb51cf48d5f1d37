"""Browser tests: Playwright for Python driving Debian's Chromium against Django's live server.

The browser is never downloaded: we launch the system Chromium (CADRE_CHROMIUM, default
/usr/bin/chromium). When it is missing the tests fail with a message saying what to install;
`make test` installs it first where it can (bin/ensure-chromium).
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told it is safe, which it is for a test process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CADRE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}. Install Debian's chromium package "
            "(apt-get install chromium) or set CADRE_CHROMIUM; `make test` does this for you."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Reports every Content-Security-Policy violation of every page to the test (init scripts run
# before the page's own scripts, on every navigation).
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.cadreCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "?"} on ${location.pathname}` +
    (event.sample ? `: ${event.sample}` : ""));
}, true);
"""


def watch_csp(context: Any) -> list[str]:
    """The list every CSP violation in `context`'s pages is appended to, as it happens."""
    violations: list[str] = []
    # A lambda: Playwright cannot wrap a built-in method such as list.append.
    context.expose_function("cadreCspViolation", lambda report: violations.append(report))
    context.add_init_script(CSP_WATCH)
    return violations


@pytest.fixture
def page(browser: Any, live_server: Any, request: Any) -> Iterator[Any]:
    """A fresh browser context per test; a full-page screenshot lands in test-artifacts/ when
    the test fails. Any Content-Security-Policy violation on any page fails the test (tests
    that provoke one on purpose read and clear `page.csp_violations`)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    violations = watch_csp(context)
    # Generous: on a loaded two-core machine the live server's first answers can take
    # seconds. A journey that works waits no longer for it; one that is broken fails anyway.
    context.set_default_timeout(30_000)
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    tab = context.new_page()
    tab.csp_violations = violations
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}.png"
        tab.screenshot(path=str(path), full_page=True)
        print(f"\nScreenshot of the failing page: {path}")
    elif not tab.is_closed():
        tab.wait_for_timeout(100)  # lets reports still in flight arrive
    context.close()
    if violations and not (failed is not None and failed.failed):
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))
