"""API views: thin over the selectors and services the pages use."""

import django_filters
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from requests_app.models import Campaign
from requests_app.permissions import require
from responses_app.access import (
    Role,
    campaign_or_404,
    figures_for,
    findings_for,
    releases_for,
    series_or_404,
)
from responses_app.exports import FORMATS
from responses_app.exports.download import export_download
from responses_app.exports.formats import CONTENT_TYPES
from responses_app.models import Figure, Finding, Release
from responses_app.selectors.summary import campaign_summary, release_summary, series_summary
from responses_app.services import review as review_services
from responses_app.services.releases import ReleaseError, create_release, release_diff

from . import serializers as s
from .files import BAD_REQUEST, FileNegotiation, file_responses


class FigureFilter(django_filters.FilterSet):
    campaign = django_filters.CharFilter(field_name="campaign__slug")
    force = django_filters.CharFilter(field_name="force_id")
    period = django_filters.CharFilter()
    dimension = django_filters.CharFilter()
    category = django_filters.CharFilter()
    status = django_filters.ChoiceFilter(choices=Figure.Status.choices)

    class Meta:
        model = Figure
        fields = ["campaign", "force", "period", "dimension", "category", "status"]


class FindingFilter(django_filters.FilterSet):
    campaign = django_filters.CharFilter(field_name="reply__request__campaign__slug")
    force = django_filters.CharFilter(field_name="reply__request__force_id")
    severity = django_filters.ChoiceFilter(choices=Finding.Severity.choices)
    code = django_filters.CharFilter()

    class Meta:
        model = Finding
        fields = ["campaign", "force", "severity", "code", "figure"]


def _error(message: str, code=status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"detail": message}, status=code)


class FigureViewSet(viewsets.ReadOnlyModelViewSet):
    """Figures read from replies; approve, reject or correct one, or approve many."""

    serializer_class = s.FigureSerializer
    filterset_class = FigureFilter

    def get_queryset(self):
        return (
            figures_for(self.request.user)
            .select_related("force", "campaign")
            .prefetch_related("findings")
            .order_by("campaign__slug", "force__name", "period_start", "dimension", "category")
        )

    def _reviewable(self) -> Figure:
        figure = self.get_object()
        require(self.request.user, figure.campaign, Role.RESEARCHER)
        return figure

    def _review(self, request, serializer_class, decide) -> Response:
        """``decide`` (a review service) on the figure with the posted data: the figure, or 400."""
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            figure = decide(figure=self._reviewable(), user=request.user, **data.validated_data)
        except review_services.ReviewError as exc:
            return _error(str(exc))
        return Response(self.get_serializer(self.get_queryset().get(pk=figure.pk)).data)

    @extend_schema(
        request=s.OptionalReasonSerializer,
        responses={200: s.FigureSerializer, 400: s.ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._review(request, s.OptionalReasonSerializer, review_services.approve_figure)

    @extend_schema(
        request=s.ReasonSerializer, responses={200: s.FigureSerializer, 400: BAD_REQUEST}
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._review(request, s.ReasonSerializer, review_services.reject_figure)

    @extend_schema(
        request=s.CorrectionSerializer, responses={200: s.FigureSerializer, 400: BAD_REQUEST}
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        return self._review(request, s.CorrectionSerializer, review_services.correct_figure)

    @extend_schema(
        operation_id="figures_bulk_approve",
        request=s.BulkApproveSerializer,
        responses={200: s.BulkResultSerializer, 400: BAD_REQUEST, 404: s.ErrorSerializer},
    )
    @action(detail=False, methods=["post"], url_path="approve")
    def bulk_approve(self, request):
        data = s.BulkApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = campaign_or_404(
            request.user, Role.RESEARCHER, slug=data.validated_data["campaign"]
        )
        try:
            result = review_services.bulk_approve(
                campaign=campaign,
                user=request.user,
                force=data.validated_data.get("force") or None,
                only_valid=data.validated_data["all_valid"],
                reason=data.validated_data.get("reason", ""),
            )
        except review_services.ReviewError as exc:
            return _error(str(exc))
        return Response(
            {
                "approved": result.approved,
                "skipped": result.skipped,
                "skipped_ocr": result.skipped_ocr,
            }
        )


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.FindingSerializer
    filterset_class = FindingFilter

    def get_queryset(self):
        return findings_for(self.request.user).order_by("id")


class ReleaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Releases: list, read (with the summary and the diff), publish a new one."""

    serializer_class = s.ReleaseSerializer
    filterset_fields = ["series", "number"]

    def get_queryset(self):
        qs = releases_for(self.request.user).select_related("campaign", "created_by")
        campaign = self.request.query_params.get("campaign")
        return qs.filter(campaign__slug=campaign) if campaign else qs

    @extend_schema(
        request=s.ReleaseCreateSerializer,
        responses={201: s.ReleaseSerializer, 400: BAD_REQUEST},
    )
    def create(self, request, *args, **kwargs):
        data = s.ReleaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slug, series = data.validated_data.get("campaign"), data.validated_data.get("series")
        campaign = None
        if slug:
            campaign = Campaign.objects.filter(slug=slug).first()
            if campaign is None:
                return _error(f"There is no campaign {slug!r}.")
            require(request.user, campaign, Role.COORDINATOR)
        elif series:
            series_or_404(request.user, series, Role.COORDINATOR)
        try:
            release = create_release(
                campaign=campaign,
                series=data.validated_data.get("series", ""),
                methodology=data.validated_data["methodology"],
                user=request.user,
            )
        except ReleaseError as exc:
            return _error(str(exc))
        return Response(self.get_serializer(release).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def retrieve(self, request, *args, **kwargs):
        release = self.get_object()
        diff = release_diff(release)
        return Response(
            {
                **self.get_serializer(release).data,
                "summary": release_summary(release=release).as_dict(),
                "diff": None if diff is None else s.DiffRowSerializer(diff, many=True).data,
            }
        )


RELEASE_PARAM = OpenApiParameter("release", int, description="A release number instead of live.")
FMT_PARAM = OpenApiParameter(
    "fmt", str, OpenApiParameter.PATH, enum=list(FORMATS), description="The export's format."
)
#: One 200 per format's Content-Type (a JSON export is an object); unknown format or scope: 404.
EXPORT_RESPONSES = file_responses(CONTENT_TYPES.values(), json_body=True, errors=(400, 404))


class DatasetViewSet(viewsets.ViewSet):
    """The consolidated dataset of a campaign (live, or ?release=N) and its exports."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def _campaign(self, slug):
        return campaign_or_404(self.request.user, slug=slug)

    @extend_schema(parameters=[RELEASE_PARAM], responses={200: OpenApiTypes.OBJECT})
    def retrieve(self, request, slug=None):
        campaign = self._campaign(slug)
        number = request.query_params.get("release")
        if number:
            release = None
            if number.isdigit():
                release = Release.objects.filter(campaign=campaign, number=number).first()
            if release is None:
                raise Http404(f"Campaign {slug} has no release {number}.")
            return Response(release_summary(release=release).as_dict())
        return Response(campaign_summary(campaign=campaign).as_dict())

    @extend_schema(parameters=[FMT_PARAM, RELEASE_PARAM], responses=EXPORT_RESPONSES)
    @action(
        detail=True, url_path=r"export/(?P<fmt>[a-z]+)", content_negotiation_class=FileNegotiation
    )
    def export(self, request, slug=None, fmt=None):
        self._campaign(slug)
        number = request.query_params.get("release")
        if number is not None and not number.isdigit():
            return _error("release is a number.")
        return export_download(fmt, campaign=slug, release=int(number) if number else None)


class SeriesViewSet(viewsets.ViewSet):
    """A series' annual table: each period from the latest release that holds it."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def retrieve(self, request, slug=None):
        series_or_404(request.user, slug)
        return Response(series_summary(series=slug).as_dict())

    @extend_schema(parameters=[FMT_PARAM], responses=EXPORT_RESPONSES)
    @action(
        detail=True, url_path=r"export/(?P<fmt>[a-z]+)", content_negotiation_class=FileNegotiation
    )
    def export(self, request, slug=None, fmt=None):
        series_or_404(request.user, slug)
        return export_download(fmt, series=slug)
