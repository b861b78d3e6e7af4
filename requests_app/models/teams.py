from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """What a member may do in their team's campaigns (each role can do what the one before can).

    viewer: reads boards, dashboards and the dataset, and downloads.
    researcher: also runs campaigns (creates, sends, logs events) and reviews figures.
    coordinator: also chases, manages forces, calendars and templates, publishes releases.
    """

    VIEWER = "viewer", "Viewer"
    RESEARCHER = "researcher", "Researcher"
    COORDINATOR = "coordinator", "Coordinator"


#: Roles in increasing order of power; ``ROLE_RANK[a] >= ROLE_RANK[b]`` means a can do b's work.
ROLE_RANK = {Role.VIEWER: 1, Role.RESEARCHER: 2, Role.COORDINATOR: 3}


class Team(models.Model):
    """A group of people who own campaigns; a campaign can be shared with other teams."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in one team."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="membership_once_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"
