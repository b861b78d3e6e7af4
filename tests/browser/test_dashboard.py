"""The home page in a real browser: what needs you today, charts drawn from JSON, axe-core."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, csp_violations, describe, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


def _read_reply(request) -> None:
    """kent.csv read into figures for ``request`` (waiting for review)."""
    from responses_app.services.reading import read_document
    from responses_app.services.uploads import receive_upload

    queued: list[int] = []
    receive_upload(
        request=request,
        files=[("reply.csv", (SAMPLES / "kent.csv").read_bytes())],
        dispatch=queued.append,
    )
    for pk in queued:
        read_document(document_id=pk)


def _demo_day(today):
    """The demo campaign with something in every part of the home page."""
    from requests_app.domain.lifecycle import Status
    from requests_app.services.calendars import calendar
    from requests_app.services.events import EventInput, record_event
    from responses_app.services.demo import load_demo
    from responses_app.services.review import bulk_approve

    campaign = load_demo(on=today)
    cal = calendar("FOIA")
    requests = campaign.requests.select_related("force")
    # Kent's figures approved (the charts of the latest figures), one more reply waiting.
    kent = requests.get(force_id="kent")
    _read_reply(kent)
    bulk_approve(
        campaign=campaign, force="kent", only_valid=False, reason="Checked against the reply"
    )
    answered = list(requests.filter(responded_on__lt=today - timedelta(days=3)).exclude(pk=kent.pk))
    _read_reply(answered[0])
    # Chasers that went out this week, on the most overdue requests.
    for request in requests.filter(status=Status.VERY_OVERDUE.value)[:3]:
        record_event(request=request, data=EventInput("chaser", today, stage="1"))
    # An internal review asked for and answered: the Commissioner window is open.
    reviewed = answered[1]
    asked = cal.add_working_days(reviewed.responded_on, 1)
    record_event(request=reviewed, data=EventInput("review_requested", asked))
    record_event(
        request=reviewed,
        data=EventInput("review_response", max(asked, today), outcome="partial"),
    )
    return campaign


def test_the_home_page_draws_its_charts_and_passes_axe(login, workday):
    campaign = _demo_day(workday)
    errors: list[str] = []
    page = login("researcher")  # the application's Content-Security-Policy applies
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    assert page.goto(reverse("home")).status == 200
    page.wait_for_selector("#chart-response_times .chart-canvas svg")
    # the latest campaign with approved figures: its own breakdowns, whatever they are
    breakdowns = page.locator(".chart[id^='chart-']").evaluate_all("els => els.map(e => e.id)")
    keys = ["response_times", "trend"] + [
        k[len("chart-") :]
        for k in breakdowns
        if k not in {"chart-response_times", "chart-trend", "chart-coverage"}
    ]
    assert len(keys) == 4, keys
    for key in keys:
        chart = page.locator(f"#chart-{key}")
        assert chart.locator(".chart-canvas svg").count() == 1, key
        assert chart.locator("details table").count() == 1, f"{key} has no table alternative"
    assert page.locator("#chart-response_times .chart-limit").count() == 1
    assert "the legal limit" in page.locator("#chart-response_times svg").text_content()
    for heading in ["Replies to review", "Clarifications to answer", "Chasers that went out",
                    "Commissioner windows closing", "Campaigns in progress"]:  # fmt: skip
        assert page.get_by_role("heading", name=heading).is_visible(), heading
    assert page.locator("#replies-h + table tbody tr").count() >= 1
    assert page.locator("#chasers-h ~ table tbody tr").count() == 3
    assert page.locator("#commissioner-h ~ table tbody tr").count() == 1
    assert screenshot(page, "home").stat().st_size > 10_000
    # The table alternative opens from the keyboard.
    summary = page.locator("#chart-response_times summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#chart-response_times details table").is_visible()
    page.keyboard.press("Enter")
    assert not errors, errors

    # axe-core, with every table alternative open so their markup is checked too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    found = axe_violations(page)
    assert not found, f"axe-core found on the home page:\n{describe(found)}"
    assert csp_violations(page) == []

    # The dataset page draws the same response-times chart for its campaign.
    assert page.goto(reverse("dataset-campaign", args=[campaign.slug])).status == 200
    page.wait_for_selector("#chart-response_times .chart-canvas svg")
    assert page.locator("#chart-response_times details table").count() == 1
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    found = axe_violations(page)
    assert not found, f"axe-core found on the dataset page:\n{describe(found)}"
    assert csp_violations(page) == [] and not errors, errors


#: The outermost elements that stick out past the right edge of the screen.
WIDEST = """() => {
  const out = e => e.getBoundingClientRect().right > window.innerWidth + 1;
  return [...document.querySelectorAll('body *')]
    .filter(e => out(e) && !out(e.parentElement))
    .slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}.${e.className} ${e.getBoundingClientRect().right}`);
}"""


def test_the_home_page_fits_a_phone_without_scrolling_sideways(login, workday):
    _demo_day(workday)
    page = login("researcher")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.goto(reverse("home")).status == 200
    page.wait_for_selector("#chart-response_times .chart-canvas svg")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(WIDEST)
    assert overflow <= 0, f"the home page is {overflow}px wider than a 375px screen: {wide}"
