"""The consolidated dataset: headlines, charts, the per-force table, coverage and downloads."""

from django.http import Http404
from django.shortcuts import render

from requests_app.models import Campaign, FoiRequest
from requests_app.permissions import can_publish, visible_requests
from responses_app.access import Role, campaign_or_404, series_or_404, series_role, visible_series
from responses_app.exports import FORMATS
from responses_app.exports.download import export_download
from responses_app.forms import ReleaseForm
from responses_app.models import Release
from responses_app.selectors import dataset as dataset_selectors
from responses_app.selectors import review as review_selectors
from responses_app.selectors.dashboard import response_times
from responses_app.selectors.summary import campaign_summary, series_summary

from .charts import COVERAGE_LABELS, chart_data, response_time_chart


def dataset_index(request):
    campaigns = list(review_selectors.campaigns_with_figures(request.user))
    series = visible_series(request.user)
    return render(
        request, "responses_app/dataset_index.html", {"campaigns": campaigns, "series": series}
    )


def _page(request, summary, requests, **extra):
    """The dataset page; ``requests`` (the campaigns' requests) give the response times."""
    charts = chart_data(summary)
    charts["response_times"] = response_time_chart(response_times(requests))
    return render(
        request,
        "responses_app/dataset.html",
        {
            "summary": summary,
            "charts": charts,
            "coverage_labels": COVERAGE_LABELS,
            "formats": FORMATS,
            **extra,
        },
    )


def dataset_campaign(request, slug: str):
    campaign = campaign_or_404(request.user, slug=slug)
    return _page(
        request,
        campaign_summary(campaign=campaign),
        FoiRequest.objects.filter(campaign=campaign),
        campaign=campaign,
        releases=Release.objects.filter(campaign=campaign).select_related("created_by"),
        release_form=ReleaseForm(),
        may_publish=can_publish(request.user, campaign),
    )


def dataset_series(request, slug: str):
    series_or_404(request.user, slug)
    return _page(
        request,
        series_summary(series=slug),
        visible_requests(request.user, FoiRequest.objects.filter(campaign__series=slug)),
        series=slug,
        campaigns=Campaign.objects.filter(series=slug).order_by("created_at"),
        releases=Release.objects.filter(campaign__isnull=True, series=slug),
        revisions=dataset_selectors.series_figures(slug)
        .filter(earlier_release__isnull=False)
        .order_by("force__name", "period_start", "dimension", "category"),
        release_form=ReleaseForm(),
        may_publish=series_role(request.user, slug) == Role.COORDINATOR,
    )


def export_campaign(request, slug: str, fmt: str):
    campaign_or_404(request.user, slug=slug)
    release = request.GET.get("release")
    if release is not None and not release.isdigit():
        raise Http404("A release is a number")
    return export_download(fmt, campaign=slug, release=int(release) if release else None)


def export_series(request, slug: str, fmt: str):
    series_or_404(request.user, slug)
    return export_download(fmt, series=slug)
