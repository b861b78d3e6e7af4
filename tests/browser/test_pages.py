"""Every main page in a real browser: screenshots for the README, and axe-core's WCAG checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, csp_violations, describe, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


def _demo_with_a_reply():
    """The demo (ten forces' replies read, release 1), and Kent's reply (kent.csv) read too."""
    from responses_app.services.demo import load_demo
    from responses_app.services.reading import read_document
    from responses_app.services.uploads import receive_upload

    campaign = load_demo()
    kent = campaign.requests.get(force_id="kent")
    queued: list[int] = []
    receive_upload(
        request=kent,
        files=[("kent.csv", (SAMPLES / "kent.csv").read_bytes())],
        dispatch=queued.append,
    )
    replies = [read_document(document_id=pk) for pk in queued]
    return campaign, kent, replies[0]


def test_the_main_pages_pass_axe_and_are_photographed(login):
    campaign, kent, reply = _demo_with_a_reply()
    answered = campaign.requests.filter(responded_on__isnull=False).order_by("pk").first()
    release = campaign.releases.get()
    pages = {
        "home": reverse("home"),
        "requests": reverse("request-list"),
        "request": reverse("request-detail", args=[kent.pk]),
        "request-answered": reverse("request-detail", args=[answered.pk]),
        "campaigns": reverse("campaign-list"),
        "campaign-board": reverse("campaign-board", args=[campaign.slug]),
        "campaign-create": reverse("campaign-create"),
        "campaign-mark-sent": reverse("campaign-mark-sent", args=[campaign.slug]),
        "forces": reverse("force-list"),
        "force": reverse("force-detail", args=["kent"]),
        "overdue": reverse("overdue-board"),
        "league-table": reverse("overdue-league"),
        "review-queue": reverse("review-queue") + f"?campaign={campaign.slug}",
        "dataset-index": reverse("dataset-index"),
        "dataset": reverse("dataset-campaign", args=[campaign.slug]),
        "release": reverse("release-detail", args=[release.pk]),
        "mapping": reverse("reply-map", args=[reply.pk]),
        "holding-pen": reverse("holding-pen"),
        "search": reverse("search") + "?q=kent",
    }
    page = login("admin")
    problems, blocked = [], []
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, f"{name}: {url} answered {response.status}"
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        assert page.locator("h1").count() >= 1, f"{name} has no heading"
        assert screenshot(page, name).stat().st_size > 10_000
        blocked += [f"{name} ({url}): {v}" for v in csp_violations(page)]
        found = axe_violations(page)
        if found:
            problems.append(f"{name} ({url}):\n{describe(found)}")
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)


def test_an_inline_script_or_style_attribute_in_a_template_is_caught(login):
    """What the page check above relies on: a template that grew inline code is reported."""
    page = login("admin")

    def with_inline_code(route):
        served = route.fetch()
        body = served.text().replace(
            "</main>",
            '<p style="color: red">styled</p><script>window.inlineRan = true</script></main>',
        )
        route.fulfill(response=served, body=body)

    page.route("**/forces/", with_inline_code)
    response = page.goto(reverse("force-list"))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    blocked = csp_violations(page)
    assert any(v.startswith("style-src") for v in blocked), blocked
    assert any(v.startswith("script-src") for v in blocked), blocked
    assert page.evaluate("() => window.inlineRan") is None
    page.unroute("**/forces/")
    page.goto(reverse("force-list"))
    assert csp_violations(page) == []
