"""What a calendar feed shows: every deadline of the requests its user may still see."""

from collections.abc import Callable

from django.db.models import QuerySet

from requests_app.domain.ical import CalEvent
from requests_app.models import CalendarFeed, FoiRequest
from requests_app.permissions import can_view
from requests_app.services.calendar_feeds import may_follow_team

#: (field, what the date is) for each deadline a feed carries.
DEADLINES = [
    ("due_on", "Response due"),
    ("last_day_to_request_review", "Last day to ask for an internal review"),
    ("review_due_on", "Internal review due"),
    ("last_day_to_complain", "Last day to complain to the Commissioner"),
]


def feed_requests(feed: CalendarFeed) -> QuerySet | None:
    """The requests in the feed, or None when its user may no longer see its campaign or team."""
    user = feed.user
    if not user.is_active:
        return None
    if feed.campaign_id:
        if not can_view(user, feed.campaign):
            return None
        qs = FoiRequest.objects.filter(campaign_id=feed.campaign_id)
    else:
        if not may_follow_team(user, feed.team):
            return None
        qs = FoiRequest.objects.filter(campaign__team_id=feed.team_id)
    return qs.filter(sent_on__isnull=False).select_related("force", "campaign").order_by("pk")


def feed_events(requests: QuerySet, url_for: Callable[[FoiRequest], str]) -> list[CalEvent]:
    """One all-day event per deadline; a response date stops once the force has answered."""
    events = []
    for foi in requests:
        for field, label in DEADLINES:
            day = getattr(foi, field)
            if day is None or (field == "due_on" and foi.responded_on is not None):
                continue
            campaign = f"{foi.campaign.title}. " if foi.campaign_id else ""
            events.append(
                CalEvent(
                    uid=f"foi-request-{foi.pk}-{field}@foitracker",
                    day=day,
                    summary=f"{label}: {foi.force.name} ({foi.reference})",
                    description=f"{campaign}{label} for {foi.reference}.",
                    url=url_for(foi),
                )
            )
    return sorted(events, key=lambda e: (e.day, e.uid))
