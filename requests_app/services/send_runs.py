"""The life of a queued campaign send (``SendRun``): asked for, taken up by a worker, ended.

The send itself is ``services/sending.py``; these three writes only let the
board tell "waiting for a worker" and "sending" from "finished" or "stopped"
(a mail server that refused the connection writes no outbox row at all).
"""

from django.db.models import Q
from django.utils import timezone

from requests_app.models import SendRun

Status = SendRun.Status


def open_run(*, campaign_id: int, user_id: int | None = None) -> SendRun:
    """Record that a send of the campaign was asked for (before it is queued)."""
    return SendRun.objects.create(campaign_id=campaign_id, requested_by_id=user_id)


def start_run(run_id: int | None) -> None:
    """A worker took the run up (again, after a redelivery: then nothing changes)."""
    if run_id:
        SendRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
            status=Status.RUNNING, started_at=timezone.now()
        )


def finish_run(run_id: int | None, *, interrupted: str = "") -> None:
    """The run ended, with the error that stopped it if one did."""
    if run_id:
        SendRun.objects.filter(pk=run_id).filter(~Q(status=Status.FINISHED)).update(
            status=Status.FINISHED, interrupted=interrupted[:2000], finished_at=timezone.now()
        )
