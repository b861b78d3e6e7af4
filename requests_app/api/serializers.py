"""API serializers: reads from selectors' rows, writes checked and handed to services."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from requests_app.domain.board import Phase
from requests_app.domain.dates import parse_iso_date
from requests_app.domain.lifecycle import Channel, EventKind, Outcome, Status
from requests_app.models import Campaign, FoiRequest, Force, RequestEvent
from requests_app.selectors.forces import ForceRecord
from requests_app.services.addresses import reply_address
from requests_app.services.campaigns import (
    DEFAULT_DIMENSIONS,
    CampaignRejected,
    normalise_dimensions,
    normalise_periods,
    template_problems,
)
from requests_app.services.logging_sent import MAX_REFERENCE, LineProblem, SentLine
from requests_app.validators import validate_event_date


class EventDateField(serializers.DateField):
    """An event's day: ``YYYY-MM-DD`` only, not in the future, not before FOIA (2005-01-01)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", []).append(validate_event_date)
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                return parse_iso_date(value)
            except ValueError as exc:
                raise serializers.ValidationError(str(exc), code="invalid") from exc
        return super().to_internal_value(value)


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
            "schema",
            "schema_version",
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
    periods = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="Required without a schema; with one, overrides its periods.",
    )
    dimensions = serializers.ListField(
        child=serializers.CharField(), required=False, default=list(DEFAULT_DIMENSIONS)
    )
    vocabularies = serializers.DictField(required=False, default=dict)
    schema = serializers.JSONField(
        required=False,
        default=None,
        help_text="The question (README: 'The question schema'); dimensions and "
        "vocabularies are ignored when it is given.",
    )
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
        if not value:
            return []
        try:
            return normalise_periods(value)
        except CampaignRejected as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate(self, data):
        if not data.get("periods") and not data.get("schema"):
            raise serializers.ValidationError({"periods": ["This list may not be empty."]})
        if data.get("schema") is None:
            data.pop("schema", None)
        return data

    def validate_dimensions(self, value):
        try:
            return normalise_dimensions(value)
        except CampaignRejected as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate_template(self, value):
        errors = template_problems(value)
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def validate_forces(self, value):
        found = {f.pk: f for f in Force.objects.active().filter(pk__in=value)}
        unknown = [v for v in value if v not in found]
        if unknown:
            raise serializers.ValidationError(f"Unknown or inactive forces: {', '.join(unknown)}.")
        return [found[v] for v in dict.fromkeys(value)]


class QuestionSerializer(serializers.Serializer):
    schema = serializers.JSONField(help_text="The campaign's question as JSON.")
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Kept in its history."
    )


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
            "review_due_on",
            "last_day_to_request_review",
            "last_day_to_complain",
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
    on = EventDateField()

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


class MarkSentSerializer(serializers.Serializer):
    date = EventDateField(required=False, help_text="Required unless csv is given.")
    channel = serializers.ChoiceField(
        choices=[c.value for c in Channel], default=Channel.PORTAL.value
    )
    force = serializers.CharField(
        required=False, help_text="One force's id; left out: every unsent request."
    )
    reference = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_REFERENCE
    )
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


#: The most rows one log-sent call takes (a campaign has one request per force).
MAX_SENT_ROWS = 500


class SentRowSerializer(serializers.Serializer):
    force = serializers.CharField(max_length=64, help_text="The force's id, e.g. kent.")
    sent_on = EventDateField(help_text="The day it was submitted, YYYY-MM-DD.")
    portal_reference = serializers.CharField(
        max_length=MAX_REFERENCE,
        required=False,
        allow_blank=True,
        default="",
        help_text="The reference the force's portal gave, if any.",
    )


class LogSentSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=[c.value for c in Channel], default=Channel.PORTAL.value
    )
    rows = serializers.ListField(
        child=SentRowSerializer(),
        min_length=1,
        max_length=MAX_SENT_ROWS,
        help_text="One row per request.",
    )


class RowProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="1 for the first row of rows; null for the request as a whole."
    )
    field = serializers.CharField(
        help_text='force, sent_on, portal_reference; "" for a whole row or body; channel; rows.'
    )
    force = serializers.CharField(help_text="The row's force id, as given.")
    message = serializers.CharField(help_text='e.g. "row 2 (surrey), force: no request ..."')


class RowRejectionSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = RowProblemSerializer(many=True, help_text="Every problem, one per row and field.")


#: The service's names for a line's fields, as the API names them.
API_FIELDS = {"force": "force", "date": "sent_on", "reference": "portal_reference", "": ""}


def _messages(errors) -> list[str]:
    """DRF's error detail (a list, a dict of lists, nested) flattened to its messages."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _messages(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in _messages(value)]
    return [str(errors)]


def row_problem(problem: LineProblem) -> dict:
    field = API_FIELDS.get(problem.field, problem.field)
    if problem.line is None:
        where = field or "request"
    else:
        where = f"row {problem.line}" + (f" ({problem.force_id})" if problem.force_id else "")
        where += f", {field}" if field else ""
    return {
        "row": problem.line,
        "field": field,
        "force": problem.force_id,
        "message": f"{where}: {problem.message}",
    }


def row_rejection(problems: list[LineProblem]) -> dict:
    rows = {p.line for p in problems if p.line is not None}
    what = f"{len(rows)} row(s) have problems" if rows else "the request is not valid"
    return {
        "detail": f"Nothing was recorded: {what}.",
        "errors": [row_problem(p) for p in problems],
    }


def read_sent_rows(data) -> tuple[str | None, list[SentLine], list[LineProblem]]:
    """The channel, the good rows and the problems of a log-sent body.

    Each row is checked on its own, so every bad row is reported at once (with
    what the service then finds wrong with the good ones). A body that is wrong
    as a whole (no rows, not a list, an unknown channel) has a channel of None.
    """
    body = LogSentSerializer(data=data)
    if body.is_valid():
        rows = body.validated_data["rows"]
        lines = [
            SentLine(n, r["force"], r["sent_on"], r["portal_reference"])
            for n, r in enumerate(rows, start=1)
        ]
        return body.validated_data["channel"], lines, []
    errors = body.errors
    if set(errors) != {"rows"} or not isinstance(errors["rows"], dict):  # {index: row errors}
        problems = [
            LineProblem(None, "" if name == "non_field_errors" else name, m)
            for name in errors
            for m in _messages(errors[name])
        ]
        return None, [], problems
    lines, problems = [], []
    for number, raw in enumerate(data["rows"], start=1):
        row = SentRowSerializer(data=raw)
        if row.is_valid():
            r = row.validated_data
            lines.append(SentLine(number, r["force"], r["sent_on"], r["portal_reference"]))
            continue
        force = raw.get("force") if isinstance(raw, dict) else None
        force = force if isinstance(force, str) else ""
        for name, detail in row.errors.items():
            field = "" if name == "non_field_errors" else name
            problems.extend(LineProblem(number, field, m, force, "row") for m in _messages(detail))
    return data.get("channel", Channel.PORTAL.value), lines, problems


class BlankAsNullEmailField(serializers.EmailField):
    """An email address, or null where the model keeps "" (not a valid address)."""

    def to_representation(self, value):
        return value or None


class BlankAsNullURLField(serializers.URLField):
    def to_representation(self, value):
        return value or None


class ForceSerializer(serializers.ModelSerializer):
    foi_email = BlankAsNullEmailField(
        read_only=True, allow_null=True, help_text="Where requests are emailed; null when none."
    )
    portal_url = BlankAsNullURLField(
        read_only=True, allow_null=True, help_text="The force's FOI web portal; null when none."
    )
    id = serializers.CharField(
        read_only=True, help_text="The force's data.police.uk id (e.g. kent): its key here too."
    )
    contactable = serializers.BooleanField(
        read_only=True, help_text="Whether a request can reach it: a working email or a portal."
    )
    request_count = serializers.IntegerField(
        read_only=True, help_text="Requests to this force that you may see."
    )

    class Meta:
        model = Force
        fields = [
            "id",
            "name",
            "nation",
            "regime",
            "ons_code",
            "territorial_england_wales",
            "foi_email",
            "foi_email_broken",
            "portal_url",
            "contactable",
            "active",
            "request_count",
        ]
        read_only_fields = fields


class ExemptionCountSerializer(serializers.Serializer):
    exemption = serializers.CharField(help_text='e.g. "s.31"')
    count = serializers.IntegerField()


class ForceRecordSerializer(serializers.Serializer):
    """A force's record over the sent requests you may see, as its page shows it."""

    sent = serializers.IntegerField()
    answered = serializers.IntegerField()
    median_working_days = serializers.FloatField(
        allow_null=True, help_text="Median working days from receipt to the first response."
    )
    on_time = serializers.IntegerField()
    on_time_of = serializers.IntegerField(
        help_text="Answered with a due date, plus those still unanswered past it."
    )
    on_time_share = serializers.FloatField(allow_null=True, help_text="on_time / on_time_of.")
    refused = serializers.IntegerField()
    refused_share = serializers.FloatField(allow_null=True, help_text="refused / answered.")
    top_exemptions = serializers.SerializerMethodField(help_text="The exemptions cited most.")

    @extend_schema_field(ExemptionCountSerializer(many=True))
    def get_top_exemptions(self, record: ForceRecord) -> list[dict]:
        return [{"exemption": name, "count": n} for name, n in record.top_exemptions]


class ForceDetailSerializer(ForceSerializer):
    record = ForceRecordSerializer(read_only=True)

    class Meta(ForceSerializer.Meta):
        fields = [*ForceSerializer.Meta.fields, "record"]
        read_only_fields = fields
