"""API serializers: reads from selectors' rows, writes checked and handed to services."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from requests_app.domain.board import Phase
from requests_app.domain.lifecycle import Channel, EventKind, Outcome, Status
from requests_app.models import Campaign, FoiRequest, Force, RequestEvent
from requests_app.services.addresses import reply_address
from requests_app.services.campaigns import (
    DEFAULT_DIMENSIONS,
    CampaignRejected,
    normalise_dimensions,
    normalise_periods,
    template_problems,
)

#: The request statuses, named once for the schema (settings.SPECTACULAR_SETTINGS).
STATUS_VALUES = [s.value for s in Status]


class CampaignSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.get_username", read_only=True, default=None)
    previous = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    series = serializers.CharField(
        read_only=True, help_text="Campaigns asking the same question year on year."
    )
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    shared_with = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    request_count = serializers.IntegerField(read_only=True)
    sent_count = serializers.IntegerField(read_only=True)
    responded_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "slug",
            "title",
            "description",
            "template",
            "periods",
            "dimensions",
            "vocabularies",
            "series",
            "previous",
            "on_hold",
            "owner",
            "team",
            "shared_with",
            "closed_at",
            "created_at",
            "request_count",
            "sent_count",
            "responded_count",
        ]
        read_only_fields = fields


class CampaignCreateSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=80)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    template = serializers.CharField(required=False, allow_blank=True, default="")
    periods = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    dimensions = serializers.ListField(
        child=serializers.CharField(), required=False, default=list(DEFAULT_DIMENSIONS)
    )
    vocabularies = serializers.DictField(required=False, default=dict)
    forces = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Force ids; default the 43 territorial forces of England and Wales.",
    )
    team = serializers.SlugField(
        required=False,
        help_text="The owning team's slug; may be left out when you run campaigns in one team.",
    )

    def validate_periods(self, value):
        try:
            return normalise_periods(value)
        except CampaignRejected as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate_dimensions(self, value):
        try:
            return normalise_dimensions(value)
        except CampaignRejected as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate_template(self, value):
        errors, _ = template_problems(value)
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def validate_forces(self, value):
        found = {f.pk: f for f in Force.objects.active().filter(pk__in=value)}
        unknown = [v for v in value if v not in found]
        if unknown:
            raise serializers.ValidationError(f"Unknown or inactive forces: {', '.join(unknown)}.")
        return [found[v] for v in dict.fromkeys(value)]


class FoiRequestSerializer(serializers.ModelSerializer):
    force_name = serializers.CharField(source="force.name", read_only=True)
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    outcome = serializers.ChoiceField(
        choices=[o.value for o in Outcome], read_only=True, allow_blank=True
    )
    live_status = serializers.ChoiceField(
        choices=STATUS_VALUES,
        read_only=True,
        help_text="The stored status moved on to today (awaiting becomes overdue by itself).",
    )
    reply_address = serializers.SerializerMethodField()

    class Meta:
        model = FoiRequest
        fields = [
            "id",
            "reference",
            "force",
            "force_name",
            "campaign",
            "subject",
            "body",
            "status",
            "live_status",
            "clock",
            "sent_on",
            "received_on",
            "due_on",
            "very_overdue_on",
            "responded_on",
            "outcome",
            "exemptions",
            "force_reference",
            "message_id",
            "reply_address",
            "on_hold",
            "last_event_on",
        ]
        read_only_fields = fields

    def get_reply_address(self, obj: FoiRequest) -> str:
        return reply_address(obj.reply_token)


class RequestEventSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(
        source="created_by.get_username", read_only=True, default=None, allow_null=True
    )
    kind = serializers.ChoiceField(choices=[k.value for k in EventKind])
    channel = serializers.ChoiceField(
        choices=[c.value for c in Channel], required=False, allow_blank=True
    )
    outcome = serializers.ChoiceField(
        choices=[o.value for o in Outcome], required=False, allow_blank=True
    )
    exemptions = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, default=list
    )

    class Meta:
        model = RequestEvent
        fields = [
            "id",
            "request",
            "kind",
            "on",
            "channel",
            "outcome",
            "exemptions",
            "extended_to",
            "extension_days",
            "force_reference",
            "stage",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["id", "created_by", "created_at"]


#: A 400 answer: ``{"detail": "..."}`` (and ``errors``, one per bad line) from a service,
#: or ``{"field": ["message", ...]}`` when the input itself does not validate.
BAD_REQUEST = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description='{"detail": "what is wrong"} or, for invalid input, {"field": ["message"]}.',
)


class RejectionSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What is wrong, in plain English.")


class BulkRejectionSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.ListField(child=serializers.CharField(), help_text="One per bad line.")


class MarkSentSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="Required unless csv is given.")
    channel = serializers.ChoiceField(
        choices=[c.value for c in Channel], default=Channel.PORTAL.value
    )
    force = serializers.CharField(
        required=False, help_text="One force's id; left out: every unsent request."
    )
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    csv = serializers.CharField(
        required=False, help_text="Lines of 'force id,date,reference'; all or nothing."
    )

    def validate(self, data):
        if not data.get("csv") and not data.get("date"):
            raise serializers.ValidationError({"date": "Give the date sent (or a csv)."})
        return data


class MarkSentResultSerializer(serializers.Serializer):
    recorded = serializers.IntegerField()
    references = serializers.ListField(child=serializers.CharField())


class BoardRowSerializer(serializers.Serializer):
    request = serializers.IntegerField()
    reference = serializers.CharField()
    force_id = serializers.CharField()
    force = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUS_VALUES)
    phase = serializers.ChoiceField(choices=[p.value for p in Phase])
    sent_on = serializers.DateField(allow_null=True)
    channel = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    working_days_left = serializers.IntegerField(
        allow_null=True, help_text="Negative: working days overdue; null when no clock runs."
    )
    last_event = serializers.CharField()
    last_event_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    exemptions = serializers.ListField(child=serializers.CharField())
    force_reference = serializers.CharField()
    figures = serializers.CharField()


class BoardSerializer(serializers.Serializer):
    campaign = serializers.CharField()
    today = serializers.DateField()
    total = serializers.IntegerField()
    sent = serializers.IntegerField()
    responded = serializers.IntegerField()
    progress = serializers.CharField(help_text='e.g. "31 of 43 responded"')
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Requests per phase."
    )
    rows = BoardRowSerializer(many=True)


class PreflightRowSerializer(serializers.Serializer):
    request = serializers.IntegerField()
    reference = serializers.CharField()
    force = serializers.CharField()
    force_name = serializers.CharField()
    address = serializers.CharField()
    note = serializers.CharField()


class PreflightSerializer(serializers.Serializer):
    campaign = serializers.CharField()
    already_sent = serializers.IntegerField()
    by_email = PreflightRowSerializer(many=True)
    via_portal = PreflightRowSerializer(many=True, help_text="Only a portal: log via portal.")
    unreachable = PreflightRowSerializer(many=True, help_text="No usable address and no portal.")
    needs_attention = PreflightRowSerializer(many=True)
    in_progress = PreflightRowSerializer(many=True)


class SendQueuedSerializer(serializers.Serializer):
    queued = serializers.BooleanField()
    preflight = PreflightSerializer()
