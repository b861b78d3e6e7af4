"""A person's decisions on figures: approve, reject, correct. Only approved figures are published.

Every change is saved through django-simple-history (who, when, before and
after, and why), and the rules run again whenever a figure's data changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from requests_app.models import Campaign
from requests_app.users import acting_user
from responses_app.models import Figure, Finding

from .validation import validate_figures

Status = Figure.Status
EDITABLE = ("value", "suppressed", "lower", "upper", "category")
_UNSET = object()


class ReviewError(ValueError):
    """A review action that cannot be done; the message says why."""


@dataclass
class BulkResult:
    approved: int
    skipped: int  # pending figures left alone: error findings, or read by OCR
    skipped_ocr: int = 0  # of which read by OCR from a scan (never approved in bulk)


def _locked(figure: Figure) -> Figure:
    return Figure.objects.select_for_update().get(pk=figure.pk)


def _save(figure: Figure, user, reason: str) -> None:
    figure._history_user = acting_user(user)
    figure._change_reason = reason[:100]
    figure.save()


def with_errors() -> Exists:
    return Exists(Finding.objects.filter(figure=OuterRef("pk"), severity=Finding.Severity.ERROR))


@transaction.atomic
def approve_figure(*, figure: Figure, user=None, reason: str = "") -> Figure:
    """Approve one figure (from extracted, needs review or rejected).

    A figure with an error finding is approved only with a reason (why the finding
    is wrong here), kept on the figure and in its history.
    """
    figure = _locked(figure)
    if figure.status in Figure.PUBLISHED:
        raise ReviewError(f"{figure} is already {figure.get_status_display().lower()}.")
    reason = (reason or "").strip()
    error = Finding.objects.filter(figure=figure, severity=Finding.Severity.ERROR).first()
    if error is not None and not reason:
        raise ReviewError(
            f"{figure} has an error finding ({error.message}): say why it is right to approve it."
        )
    figure.status = Status.APPROVED
    figure.reason = reason
    _save(figure, user, f"approved: {reason}" if reason else "approved")
    return figure


@transaction.atomic
def bulk_approve(
    *,
    campaign: Campaign,
    user=None,
    force: str | None = None,
    only_valid: bool = True,
    ids: list[int] | None = None,
    reason: str = "",
) -> BulkResult:
    """Approve the campaign's figures waiting for review.

    With ``only_valid`` (the default), figures with an error finding are left
    for a person to look at; warnings do not stop approval. Figures read by OCR
    from a scan are always left for a person, one by one. Without ``only_valid``, figures
    with an error finding are approved only with a reason, as one at a time
    (`approve_figure`): kept on each of them and in their history.
    """
    reason = (reason or "").strip()
    qs: QuerySet = Figure.objects.pending().filter(campaign=campaign)
    if force:
        qs = qs.filter(force_id=force)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    qs = qs.annotate(has_errors=with_errors())
    figures = list(qs.select_for_update(of=("self",)).order_by("pk"))
    chosen = [f for f in figures if not f.read_by_ocr and not (only_valid and f.has_errors)]
    flagged = [f for f in chosen if f.has_errors]
    if flagged and not reason:
        raise ReviewError(
            f"{len(flagged)} of these figures have an error finding (the first: {flagged[0]}): "
            "say why it is right to approve them, or approve only those without errors."
        )
    now = timezone.now()
    for figure in chosen:
        figure.status = Status.APPROVED
        figure.reason = reason if figure.has_errors else ""
        figure.updated_at = now
    if chosen:
        bulk_update_with_history(
            chosen,
            Figure,
            ["status", "reason", "updated_at"],
            default_user=acting_user(user),
            default_change_reason=f"bulk approval: {reason}"[:100] if flagged else "bulk approval",
        )
    return BulkResult(
        approved=len(chosen),
        skipped=len(figures) - len(chosen),
        skipped_ocr=sum(1 for f in figures if f.read_by_ocr),
    )


@transaction.atomic
def reject_figure(*, figure: Figure, user=None, reason: str) -> Figure:
    """Reject a figure (it never reaches the dataset); the reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("Say why the figure is rejected.")
    figure = _locked(figure)
    if figure.status == Status.REJECTED:
        raise ReviewError(f"{figure} is already rejected.")
    figure.status = Status.REJECTED
    figure.reason = reason
    _save(figure, user, f"rejected: {reason}")
    validate_figures(figure.campaign, [figure])
    return figure


def _checked(value, what: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ReviewError(f"The {what} must be a whole number of 0 or more, not {value!r}.")
    try:
        number = int(str(value).replace(",", "").strip())
    except ValueError:
        raise ReviewError(
            f"The {what} must be a whole number of 0 or more, not {value!r}."
        ) from None
    if number < 0:
        raise ReviewError(f"The {what} must be 0 or more, not {number}.")
    return number


@transaction.atomic
def correct_figure(
    *,
    figure: Figure,
    user=None,
    reason: str,
    value=_UNSET,
    suppressed=_UNSET,
    lower=_UNSET,
    upper=_UNSET,
    category=_UNSET,
) -> Figure:
    """Edit a figure's number (or category) with a reason; the extracted original is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("Say why the figure is corrected.")
    figure = _locked(figure)
    before = {name: getattr(figure, name) for name in EDITABLE}
    new = dict(before)
    for name, given in (
        ("value", value),
        ("suppressed", suppressed),
        ("lower", lower),
        ("upper", upper),
        ("category", category),
    ):
        if given is not _UNSET:
            new[name] = given
    new["suppressed"] = bool(new["suppressed"])
    new["category"] = str(new["category"] or "").strip()
    if not new["category"]:
        raise ReviewError("The category cannot be empty.")
    for name in ("value", "lower", "upper"):
        new[name] = _checked(new[name], name)
    if new["suppressed"]:
        newly = not before["suppressed"] and (lower is _UNSET or upper is _UNSET)
        if newly or new["lower"] is None or new["upper"] is None:
            raise ReviewError(
                "A suppressed figure needs its lower and upper bounds (0 and 4 for '<5')."
            )
        if new["lower"] > new["upper"]:
            raise ReviewError(
                f"The lower bound {new['lower']} is above the upper bound {new['upper']}."
            )
        new["value"] = None
    else:
        if value is _UNSET and suppressed is not _UNSET and new["value"] is None:
            raise ReviewError("Give the value of a figure that is no longer suppressed.")
        new["lower"] = new["upper"] = new["value"]
    if new == before:
        raise ReviewError("Nothing was changed: edit the value, bounds or category.")
    if not figure.original:
        figure.original = {**before, "status": figure.status}
    for name, val in new.items():
        setattr(figure, name, val)
    figure.status = Status.CORRECTED
    figure.reason = reason
    _save(figure, user, f"corrected: {reason}")
    validate_figures(figure.campaign, [figure])
    return figure
