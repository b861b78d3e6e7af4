"""The application with the keyboard alone: Tab, Shift+Tab, Enter and Space, never the mouse.

Every stop on the way has a visible focus indicator (an outline or a box shadow, as
computed), and the tab order follows the visual order. The header holds one row at
1280 px and wraps, never overflows, when narrower.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import PASSWORDS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# What the keyboard has reached: where it is and whether its focus can be seen.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, type: el.getAttribute('type') || '',
    name: el.getAttribute('name') || '', value: el.value || '',
    text: (el.innerText || el.getAttribute('aria-label') || el.value || '').trim().slice(0, 60),
    href: el.getAttribute('href') || '',
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== 'none',
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
      && r.top < innerHeight && r.left < innerWidth,
    box: [r.left + scrollX, r.top + scrollY, r.width, r.height],
    inMain: !!el.closest('main'), inNav: !!el.closest('nav[aria-label=Main]'),
  };
}"""
TAB_LIMIT = 150


def press(page, key: str = "Tab", *, wrap: bool = False) -> dict | None:
    """Press ``key``; the element that then has focus, checked for a visible focus indicator.

    ``wrap``: past the last stop the focus leaves the document (None) before coming round.
    """
    page.keyboard.press(key)
    el = page.evaluate(FOCUSED)
    if el is None and wrap:
        return None
    assert el is not None, f"{key} on {page.url} left nothing focused"
    assert el["outline"] or el["shadow"], f"no visible focus on {page.url}: {el}"
    assert el["onScreen"], f"the focused element is off screen on {page.url}: {el}"
    return el


def tab_to(page, wanted, what: str, key: str = "Tab") -> dict:
    """Tab (or Shift+Tab) until ``wanted(element)``; fails after ``TAB_LIMIT`` stops."""
    for _ in range(TAB_LIMIT):
        el = press(page, key, wrap=True)
        if el is not None and wanted(el):
            return el
    raise AssertionError(f"{what} was never reached with {key} on {page.url}")


def tab_stops(page, limit: int = TAB_LIMIT) -> list[dict]:
    """The page's tab stops from the top, in order (at most ``limit``), each checked as in
    ``press``."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.evaluate("() => window.scrollTo(0, 0)")
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        el = page.evaluate(FOCUSED)
        if el is None or (stops and el == stops[0]):
            break  # past the last stop: the focus left the document or came round
        assert el["outline"] or el["shadow"], f"no visible focus on {page.url}: {el}"
        assert el["onScreen"], f"the focused element is off screen on {page.url}: {el}"
        stops.append(el)
    return stops


def out_of_visual_order(stops: list[dict]) -> list[str]:
    """Steps where the focus goes back against the reading order: to an element wholly
    above the last one that is not in a column to its right, or wholly to its left on
    the same line."""
    found = []
    for a, b in zip(stops, stops[1:], strict=False):
        ax, ay, aw, ah = a["box"]
        bx, by, bw, bh = b["box"]
        above = by + bh <= ay + 1 and bx < ax + aw
        same_line = by < ay + ah and ay < by + bh
        left = same_line and bx + bw <= ax + 1
        if above or left:
            found.append(
                f"{a['tag']} {a['text']!r} {a['box']} -> {b['tag']} {b['text']!r} {b['box']}"
            )
    return found


def keyboard_login(page, username: str) -> None:
    """Log in through the login form by keyboard alone."""
    page.goto(reverse("login"))
    # The username box has the focus from the start (autofocus); Tab finds it otherwise.
    if page.evaluate("() => document.activeElement.id") != "id_username":
        tab_to(page, lambda el: el["id"] == "id_username", "the username box")
    page.keyboard.type(username)
    assert press(page)["id"] == "id_password"
    page.keyboard.type(PASSWORDS[username])
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def demo(demo_users, workday):
    from responses_app.services.demo import load_demo

    return load_demo()


@pytest.fixture
def keyboard(browser_context, demo):
    """keyboard(username) -> a page logged in by keyboard alone as that demo user."""

    def _keyboard(username: str = "admin"):
        page = browser_context().new_page()
        keyboard_login(page, username)
        return page

    return _keyboard


def test_logging_in_by_keyboard(browser_context, demo_users):
    page = browser_context().new_page()
    keyboard_login(page, "coordinator")
    assert "/login/" not in page.url
    assert page.get_by_role("button", name="Log out").is_visible()
    assert page.evaluate("() => document.querySelector('.who').textContent") == "coordinator"


def test_the_skip_link_is_the_first_stop_and_reaches_the_content(keyboard):
    page = keyboard()
    page.goto(reverse("overdue-board"))
    skip = press(page)
    assert skip["text"] == "Skip to content" and skip["href"] == "#main"
    assert skip["box"][0] >= 0, "the skip link stays off screen when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    first = press(page)
    assert first["inMain"], f"after the skip link, Tab went to {first}"
    assert first["text"] == "Today" and not first["inNav"]  # the breadcrumb's first link


def test_searching_from_the_header(keyboard, demo):
    page = keyboard()
    tab_to(page, lambda el: el["id"] == "site-search", "the header search box")
    page.keyboard.type("kent")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=kent")
    assert page.get_by_role("heading", level=1).inner_text() == "Search results for “kent”"
    assert page.get_by_role("link", name="Kent Police").is_visible()
    # A request's exact reference opens the request.
    kent = demo.requests.get(force_id="kent")
    tab_to(page, lambda el: el["id"] == "site-search", "the header search box")
    page.keyboard.press("Control+A")
    page.keyboard.type(kent.reference.upper())
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('request-detail', args=[kent.pk])}")
    assert kent.reference in page.locator(".breadcrumbs").inner_text()


def test_the_main_nav_in_order_and_by_enter(keyboard):
    page = keyboard()
    labels = ["Today", "Campaigns", "Requests", "Overdue", "Review", "Dataset", "Forces"]
    tab_to(page, lambda el: el["inNav"], "the main navigation")
    seen = [page.evaluate("() => document.activeElement.textContent.trim()")]
    while len(seen) < 20:
        el = press(page)
        if not el["inNav"]:
            break
        seen.append(el["text"])
    assert seen[: len(labels)] == labels
    assert "Admin" in seen and "Holding pen" in " ".join(seen)  # staff links, last
    assert el["id"] == "site-search", "after the nav, Tab goes to the search box"
    tab_to(page, lambda el: el["inNav"] and el["text"] == "Overdue", "Overdue", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('overdue-board')}")
    assert page.locator('nav[aria-label=Main] a[aria-current="page"]').inner_text() == "Overdue"


def test_ticking_overdue_requests_and_holding_them(keyboard):
    from requests_app.models import FoiRequest, OutboundMessage, RequestEvent

    page = keyboard()
    page.goto(reverse("overdue-board"))
    ticked = []
    for _ in range(2):
        box = tab_to(page, lambda el: el["name"] == "ids", "a request's tick box")
        page.keyboard.press("Space")
        ticked.append(int(box["value"]))
        assert page.evaluate("() => document.activeElement.checked")
    # Enter on a tick box submits the form (in Chromium) with its default button: that
    # must not be the first action, "Chase now"; the page asks for an action instead.
    before = (OutboundMessage.objects.count(), RequestEvent.objects.count())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Choose what to do with the ticked requests." in page.locator(".messages").inner_text()
    assert (OutboundMessage.objects.count(), RequestEvent.objects.count()) == before
    # Tick them again, back up to the actions above the table, and hold the two.
    for pk in ticked:
        tab_to(page, lambda el, pk=pk: el["name"] == "ids" and el["value"] == str(pk), "tick box")
        page.keyboard.press("Space")
    tab_to(page, lambda el: el["text"] == "Hold", "the Hold button", key="Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".messages").inner_text().count("on hold") == 2
    assert set(FoiRequest.objects.filter(on_hold=True).values_list("pk", flat=True)) == set(ticked)


def test_choosing_the_league_tables_period_by_keyboard(keyboard, workday):
    from datetime import timedelta

    page = keyboard()
    page.goto(reverse("overdue-league"))
    start = tab_to(page, lambda el: el["id"] == "id_start", "the period's start")
    assert start["value"] == (workday - timedelta(days=365)).isoformat()  # shown, not blank
    tab_to(page, lambda el: el["text"] == "Show", "the Show button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"end={workday.isoformat()}" in page.url
    assert page.locator(".error").count() == 0, page.locator(".error").all_inner_texts()
    assert page.locator("tbody tr").count() >= 30


def test_focus_is_visible_and_follows_the_visual_order_on_the_main_pages(keyboard, demo):
    kent = demo.requests.get(force_id="kent")
    pages = {
        "home": reverse("home"),
        "requests": reverse("request-list"),
        "request": reverse("request-detail", args=[kent.pk]),
        "campaign-board": reverse("campaign-board", args=[demo.slug]),
        "force": reverse("force-detail", args=["kent"]),
        "overdue": reverse("overdue-board"),
        "league-table": reverse("overdue-league"),
        "review-queue": reverse("review-queue"),
        "dataset": reverse("dataset-campaign", args=[demo.slug]),
        "holding-pen": reverse("holding-pen"),
        "search": reverse("search") + "?q=kent",
    }
    page = keyboard()
    problems = []
    for name, url in pages.items():
        page.goto(url)
        stops = tab_stops(page)
        assert len(stops) >= 15, f"{name}: only {len(stops)} tab stops"
        assert stops[0]["text"] == "Skip to content", f"{name}: first stop {stops[0]}"
        problems += [f"{name}: {step}" for step in out_of_visual_order(stops)]
    assert not problems, "the focus went against the reading order:\n" + "\n".join(problems)


HEADER_ROW = """() => {
  const header = document.querySelector('.site-header').getBoundingClientRect();
  const items = [...document.querySelectorAll('.header-row > *, .header-tools > *, .nav > li')]
    .map(el => { const r = el.getBoundingClientRect();
                 return {name: el.className || el.tagName, top: r.top, bottom: r.bottom,
                         left: r.left, right: r.right, height: r.height}; });
  const row = document.querySelector('.header-row');
  return {height: header.height, items, overflow: row.scrollWidth - row.clientWidth};
}"""


def test_the_header_is_one_row_at_1280_and_wraps_when_narrower(keyboard):
    page = keyboard()  # the admin: every link, the holding pen and the admin site included
    layout = page.evaluate(HEADER_ROW)
    tallest = max(i["height"] for i in layout["items"])
    middles = [(i["top"] + i["bottom"]) / 2 for i in layout["items"]]
    assert max(middles) - min(middles) <= 4, f"header items on several rows: {layout['items']}"
    assert layout["height"] < 1.5 * tallest + 24, f"header {layout['height']} px high"
    assert layout["overflow"] <= 0
    for width in (1024, 768, 375):
        page.set_viewport_size({"width": width, "height": 800})
        layout = page.evaluate(HEADER_ROW)
        assert layout["overflow"] <= 0, f"the header scrolls sideways at {width} px"
        for item in layout["items"]:
            assert item["right"] <= width, f"{item['name']} sticks out at {width} px"
        # Wrapped rows never overlap: the nav's links and the search tools keep their rows.
        boxes = [i for i in layout["items"] if i["name"] in ("search", "logout", "LI")]
        for a in boxes:
            for b in boxes:
                if a is not b:
                    apart = a["right"] <= b["left"] or b["right"] <= a["left"]
                    apart = apart or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]
                    assert apart, f"{a} and {b} overlap at {width} px"
