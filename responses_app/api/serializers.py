"""API serializers for figures, findings, review actions, releases, the dataset, reply files,
inbound mail and the exports' listing."""

import mimetypes
from pathlib import PurePosixPath

from django.urls import reverse
from rest_framework import serializers

from responses_app.domain.values import MAX_COUNT
from responses_app.exports import FORMATS
from responses_app.models import Document, Figure, Finding, InboundMessage, Release
from responses_app.services.retention import has_bytes


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["id", "reply", "figure", "code", "severity", "message", "locator", "suggestions"]
        read_only_fields = fields


class FigureSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    force_name = serializers.CharField(source="force.name", read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Figure
        fields = [
            "id", "campaign", "force", "force_name", "period", "period_start", "period_end",
            "dimension", "category", "value", "suppressed", "lower", "upper", "source",
            "read_by_ocr", "status", "reason", "original", "reply", "findings", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the figure has an error finding: why approving it is right.",
    )


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    value = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_COUNT
    )
    suppressed = serializers.BooleanField(required=False)
    lower = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_COUNT
    )
    upper = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_COUNT
    )
    category = serializers.CharField(required=False, max_length=64)


class BulkApproveSerializer(serializers.Serializer):
    campaign = serializers.SlugField()
    force = serializers.SlugField(required=False, allow_blank=True)
    all_valid = serializers.BooleanField(
        default=True, help_text="Leave figures with an error finding for a person (default)."
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why figures with an error finding are right; needed when all_valid is false "
        "and any of them has one. Kept on each and in its history.",
    )


class BulkResultSerializer(serializers.Serializer):
    approved = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Left for review: error findings or read by OCR.")
    skipped_ocr = serializers.IntegerField(help_text="Of those, read by OCR from a scan.")


class ReleaseSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    series = serializers.CharField(
        read_only=True, help_text="The series of a series release; empty for a campaign's."
    )
    created_by = serializers.CharField(
        source="created_by.get_username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Release
        fields = [
            "id", "campaign", "series", "number", "methodology", "coverage", "figure_count",
            "created_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class ReleaseCreateSerializer(serializers.Serializer):
    campaign = serializers.SlugField(required=False)
    series = serializers.SlugField(required=False)
    methodology = serializers.CharField(required=False, allow_blank=True, default="")


class DiffRowSerializer(serializers.Serializer):
    kind = serializers.CharField()
    force_id = serializers.CharField()
    force_name = serializers.CharField()
    period = serializers.CharField()
    dimension = serializers.CharField()
    category = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()
    before_value = serializers.IntegerField(allow_null=True)
    after_value = serializers.IntegerField(allow_null=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What is wrong, in plain English.")


# -- reply files, inbound mail and the exports' listing ---------------------------


class DocumentSerializer(serializers.ModelSerializer):
    """A reply file's metadata; its bytes come from the ``download`` action."""

    size = serializers.IntegerField(source="stored.size", read_only=True)
    sha256 = serializers.CharField(source="stored.sha256", read_only=True)
    type = serializers.SerializerMethodField(help_text="The name's extension, e.g. xlsx or pdf.")
    content_type = serializers.SerializerMethodField(
        help_text="Guessed from the name; a download is served as this only when browsers "
        "do not run it (else application/octet-stream)."
    )
    held = serializers.SerializerMethodField(
        help_text="Whether the bytes are still kept (false once the retention purge took them)."
    )
    request = serializers.IntegerField(source="request_id", read_only=True)
    request_reference = serializers.CharField(source="request.reference", read_only=True)
    force = serializers.CharField(source="request.force_id", read_only=True)
    campaign = serializers.CharField(
        source="request.campaign.slug", read_only=True, allow_null=True, default=None
    )
    reply = serializers.IntegerField(
        source="latest_reply", read_only=True, allow_null=True,
        help_text="The latest reading of the file (a Reply), if any.",
    )  # fmt: skip
    reply_status = serializers.CharField(read_only=True, allow_null=True)
    event = serializers.IntegerField(source="event_id", read_only=True, allow_null=True)
    uploaded_by = serializers.CharField(
        source="uploaded_by.get_username", read_only=True, allow_null=True, default=None
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id", "name", "size", "sha256", "type", "content_type", "held", "request",
            "request_reference", "force", "campaign", "reply", "reply_status", "event",
            "uploaded_by", "created_at", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_type(self, document) -> str:
        return PurePosixPath(document.name).suffix.lstrip(".").lower()

    def get_content_type(self, document) -> str:
        return mimetypes.guess_type(document.name)[0] or "application/octet-stream"

    def get_held(self, document) -> bool:
        return has_bytes(document.stored)

    def get_download_url(self, document) -> str:
        return _absolute(self, reverse("api-document-download", args=[document.pk]))


def _absolute(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class GuessSerializer(serializers.Serializer):
    request = serializers.IntegerField()
    reference = serializers.CharField()
    force = serializers.CharField()
    score = serializers.IntegerField(help_text="100: its reply address; lower: looser evidence.")
    why = serializers.CharField()


class InboundMessageSerializer(serializers.ModelSerializer):
    """One email as received, and what became of it (matched, held, assigned, rejected)."""

    request = serializers.IntegerField(source="request_id", read_only=True, allow_null=True)
    request_reference = serializers.CharField(
        source="request.reference", read_only=True, allow_null=True, default=None
    )
    event = serializers.IntegerField(source="event_id", read_only=True, allow_null=True)
    guesses = GuessSerializer(
        source="shown_guesses", many=True, read_only=True,
        help_text="The requests it may belong to, best first (only those you may see).",
    )  # fmt: skip
    handled_by = serializers.CharField(
        source="handled_by.get_username", read_only=True, allow_null=True, default=None
    )
    has_raw = serializers.SerializerMethodField(
        help_text="Whether the original .eml is kept (not when too large or past retention)."
    )
    raw_url = serializers.SerializerMethodField()
    may_decide = serializers.BooleanField(
        read_only=True, help_text="Whether you may assign or reject it (held mail only)."
    )

    class Meta:
        model = InboundMessage
        fields = [
            "id", "message_id", "source", "from_address", "from_name", "to_addresses",
            "cc_addresses", "delivered_to", "subject", "sent_at", "received_at", "size", "kind",
            "kind_reason", "bounced_recipients", "attachment_names", "status", "request",
            "request_reference", "match_method", "match_detail", "event", "guesses", "problem",
            "rejection_reason", "handled_by", "handled_at", "has_raw", "raw_url", "may_decide",
        ]  # fmt: skip
        read_only_fields = fields

    def get_has_raw(self, message) -> bool:
        return has_bytes(message.raw)

    def get_raw_url(self, message) -> str:
        return _absolute(self, reverse("api-inbound-raw", args=[message.pk]))


class AssignSerializer(serializers.Serializer):
    request = serializers.CharField(
        max_length=100, help_text="The request's reference (or its number)."
    )


class ExportQuerySerializer(serializers.Serializer):
    campaign = serializers.SlugField(required=False)
    series = serializers.SlugField(required=False)
    release = serializers.IntegerField(required=False, min_value=1)
    fmt = serializers.ChoiceField(choices=list(FORMATS), required=False)

    def validate(self, data):
        if data.get("campaign") and data.get("series"):
            raise serializers.ValidationError("Give a campaign or a series, not both.")
        if data.get("release") and not data.get("campaign"):
            raise serializers.ValidationError(
                "A release number needs its campaign (series releases have no downloads)."
            )
        return data


class ExportSerializer(serializers.Serializer):
    """One download that exists: the scope, the format, where to get it and what it is."""

    scope = serializers.ChoiceField(choices=["campaign", "release", "series"])
    campaign = serializers.CharField(allow_null=True)
    series = serializers.CharField(allow_null=True)
    release = serializers.IntegerField(allow_null=True)
    format = serializers.ChoiceField(choices=list(FORMATS))
    content_type = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The API download (token or session).")
    page_url = serializers.SerializerMethodField(help_text="The same file from the site.")

    def get_url(self, export) -> str:
        return _absolute(self, export.api_path)

    def get_page_url(self, export) -> str:
        return _absolute(self, export.page_path)
