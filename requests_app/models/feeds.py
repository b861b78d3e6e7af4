import secrets

from django.conf import settings
from django.db import models


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A secret calendar (.ics) URL of one campaign's or one team's deadlines, for one user.

    Calendar apps cannot log in, so the token in the URL is the key: it shows only
    what its user may still see, and deleting the row revokes it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    campaign = models.ForeignKey(
        "requests_app.Campaign", null=True, blank=True, on_delete=models.CASCADE
    )
    team = models.ForeignKey("requests_app.Team", null=True, blank=True, on_delete=models.CASCADE)
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(campaign__isnull=False, team__isnull=True)
                | models.Q(campaign__isnull=True, team__isnull=False),
                name="calendar_feed_one_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.scope_name}"

    @property
    def scope_name(self) -> str:
        if self.campaign_id:
            return f"campaign {self.campaign}"
        return f"team {self.team}"
