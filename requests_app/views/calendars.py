"""Deadlines in people's calendars: the user's secret .ics URLs, and the feeds themselves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from requests_app.domain.ical import to_ics
from requests_app.models import CalendarFeed, Team
from requests_app.permissions import campaign_or_404, visible_campaigns
from requests_app.selectors.calendar_feeds import feed_events, feed_requests
from requests_app.services.calendar_feeds import FeedRefused, create_feed, revoke_feed


def _feed_url(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("calendar-feed", args=[feed.token]))


def calendar_list(request):
    feeds = list(CalendarFeed.objects.filter(user=request.user).select_related("campaign", "team"))
    for feed in feeds:
        feed.url = _feed_url(request, feed)
    teams = (
        Team.objects.all()
        if request.user.is_superuser
        else Team.objects.filter(memberships__user=request.user)
    )
    context = {
        "feeds": feeds,
        "campaigns": visible_campaigns(request.user).order_by("title").values("slug", "title"),
        "teams": teams.order_by("name"),
        "chosen": request.GET.get("campaign", ""),
    }
    return render(request, "requests_app/calendars.html", context)


@require_POST
def calendar_create(request):
    scope = request.POST.get("scope", "")
    kind, _, value = scope.partition(":")
    try:
        if kind == "campaign":
            feed = create_feed(
                user=request.user, campaign=campaign_or_404(request.user, slug=value)
            )
        elif kind == "team" and value.isdigit():
            feed = create_feed(user=request.user, team=get_object_or_404(Team, pk=int(value)))
        else:
            raise FeedRefused("Choose a campaign or a team for the calendar.")
    except FeedRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"A calendar of {feed.scope_name}: add its URL to your calendar app as a subscription.",
        )
    return redirect("calendar-list")


@require_POST
def calendar_revoke(request, pk: int):
    feed = revoke_feed(user=request.user, feed_id=pk)
    if feed is None:
        raise Http404("No such calendar of yours.")
    messages.success(
        request, f"The calendar of {feed.scope_name} was revoked: its URL no longer works."
    )
    return redirect("calendar-list")


@login_not_required  # calendar apps cannot log in: the secret token is the key
@require_GET
def calendar_feed(request, token: str):
    feed = (
        CalendarFeed.objects.filter(token=token).select_related("user", "campaign", "team").first()
    )
    requests = feed_requests(feed) if feed is not None else None
    if requests is None:
        raise Http404("No such calendar.")
    events = feed_events(
        requests, lambda foi: request.build_absolute_uri(reverse("request-detail", args=[foi.pk]))
    )
    name = f"FOI deadlines: {feed.campaign.title if feed.campaign_id else feed.team.name}"
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    response = HttpResponse(
        to_ics(name, events, stamp=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
