"""The downloads a client can take: every format of each campaign, release and series it sees."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets

from responses_app.exports import FORMATS
from responses_app.exports.available import available_exports

from . import serializers as s
from .files import BAD_REQUEST

QUERY = [
    OpenApiParameter("campaign", str, description="One campaign (by slug): live and releases."),
    OpenApiParameter("release", int, description="With campaign: that release only."),
    OpenApiParameter("series", str, description="One series (by slug)."),
    OpenApiParameter(
        "fmt", str, enum=list(FORMATS), description="One format (``format`` is DRF's own)."
    ),
]


class ExportViewSet(viewsets.GenericViewSet):
    """Discover the exports: scope, format, Content-Type, and the URL to fetch each from."""

    serializer_class = s.ExportSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=QUERY,
        responses={200: s.ExportSerializer(many=True), 400: BAD_REQUEST, 404: s.ErrorSerializer},
    )
    def list(self, request):
        query = s.ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        exports = available_exports(
            request.user,
            campaign=wanted.get("campaign"),
            series=wanted.get("series"),
            release=wanted.get("release"),
            fmt=wanted.get("fmt"),
        )
        page = self.paginate_queryset(exports)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
