"""Releases: the approved dataset frozen, numbered and never changed again."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .figures import FigureFields


class ReleaseImmutable(Exception):
    """A release, or one of its figures, cannot be changed or deleted once made."""


class FrozenQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ReleaseImmutable("Releases are immutable: make a new release instead.")

    def delete(self):
        raise ReleaseImmutable("Releases are immutable: they cannot be deleted.")


class Release(models.Model):
    """A campaign's approved figures (or a series' annual table) as published on a day.

    Numbered 1, 2, 3... per campaign (or per series); corrections after
    publication make a new release, compared with the previous one.
    """

    campaign = models.ForeignKey(
        "requests_app.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="releases",
    )
    series = models.SlugField(
        max_length=80, blank=True, help_text="Set instead of campaign for a series' annual table."
    )
    number = models.PositiveIntegerField()
    methodology = models.TextField(blank=True)
    coverage = models.JSONField(default=dict, blank=True)
    figure_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrozenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"],
                condition=Q(campaign__isnull=False),
                name="release_number_per_campaign",
            ),
            models.UniqueConstraint(
                fields=["series", "number"],
                condition=Q(campaign__isnull=True),
                name="release_number_per_series",
            ),
            models.CheckConstraint(
                condition=(Q(campaign__isnull=False) & Q(series=""))
                | (Q(campaign__isnull=True) & ~Q(series="")),
                name="release_of_campaign_or_series",
            ),
        ]

    def __str__(self) -> str:
        return f"Release {self.number} of {self.scope}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ReleaseImmutable(f"{self} is published and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReleaseImmutable(f"{self} is published and cannot be deleted.")

    @property
    def scope(self) -> str:
        """The campaign's slug, or `series SLUG`."""
        return self.campaign.slug if self.campaign_id else f"series {self.series}"


class ReleaseFigure(FigureFields):
    """A frozen copy of one approved figure, as the release published it."""

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="figures")
    figure = models.ForeignKey(
        "responses_app.Figure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="release_copies",
    )
    campaign = models.ForeignKey(
        "requests_app.Campaign", on_delete=models.PROTECT, related_name="release_figures"
    )
    force = models.ForeignKey(
        "requests_app.Force", on_delete=models.PROTECT, related_name="release_figures"
    )
    status = models.CharField(max_length=14)

    objects = FrozenQuerySet.as_manager()

    class Meta(FigureFields.Meta):
        indexes = [
            models.Index(
                fields=["release", "force", "period", "dimension", "category"],
                name="release_figure_cell",
            ),
            models.Index(
                fields=["force", "period", "dimension", "category"], name="release_figure_key"
            ),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ReleaseImmutable("A released figure cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReleaseImmutable("A released figure cannot be deleted.")
