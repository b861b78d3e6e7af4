"""Reminders to the researcher, and each researcher's daily digest.

The researcher is the campaign's owner, or whoever created a request outside
a campaign. Reminders go out once per request and reason (the outbox's unique
constraint), a few working days before a window of theirs closes:

- the last day to ask for an internal review (40 working days after a response);
- the last day to complain to the Commissioner (six weeks after a review);
- clarification the force asked for that nobody has sent after a few working days.

The digest is one email a working day to each researcher with anything to
do: requests overdue, windows closing, clarifications owed, reviews late,
chasers that went out today.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from requests_app.domain.calendar import WorkingCalendar
from requests_app.domain.chasers import latest_due_on, long_date
from requests_app.domain.explain import plural
from requests_app.domain.lifecycle import ANSWERED_STATUSES, ClockState, EventKind, Status
from requests_app.models import FoiRequest, OutboundMessage, RequestEvent
from requests_app.selectors.overdue import REVIEW_STATUSES
from requests_app.selectors.requests import OPEN

from .delivery import claim_rows, new_message_id

#: Working days before a window closes that the researcher is reminded (and sees it in the digest).
WARN_WORKING_DAYS = 5
#: Working days a clarification may wait for an answer before the researcher is reminded.
CLARIFICATION_WORKING_DAYS = 5
REMINDER = OutboundMessage.Kind.REMINDER
ANSWERED = [s.value for s in ANSWERED_STATUSES]
Dispatch = Callable[[int], str | None]


@dataclass
class Sent:
    kind: str
    stage: str
    reference: str
    to: str
    outbound_id: int
    outcome: str = "queued"


def _researcher_fields(qs):
    asked = RequestEvent.objects.filter(
        request_id=OuterRef("pk"), kind=EventKind.CLARIFICATION_REQUESTED.value
    ).order_by("-on", "-pk")
    return qs.annotate(
        researcher_id=Coalesce(F("campaign__owner_id"), F("created_by_id")),
        clarification_on=Subquery(asked.values("on")[:1]),
    )


def _reminder_q(today: date, cal: WorkingCalendar) -> dict[str, Q]:
    warn = cal.add_working_days(today, WARN_WORKING_DAYS)
    waited = latest_due_on(today, CLARIFICATION_WORKING_DAYS, cal)
    return {
        "review-window": Q(
            status__in=ANSWERED,
            last_day_to_request_review__gte=today,
            last_day_to_request_review__lte=warn,
        ),
        "commissioner-window": Q(
            status=Status.REVIEWED.value,
            last_day_to_complain__gte=today,
            last_day_to_complain__lte=today + timedelta(days=7),
        ),
        "clarification": Q(status=Status.CLARIFICATION.value, clarification_on__lte=waited),
    }


def _text(stage: str, row: FoiRequest) -> tuple[str, str]:
    where = f"{row.reference} ({row.force.name})"
    if stage == "review-window":
        day = long_date(row.last_day_to_request_review)
        return (
            f"Last day to ask for an internal review: {day} [{row.reference}]",
            f"The response to {where} came on {long_date(row.responded_on)}. If it needs "
            f"challenging, ask {row.force.name} for an internal review by {day}.",
        )
    if stage == "commissioner-window":
        day = long_date(row.last_day_to_complain)
        return (
            f"Last day to complain to the Commissioner: {day} [{row.reference}]",
            f"The internal review of {where} is answered. A complaint to the Commissioner "
            f"should be made by {day}.",
        )
    return (
        f"Clarification still owed to {row.force.name} [{row.reference}]",
        f"{row.force.name} asked on {long_date(row.clarification_on)} for clarification of "
        f"{where}; the clock is stopped until we answer.",
    )


def due_reminders(*, today: date, calendars: dict[str, WorkingCalendar]) -> list[OutboundMessage]:
    """Reminder emails owed today: one query per regime and reason, whatever the table's size.

    Clarification reminders are keyed by the day the clarification was asked
    for, so a second request for clarification gets its own reminder; a
    reminder already claimed is skipped by the outbox's unique constraint.
    """
    users = {u.pk: u for u in get_user_model().objects.exclude(email="")}
    rows = []
    for regime, cal in calendars.items():
        for stage, q in _reminder_q(today, cal).items():
            qs = (
                _researcher_fields(FoiRequest.objects.select_related("force"))
                .filter(q, force__regime=regime, on_hold=False, researcher_id__in=list(users))
                .order_by("pk")
            )
            if stage != "clarification":
                qs = qs.exclude(
                    Exists(
                        OutboundMessage.objects.filter(
                            request_id=OuterRef("pk"), kind=REMINDER, stage=stage
                        )
                    )
                )
            for req in qs:
                key = f"clarification:{req.clarification_on}" if stage == "clarification" else stage
                subject, body = _text(stage, req)
                rows.append(
                    OutboundMessage(
                        request_id=req.pk,
                        recipient_user_id=req.researcher_id,
                        kind=REMINDER,
                        stage=key,
                        to_address=users[req.researcher_id].email,
                        from_address=settings.DEFAULT_FROM_EMAIL,
                        subject=subject[:300],
                        body=body,
                        message_id=new_message_id("reminder"),
                        due_for=today,
                    )
                )
    return rows


def run_reminders(
    *, today: date, calendars: dict[str, WorkingCalendar], dispatch: Dispatch | None = None
) -> list[Sent]:
    rows = due_reminders(today=today, calendars=calendars)
    return _claim_and_dispatch(rows, dispatch)


def _claim_and_dispatch(rows: list[OutboundMessage], dispatch: Dispatch | None) -> list[Sent]:
    with transaction.atomic():
        mine = claim_rows(rows)
    refs = dict(
        FoiRequest.objects.filter(pk__in={r.request_id for r in rows if r.request_id}).values_list(
            "pk", "reference"
        )
    )
    sent = []
    for row in rows:
        if row.message_id in mine:
            outbound_id = mine[row.message_id]
            outcome = (dispatch(outbound_id) if dispatch else None) or "queued"
            ref = refs.get(row.request_id, "")
            sent.append(Sent(row.kind, row.stage, ref, row.to_address, outbound_id, outcome))
    return sent


def digest_text(requests: list[FoiRequest], chased_today: list[str], today: date) -> str:
    """The digest's body: sections of what needs the researcher today."""
    sections: dict[str, list[str]] = {}
    for r in requests:
        line = f"- {r.reference} ({r.force.name})"
        if r.clock == ClockState.RUNNING and r.status in OPEN and r.due_on and r.due_on < today:
            sections.setdefault("Overdue responses", []).append(
                f"{line}: due {long_date(r.due_on)}"
            )
        elif r.status == Status.CLARIFICATION:
            sections.setdefault("Clarification owed to the force", []).append(line)
        elif r.status in (Status.IN_REVIEW, Status.REVIEW_OVERDUE) and r.review_due_on:
            sections.setdefault("Internal reviews overdue", []).append(
                f"{line}: due {long_date(r.review_due_on)}"
            )
        elif r.status == Status.REVIEWED:
            sections.setdefault("Commissioner windows closing", []).append(
                f"{line}: last day {long_date(r.last_day_to_complain)}"
            )
        elif r.last_day_to_request_review:
            sections.setdefault("Internal review windows closing", []).append(
                f"{line}: last day {long_date(r.last_day_to_request_review)}"
            )
    if chased_today:
        sections["Chasers sent today"] = chased_today
    parts = [f"What needs you on {long_date(today)}:"]
    for title, lines in sections.items():
        parts.append(f"\n{title} ({len(lines)})\n" + "\n".join(lines[:50]))
        if len(lines) > 50:
            parts.append(f"... and {len(lines) - 50} more on the overdue board.")
    return "\n".join(parts)


def due_digests(*, today: date, cal: WorkingCalendar) -> list[OutboundMessage]:
    """One digest per researcher with something to do today: three queries in all."""
    users = {u.pk: u for u in get_user_model().objects.exclude(email="")}
    warn = cal.add_working_days(today, WARN_WORKING_DAYS)
    needs = (
        Q(clock=ClockState.RUNNING.value, status__in=OPEN, due_on__lt=today, on_hold=False)
        | Q(status=Status.CLARIFICATION.value, on_hold=False)
        | Q(status__in=REVIEW_STATUSES, review_due_on__lt=today)
        | Q(status__in=ANSWERED, last_day_to_request_review__range=(today, warn))
        | Q(status=Status.REVIEWED.value, last_day_to_complain__range=(today, warn))
    )
    qs = (
        _researcher_fields(FoiRequest.objects.select_related("force"))
        .filter(needs, researcher_id__in=list(users))
        .order_by("due_on", "pk")
    )
    by_user: dict[int, list[FoiRequest]] = {}
    for r in qs:
        by_user.setdefault(r.researcher_id, []).append(r)
    chased: dict[int, list[str]] = {}
    for researcher_id, ref, stage, force in (
        OutboundMessage.objects.filter(kind=OutboundMessage.Kind.CHASER, due_for=today)
        .annotate(
            researcher_id=Coalesce(F("request__campaign__owner_id"), F("request__created_by_id"))
        )
        .values_list("researcher_id", "request__reference", "stage", "request__force__name")
    ):
        chased.setdefault(researcher_id, []).append(f"- {ref} ({force}): stage {stage}")
    rows = []
    for user_id in sorted(set(by_user) | (set(chased) & set(users))):
        items = by_user.get(user_id, [])
        rows.append(
            OutboundMessage(
                recipient_user_id=user_id,
                kind=OutboundMessage.Kind.DIGEST,
                stage=f"digest:{today.isoformat()}",
                to_address=users[user_id].email,
                from_address=settings.DEFAULT_FROM_EMAIL,
                subject=f"FOI Tracker: {plural(len(items), 'request')} "
                f"need{'s' if len(items) == 1 else ''} you today",
                body=digest_text(items, chased.get(user_id, []), today),
                message_id=new_message_id("digest"),
                due_for=today,
            )
        )
    return rows


def run_digest(
    *, today: date, cal: WorkingCalendar, dispatch: Dispatch | None = None
) -> list[Sent]:
    return _claim_and_dispatch(due_digests(today=today, cal=cal), dispatch)
