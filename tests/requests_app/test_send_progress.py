"""The campaign send's progress: the JSON the board polls, the panel, and the run's life."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from requests_app.models import Force, OutboundMessage, SendRun
from requests_app.selectors.send_progress import RUN_GIVES_UP, send_progress
from requests_app.services.sending import NEEDS_ATTENTION, mark_delivered
from requests_app.tasks import queue_campaign_send, send_campaign_task
from tests.requests_app.campaign_helpers import claimed, give_forces_email, platforms_campaign
from tests.requests_app.permissions_support import build_world

pytestmark = pytest.mark.django_db
FORCES = ["kent", "essex", "durham", "surrey", "gwent"]
KEYS = {"state", "done", "total", "sent", "failed", "needs_attention", "sending", "queued"}


@pytest.fixture
def campaign():
    return platforms_campaign(FORCES)


@pytest.fixture
def browser(client, researcher):
    client.force_login(researcher)
    return client


def progress_url(campaign) -> str:
    return reverse("campaign-send-progress", args=[campaign.slug])


def test_no_send_asked_for_is_no_state_and_no_panel(browser, campaign):
    data = browser.get(progress_url(campaign)).json()
    assert data["state"] == "" and data["done"] is True
    page = browser.get(reverse("campaign-board", args=[campaign.slug])).content.decode()
    assert "data-progress-url" not in page and "js/progress.js" not in page


def test_the_counts_come_from_the_outbox_while_a_run_is_sending(browser, campaign):
    give_forces_email(only=["kent", "essex", "durham", "surrey"])  # gwent: portal only
    Force.objects.filter(pk="gwent").update(foi_email="", portal_url="https://g.example")
    SendRun.objects.create(campaign=campaign, status=SendRun.Status.RUNNING)
    mark_delivered(claimed(campaign, "kent"))  # sent
    failed = claimed(campaign, "essex")
    OutboundMessage.objects.filter(pk=failed.pk).update(status="failed", last_error="refused")
    stuck = claimed(campaign, "durham")
    OutboundMessage.objects.filter(pk=stuck.pk).update(
        status="failed", last_error=NEEDS_ATTENTION
    )  # surrey has no row yet: still to go

    data = browser.get(progress_url(campaign)).json()
    assert KEYS <= set(data)
    assert {k: data[k] for k in KEYS} == {
        "state": "running",
        "done": False,
        "total": 4,
        "sent": 1,
        "failed": 1,
        "needs_attention": 1,
        "sending": 0,
        "queued": 1,
    }
    assert data["message"] == ("Sending: 1 of 4 requests emailed, 2 need attention, 1 to go.")
    assert data["percent"] == 25


def test_a_row_being_sent_and_a_stale_one(campaign):
    give_forces_email(only=["kent", "essex"])
    SendRun.objects.create(campaign=campaign, status=SendRun.Status.RUNNING)
    claimed(campaign, "kent")  # sending now
    old = claimed(campaign, "essex")
    OutboundMessage.objects.filter(pk=old.pk).update(claimed_at=timezone.now() - timedelta(hours=2))
    progress = send_progress(campaign)
    assert (progress.sending, progress.needs_attention, progress.queued) == (1, 1, 0)
    assert not progress.done


def test_a_finished_run_is_done_and_says_what_needs_attention(campaign):
    give_forces_email(only=["kent", "essex"])
    SendRun.objects.create(
        campaign=campaign, status=SendRun.Status.FINISHED, finished_at=timezone.now()
    )
    mark_delivered(claimed(campaign, "kent"))
    OutboundMessage.objects.filter(pk=claimed(campaign, "essex").pk).update(
        status="failed", last_error="address refused"
    )
    progress = send_progress(campaign)
    assert progress.done and progress.state == "finished"
    assert progress.message == (
        "Sending finished: 1 of 2 requests emailed. 1 needs attention: see the send page."
    )


def test_an_older_run_still_going_keeps_the_panel_polling(campaign):
    SendRun.objects.create(campaign=campaign, status=SendRun.Status.RUNNING)
    SendRun.objects.create(campaign=campaign, status=SendRun.Status.FINISHED)
    assert send_progress(campaign).state == "running"


def test_a_run_no_worker_finished_is_reported_stopped(campaign):
    run = SendRun.objects.create(campaign=campaign, status=SendRun.Status.RUNNING)
    SendRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - RUN_GIVES_UP - timedelta(minutes=1)
    )
    progress = send_progress(campaign)
    assert progress.state == "stopped" and progress.done
    assert "Open the send page to resume" in progress.message


def test_a_queued_run_waits_for_a_worker(campaign):
    give_forces_email(only=FORCES)
    SendRun.objects.create(campaign=campaign)
    progress = send_progress(campaign)
    assert progress.state == "queued" and not progress.done
    assert progress.message == (
        "Waiting for a worker to start the send: 0 of 5 requests emailed, 5 to go."
    )
    assert progress.elapsed.startswith("Asked for ") and progress.elapsed.endswith(" ago.")


def test_who_may_poll(client):
    world = build_world()
    url = lambda c: reverse("campaign-send-progress", args=[c.slug])  # noqa: E731
    client.force_login(world.a_researcher)
    assert client.get(url(world.mine)).status_code == 200
    assert client.get(url(world.private)).status_code == 404
    assert client.get(url(world.shared)).status_code == 403  # visible, read only
    client.force_login(world.a_viewer)
    assert client.get(url(world.mine)).status_code == 403
    page = client.get(reverse("campaign-board", args=[world.mine.slug])).content.decode()
    assert "data-progress-url" not in page
    for user in (world.b_researcher, world.outsider):
        client.force_login(user)
        assert client.get(url(world.mine)).status_code == 404
    client.logout()
    assert client.get(url(world.mine)).status_code in (302, 404)
    assert client.post(url(world.mine)).status_code in (302, 403, 405)


def test_polling_costs_a_fixed_number_of_queries(browser, campaign, django_assert_num_queries):
    give_forces_email(only=FORCES)
    SendRun.objects.create(campaign=campaign, status=SendRun.Status.RUNNING)
    browser.get(progress_url(campaign))  # warm up
    # session, user, campaign, memberships; then the runs and the outbox counts
    with django_assert_num_queries(6):
        browser.get(progress_url(campaign))
    for force_id in ["kent", "essex", "durham"]:
        mark_delivered(claimed(campaign, force_id))
    with django_assert_num_queries(6):
        assert browser.get(progress_url(campaign)).json()["sent"] == 3


def test_the_response_is_never_cached(browser, campaign):
    response = browser.get(progress_url(campaign))
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_sending_from_the_page_shows_the_panel_done(
    browser, campaign, settings, eager_celery, django_capture_on_commit_callbacks
):
    settings.SEND_RATE_PER_MINUTE = 0
    give_forces_email(only=["kent", "essex"])
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("campaign-send", args=[campaign.slug]))
    assert response["Location"] == reverse("campaign-board", args=[campaign.slug]) + "#send-h"
    assert len(mail.outbox) == 2
    run = SendRun.objects.get()
    assert run.status == "finished" and run.started_at and run.finished_at
    page = browser.get(response["Location"]).content.decode()
    assert f'data-progress-url="{progress_url(campaign)}"' in page
    assert 'data-progress-done="true"' in page
    assert "Sending finished: 2 of 2 requests emailed." in page
    assert 'role="status" aria-live="polite"' in page
    assert "<progress" in page and 'aria-labelledby="send-h"' in page
    assert '<script src="/static/js/progress.js" defer></script>' in page
    assert "<script>" not in page


def test_a_send_in_progress_renders_a_refresh_link_for_no_javascript(browser, campaign):
    SendRun.objects.create(campaign=campaign)
    page = browser.get(reverse("campaign-board", args=[campaign.slug])).content.decode()
    assert 'data-progress-done="false"' in page
    running = page[page.index("data-progress-running") :][:300]
    assert "hidden" not in running.split(">")[0]
    assert "refresh the board" in running


def test_a_mail_server_that_refuses_the_connection_ends_the_run_with_the_reason(campaign, settings):
    give_forces_email(only=["kent"])
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    run_id = queue_campaign_send(campaign_id=campaign.pk)
    send_campaign_task(campaign.pk, None, run_id)
    progress = send_progress(campaign)
    assert progress.done and progress.state == "finished"
    assert progress.message.startswith("The send stopped: Could not connect to the mail server")
    assert progress.message.endswith("0 of 1 request emailed; send again to resume.")


def test_a_crash_in_the_task_still_ends_the_run(campaign, monkeypatch):
    def boom(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("requests_app.tasks.send_campaign", boom)
    run_id = queue_campaign_send(campaign_id=campaign.pk)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_campaign_task(campaign.pk, None, run_id)
    run = SendRun.objects.get(pk=run_id)
    assert run.status == "finished" and run.interrupted == "SMTPServerDisconnected: gone"


def test_a_redelivered_task_does_not_restart_a_finished_run(campaign, settings):
    settings.SEND_RATE_PER_MINUTE = 0
    give_forces_email(only=["kent"])
    run_id = queue_campaign_send(campaign_id=campaign.pk)
    send_campaign_task(campaign.pk, None, run_id)
    first = SendRun.objects.get(pk=run_id)
    send_campaign_task(campaign.pk, None, run_id)  # delivered again
    again = SendRun.objects.get(pk=run_id)
    assert (again.status, again.started_at, again.finished_at) == (
        "finished",
        first.started_at,
        first.finished_at,
    )
    assert len(mail.outbox) == 1


def test_the_board_renders_what_the_json_says(browser, campaign):
    give_forces_email(only=["kent", "essex"])
    SendRun.objects.create(campaign=campaign, status=SendRun.Status.FINISHED)
    mark_delivered(claimed(campaign, "kent"))
    data = browser.get(progress_url(campaign)).json()
    page = browser.get(reverse("campaign-board", args=[campaign.slug])).content.decode()
    assert data["message"] == "Sending finished: 1 of 2 requests emailed."
    assert f"data-progress-text>{data['message']}</span>" in page
    assert f'max="{data["total"]}" value="{data["sent"]}"' in page
