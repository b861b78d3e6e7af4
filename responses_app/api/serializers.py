"""API serializers for figures, findings, review actions, releases and the dataset."""

from rest_framework import serializers

from responses_app.models import Figure, Finding, Release


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
            "status", "reason", "original", "reply", "findings", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    value = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    suppressed = serializers.BooleanField(required=False)
    lower = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    upper = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    category = serializers.CharField(required=False, max_length=64)


class BulkApproveSerializer(serializers.Serializer):
    campaign = serializers.SlugField()
    force = serializers.SlugField(required=False, allow_blank=True)
    all_valid = serializers.BooleanField(
        default=True, help_text="Leave figures with an error finding for a person (default)."
    )


class BulkResultSerializer(serializers.Serializer):
    approved = serializers.IntegerField()
    skipped = serializers.IntegerField()


class ReleaseSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    created_by = serializers.CharField(
        source="created_by.get_username", read_only=True, default=None
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
