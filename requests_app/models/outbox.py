from django.conf import settings
from django.db import models


class OutboundMessage(models.Model):
    """One email the system means to send, recorded BEFORE it is sent.

    The unique constraints make "exactly once" a database fact: the initial
    request (kind ``request``, stage ``""``) and each chaser stage of a request
    can be claimed only once, however many workers, retries or sweeps try. A
    worker that dies after claiming leaves a ``pending``/``sending`` row that
    the next run picks up again; it never creates a second one.
    """

    class Kind(models.TextChoices):
        REQUEST = "request", "Request"
        CHASER = "chaser", "Chaser to the force"
        REMINDER = "reminder", "Reminder to the researcher"
        DIGEST = "digest", "Daily digest"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    request = models.ForeignKey(
        "requests_app.FoiRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbound",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    stage = models.CharField(max_length=40, blank=True)
    to_address = models.EmailField()
    from_address = models.CharField(max_length=300)
    reply_to = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    message_id = models.CharField(max_length=300, unique=True)
    in_reply_to = models.CharField(max_length=300, blank=True)
    references = models.TextField(blank=True)
    due_for = models.DateField(null=True, blank=True, help_text="The day it was due to go out.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbound_status_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "stage"],
                condition=models.Q(request__isnull=False),
                name="outbound_once_per_request_kind_stage",
            ),
            models.UniqueConstraint(
                fields=["recipient_user", "kind", "stage"],
                condition=models.Q(request__isnull=True),
                name="outbound_once_per_user_kind_stage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.stage} to {self.to_address} ({self.status})"
