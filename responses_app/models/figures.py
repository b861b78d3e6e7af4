from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Reply(models.Model):
    """One reading of one document as a force's reply to a campaign's request."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be read"
        EXTRACTED = "extracted", "Read"
        FAILED = "failed", "Could not be read"

    request = models.ForeignKey(
        "requests_app.FoiRequest", on_delete=models.CASCADE, related_name="replies"
    )
    document = models.ForeignKey(
        "responses_app.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True, help_text="Why the file could not be read.")
    outcome = models.CharField(max_length=16, blank=True)
    exemptions = models.JSONField(default=list, blank=True)
    excluded_rows = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(
        default=dict, blank=True, help_text="A researcher's hand mapping, when one was used."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_document = models.JSONField(
        default=dict,
        blank=True,
        help_text="The tables and lines read from the file, for the mapping screen "
        "(empty when too large to keep: the file is read again).",
    )
    read_attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Readings started; more than one means a worker died reading it."
    )
    reading_started_at = models.DateTimeField(
        null=True, blank=True, help_text="When the latest reading started."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"Reply to {self.request_id} ({self.status})"


class FigureFields(models.Model):
    """The fields of one figure (docs/dataset.md): a live ``Figure`` and its released copy.

    Each model adds its own links (reply, request, release...) and ``status``.
    """

    period = models.CharField(max_length=32)
    period_start = models.DateField()
    period_end = models.DateField()
    dimension = models.CharField(max_length=32)
    category = models.CharField(max_length=64)
    value = models.PositiveIntegerField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    lower = models.PositiveIntegerField(null=True, blank=True)
    upper = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["force_id", "period", "dimension", "category"]

    def __str__(self) -> str:
        return f"{self.force_id} {self.period} {self.dimension}/{self.category} = {self.value}"


class FigureQuerySet(models.QuerySet):
    """Figures by state: the sets are defined once, ``Figure.PUBLISHED`` and ``Figure.PENDING``."""

    def published(self) -> "FigureQuerySet":
        """Approved or corrected by a person: what the dataset, releases and exports count."""
        return self.filter(status__in=Figure.PUBLISHED)

    def pending(self) -> "FigureQuerySet":
        """Waiting for a person: extracted, or held back by a validation rule."""
        return self.filter(status__in=Figure.PENDING)


class Figure(FigureFields):
    """One number a force sent back, in the canonical shape of docs/dataset.md."""

    class Status(models.TextChoices):
        EXTRACTED = "extracted", "Extracted"
        NEEDS_REVIEW = "needs_review", "Needs review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        CORRECTED = "corrected", "Corrected"

    #: The one definition of each set of states: import these, never re-list them.
    PUBLISHED = (Status.APPROVED, Status.CORRECTED)
    PENDING = (Status.EXTRACTED, Status.NEEDS_REVIEW)

    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="figures"
    )
    request = models.ForeignKey(
        "requests_app.FoiRequest", on_delete=models.CASCADE, related_name="figures"
    )
    campaign = models.ForeignKey(
        "requests_app.Campaign", on_delete=models.CASCADE, related_name="figures"
    )
    force = models.ForeignKey(
        "requests_app.Force", on_delete=models.PROTECT, related_name="figures"
    )
    read_by_ocr = models.BooleanField(
        default=False,
        help_text="Read by OCR from a scan: a person approves it, never a bulk approval.",
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.EXTRACTED)
    reason = models.TextField(blank=True, help_text="Why it was rejected or corrected.")
    original = models.JSONField(
        default=dict, blank=True, help_text="The extracted values before a correction."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = FigureQuerySet.as_manager()

    class Meta(FigureFields.Meta):
        indexes = [
            models.Index(fields=["campaign", "status"], name="figure_campaign_status"),
            models.Index(
                fields=["campaign", "period", "dimension", "category"], name="figure_cell"
            ),
        ]


class Finding(models.Model):
    """Something the reader, the extractor or a validation rule says about a reply."""

    class Severity(models.TextChoices):
        ERROR = "error", "Error"
        WARNING = "warning", "Warning"
        INFO = "info", "Information"

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="findings")
    figure = models.ForeignKey(
        Figure, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    code = models.CharField(max_length=64)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    message = models.TextField()
    locator = models.CharField(max_length=300, blank=True)
    suggestions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reply", "id"]

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"


class SavedMapping(models.Model):
    """A researcher's mapping of one force's layout, reused when the layout comes again."""

    force = models.ForeignKey("requests_app.Force", on_delete=models.CASCADE)
    campaign = models.ForeignKey("requests_app.Campaign", on_delete=models.CASCADE)
    layout = models.CharField(max_length=64, help_text="Fingerprint of the table's layout.")
    mapping = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "campaign", "layout"], name="mapping_once_per_layout"
            )
        ]

    def __str__(self) -> str:
        return f"Mapping of {self.force_id} for {self.campaign_id} ({self.layout[:12]})"
