"""Reply files: their metadata, filtered and paginated, and the file itself (logged)."""

import django_filters
from django.db.models import OuterRef, Q, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from foitracker.filters import BooleanFilter, IdFilter
from responses_app.access import documents_for
from responses_app.files import SAFE_TYPES, attachment_response
from responses_app.models import Document, Reply
from responses_app.services.downloads import FileGone, download_document

from . import serializers as s
from .files import FileNegotiation, file_responses

DOWNLOAD_TYPES = [*SAFE_TYPES.values(), "application/octet-stream"]


class DocumentFilter(django_filters.FilterSet):
    request = IdFilter(field_name="request_id")
    campaign = django_filters.CharFilter(field_name="request__campaign__slug")
    force = django_filters.CharFilter(field_name="request__force_id")
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="Name contains.")
    held = BooleanFilter(
        method="filter_held", help_text="Only files whose bytes are (true) or are not kept."
    )

    class Meta:
        model = Document
        fields = ["request", "campaign", "force", "name", "held"]

    def filter_held(self, queryset, name, value):
        gone = Q(stored__content="") | Q(stored__content__isnull=True)
        return queryset.exclude(gone) if value else queryset.filter(gone)


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Files forces sent (uploaded or by email): read like the request they came with.

    ``download`` returns the file, as the request page does, and logs who took it;
    a file the retention purge removed answers 410.
    """

    serializer_class = s.DocumentSerializer
    filterset_class = DocumentFilter

    def get_queryset(self):
        latest = Reply.objects.filter(document=OuterRef("pk")).order_by("-created_at", "-pk")
        return (
            documents_for(self.request.user)
            .select_related("stored", "request__campaign", "uploaded_by")
            .annotate(
                latest_reply=Subquery(latest.values("pk")[:1]),
                reply_status=Subquery(latest.values("status")[:1]),
            )
            .order_by("-created_at", "-pk")
        )

    @extend_schema(responses=file_responses(DOWNLOAD_TYPES, errors=(404, 410)))
    @action(detail=True, content_negotiation_class=FileNegotiation)
    def download(self, request, pk=None):
        """The file, as an attachment; logged (who, when) like a download from the request page."""
        document = self.get_object()
        try:
            found = download_document(document=document, user=request.user)
        except FileGone as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_410_GONE)
        return attachment_response(found.handle, found.name, found.head)
