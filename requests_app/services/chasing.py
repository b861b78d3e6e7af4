"""The chase sweep: find the chasers due today in SQL, claim each once, send them.

1. Calendars: a regime whose today is not a working day is skipped whole.
2. Policies: the settings' default, and each campaign's own (few rows).
3. Selection, one query: for each regime, policy and stage, the due dates
   owed that stage today form a range ``(cutoff(s + 1), cutoff(s)]`` with the
   cutoffs worked out once by the calendar; rows already chased at that stage
   or a later one are excluded with NOT EXISTS on the outbox; the branches are
   joined with UNION ALL. Internal reviews past their due date are a second
   query. No loop over the requests table.
4. Claim: an outbox row per (request, stage), bulk-inserted, conflicts on the
   unique constraint ignored, so two sweeps at once claim each stage once.
5. Dispatch each claimed row (a Celery task, or inline for the CLI); the
   delivery service sends it once and records the chaser on the timeline.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value

from requests_app.domain.calendar import Regime, WorkingCalendar
from requests_app.domain.chasers import (
    ACTS,
    COMMISSIONERS,
    REVIEW_CHASER,
    REVIEW_TEMPLATE,
    ChaserPolicy,
    PolicyError,
    latest_due_on,
    long_date,
    parse_policy,
    render,
    working_days_overdue,
)
from requests_app.domain.explain import plural
from requests_app.domain.lifecycle import EventKind
from requests_app.models import Campaign, FoiRequest, OutboundMessage, RequestEvent
from requests_app.selectors.overdue import chaseable_q, review_chaseable_q

from .addresses import reply_address
from .calendars import calendar
from .delivery import claim_rows, new_message_id, stale_ids, thread_headers

log = logging.getLogger(__name__)
CHASER = OutboundMessage.Kind.CHASER
Dispatch = Callable[[int], str | None]

FIELDS = (
    "pk",
    "reference",
    "subject",
    "force_reference",
    "message_id",
    "reply_token",
    "sent_on",
    "due_on",
    "review_due_on",
    "campaign_id",
    "campaign__slug",
    "force_id",
    "force__name",
    "force__regime",
    "force__foi_email",
)


@dataclass
class DueChaser:
    """One chaser owed today (or claimed, or sent), with what its email needs."""

    request_id: int
    reference: str
    force_id: str
    campaign: str | None
    stage: str
    due_on: date
    working_days_overdue: int
    row: dict = field(repr=False, default_factory=dict)
    outbound_id: int | None = None
    outcome: str = "due"  # due, claimed elsewhere, queued, sent, skipped, cancelled, failed

    def as_json(self) -> dict:
        return {
            "request": self.reference,
            "force": self.force_id,
            "campaign": self.campaign,
            "stage": int(self.stage) if self.stage.isdigit() else self.stage,
            "due_on": self.due_on.isoformat(),
            "working_days_overdue": self.working_days_overdue,
        }


@dataclass
class Policies:
    default: ChaserPolicy
    custom: dict[ChaserPolicy, list[int]]  # policy -> campaign ids
    broken: dict[str, str]  # campaign slug -> what is wrong with its policy
    excluded: list[int]  # campaigns not on the default policy (custom or broken)

    def for_campaign(self, campaign_id: int | None) -> ChaserPolicy | None:
        if campaign_id is None or campaign_id not in self.excluded:
            return self.default
        return next((p for p, ids in self.custom.items() if campaign_id in ids), None)

    def stage_keys(self) -> list[str]:
        keys = {s.key for p in [self.default, *self.custom] for s in p.stages}
        return sorted(keys, key=int)


@dataclass
class SweepResult:
    today: date
    chasers: list[DueChaser] = field(default_factory=list)
    skipped_regimes: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    redispatched: int = 0
    policies: Policies | None = field(default=None, repr=False)


def working_calendars(today: date) -> tuple[dict[str, WorkingCalendar], dict[str, str]]:
    """Calendars of the regimes for which today is a working day, and why the others are not."""
    working, skipped = {}, {}
    for regime in Regime:
        cal = calendar(regime)
        if cal.is_working_day(today):
            working[regime.value] = cal
        else:
            why = cal.holiday_reason(today) or f"{today:%A}"
            skipped[regime.value] = f"{today} is not a working day ({why})"
    return working, skipped


def load_policies() -> Policies:
    """The default policy and each campaign's own; one query (campaigns with a policy)."""
    default = parse_policy(None, settings.CHASER_STAGES)
    custom: dict[ChaserPolicy, list[int]] = {}
    broken, excluded = {}, []
    rows = Campaign.objects.exclude(chaser_stages=[]).values_list("pk", "slug", "chaser_stages")
    for pk, slug, config in rows:
        excluded.append(pk)
        try:
            policy = parse_policy(config, settings.CHASER_STAGES)
        except PolicyError as exc:
            broken[slug] = f"Campaign {slug}: {exc} Its requests are not chased until it is fixed."
            continue
        custom.setdefault(policy, []).append(pk)
    return Policies(default, custom, broken, excluded)


def _outbox(keys: list[str]):
    return OutboundMessage.objects.filter(request_id=OuterRef("pk"), kind=CHASER, stage__in=keys)


def due_stage_chasers(
    *, today: date, calendars: dict[str, WorkingCalendar], policies: Policies
) -> list[DueChaser]:
    """The (request, stage) pairs owed a response chaser today: one query.

    One branch per regime, policy and stage, joined with UNION ALL: each is a
    range scan of the (status, due_on) index with an anti-join on the outbox's
    unique (request, kind, stage) index, which PostgreSQL plans far better
    than one WHERE with an OR of NOT EXISTS clauses.
    """
    groups = [(policies.default, ~Q(campaign_id__in=policies.excluded))]
    groups += [(policy, Q(campaign_id__in=ids)) for policy, ids in policies.custom.items()]
    branches = []
    for regime, cal in calendars.items():
        for policy, scope in groups:
            cutoffs = [latest_due_on(today, s.offset, cal) for s in policy.stages]
            for i, stage in enumerate(policy.stages):
                span = Q(due_on__lte=cutoffs[i])
                if i + 1 < len(cutoffs):
                    span &= Q(due_on__gt=cutoffs[i + 1])
                branches.append(
                    FoiRequest.objects.filter(chaseable_q(), span, scope, force__regime=regime)
                    .exclude(Exists(_outbox(policy.keys_from(stage))))
                    .annotate(chaser_stage=Value(stage.key, output_field=CharField()))
                    .order_by()
                    .values(*FIELDS, "chaser_stage")
                )
    if not branches:
        return []
    rows = branches[0].union(*branches[1:], all=True).order_by("due_on", "pk")
    return [due_chaser(row, row["chaser_stage"], row["due_on"], today, calendars) for row in rows]


def due_review_chasers(*, today: date, calendars: dict[str, WorkingCalendar]) -> list[DueChaser]:
    """Internal reviews past their 20 working days, not yet chased: one query."""
    if not calendars:
        return []
    asked = RequestEvent.objects.filter(
        request_id=OuterRef("pk"), kind=EventKind.REVIEW_REQUESTED.value
    ).order_by("-on", "-pk")
    rows = (
        FoiRequest.objects.filter(
            review_chaseable_q(), review_due_on__lt=today, force__regime__in=list(calendars)
        )
        .exclude(Exists(_outbox([REVIEW_CHASER])))
        .annotate(review_requested_on=Subquery(asked.values("on")[:1]))
        .order_by("review_due_on", "pk")
        .values(*FIELDS, "review_requested_on")
    )
    return [due_chaser(row, REVIEW_CHASER, row["review_due_on"], today, calendars) for row in rows]


def due_chaser(row: dict, stage: str, due_on: date, today: date, calendars) -> DueChaser:
    late = working_days_overdue(due_on, today, calendars[row["force__regime"]])
    return DueChaser(
        request_id=row["pk"],
        reference=row["reference"],
        force_id=row["force_id"],
        campaign=row["campaign__slug"],
        stage=stage,
        due_on=due_on,
        working_days_overdue=late,
        row=row,
    )


def email_row(due: DueChaser, policies: Policies, today: date) -> OutboundMessage | None:
    """The chaser's email as an unsaved outbox row (None when its stage has no template)."""
    row = due.row
    if due.stage == REVIEW_CHASER:
        subject_t, body_t = REVIEW_TEMPLATE
    else:
        policy = policies.for_campaign(row["campaign_id"])
        stage = policy.by_key(due.stage) if policy else None
        if stage is None:
            return None
        subject_t, body_t = stage.subject, stage.body
    values = chaser_values(due, today)
    return OutboundMessage(
        request_id=due.request_id,
        kind=CHASER,
        stage=due.stage,
        to_address=row["force__foi_email"],
        from_address=settings.DEFAULT_FROM_EMAIL,
        reply_to=reply_address(row["reply_token"]),
        subject=render(subject_t, values)[:300],
        body=render(body_t, values),
        message_id=new_message_id(f"chaser-{due.stage}"),
        due_for=today,
        **thread_headers(row["message_id"]),
    )


def chaser_values(due: DueChaser, today: date) -> dict[str, object]:
    """What each placeholder of a chaser becomes for this request (CHASER_PLACEHOLDERS)."""
    row = due.row
    regime = Regime(row["force__regime"])
    return {
        "reference": row["reference"],
        "force_reference": row["force_reference"] or "not yet given",
        "subject": row["subject"],
        "force_name": row["force__name"],
        "sent_on": long_date(row["sent_on"]),
        "due_on": long_date(row["due_on"]),
        "review_due_on": long_date(row["review_due_on"]),
        "review_requested_on": long_date(row.get("review_requested_on")),
        "working_days_overdue": due.working_days_overdue,
        "working_days": plural(due.working_days_overdue),
        "stage": due.stage,
        "today": long_date(today),
        "act": ACTS[regime],
        "commissioner": COMMISSIONERS[regime],
    }


@transaction.atomic
def claim(*, due: list[DueChaser], policies: Policies, today: date) -> list[DueChaser]:
    """Write an outbox row for each due chaser; mark which ones this call claimed."""
    rows = {}
    for d in due:
        email = email_row(d, policies, today)
        if email is not None:
            rows[email.message_id] = (d, email)
    mine = claim_rows([email for _, email in rows.values()])
    for message_id, (d, _) in rows.items():
        d.outbound_id = mine.get(message_id)
        d.outcome = "claimed" if d.outbound_id else "claimed elsewhere"
    return [d for d in due if d.outbound_id]


def select_due(*, today: date) -> SweepResult:
    """What the sweep would send today, sending nothing (the dry run)."""
    calendars, skipped = working_calendars(today)
    policies = load_policies()
    result = SweepResult(
        today=today,
        skipped_regimes=skipped,
        problems=list(policies.broken.values()),
        policies=policies,
    )
    result.chasers = due_stage_chasers(today=today, calendars=calendars, policies=policies)
    result.chasers += due_review_chasers(today=today, calendars=calendars)
    return result


def run_sweep(
    *, today: date, dry_run: bool = False, dispatch: Dispatch | None = None
) -> SweepResult:
    """Select, claim and dispatch today's chasers; ``dispatch(outbound_id)`` sends one.

    ``dispatch`` returns the outcome ('sent', 'skipped'...) when it sends inline,
    or None when it only queues the task. Rows left pending by an earlier run
    whose task was lost are dispatched again (delivery takes each only once).
    """
    result = select_due(today=today)
    if dry_run:
        return result
    claimed = claim(due=result.chasers, policies=result.policies, today=today)
    result.chasers = claimed
    if dispatch is None:
        return result
    for d in claimed:
        d.outcome = _dispatch(dispatch, d.outbound_id) or "queued"
    claimed_ids = {d.outbound_id for d in claimed}
    for outbound_id in stale_ids():
        if outbound_id not in claimed_ids:
            _dispatch(dispatch, outbound_id)
            result.redispatched += 1
    return result


def _dispatch(dispatch: Dispatch, outbound_id: int) -> str | None:
    try:
        return dispatch(outbound_id)
    except Exception as exc:  # one failed send must not stop the rest of the sweep
        log.warning("Outbound message %s not sent: %s", outbound_id, exc)
        return "failed"
