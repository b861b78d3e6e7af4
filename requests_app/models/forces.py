from django.db import models

from requests_app.domain.calendar import Regime


class ForceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def territorial(self):
        """The 43 territorial forces of England and Wales: a campaign's default targets."""
        return self.filter(active=True, territorial_england_wales=True)


class Force(models.Model):
    """A police force, keyed by its data.police.uk id (``kent``, ``metropolitan``)."""

    id = models.SlugField(primary_key=True, max_length=64)
    name = models.CharField(max_length=200)
    nation = models.CharField(max_length=64)
    regime = models.CharField(
        max_length=8, choices=[(r.value, r.value) for r in Regime], default=Regime.FOIA
    )
    ons_code = models.CharField("ONS code", max_length=16, blank=True)
    territorial_england_wales = models.BooleanField(default=False)
    foi_email = models.EmailField("FOI email address", blank=True)
    foi_email_broken = models.BooleanField(
        default=False, help_text="Set when mail to the FOI address bounced."
    )
    portal_url = models.URLField("FOI portal URL", blank=True)
    postal_address = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="How this force likes to be contacted.")
    contact_checked_on = models.DateField(
        "contact last checked", null=True, blank=True, help_text="When its contacts were checked."
    )
    active = models.BooleanField(default=True)

    objects = ForceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def email_domain(self) -> str:
        return self.foi_email.rpartition("@")[2].lower() if self.foi_email else ""

    @property
    def contactable(self) -> bool:
        """Whether a request can reach the force at all (email or portal)."""
        return bool(self.foi_email and not self.foi_email_broken) or bool(self.portal_url)
