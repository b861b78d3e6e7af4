"""Releases: make one, read one (with its diff against the previous one)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from responses_app.access import Role, campaign_or_404, release_or_404, series_or_404
from responses_app.exports import FORMATS
from responses_app.forms import ReleaseForm
from responses_app.services.dataset import release_summary
from responses_app.services.releases import (
    ReleaseError,
    create_release,
    previous_release,
    release_diff,
)

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
    try:
        release = create_release(
            methodology=form.cleaned_data["methodology"], user=request.user, **scope
        )
    except ReleaseError as exc:
        messages.error(request, str(exc))
        return redirect(redirect_to, target)
    messages.success(request, f"{release} published with {release.figure_count} figures.")
    return redirect("release-detail", release.pk)


@require_POST
def create_campaign_release(request, slug: str):
    campaign = campaign_or_404(request.user, Role.COORDINATOR, slug=slug)
    return _create(request, "dataset-campaign", slug, campaign=campaign)


@require_POST
def create_series_release(request, slug: str):
    series_or_404(request.user, slug, Role.COORDINATOR)
    return _create(request, "dataset-series", slug, series=slug)
