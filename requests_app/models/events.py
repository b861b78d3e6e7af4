from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from requests_app.domain.lifecycle import Channel, EventKind, Outcome
from requests_app.domain.states import event_label


class RequestEvent(models.Model):
    """One entry in a request's append-only log: the timeline and the audit trail.

    Rows are written through ``requests_app.services.events.record_event`` and
    never edited or deleted afterwards; a correction is a new event.
    """

    request = models.ForeignKey(
        "requests_app.FoiRequest", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=32, choices=[(k.value, k.value) for k in EventKind])
    on = models.DateField("date")
    channel = models.CharField(
        max_length=10, blank=True, choices=[(c.value, c.value) for c in Channel]
    )
    outcome = models.CharField(
        max_length=10, blank=True, choices=[(o.value, o.value) for o in Outcome]
    )
    exemptions = models.JSONField(default=list, blank=True)
    extended_to = models.DateField(null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(null=True, blank=True)
    force_reference = models.CharField(max_length=100, blank=True)
    stage = models.CharField(max_length=32, blank=True, help_text="Chaser stage, for chasers.")
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["request", "on"], name="event_request_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("force_update_allowed", False):
            raise ValidationError("Request events are append-only; record a new event instead.")
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return event_label(self.kind)
