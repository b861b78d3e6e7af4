from django.conf import settings
from django.db import models

from requests_app.domain.calendar import Regime


class ClosureDay(models.Model):
    """An administrator's change to a regime's calendar.

    ``added`` proclaims a non-working day the holidays package does not know
    (a one-off bank holiday); ``removed`` takes a package holiday away. Open
    requests of the regime are recomputed when a row changes (see signals).
    """

    class Action(models.TextChoices):
        ADDED = "added", "Closure added (not a working day)"
        REMOVED = "removed", "Holiday removed (a working day)"

    regime = models.CharField(max_length=8, choices=[(r.value, r.value) for r in Regime])
    date = models.DateField()
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.ADDED)
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "date"], name="closure_day_unique_per_regime")
        ]

    def __str__(self) -> str:
        return f"{self.regime} {self.date}: {self.get_action_display()} ({self.reason})"
