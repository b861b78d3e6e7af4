from django.conf import settings
from django.db import models


class PurgeRecord(models.Model):
    """What the retention purge removed from one closed campaign, and when.

    The figures and their locators stay; only stored bytes (reply files and raw
    emails) go. ``files`` lists each one: kind, name, SHA-256 and size.
    """

    campaign = models.ForeignKey(
        "requests_app.Campaign", on_delete=models.CASCADE, related_name="purges"
    )
    at = models.DateTimeField(auto_now_add=True)
    retention_days = models.PositiveIntegerField()
    documents = models.PositiveIntegerField(default=0)
    messages = models.PositiveIntegerField(default=0)
    bytes_removed = models.PositiveBigIntegerField(default=0)
    files = models.JSONField(default=list, blank=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.documents} documents, {self.messages} emails at {self.at}"
