"""Calendar feeds: a secret .ics URL per user and campaign or team; created, replaced, revoked."""

from django.db import transaction

from requests_app.models import CalendarFeed, Campaign, Team
from requests_app.permissions import can_view, team_roles


class FeedRefused(ValueError):
    """The user may not have a feed of that campaign or team; the message says why."""


def may_follow_team(user, team: Team) -> bool:
    return user.is_superuser or team.pk in team_roles(user)


@transaction.atomic
def create_feed(*, user, campaign: Campaign | None = None, team: Team | None = None):
    """A new secret URL for the user's calendar of ``campaign`` or ``team``.

    Asking again for the same one replaces its URL (the old one stops working).
    """
    if (campaign is None) == (team is None):
        raise FeedRefused("Choose one campaign or one team.")
    if campaign is not None and not can_view(user, campaign):
        raise FeedRefused("You may not see that campaign.")
    if team is not None and not may_follow_team(user, team):
        raise FeedRefused(f"You are not in the team {team}.")
    CalendarFeed.objects.filter(user=user, campaign=campaign, team=team).delete()
    return CalendarFeed.objects.create(user=user, campaign=campaign, team=team)


def revoke_feed(*, user, feed_id: int) -> CalendarFeed | None:
    """Delete one of the user's feeds; its URL answers 404 from now on (None: no such feed)."""
    feed = CalendarFeed.objects.filter(user=user, pk=feed_id).select_related("campaign", "team")
    found = feed.first()
    if found is not None:
        found.delete()
    return found
