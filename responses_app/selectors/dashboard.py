"""The home page: what needs the user today, in a fixed number of queries.

Everything is narrowed to what the user may see (``permissions.request_q`` and
``campaign_q``, as subqueries). Each list is its first few rows with the
total beside them, from one query (a window count); working days left or
waited are counted in Python from the stored, indexed dates with one
calendar per regime (one query for all of them). The page costs the same
number of queries whether the user has one request or ten thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)

from requests_app.domain.board import working_days_left
from requests_app.domain.calendar import WorkingCalendar
from requests_app.domain.lifecycle import DEFAULT_POLICY, EventKind, Status
from requests_app.domain.response_times import ResponseTimes
from requests_app.domain.response_times import response_times as group_times
from requests_app.domain.states import ANSWERED_STATUSES
from requests_app.models import Campaign, FoiRequest, RequestEvent
from requests_app.permissions import Role, campaign_q, request_q
from requests_app.selectors.campaigns import calendars as all_calendars
from requests_app.selectors.campaigns import campaign_list
from requests_app.selectors.requests import overdue_q, status_counts, with_live_status
from responses_app.domain.summary import DatasetSummary
from responses_app.models import Figure, Finding

from .summary import campaign_summary

#: Rows shown in each list on the home page (the total is shown beside them).
LIST_LENGTH = 6
#: Chasers that went out in the last this many calendar days.
CHASER_DAYS = 7
#: A window closing within this many working days is flagged "closes soon".
SOON_WORKING_DAYS = 5
ANSWERED = [s.value for s in ANSWERED_STATUSES]


@dataclass
class Listing:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass
class Home:
    today: date
    status_counts: dict[str, int]
    overdue: Listing
    clarifications: Listing
    chasers: Listing
    review_windows: Listing
    commissioner_windows: Listing
    replies: Listing
    waiting_figures: int
    campaigns: list[Campaign]
    response_times: ResponseTimes
    figures_campaign: Campaign | None = None
    figures: DatasetSummary | None = None
    chaser_days: int = CHASER_DAYS

    @property
    def several_campaigns(self) -> bool:
        """Whether rows should say which campaign they belong to."""
        return len(self.campaigns) > 1

    @property
    def needs_you(self) -> int:
        """How many things on the page ask for action (chasers already went: not counted)."""
        return (
            self.replies.total
            + self.clarifications.total
            + self.overdue.total
            + self.review_windows.total
            + self.commissioner_windows.total
        )


def _first(qs: QuerySet, limit: int = LIST_LENGTH) -> Listing:
    """The first ``limit`` rows of ``qs`` and its total, from one query."""
    rows = list(qs.annotate(listing_total=Window(Count("pk")))[:limit])
    return Listing(rows=rows, total=rows[0].listing_total if rows else 0)


def _requests(user) -> QuerySet:
    return FoiRequest.objects.filter(request_q(user)).select_related("force", "campaign")


def response_times(
    requests: QuerySet, calendars: dict[str, WorkingCalendar] | None = None
) -> ResponseTimes:
    """Working days from receipt to the first response of ``requests``, binned (one query).

    Counted by each force's own calendar (FOIA or FOISA), as the league table
    counts them; the statutory limit is the clock's 20 working days.
    """
    cals = calendars if calendars is not None else all_calendars()
    rows = requests.filter(received_on__isnull=False, responded_on__isnull=False).values_list(
        "force__regime", "received_on", "responded_on"
    )
    days = [
        cals[regime].working_days_between(received, responded)
        for regime, received, responded in rows
    ]
    return group_times(days, limit=DEFAULT_POLICY.response_working_days)


def overdue(user, today: date, cals) -> Listing:
    listing = _first(
        with_live_status(_requests(user), today).filter(overdue_q(today)).order_by("due_on", "pk")
    )
    for r in listing.rows:
        r.days_left = working_days_left(cals[r.force.regime], r.due_on, today)
    return listing


def clarifications(user, today: date, cals) -> Listing:
    """Requests whose force asked for clarification: the clock waits for our answer."""
    asked = RequestEvent.objects.filter(
        request_id=OuterRef("pk"), kind=EventKind.CLARIFICATION_REQUESTED.value
    ).order_by("-on", "-pk")
    listing = _first(
        _requests(user)
        .filter(status=Status.CLARIFICATION.value)
        .annotate(
            clarification_on=Subquery(asked.values("on")[:1]),
            clarification_note=Subquery(asked.values("note")[:1]),
        )
        .order_by(F("clarification_on").asc(nulls_last=True), "pk")
    )
    for r in listing.rows:
        asked_on = r.clarification_on
        r.waited = cals[r.force.regime].working_days_between(asked_on, today) if asked_on else None
    return listing


def chasers(user, today: date) -> Listing:
    """Chasers recorded on visible requests' timelines in the last ``CHASER_DAYS`` days."""
    return _first(
        RequestEvent.objects.filter(
            request_q(user, "request"),
            kind=EventKind.CHASER.value,
            on__gt=today - timedelta(days=CHASER_DAYS),
            on__lte=today,
        )
        .select_related("request__force", "request__campaign")
        .order_by("-on", "-pk")
    )


def review_windows(user, today: date, cals) -> Listing:
    """Answers we may still challenge: the last day to ask for an internal review is ahead."""
    listing = _first(
        _requests(user)
        .filter(status__in=ANSWERED, last_day_to_request_review__gte=today)
        .order_by("last_day_to_request_review", "pk")
    )
    for r in listing.rows:
        r.days_left = working_days_left(cals[r.force.regime], r.last_day_to_request_review, today)
        r.soon = r.days_left <= SOON_WORKING_DAYS
    return listing


def commissioner_windows(user, today: date) -> Listing:
    """Reviews answered: the complaint to the Commissioner (six weeks; FOISA six months)."""
    listing = _first(
        _requests(user)
        .filter(status=Status.REVIEWED.value, last_day_to_complain__gte=today)
        .order_by("last_day_to_complain", "pk")
    )
    for r in listing.rows:
        r.days_left = (r.last_day_to_complain - today).days
        r.soon = r.days_left <= 7
    return listing


def replies_to_review(user) -> tuple[Listing, int]:
    """Replies with figures waiting for review (by request), and the waiting figures in all.

    Only campaigns where the user may review (a researcher or above), as the
    review queue itself; two queries.
    """
    waiting = Figure.objects.pending().filter(
        campaign_q(user, "campaign", at_least=Role.RESEARCHER)
    )
    errors = Finding.objects.filter(figure=OuterRef("pk"), severity=Finding.Severity.ERROR)
    rows = list(
        waiting.order_by()
        .values(
            "request_id",
            "request__reference",
            "force_id",
            "force__name",
            "campaign__slug",
            "campaign__title",
        )
        .annotate(
            figures=Count("pk"),
            with_errors=Count("pk", filter=Q(Exists(errors))),
            arrived=Max("reply__created_at"),
        )
        .order_by("arrived", "request_id")[:LIST_LENGTH]
    )
    totals = waiting.aggregate(figures=Count("pk"), requests=Count("request", distinct=True))
    return Listing(rows=rows, total=totals["requests"]), totals["figures"]


def campaign_progress(user, today: date, limit: int = 6) -> list[Campaign]:
    """Open campaigns, newest first, with their counts (one query)."""
    return list(
        campaign_list()
        .filter(campaign_q(user), closed_at__isnull=True)
        .annotate(overdue_count=Count("requests", filter=overdue_q(today, "requests")))[:limit]
    )


def latest_campaign_with_figures(user) -> Campaign | None:
    approved = Figure.objects.published().filter(campaign=OuterRef("pk"))
    return (
        Campaign.objects.filter(campaign_q(user))
        .filter(Exists(approved))
        .order_by("-created_at", "-pk")
        .first()
    )


def _in_order(counts: dict[str, int]) -> dict[str, int]:
    """The counts in the lifecycle's order (draft, awaiting, ... on hold)."""
    return {s.value: counts[s.value] for s in Status if s.value in counts}


def home(user, *, today: date) -> Home:
    """Everything the home page shows, for ``user`` as of ``today``."""
    cals = all_calendars()
    visible = _requests(user)
    replies, waiting_figures = replies_to_review(user)
    figures_campaign = latest_campaign_with_figures(user)
    return Home(
        today=today,
        status_counts=_in_order(status_counts(with_live_status(visible, today))),
        overdue=overdue(user, today, cals),
        clarifications=clarifications(user, today, cals),
        chasers=chasers(user, today),
        review_windows=review_windows(user, today, cals),
        commissioner_windows=commissioner_windows(user, today),
        replies=replies,
        waiting_figures=waiting_figures,
        campaigns=campaign_progress(user, today),
        response_times=response_times(visible, cals),
        figures_campaign=figures_campaign,
        figures=campaign_summary(campaign=figures_campaign) if figures_campaign else None,
    )
