from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from requests_app.validators import validate_chaser_stages, validate_request_template


def default_periods() -> list[str]:
    return []


def default_dimensions() -> list[str]:
    return ["total", "platform", "age"]


class Campaign(models.Model):
    """One question asked of many forces: one request per force, one board."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    template = models.TextField(
        blank=True,
        help_text="Request text. Placeholders: {force_name}, {reference}, {periods}.",
    )
    periods = models.JSONField(default=default_periods, blank=True)
    dimensions = models.JSONField(default=default_dimensions, blank=True)
    vocabularies = models.JSONField(
        default=dict,
        blank=True,
        help_text="Before campaigns had a schema: per-dimension vocabulary overrides.",
    )
    schema = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "The question: periods, dimensions, groups, constraints, headlines and "
            "methodology (README, 'The question schema'). Periods and dimensions above "
            "are kept equal to it."
        ),
    )
    schema_version = models.PositiveIntegerField(
        default=1, help_text="Goes up by one each time the question changes."
    )
    series = models.SlugField(
        max_length=80, blank=True, help_text="Campaigns asking the same question year on year."
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_campaigns"
    )
    chaser_stages = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "Chaser policy: a list of {stage, offset (working days after the due date), "
            "subject, body}. Empty means the defaults in settings."
        ),
    )
    on_hold = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    team = models.ForeignKey(
        "requests_app.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text="The team that owns it; empty: only superusers see it.",
    )
    shared_with = models.ManyToManyField(
        "requests_app.Team",
        blank=True,
        related_name="shared_campaigns",
        help_text="Teams that may see it too (read only).",
    )
    closed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the campaign closed; RETENTION_DAYS_AFTER_CLOSE counts from here.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(
        excluded_fields=["chaser_stages", "on_hold", "closed_at"],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """The request text and the chaser wording, checked as everywhere else (the admin)."""
        errors = {}
        for name, validate in (
            ("template", validate_request_template),
            ("chaser_stages", validate_chaser_stages),
        ):
            try:
                validate(getattr(self, name))
            except ValidationError as exc:
                errors[name] = exc
        if errors:
            raise ValidationError(errors)
