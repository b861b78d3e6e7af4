from django.conf import settings
from django.db import models

#: The campaign send task's soft time limit; a run unfinished well after it has stopped.
SEND_TIME_LIMIT_SECONDS = 3 * 3600


class SendRun(models.Model):
    """One queued email send of a campaign, so its page can tell "sending" from "stopped".

    The counts (sent, failed, to go) are read from the outbox; this row only
    says that a send was asked for, when a worker took it up and when it ended
    (with the error that stopped it, if one did).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Sending"
        FINISHED = "finished", "Finished"

    campaign = models.ForeignKey(
        "requests_app.Campaign", on_delete=models.CASCADE, related_name="send_runs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    interrupted = models.TextField(blank=True, help_text="The error that stopped the run.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "-created_at"], name="send_run_campaign_latest")
        ]

    def __str__(self) -> str:
        return f"Send of {self.campaign_id} ({self.status})"
