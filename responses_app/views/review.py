"""The review queue: figures waiting for a person, the worst findings first."""

from itertools import zip_longest

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from foitracker.redirects import back
from requests_app.models import Force
from responses_app.access import Role, campaign_or_404, figure_or_404
from responses_app.forms import (
    ApproveForm,
    BulkApproveForm,
    CorrectForm,
    QueueFilterForm,
    RejectForm,
)
from responses_app.selectors import review as selectors
from responses_app.services import review as services


def _back(request):
    return back(request, reverse("review-queue"))


def review_queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.review_queue(
        user=request.user,
        campaign=filters.get("campaign"),
        force=filters.get("force"),
        severity=filters.get("severity"),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "responses_app/review_queue.html",
        {
            "page": page,
            "filters": filters,
            "counts": selectors.queue_counts(user=request.user, campaign=filters.get("campaign")),
            "campaigns": selectors.reviewable_campaigns(request.user).only("slug", "title"),
            "forces": Force.objects.active().only("id", "name"),
            "rank_names": selectors.RANK_NAMES,
            "here": request.get_full_path(),
        },
    )


def figure_detail(request, pk: int, correct_form=None, reject_form=None, status=200):
    figure_or_404(request.user, pk)
    figure = selectors.figure_detail(pk)
    correct_form = correct_form or CorrectForm(
        initial={
            "value": figure.value,
            "suppressed": figure.suppressed,
            "lower": figure.lower,
            "upper": figure.upper,
            "category": figure.category,
        }
    )
    history = list(figure.history.select_related("history_user"))  # newest first
    changes = []
    for record, older in zip_longest(history, history[1:]):
        delta = record.diff_against(older).changes if older is not None else []
        changes.append((record, [c for c in delta if c.field != "updated_at"]))
    return render(
        request,
        "responses_app/figure_detail.html",
        {
            "figure": figure,
            "has_error": any(f.severity == "error" for f in figure.findings.all()),
            "correct_form": correct_form,
            "reject_form": reject_form or RejectForm(),
            "changes": changes,
        },
        status=status,
    )


@require_POST
def approve(request, pk: int):
    figure = figure_or_404(request.user, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The reason: " + " ".join(form.errors["reason"]))
        return _back(request)
    try:
        services.approve_figure(
            figure=figure, user=request.user, reason=form.cleaned_data["reason"]
        )
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Approved {figure}.")
    return _back(request)


@require_POST
def reject(request, pk: int):
    figure = figure_or_404(request.user, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the figure is rejected.")
        return _back(request)
    try:
        services.reject_figure(figure=figure, user=request.user, reason=form.cleaned_data["reason"])
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Rejected {figure}.")
    return _back(request)


@require_POST
def correct(request, pk: int):
    figure = figure_or_404(request.user, pk)
    form = CorrectForm(request.POST)
    if not form.is_valid():
        return figure_detail(request, pk, correct_form=form, status=400)
    data = form.cleaned_data
    try:
        services.correct_figure(figure=figure, user=request.user, **data)
    except services.ReviewError as exc:
        form.add_error(None, str(exc))
        return figure_detail(request, pk, correct_form=form, status=400)
    messages.success(request, f"Corrected {figure.force_id} {figure.period} {figure.category}.")
    return redirect(reverse("review-figure", args=[pk]))


@require_POST
def bulk_approve(request):
    form = BulkApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a campaign to approve.")
        return _back(request)
    campaign = campaign_or_404(request.user, Role.RESEARCHER, slug=form.cleaned_data["campaign"])
    result = services.bulk_approve(
        campaign=campaign, user=request.user, force=form.cleaned_data["force"] or None
    )
    text = f"Approved {result.approved} figure(s) without errors."
    errors = result.skipped - result.skipped_ocr
    if errors:
        text += f" {errors} with errors still need a look."
    if result.skipped_ocr:
        text += f" {result.skipped_ocr} read by OCR from a scan need approving one by one."
    messages.success(request, text)
    return _back(request)
