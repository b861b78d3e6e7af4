"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One Chromium for all of tests/browser; each test gets fresh contexts (cookies) and
logs in through the real login form. No browser is ever downloaded: Chromium
must be at ``CHROMIUM`` (CI installs Debian's package in ``.ci/run``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("FOI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}
ROOT = Path(__file__).resolve().parents[2]
# The committed pictures are rewritten only when asked (UPDATE_SCREENSHOTS=1), so a test
# run leaves the work tree clean; otherwise they go to var/screenshots (git-ignored).
SCREENSHOTS = ROOT / (
    "docs/screenshots" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else "var/screenshots"
)
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PASSWORDS = {
    "admin": "admin-demo-password",
    "researcher": "researcher-demo-password",
    "coordinator": "coordinator-demo-password",
    "viewer": "viewer-demo-password",
}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Mark the browser tests, and run them last (after pytest-django's own ordering).

    Other transactional tests with serialized rollbacks
    (test_campaign_sending's concurrent sends) cannot follow a live-server test.
    """
    here = Path(__file__).resolve().parent
    ours = [i for i in items if Path(str(i.fspath)).resolve().is_relative_to(here)]
    for item in ours:
        item.add_marker(pytest.mark.browser)
    chosen = set(map(id, ours))
    items[:] = [i for i in items if id(i) not in chosen] + ours


@pytest.fixture(scope="package")
def chromium():
    """One headless Chromium for all the browser tests.

    Without Chromium the tests are skipped before this runs (tests/conftest.py), named
    in the run's last line with the ``apt-get install`` that would run them; the
    failure below is the guard should that rule ever be bypassed.

    Package-scoped, not session-scoped: Playwright's loop must stop (and the
    environment variable below go) before the rest of the suite runs, which has
    its own Playwright tests and runs ``check --deploy`` in a subprocess.
    """
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's "
            "chromium (apt-get install chromium; .ci/run installs it), or set FOI_CHROMIUM "
            "to its path. No browser is downloaded.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio loop in this thread; the ORM calls the
    # tests make around it are synchronous and safe.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    browser = manager.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    # While Playwright's loop ran, the ORM kept its connections per async context:
    # close them, or PostgreSQL cannot drop the test database at the end.
    from django.db import connections

    connections.close_all()
    browser.close()
    manager.stop()
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def forces(transactional_db):
    """The forces register as migration 0002 loads it.

    Transactional tests flush the database after them, and the serialized copy
    does not always come back before the next live-server test; loading the
    register again (idempotent) keeps these tests independent of the order.
    """
    from importlib import import_module

    from django.apps import apps

    import_module("requests_app.migrations.0002_load_forces").load(apps, None)


@pytest.fixture
def demo_users(forces):
    """The demo logins (admin, researcher, coordinator, viewer in the Research team)."""
    from requests_app.services.demo import ensure_users

    ensure_users()
    return PASSWORDS


@pytest.fixture
def browser_context(chromium, live_server):
    """browser_context() -> a fresh context on the live server, with the application's
    Content-Security-Policy in force and its violations recorded (see ``csp_violations``)."""
    contexts = []

    def _context():
        context = chromium.new_context(
            viewport=VIEWPORT, base_url=live_server.url, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        context.add_init_script(script=CSP_LISTENER)
        contexts.append(context)
        return context

    yield _context
    for context in contexts:
        context.close()


@pytest.fixture
def login(browser_context, demo_users):
    """login(role) -> a Playwright page logged in as that demo user through the login form.

    The CSP stays on: axe-core is evaluated through the DevTools protocol, not injected
    as a script tag the policy would refuse (see ``axe_violations``).
    """

    def _login(username: str):
        page = browser_context().new_page()
        page.goto("/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(demo_users[username])
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login/" not in url)
        assert page.get_by_role("button", name="Log out").is_visible(), page.content()[:2000]
        return page

    return _login


def screenshot(page, name: str) -> Path:
    """A full-page PNG of ``page`` in docs/screenshots/ (1280 wide)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = """([selector, tags]) => axe.run(selector ? document.querySelector(selector) : document,
  {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"""


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, within: str | None = None) -> list[dict]:
    """Serious and critical axe-core violations (WCAG 2.x A and AA) on the page as it stands,
    or only inside the element ``within`` (a CSS selector) selects.

    axe-core is evaluated through the DevTools protocol (``page.evaluate``), which the
    page's Content-Security-Policy does not govern, so the page is checked as served:
    no ``bypass_csp``, no inline ``<script>`` tag.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate(AXE_RUN, [within, WCAG_TAGS])
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


# Registered before any page script runs (an init script): every CSP violation of the
# document (a blocked inline script, style attribute or foreign resource) is kept.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}` +
  (e.sample ? ` (${e.sample})` : '')));
"""


def csp_violations(page) -> list[str]:
    """The Content-Security-Policy violations the page has reported so far.

    The events are queued as tasks: a turn of the event loop lets those already raised arrive.
    """
    return page.evaluate(
        """() => new Promise(done => setTimeout(
             () => done(window.__cspViolations || ['the CSP listener is missing']), 50))"""
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary'][:300]}")
    return "\n".join(lines)


@pytest.fixture
def eager(eager_celery):
    """Celery tasks run inside the live server (replies are read, chasers sent, at once)."""


@pytest.fixture
def workday(monkeypatch):
    """Today for the application: the latest working day (England and Wales) up to now.

    Chasers only go out on working days, and CI runs on any day (St Andrew's Day
    included); the live server shares this process, so one patch moves its clock too.
    """
    from django.utils import timezone

    from requests_app.services.calendars import calendar

    real = timezone.localdate
    day = real()
    cal = calendar("FOIA")
    while not cal.is_working_day(day):
        day = day.fromordinal(day.toordinal() - 1)

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return day
