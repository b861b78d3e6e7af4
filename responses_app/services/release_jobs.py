"""Publishing a release in the background: asked for on the page, built by a worker.

``request_release`` checks at once what can be checked (something approved
to release), then records a ``ReleaseJob``; the view queues
``responses_app.build_release`` with the job's id. ``build_release`` is
idempotent: the job row is locked while the release is made, and the release
and the job's "done" commit together, so a task delivered twice, or two
workers, make one release; a worker that dies mid-build leaves the job to be
built again by the redelivered task.
"""

import logging

from django.db import transaction
from django.utils import timezone

from requests_app.models import Campaign
from requests_app.users import acting_user
from responses_app.models import ReleaseJob

from .releases import ReleaseError, check_releasable, create_release

log = logging.getLogger(__name__)
Status = ReleaseJob.Status


def request_release(
    *, campaign: Campaign | None = None, series: str = "", methodology: str = "", user=None
) -> ReleaseJob:
    """A job to publish the next release (raises ReleaseError for what is known to fail)."""
    check_releasable(campaign=campaign, series=series)
    return ReleaseJob.objects.create(
        campaign=campaign,
        series="" if campaign is not None else series,
        methodology=methodology.strip(),
        requested_by=acting_user(user),
    )


def build_release(*, job_id: int) -> ReleaseJob | None:
    """Make the job's release, or record why not; a finished job is returned as it is."""
    ReleaseJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    try:
        with transaction.atomic():
            job = (
                ReleaseJob.objects.select_for_update(of=("self",))
                .select_related("campaign", "requested_by")
                .filter(pk=job_id)
                .first()
            )
            if job is None or job.finished:
                return job
            try:
                job.release = create_release(
                    campaign=job.campaign,
                    series=job.series,
                    methodology=job.methodology,
                    user=job.requested_by,
                )
                job.status = Status.DONE
            except ReleaseError as exc:
                job.status, job.error = Status.FAILED, str(exc)
            job.finished_at = timezone.now()
            job.save(update_fields=["release", "status", "error", "finished_at"])
            return job
    except Exception as exc:  # out of time, a database error: say so, not "building" for ever
        log.exception("Release job %s failed", job_id)
        ReleaseJob.objects.filter(pk=job_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
            status=Status.FAILED,
            error=f"The release could not be built: {type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return ReleaseJob.objects.filter(pk=job_id).first()
