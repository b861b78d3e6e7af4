"""The overdue board's bulk actions: chase now, hold, resume."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from requests_app.domain.blockers import explain, why_not_chased
from requests_app.domain.lifecycle import EventKind, EventRejected
from requests_app.models import FoiRequest, OutboundMessage
from requests_app.selectors.blocking import FACT_FIELDS, chase_facts
from requests_app.selectors.overdue import chaseable_q

from .chasing import (
    FIELDS,
    Dispatch,
    DueChaser,
    Policies,
    claim,
    due_chaser,
    email_row,
    load_policies,
    working_calendars,
)
from .events import EventInput, record_event


@dataclass
class ActionReport:
    done: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@dataclass
class ChasePlan:
    """What "chase now" would do with the ticked requests, worked out before it does it."""

    report: ActionReport
    due: list[DueChaser]
    policies: Policies


def plan_chase(*, request_ids: Iterable[int], today: date) -> ChasePlan:
    """Each ticked request's chaser to send now, or the specific reason it gets none.

    The stage is the one owed today, else the next one ahead of its day: a request
    late enough for stage 3 and never chased gets stage 3, not stage 1 (and not
    stage 2 after it). A request chased today is not chased again (a second click
    does not escalate). Only chaseable, overdue requests, on a working day.
    """
    ids = sorted({int(i) for i in request_ids})
    report = ActionReport()
    calendars, skipped = working_calendars(today)
    policies = load_policies()
    rows = list(
        FoiRequest.objects.filter(chaseable_q(), pk__in=ids, due_on__lt=today).values(*FIELDS)
    )
    sent: dict[int, set[str]] = {}
    chased_today = set()
    for request_id, stage, due_for in OutboundMessage.objects.filter(
        request_id__in=[r["pk"] for r in rows], kind=OutboundMessage.Kind.CHASER
    ).values_list("request_id", "stage", "due_for"):
        sent.setdefault(request_id, set()).add(stage)
        if due_for == today:
            chased_today.add(request_id)
    due = []
    for row in rows:
        ref, regime = row["reference"], row["force__regime"]
        policy = policies.for_campaign(row["campaign_id"])
        stage = None
        if policy is not None and regime in calendars:
            cal = calendars[regime]
            stage = policy.to_send_now(row["due_on"], today, cal, sent.get(row["pk"], ()))
        if regime not in calendars:
            report.refused.append(f"{ref}: not chased, {skipped[regime]}.")
        elif row["pk"] in chased_today:
            report.refused.append(f"{ref}: already chased today; one chaser a day at most.")
        elif policy is None:
            report.refused.append(f"{ref}: not chased, its campaign's chaser policy is invalid.")
        elif stage is None:
            report.refused.append(f"{ref}: every chaser stage has already been sent.")
        else:
            due.append(due_chaser(row, stage.key, row["due_on"], today, calendars))
    found = {r["pk"] for r in rows}
    for row in FoiRequest.objects.filter(pk__in=set(ids) - found).values("reference", *FACT_FIELDS):
        why = why_not_chased(chase_facts(row), today)
        reason = explain(why) if why else "it cannot be chased today"
        report.refused.append(f"{row['reference']}: not chased, {reason}.")
    return ChasePlan(report, due, policies)


def preview_chase(*, request_ids: Iterable[int], today: date) -> tuple[ActionReport, list]:
    """The chasers "chase now" would send, as unsaved outbox rows (nothing is claimed)."""
    plan = plan_chase(request_ids=request_ids, today=today)
    emails = []
    for due in plan.due:
        email = email_row(due, plan.policies, today)
        if email is not None:
            email.reference = due.reference  # the page shows it without a query per email
            emails.append(email)
    return plan.report, emails


def chase_now(
    *, request_ids: Iterable[int], today: date, dispatch: Dispatch | None = None
) -> tuple[ActionReport, list[DueChaser]]:
    """Claim and send each request's chaser now (see ``plan_chase`` for which stage).

    Still exactly once: the stage is claimed in the outbox like the sweep's,
    so a sweep running at the same moment sends nothing more.
    """
    plan = plan_chase(request_ids=request_ids, today=today)
    report = plan.report
    claimed = claim(due=plan.due, policies=plan.policies, today=today)
    for d in plan.due:
        if d.outbound_id is None:
            report.refused.append(f"{d.reference}: stage {d.stage} was claimed by another run.")
    for d in claimed:
        d.outcome = (dispatch(d.outbound_id) if dispatch else None) or "queued"
        report.done.append(f"{d.reference}: stage {d.stage} chaser {d.outcome}.")
    return report, claimed


def set_hold(*, request_ids: Iterable[int], hold: bool, on: date, user=None) -> ActionReport:
    """Put requests on hold (or resume them): a HELD/RESUMED event each, in its own transaction."""
    kind = EventKind.HELD if hold else EventKind.RESUMED
    report = ActionReport()
    for foi in FoiRequest.objects.filter(pk__in=list(request_ids)).order_by("pk"):
        try:
            record_event(request=foi, data=EventInput(kind=kind.value, on=on), user=user)
        except EventRejected as exc:
            report.refused.append(f"{foi.reference}: {exc}")
        else:
            report.done.append(f"{foi.reference}: {'on hold' if hold else 'resumed'}.")
    return report
