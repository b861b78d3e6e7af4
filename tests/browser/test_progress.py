"""Progress of long work in a real browser: a campaign send, a release being built, a reading.

Each page polls a small JSON endpoint (static/js/progress.js) and stops when
the work is done. The work itself is moved on from the test (the live server
shares the database), so no test waits on a clock.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from requests_app.models import Force, OutboundMessage, SendRun, Team
from requests_app.services.campaigns import create_campaign
from requests_app.services.send_runs import finish_run
from requests_app.services.sending import mark_delivered
from responses_app.models import Release, ReleaseJob, Reply
from responses_app.services.reading import read_document
from responses_app.services.uploads import receive_upload
from responses_app.tasks import build_release
from tests.browser.conftest import axe_violations, csp_violations, describe, screenshot
from tests.requests_app.campaign_helpers import claimed, give_forces_email
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FORCES = ["kent", "essex", "durham"]
KENT_CSV = Path(__file__).resolve().parents[1] / "fixtures" / "samples" / "kent.csv"


@pytest.fixture
def campaign(demo_users):
    Force.objects.filter(pk__in=FORCES).update(foi_email_broken=False)
    give_forces_email(only=FORCES)
    return create_campaign(
        slug="progress-2019",
        title="Progress 2019",
        periods=["2019-20"],
        template="Dear {force_name}, ref {reference}",
        forces=Force.objects.filter(pk__in=FORCES),
        owner=get_user_model().objects.get(username="researcher"),
        team=Team.objects.get(slug="research"),
    )


@pytest.fixture
def queued_releases(monkeypatch):
    """Release builds are queued but not run (no broker): the job ids, in order."""
    ids: list[int] = []
    monkeypatch.setattr(build_release, "delay", ids.append)
    return ids


def assert_accessible_and_csp_clean(page, within: str = "main") -> None:
    """No CSP violation on the page, no serious axe-core violation inside ``within``."""
    assert csp_violations(page) == []
    violations = axe_violations(page, within)
    assert violations == [], describe(violations)


def send(campaign, force_id: str) -> None:
    mark_delivered(claimed(campaign, force_id))


def test_sending_a_campaign_shows_the_panel_reach_done(
    login, campaign, eager, mailoutbox, settings
):
    settings.SEND_RATE_PER_MINUTE = 0
    page = login("researcher")
    page.goto(reverse("campaign-board", args=[campaign.slug]))
    assert page.locator("[data-progress-url]").count() == 0  # nothing sent yet
    page.get_by_role("link", name=re.compile("Send by email")).click()
    page.get_by_role("button", name="Send 3 requests now").click()
    page.wait_for_url(re.compile(rf"/campaigns/{campaign.slug}/#send-h$"))

    panel = page.locator("section.send-progress")
    expect(panel.get_by_role("status")).to_have_text("Sending finished: 3 of 3 requests emailed.")
    expect(panel.locator("progress")).to_have_attribute("value", "3")
    expect(panel.get_by_role("link", name="refresh the board")).to_be_hidden()
    assert len(mailoutbox) == 3
    assert SendRun.objects.get().status == "finished"
    screenshot(page, "progress-send-done")


def test_the_panel_follows_a_send_and_stops_when_it_is_done(login, campaign):
    run = SendRun.objects.create(campaign=campaign, status=SendRun.Status.RUNNING)
    send(campaign, "kent")
    page = login("researcher")
    polls: list[str] = []
    url = reverse("campaign-send-progress", args=[campaign.slug])
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith(url) else None)
    page.goto(reverse("campaign-board", args=[campaign.slug]))
    panel = page.locator("section.send-progress")
    status = panel.get_by_role("status")
    expect(status).to_have_text("Sending: 1 of 3 requests emailed, 2 to go.")
    expect(panel.get_by_role("link", name="refresh the board")).to_be_visible()
    assert_accessible_and_csp_clean(page, "section.send-progress")

    send(campaign, "essex")  # the worker moves on; the page follows without a refresh
    expect(status).to_have_text("Sending: 2 of 3 requests emailed, 1 to go.")
    expect(panel.get_by_text("emailed", exact=False).first).to_be_visible()
    send(campaign, "durham")
    finish_run(run.pk)
    expect(status).to_have_text("Sending finished: 3 of 3 requests emailed.")
    expect(panel).to_have_attribute("data-progress-done", "true")
    expect(panel.locator("progress")).to_have_js_property("value", 3)
    expect(panel.get_by_role("link", name="refresh the board")).to_be_hidden()
    expect(panel.get_by_role("link", name="The send page")).to_be_visible()
    seen = len(polls)
    page.wait_for_timeout(3000)  # a poller still running would ask again within this
    assert len(polls) == seen, "the page kept polling after the send was done"
    assert OutboundMessage.objects.filter(status="sent").count() == 3


def test_publishing_a_release_shows_building_then_the_release(login, campaign, queued_releases):
    answer(campaign, "kent", "2019-20", total=146)
    answer(campaign, "durham", "2019-20", total=7)
    page = login("coordinator")
    page.goto(reverse("dataset-campaign", args=[campaign.slug]))
    page.get_by_label("Methodology").fill("As the forces gave them.")
    page.get_by_role("button", name="Publish release").click()
    page.wait_for_url(re.compile(r"/releases/jobs/\d+/$"))
    job = ReleaseJob.objects.get()
    assert queued_releases == [job.pk]
    status = page.get_by_role("status")
    expect(status).to_contain_text("Waiting for a worker to build the release")
    expect(page.locator("progress")).to_be_visible()
    screenshot(page, "progress-release-building")
    assert_accessible_and_csp_clean(page)

    build_release(job.pk)  # the worker: the page goes to the release by itself
    release = Release.objects.get()
    page.wait_for_url(re.compile(rf"/releases/{release.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Release 1 of {campaign.slug}")
    expect(page.get_by_text("published with 2 figures")).to_be_visible()
    assert release.methodology == "As the forces gave them."


def test_with_eager_tasks_publishing_lands_on_the_release(login, campaign, eager):
    answer(campaign, "kent", "2019-20", total=146)
    page = login("coordinator")
    page.goto(reverse("dataset-campaign", args=[campaign.slug]))
    page.get_by_role("button", name="Publish release").click()
    page.wait_for_url(re.compile(r"/releases/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Release 1 of {campaign.slug}")


def test_a_failed_build_says_why_on_the_page(login, campaign, queued_releases):
    answer(campaign, "kent", "2019-20", total=146)
    page = login("coordinator")
    page.goto(reverse("dataset-campaign", args=[campaign.slug]))
    page.get_by_role("button", name="Publish release").click()
    page.wait_for_url(re.compile(r"/releases/jobs/\d+/$"))
    campaign.figures.update(status="needs_review")  # unapproved before the worker came
    build_release(queued_releases[0])
    expect(page.get_by_role("status")).to_have_text(
        f"No release was published: Nothing to release: the campaign {campaign.slug} "
        "has no approved figures."
    )
    expect(page.locator("[data-progress-badge]")).to_have_text("Not published")
    assert not Release.objects.exists()


def test_a_reply_being_read_shows_its_figures_without_a_refresh(login, campaign):
    kent = campaign.requests.get(force_id="kent")
    receive_upload(
        request=kent, files=[("kent.csv", KENT_CSV.read_bytes())], dispatch=lambda _id: None
    )
    reply = Reply.objects.get(request=kent)
    page = login("researcher")
    page.goto(reverse("request-detail", args=[kent.pk]))
    box = page.locator("article.reply")
    expect(box.get_by_role("status")).to_contain_text("Waiting to be read.")
    expect(box.locator("progress")).to_be_visible()
    read_document(document_id=reply.document_id)  # the worker reads it
    expect(box.get_by_role("status")).to_have_text(re.compile(r"^Read: extracted \d+ figures"))
    expect(box.locator("[data-progress-badge]")).to_have_text("Read")
    expect(box.get_by_role("link", name="Show its figures and findings")).to_be_visible()
    expect(box.get_by_role("link", name="Refresh the page")).to_be_hidden()
