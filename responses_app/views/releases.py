"""Releases: ask for one (built by a worker while the page follows it), read one.

Publishing queues ``responses_app.build_release`` and shows the job's page,
which says "building…" (``static/js/progress.js`` polls ``release_job_status``;
without JavaScript, a refresh link) and then goes to the release, or says why
there is none. With CELERY_TASK_ALWAYS_EAGER the release is built before the
redirect, so the job's page forwards straight to it.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from requests_app.domain.progress import elapsed_text
from responses_app.access import (
    Role,
    campaign_or_404,
    release_job_or_404,
    release_or_404,
    series_or_404,
)
from responses_app.domain.consolidation import coverage_sentence
from responses_app.exports import FORMATS
from responses_app.forms import ReleaseForm
from responses_app.models import ReleaseJob
from responses_app.selectors.dataset import coverage_counts
from responses_app.selectors.summary import release_summary
from responses_app.services.release_jobs import request_release
from responses_app.services.releases import ReleaseError, previous_release, release_diff
from responses_app.tasks import queue_release

from .charts import COVERAGE_LABELS, chart_data


def release_detail(request, pk: int):
    release = release_or_404(request.user, pk)
    summary = release_summary(release=release)
    return render(
        request,
        "responses_app/release_detail.html",
        {
            "release": release,
            "summary": summary,
            "charts": chart_data(summary),
            "coverage_labels": COVERAGE_LABELS,
            "previous": previous_release(release),
            "diff": release_diff(release),
            "formats": FORMATS,
        },
    )


def _create(request, redirect_to: str, target: str, **scope):
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The methodology text could not be read.")
        return redirect(redirect_to, target)
    campaign = scope.get("campaign")
    if campaign is not None and not form.cleaned_data["confirm_incomplete"]:
        counts = coverage_counts(campaign)
        missing = counts["asked"] - counts.get("contributed", 0) - counts.get("partial", 0)
        if missing > 0:
            messages.error(
                request,
                f"Not published: {coverage_sentence(counts)}. Tick 'Publish although some "
                "forces have not contributed figures' to publish this release anyway.",
            )
            return redirect(redirect_to, target)
    try:
        job = request_release(
            methodology=form.cleaned_data["methodology"], user=request.user, **scope
        )
    except ReleaseError as exc:
        messages.error(request, str(exc))
        return redirect(redirect_to, target)
    queue_release(job.pk)
    return redirect("release-job", job.pk)


@require_POST
def create_campaign_release(request, slug: str):
    campaign = campaign_or_404(request.user, Role.COORDINATOR, slug=slug)
    return _create(request, "dataset-campaign", slug, campaign=campaign)


@require_POST
def create_series_release(request, slug: str):
    series_or_404(request.user, slug, Role.COORDINATOR)
    return _create(request, "dataset-series", slug, series=slug)


# -- a release being built -------------------------------------------------------------


def _job_message(job: ReleaseJob) -> str:
    if job.status == ReleaseJob.Status.QUEUED:
        return "Waiting for a worker to build the release."
    if job.status == ReleaseJob.Status.RUNNING:
        return "Building the release…"
    if job.status == ReleaseJob.Status.DONE and job.release:
        return f"{job.release} published with {job.release.figure_count} figures."
    return f"No release was published: {job.error or 'the build failed.'}"


def _job_elapsed(job: ReleaseJob) -> str:
    """Since when the job waits or runs (apart from the message, which is read out)."""
    if job.finished:
        return ""
    if job.status == ReleaseJob.Status.RUNNING and job.started_at:
        return f"Started {elapsed_text((timezone.now() - job.started_at).total_seconds())} ago."
    return f"Asked for {elapsed_text((timezone.now() - job.created_at).total_seconds())} ago."


def _dataset_url(job: ReleaseJob) -> str:
    if job.campaign_id:
        return reverse("dataset-campaign", args=[job.campaign.slug])
    return reverse("dataset-series", args=[job.series])


def release_job(request, pk: int):
    """The release being built: "building…", then the release itself, or why there is none."""
    job = release_job_or_404(request.user, pk)
    if job.status == ReleaseJob.Status.DONE and job.release_id:
        messages.success(request, _job_message(job))
        return redirect("release-detail", job.release_id)
    return render(
        request,
        "responses_app/release_job.html",
        {
            "job": job,
            "message": _job_message(job),
            "elapsed": _job_elapsed(job),
            "back_url": _dataset_url(job),
        },
    )


@never_cache
@require_GET
def release_job_status(request, pk: int):
    """The job as JSON, polled by static/js/progress.js on the job's page."""
    job = release_job_or_404(request.user, pk)
    done = job.finished
    return JsonResponse(
        {
            "id": job.pk,
            "state": job.status,
            "label": job.get_status_display(),
            "done": done,
            "message": _job_message(job),
            "elapsed": _job_elapsed(job),
            "error": job.error,
            "release": job.release_id,
            "redirect": reverse("release-job", args=[job.pk])
            if job.status == ReleaseJob.Status.DONE
            else None,
        }
    )
