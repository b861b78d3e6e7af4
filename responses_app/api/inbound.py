"""Inbound mail and the holding pen: the same selector, rules and services as the pages.

Staff see all mail; researchers and coordinators the unmatched mail guessed for
requests they run, and the mail on requests they can read; coordinators assign
and reject (``responses_app.access``). Another team's message is a 404.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from foitracker.filters import IdFilter
from responses_app.access import (
    Role,
    assign_target_problem,
    assignable_requests,
    message_or_404,
)
from responses_app.files import attachment_response
from responses_app.models import InboundMessage
from responses_app.selectors import inbound as selectors
from responses_app.services.downloads import FileGone, download_message
from responses_app.services.inbound import MessageNotOpen, assign_message, reject_message
from responses_app.tasks import queue_reading

from . import serializers as s
from .files import BAD_REQUEST, FileNegotiation, file_responses

Status = InboundMessage.Status
CONFLICT = OpenApiResponse(s.ErrorSerializer, description="The message is no longer held.")
FORBIDDEN = OpenApiResponse(s.ErrorSerializer, description="Your role may not decide this.")


#: What assigning or rejecting a held message answers (409: someone decided first).
DECISION_RESPONSES = {
    200: s.InboundMessageSerializer,
    400: BAD_REQUEST,
    403: FORBIDDEN,
    404: s.ErrorSerializer,
    409: CONFLICT,
}


class InboundFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    kind = django_filters.ChoiceFilter(choices=InboundMessage.Kind.choices)
    source = django_filters.ChoiceFilter(choices=InboundMessage.Source.choices)
    request = IdFilter(field_name="request_id")
    campaign = django_filters.CharFilter(
        field_name="request__campaign__slug", help_text="Mail on a request of this campaign."
    )
    received_after = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="lt")

    class Meta:
        model = InboundMessage
        fields = ["status", "kind", "source", "request", "campaign"]


class InboundMessageViewSet(viewsets.ReadOnlyModelViewSet):
    """Inbound mail (``?status=held`` is the holding pen): read it, assign it or reject it."""

    serializer_class = s.InboundMessageSerializer
    filterset_class = InboundFilter

    def get_queryset(self):
        return selectors.holding_pen(self.request.user).select_related("raw")

    def _shown(self, messages):
        return selectors.with_shown_guesses(self.request.user, messages)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = self.get_serializer(self._shown(page), many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    def _answer(self, message):
        fresh = self.get_queryset().get(pk=message.pk)
        return Response(self.get_serializer(self._shown([fresh])[0]).data)

    def _decidable(self) -> InboundMessage:
        message = self.get_object()
        message_or_404(self.request.user, message.pk, Role.COORDINATOR)
        return message

    @extend_schema(
        request=s.AssignSerializer,
        responses=DECISION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Put a held message on a request (by reference or number); it is then read as a reply."""
        message = self._decidable()
        data = s.AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        value = data.validated_data["request"]
        target = selectors.request_by_reference(assignable_requests(request.user), value)
        if target is None:
            return _error(f"No request has the reference {value.strip()!r}.")
        problem = assign_target_problem(request.user, target)
        if problem:
            raise PermissionDenied(f"Not assigned: {problem}.")
        try:
            assign_message(
                message=message, request=target, user=request.user, dispatch=queue_reading
            )
        except MessageNotOpen as exc:
            return _error(f"Not assigned: {exc}.", status.HTTP_409_CONFLICT)
        return self._answer(message)

    @extend_schema(
        request=s.ReasonSerializer,
        responses=DECISION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Set a held message aside with a reason; it stays listed under ``status=rejected``."""
        message = self._decidable()
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            reject_message(message=message, reason=data.validated_data["reason"], user=request.user)
        except MessageNotOpen as exc:
            return _error(f"Not rejected: {exc}.", status.HTTP_409_CONFLICT)
        except ValueError as exc:
            return _error(str(exc))
        return self._answer(message)

    @extend_schema(responses=file_responses(["application/octet-stream"], errors=(404, 410)))
    @action(detail=True, content_negotiation_class=FileNegotiation)
    def raw(self, request, pk=None):
        """The original message (.eml), logged like a document download."""
        message = self.get_object()
        try:
            found = download_message(message=message, user=request.user)
        except FileGone as exc:
            return _error(str(exc), status.HTTP_410_GONE)
        return attachment_response(found.handle, found.name, found.head)


def _error(message: str, code=status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"detail": message}, status=code)
