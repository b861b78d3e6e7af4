from django.conf import settings
from django.db import models


class ReleaseJob(models.Model):
    """A coordinator's request to publish a release, built by a worker (``build_release``).

    The release page follows it: "building…", then the release, or the reason
    there is none. The release itself is only made by ``services.releases``,
    so a job adds nothing to what a release is.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Building"
        DONE = "done", "Published"
        FAILED = "failed", "Not published"

    campaign = models.ForeignKey(
        "requests_app.Campaign",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="release_jobs",
    )
    series = models.SlugField(max_length=80, blank=True)
    methodology = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True, help_text="Why no release was made.")
    release = models.ForeignKey(
        "responses_app.Release", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Release job {self.pk} of {self.scope} ({self.status})"

    @property
    def scope(self) -> str:
        """The campaign's slug, or `series SLUG` (as ``Release.scope``)."""
        return self.campaign.slug if self.campaign_id else f"series {self.series}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
