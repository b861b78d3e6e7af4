from django.conf import settings
from django.db import models

from requests_app.domain.lifecycle import ClockState, Outcome, Status

OPEN_STATUSES = (Status.AWAITING, Status.OVERDUE, Status.VERY_OVERDUE)


class FoiRequest(models.Model):
    """One request to one force. Its status and deadlines are derived.

    The fields under "derived" are written only by
    ``requests_app.services.state.refresh_state`` from the event log, inside the
    transaction that adds an event, so lists can filter and sort on them.
    """

    force = models.ForeignKey(
        "requests_app.Force", on_delete=models.PROTECT, related_name="requests"
    )
    campaign = models.ForeignKey(
        "requests_app.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    reference = models.CharField(max_length=100, unique=True)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    reply_token = models.CharField(max_length=32, unique=True)
    message_id = models.CharField(max_length=300, blank=True)
    force_reference = models.CharField(max_length=100, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Derived from the events (see the class docstring).
    status = models.CharField(
        max_length=20, choices=[(s.value, s.value) for s in Status], default=Status.DRAFT
    )
    clock = models.CharField(
        max_length=12,
        choices=[(c.value, c.value) for c in ClockState],
        default=ClockState.NOT_STARTED,
    )
    sent_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    very_overdue_on = models.DateField(null=True, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=10, blank=True, choices=[(o.value, o.value) for o in Outcome]
    )
    exemptions = models.JSONField(default=list, blank=True)
    review_due_on = models.DateField(null=True, blank=True)
    last_day_to_request_review = models.DateField(null=True, blank=True)
    last_day_to_complain = models.DateField(null=True, blank=True)
    on_hold = models.BooleanField(default=False)
    last_event_on = models.DateField(null=True, blank=True)
    state_as_of = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["force__name"]
        verbose_name = "FOI request"
        indexes = [
            models.Index(fields=["status", "due_on"], name="request_status_due"),
            models.Index(fields=["clock", "due_on"], name="request_clock_due"),
            models.Index(fields=["campaign", "force"], name="request_campaign_force"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "force"],
                condition=models.Q(campaign__isnull=False),
                name="one_request_per_force_per_campaign",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.force_id})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
