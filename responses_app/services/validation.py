"""Run the validation rules on figures and store what they find.

The ingestion service calls ``validate_reply`` once a reply's figures are
stored; the review service calls ``validate_figures`` again whenever a figure
changes. Figures waiting for review move between ``extracted`` (nothing to
look at) and ``needs_review`` (an error or warning); figures a person has
decided on (approved, corrected, rejected) keep their status, but their
findings are brought up to date.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from questions.vocab import CampaignSpec
from requests_app.models import Campaign
from requests_app.selectors.questions import question_of
from responses_app.domain.validation import (
    FigureFacts,
    Issue,
    Reference,
    Rule,
    ValidationContext,
    known_codes,
    load_rules,
    run_rules,
)
from responses_app.models import Figure, Finding, ReleaseFigure, Reply

from .findings import finding_row

log = logging.getLogger(__name__)

Status = Figure.Status
BLOCKING = (Finding.Severity.ERROR, Finding.Severity.WARNING)


@dataclass
class ValidationResult:
    checked: int = 0
    errors: int = 0
    warnings: int = 0
    to_review: list[int] = field(default_factory=list)
    cleared: list[int] = field(default_factory=list)
    unstored: int = 0  # findings with no reply to hang on (a figure entered without one)


def active_rules() -> list[Rule]:
    """The rules settings.VALIDATION_RULES names (all built-ins when unset)."""
    return load_rules(getattr(settings, "VALIDATION_RULES", None))


def campaign_spec(campaign: Campaign) -> CampaignSpec:
    """What the campaign asked for, as the pure rules understand it: its schema's spec."""
    return question_of(campaign).spec()


def facts(figure: Figure) -> FigureFacts:
    return FigureFacts(
        id=figure.pk,
        force=figure.force_id,
        period=figure.period,
        dimension=figure.dimension,
        category=figure.category,
        value=figure.value,
        suppressed=figure.suppressed,
        lower=figure.lower,
        upper=figure.upper,
        period_start=figure.period_start,
        period_end=figure.period_end,
        source=figure.source,
        reply=figure.reply_id,
    )


def _related_campaigns(campaign: Campaign) -> list[int]:
    """The campaign's series and its previous campaign (not itself)."""
    q = Q(pk=campaign.previous_id) if campaign.previous_id else Q(pk__in=[])
    if campaign.series:
        q |= Q(series=campaign.series)
    return list(Campaign.objects.filter(q).exclude(pk=campaign.pk).values_list("pk", flat=True))


def _history(campaign: Campaign, forces: set[str]) -> list[Reference]:
    rows = (
        Figure.objects.published().filter(
            campaign_id__in=_related_campaigns(campaign), force_id__in=forces
        )
        .values(
            "force_id", "period", "dimension", "category", "value", "suppressed",
            "lower", "upper", "period_start", "period_end", "campaign__slug",
        )
    )  # fmt: skip
    return [_reference(row, f"campaign {row['campaign__slug']}") for row in rows]


def _released(campaign: Campaign, forces: set[str]) -> list[Reference]:
    """Per cell, the value of the latest campaign release (of this campaign or its series)."""
    campaigns = [campaign.pk, *(_related_campaigns(campaign) if campaign.series else [])]
    rows = (
        ReleaseFigure.objects.filter(release__campaign_id__in=campaigns, force_id__in=forces)
        .order_by("release_id")
        .values(
            "force_id", "period", "dimension", "category", "value", "suppressed", "lower",
            "upper", "period_start", "period_end", "release__number", "release__campaign__slug",
        )
    )  # fmt: skip
    latest: dict[tuple, Reference] = {}
    for row in rows:
        label = f"release {row['release__number']} of {row['release__campaign__slug']}"
        ref = _reference(row, label)
        latest[ref.key] = ref  # later releases overwrite earlier ones
    return list(latest.values())


def _reference(row: dict, label: str) -> Reference:
    return Reference(
        force=row["force_id"],
        period=row["period"],
        dimension=row["dimension"],
        category=row["category"],
        value=row["value"],
        suppressed=row["suppressed"],
        lower=row["lower"],
        upper=row["upper"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        label=label,
    )


def validate_reply(reply: Reply) -> ValidationResult:
    """Run the rules on a reply's figures (and their siblings from the same force)."""
    campaign = reply.request.campaign
    if campaign is None:
        return ValidationResult()
    return validate_figures(campaign, reply.figures.all())


@transaction.atomic
def validate_figures(campaign: Campaign, figures: Iterable[Figure]) -> ValidationResult:
    """Run the active rules over the forces of ``figures`` in ``campaign`` and store findings.

    Every live figure of those forces is checked, since a change to one figure
    (a corrected breakdown) can settle or raise a finding on another (the total).
    """
    forces = {f.force_id for f in figures}
    result = ValidationResult()
    if not forces:
        return result
    live = list(
        Figure.objects.select_for_update()
        .filter(campaign=campaign, force_id__in=forces)
        .exclude(status=Status.REJECTED)
        .order_by("pk")
    )
    rules = active_rules()
    context = ValidationContext(
        spec=campaign_spec(campaign),
        figures=[facts(f) for f in live],
        history=_history(campaign, forces),
        released=_released(campaign, forces),
    )
    issues = run_rules(rules, context)
    _store(campaign, forces, live, issues, known_codes(rules), result)
    _move(live, result)
    result.checked = len(live)
    return result


def _store(campaign, forces, live, issues: list[Issue], codes, result: ValidationResult) -> None:
    by_id = {f.pk: f for f in live}
    latest_reply = dict(
        Reply.objects.filter(request__campaign=campaign, request__force_id__in=forces)
        .values("request__force_id")
        .annotate(last=Max("pk"))
        .values_list("request__force_id", "last")
    )
    # Stale findings of every figure of these forces go, rejected ones' too.
    Finding.objects.filter(code__in=codes).filter(
        Q(figure__campaign=campaign, figure__force_id__in=forces)
        | Q(
            figure__isnull=True,
            reply__request__campaign=campaign,
            reply__request__force_id__in=forces,
        )
    ).delete()
    rows = []
    for issue in issues:
        figure = by_id.get(issue.figure) if issue.figure is not None else None
        reply_id = (figure.reply_id if figure else None) or latest_reply.get(issue.force)
        if reply_id is None:
            result.unstored += 1
            continue
        f = issue.finding
        rows.append(finding_row(f, reply_id=reply_id, figure=figure))
        if f.severity == Finding.Severity.ERROR:
            result.errors += 1
        elif f.severity == Finding.Severity.WARNING:
            result.warnings += 1
    Finding.objects.bulk_create(rows)


def _move(live: list[Figure], result: ValidationResult) -> None:
    pending = [f for f in live if f.status in Figure.PENDING]
    flagged = set(
        Finding.objects.filter(figure__in=pending, severity__in=BLOCKING).values_list(
            "figure_id", flat=True
        )
    )
    changed = []
    now = timezone.now()
    for figure in pending:
        status = Status.NEEDS_REVIEW if figure.pk in flagged else Status.EXTRACTED
        if figure.status != status:
            figure.status = status
            figure.updated_at = now
            changed.append(figure)
            (result.to_review if status == Status.NEEDS_REVIEW else result.cleared).append(
                figure.pk
            )
    if changed:
        bulk_update_with_history(
            changed,
            Figure,
            ["status", "updated_at"],
            default_change_reason="validation",
        )
