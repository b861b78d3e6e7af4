"""Closing a campaign: the end of its work, and the start of its retention clock."""

from django.db import transaction
from django.utils import timezone

from requests_app.models import Campaign


@transaction.atomic
def close_campaign(*, campaign: Campaign, at=None) -> Campaign:
    """Mark ``campaign`` closed (once: closing again keeps the first date)."""
    if campaign.closed_at is None:
        campaign.closed_at = at or timezone.now()
        campaign.save(update_fields=["closed_at"])
    return campaign


@transaction.atomic
def reopen_campaign(*, campaign: Campaign) -> Campaign:
    campaign.closed_at = None
    campaign.save(update_fields=["closed_at"])
    return campaign
