"""Celery tasks: thin wrappers that take ids or dates and call the services.

Schedules live in the database (django-celery-beat, editable in the admin);
migration 0004 registers them: the chase sweep at 07:00 Europe/London Monday
to Friday, the digest at 07:30, the nightly state refresh and the outbox flush.
Sends are queued with ``transaction.on_commit`` so a worker never looks for a
row that is not committed yet.
"""

import logging
from datetime import date

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction

from requests_app.domain.calendar import Regime
from requests_app.models import Campaign
from requests_app.models.send_runs import SEND_TIME_LIMIT_SECONDS
from requests_app.services import chasing, delivery, reminders, send_runs, state
from requests_app.services.calendars import calendar
from requests_app.services.sending import send_campaign

log = logging.getLogger(__name__)


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else state.today()


def queue_send(outbound_id: int) -> None:
    """Queue the sending of one outbox row once the current transaction commits."""
    transaction.on_commit(lambda: send_outbound.delay(outbound_id))


@shared_task(
    name="requests_app.send_outbound",
    autoretry_for=(delivery.SendFailed,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=delivery.MAX_ATTEMPTS,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
)
def send_outbound(outbound_id: int) -> str:
    """Send one outbox row; a second delivery of the task, or a retry after success, is a no-op."""
    return delivery.deliver(outbound_id=outbound_id)


@shared_task(name="requests_app.chase_sweep", soft_time_limit=600, time_limit=660)
def chase_sweep(today: str | None = None) -> dict:
    """The daily sweep: chasers to forces and reminders to researchers, on working days only.

    ``today`` (YYYY-MM-DD) is for replays and tests; the schedule passes nothing.
    """
    day = _day(today)
    result = chasing.run_sweep(today=day, dispatch=queue_send)
    calendars, _ = chasing.working_calendars(day)
    sent = reminders.run_reminders(today=day, calendars=calendars, dispatch=queue_send)
    summary = {
        "today": day.isoformat(),
        "chasers": [d.as_json() for d in result.chasers],
        "reminders": len(sent),
        "redispatched": result.redispatched,
        "not_working_day": result.skipped_regimes,
        "problems": result.problems,
    }
    log.info("Chase sweep %s: %s chasers, %s reminders", day, len(result.chasers), len(sent))
    return summary


@shared_task(name="requests_app.daily_digest", soft_time_limit=300, time_limit=360)
def daily_digest(today: str | None = None) -> int:
    """Each researcher's digest, on FOIA working days."""
    day = _day(today)
    cal = calendar(Regime.FOIA)
    if not cal.is_working_day(day):
        return 0
    return len(reminders.run_digest(today=day, cal=cal, dispatch=queue_send))


@shared_task(name="requests_app.refresh_states", soft_time_limit=1800, time_limit=1900)
def refresh_states(today: str | None = None) -> dict:
    """Nightly: move every unfinished request's stored status on to today (overdue by date)."""
    day = _day(today)
    return {regime.value: state.refresh_regime(regime.value, on=day) for regime in Regime}


@shared_task(name="requests_app.flush_outbox", soft_time_limit=120, time_limit=150)
def flush_outbox() -> int:
    """Re-queue outbox rows whose task was lost or whose worker died (lease expired)."""
    ids = delivery.stale_ids()
    for outbound_id in ids:
        queue_send(outbound_id)
    return len(ids)


# A throttled send of 43 requests takes minutes, longer than a web request may last,
# so the send page and the API queue this task; the CLI calls the service directly.
# send_campaign claims each request's outbox row before sending, so a redelivered
# task never sends a request twice. ``run_id`` is the SendRun the board follows.
@shared_task(
    name="requests_app.send_campaign",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SEND_TIME_LIMIT_SECONDS,
    time_limit=SEND_TIME_LIMIT_SECONDS + 60,
)
def send_campaign_task(
    campaign_id: int, user_id: int | None = None, run_id: int | None = None
) -> dict | None:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        send_runs.finish_run(run_id, interrupted="the campaign no longer exists")
        return None
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    send_runs.start_run(run_id)
    try:
        report = send_campaign(campaign, user=user)
    except BaseException as exc:  # out of time, or a bug: the board must not wait for ever
        send_runs.finish_run(run_id, interrupted=f"{type(exc).__name__}: {exc}")
        raise
    send_runs.finish_run(run_id, interrupted=report.interrupted)
    return report.as_dict()


def queue_campaign_send(*, campaign_id: int, user_id: int | None = None) -> int:
    """Record the send (a SendRun the board follows) and queue it once the transaction commits."""
    run = send_runs.open_run(campaign_id=campaign_id, user_id=user_id)
    transaction.on_commit(lambda: send_campaign_task.delay(campaign_id, user_id, run.pk))
    return run.pk
