"""API views: thin over the selectors and services the pages use."""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from foitracker.api_errors import JSONParser
from foitracker.filters import BooleanFilter, IdFilter
from requests_app import permissions as rules
from requests_app.domain.board import Phase
from requests_app.domain.calendar import Regime
from requests_app.domain.lifecycle import EventRejected, Status
from requests_app.models import FoiRequest, Force, RequestEvent, Role
from requests_app.selectors import campaigns as campaign_selectors
from requests_app.selectors.forces import force_record
from requests_app.selectors.questions import question_of
from requests_app.selectors.requests import force_list, overdue_q, with_live_status
from requests_app.services import campaigns as campaign_services
from requests_app.services.events import EventInput, record_event
from requests_app.services.logging_sent import (
    BulkRejected,
    mark_campaign_sent,
    mark_sent_from_csv,
    mark_sent_lines,
)
from requests_app.services.sending import preflight
from requests_app.services.state import today
from requests_app.services.teams import TeamRejected, team_for_new_campaign
from requests_app.tasks import queue_campaign_send

from . import serializers as s
from .permissions import CanCreateCampaign, IsAuthenticated, ObjectRole

BOARD_PARAMETERS = [
    OpenApiParameter("phase", str, enum=[p.value for p in Phase], description="Only this phase."),
    OpenApiParameter("q", str, description="Force name or id, or a reference, contains."),
    OpenApiParameter(
        "sort",
        str,
        description="force, status, sent, due, left, last or outcome; '-' first to reverse.",
    ),
]


class CampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Campaigns: list, read, create (with one draft request per force); board, send, log sent."""

    lookup_field = "slug"
    serializer_class = s.CampaignSerializer
    permission_classes = [IsAuthenticated, CanCreateCampaign, ObjectRole]
    action_roles = {
        "board": Role.VIEWER,
        "preflight": Role.VIEWER,
        "send": Role.RESEARCHER,
        "mark_sent": Role.RESEARCHER,
        "log_sent": Role.RESEARCHER,
        "repeat": Role.RESEARCHER,
        "question": Role.VIEWER,
    }

    def get_queryset(self):
        qs = campaign_selectors.campaign_list().prefetch_related("shared_with")
        return rules.visible_campaigns(self.request.user, qs.select_related("team"))

    def get_serializer_class(self):
        return s.CampaignCreateSerializer if self.action == "create" else s.CampaignSerializer

    @extend_schema(
        request=s.CampaignCreateSerializer,
        responses={201: s.CampaignSerializer, 400: s.BAD_REQUEST},
    )
    def create(self, request, *args, **kwargs):
        data = self._valid(s.CampaignCreateSerializer, request.data)
        try:
            data["team"] = team_for_new_campaign(user=request.user, slug=data.pop("team", ""))
            campaign = campaign_services.create_campaign(owner=request.user, **data)
        except (campaign_services.CampaignRejected, TeamRejected) as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        created = self.get_queryset().get(pk=campaign.pk)
        return Response(s.CampaignSerializer(created).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _valid(serializer_class, data) -> dict:
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(parameters=BOARD_PARAMETERS, responses=s.BoardSerializer)
    @action(detail=True, methods=["get"])
    def board(self, request, slug=None):
        """One row per force with its live status and clock; counts by phase and progress."""
        board = campaign_selectors.campaign_board(
            self.get_object(),
            today=today(),
            phase=request.query_params.get("phase", ""),
            q=request.query_params.get("q", ""),
            sort=request.query_params.get("sort", "force"),
        )
        return Response(board.as_dict())

    @extend_schema(
        methods=["GET"], responses={200: s.QuestionSerializer}, description="The question."
    )
    @extend_schema(
        methods=["PUT"],
        request=s.QuestionSerializer,
        responses={200: s.QuestionSerializer, 400: s.BAD_REQUEST},
    )
    @action(detail=True, methods=["get", "put"], url_path="schema")
    def question(self, request, slug=None):
        """The campaign's question (its schema); PUT replaces it (researchers of its team)."""
        campaign = self.get_object()
        if request.method == "PUT":
            if not rules.can_edit(request.user, campaign):
                return Response(
                    {"detail": "Your role may not change this campaign's question."},
                    status=status.HTTP_403_FORBIDDEN,
                )
            data = self._valid(s.QuestionSerializer, request.data)
            try:
                campaign = campaign_services.change_question(
                    campaign=campaign,
                    schema=data["schema"],
                    user=request.user,
                    reason=data["reason"],
                )
            except campaign_services.CampaignRejected as exc:
                return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        question = question_of(campaign).to_data()
        return Response({"schema": question, "version": campaign.schema_version})

    @extend_schema(responses=s.PreflightSerializer)
    @action(detail=True, methods=["get"])
    def preflight(self, request, slug=None):
        """What a send would do: who is emailed, who to log via portal, who is unreachable."""
        return Response(preflight(self.get_object()).as_dict())

    @extend_schema(request=None, responses={202: s.SendQueuedSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, slug=None):
        """Queue the email send of every unsent request with a usable address (exactly once)."""
        campaign = self.get_object()
        report = preflight(campaign)
        queued = bool(report.by_email)
        if queued:
            queue_campaign_send(campaign_id=campaign.pk, user_id=request.user.pk)
        return Response(
            {"queued": queued, "preflight": report.as_dict()}, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        request=s.MarkSentSerializer,
        responses={200: s.MarkSentResultSerializer, 400: s.BAD_REQUEST},
    )
    @action(detail=True, methods=["post"], url_path="mark-sent")
    def mark_sent(self, request, slug=None):
        """Record requests as sent without email: one force, all unsent, or a CSV (all or none)."""
        campaign = self.get_object()
        data = self._valid(s.MarkSentSerializer, request.data)
        try:
            if data.get("csv"):
                events = mark_sent_from_csv(
                    campaign=campaign, text=data["csv"], channel=data["channel"], user=request.user
                )
            else:
                events = mark_campaign_sent(
                    campaign=campaign,
                    on=data["date"],
                    channel=data["channel"],
                    force_ids=[data["force"]] if data.get("force") else None,
                    reference=data["reference"],
                    user=request.user,
                )
        except BulkRejected as exc:
            return Response(
                {"detail": "Nothing was recorded.", "errors": exc.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except EventRejected as exc:
            return Response(
                {"detail": str(exc), "errors": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(
            {"recorded": len(events), "references": [e.request.reference for e in events]}
        )

    @extend_schema(
        request=s.LogSentSerializer,
        responses={200: s.MarkSentResultSerializer, 400: s.RowRejectionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="log-sent", parser_classes=[JSONParser])
    def log_sent(self, request, slug=None):
        """Log many requests as sent (through the forces' portals, by default), each with its
        date and portal reference: all or nothing, every bad row and field reported at once."""
        campaign = self.get_object()
        channel, lines, problems = s.read_sent_rows(request.data)
        if channel is None:
            return Response(s.row_rejection(problems), status=status.HTTP_400_BAD_REQUEST)
        try:
            events = mark_sent_lines(
                campaign=campaign,
                lines=lines,
                channel=channel,
                user=request.user,
                problems=problems,
                unit="row",
            )
        except BulkRejected as exc:
            return Response(s.row_rejection(exc.problems), status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {"recorded": len(events), "references": [e.request.reference for e in events]}
        )

    @extend_schema(request=None, responses={201: s.CampaignSerializer, 400: s.BAD_REQUEST})
    @action(detail=True, methods=["post"])
    def repeat(self, request, slug=None):
        """Run the campaign again with its periods moved on a year, to the same forces."""
        try:
            created = campaign_services.repeat_campaign(
                campaign=self.get_object(), owner=request.user
            )
        except campaign_services.CampaignRejected as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        created = self.get_queryset().get(pk=created.pk)
        return Response(s.CampaignSerializer(created).data, status=status.HTTP_201_CREATED)


class RequestFilter(django_filters.FilterSet):
    campaign = django_filters.CharFilter(field_name="campaign__slug", help_text="Campaign slug.")
    force = django_filters.CharFilter(field_name="force_id", help_text="Force id, e.g. kent.")
    status = django_filters.ChoiceFilter(
        field_name="live_status",
        choices=[(v.value, v.value) for v in Status],
        help_text="The live status (moved on to today).",
    )
    overdue = BooleanFilter(method="filter_overdue", help_text="Overdue only.")

    class Meta:
        model = FoiRequest
        fields = ["campaign", "force", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(today())) if value else queryset


class RequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Requests with their live status and deadlines; filter by campaign, force and status."""

    serializer_class = s.FoiRequestSerializer
    filterset_class = RequestFilter
    permission_classes = [IsAuthenticated, ObjectRole]

    def get_queryset(self):
        qs = FoiRequest.objects.select_related("force", "campaign").order_by("force__name", "id")
        return with_live_status(rules.visible_requests(self.request.user, qs), today())


class EventFilter(django_filters.FilterSet):
    request = IdFilter(field_name="request_id", help_text="Request id.")

    class Meta:
        model = RequestEvent
        fields = ["request"]


class EventViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A request's events (its timeline); a new one is checked against the statutory clock."""

    serializer_class = s.RequestEventSerializer
    filterset_class = EventFilter
    permission_classes = [IsAuthenticated, ObjectRole]
    queryset = RequestEvent.objects.select_related("created_by").order_by("request_id", "on", "id")

    def get_queryset(self):
        return rules.visible_events(self.request.user, super().get_queryset())

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        field = getattr(serializer, "fields", {}).get("request")
        if field is not None and not field.read_only:
            # A request the user may not see is "does not exist", like a wrong id.
            field.queryset = rules.visible_requests(self.request.user)
        return serializer

    @extend_schema(responses={201: s.RequestEventSerializer, 400: s.BAD_REQUEST})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        foi = data.pop("request")
        if not rules.can_edit_request(request.user, foi):
            raise PermissionDenied("Recording events needs the researcher role in the campaign.")
        try:
            event = record_event(request=foi, data=EventInput(**data), user=request.user)
        except EventRejected as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(event).data, status=status.HTTP_201_CREATED)


class ForceFilter(django_filters.FilterSet):
    regime = django_filters.ChoiceFilter(choices=[(r.value, r.value) for r in Regime])
    active = BooleanFilter()
    territorial = BooleanFilter(
        field_name="territorial_england_wales",
        help_text="The 43 territorial forces of England and Wales (a campaign's default).",
    )
    search = django_filters.CharFilter(
        method="filter_search", help_text="Name or id contains (any case)."
    )

    class Meta:
        model = Force
        fields = ["regime", "active", "territorial", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(pk__icontains=value))


class ForceViewSet(viewsets.ReadOnlyModelViewSet):
    """Police forces: public reference data, read by anyone logged in (changed in the admin).

    Counts and records cover only the requests you may see; a force's requests
    themselves are at ``/api/requests/?force=ID``.
    """

    serializer_class = s.ForceSerializer
    filterset_class = ForceFilter
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        visible = rules.request_q(self.request.user, "requests")
        return force_list(requests=visible).order_by("-territorial_england_wales", "name", "pk")

    def get_serializer_class(self):
        return s.ForceDetailSerializer if self.action == "retrieve" else s.ForceSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "id", str, OpenApiParameter.PATH, description="The force's id, e.g. kent."
            )
        ]
    )
    def retrieve(self, request, *args, **kwargs):
        """A force with its record: time to respond, share on time, refusals, exemptions."""
        force = self.get_object()
        force.record = force_record(
            force, today=today(), requests=rules.visible_requests(request.user)
        )
        return Response(self.get_serializer(force).data)
