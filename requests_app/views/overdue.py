"""The overdue board and the forces' league table. Thin: selectors read, services write."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from foitracker.redirects import local_next
from requests_app.domain.calendar import WorkingCalendar
from requests_app.domain.chasers import stage_date
from requests_app.domain.explain import plural
from requests_app.models import FoiRequest, Force, Role
from requests_app.overdue_forms import BoardActionForm, BoardFilterForm, LeagueForm
from requests_app.permissions import request_q, visible_campaigns
from requests_app.selectors import overdue as selectors
from requests_app.selectors.blocking import not_chased
from requests_app.selectors.campaigns import calendars as all_calendars
from requests_app.services.board import chase_now, preview_chase, set_hold
from requests_app.services.chasing import Policies, load_policies
from requests_app.services.state import today
from requests_app.tasks import queue_send

PAGE_SIZE = 100


@dataclass
class NextStage:
    stage: str
    on: date
    due_now: bool


def _next_stage(foi, policies: Policies, cal: WorkingCalendar, now: date) -> NextStage | None:
    policy = policies.for_campaign(foi.campaign_id)
    if policy is None:
        return None
    sent = [str(foi.top_stage_sent)] if foi.top_stage_sent else []
    owed = policy.owed(foi.due_on, now, cal, sent)
    if owed is not None:  # the latest stage whose day has come, never an earlier one too
        return NextStage(owed.key, stage_date(foi.due_on, owed.offset, cal), True)
    stage = policy.next_stage(sent)
    if stage is None:
        return None
    on = stage_date(foi.due_on, stage.offset, cal)
    return NextStage(stage.key, on, on <= now)


def overdue_board(request):
    now = today()
    form = BoardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    calendars = all_calendars()
    days = {
        (regime, due): calendars[regime].working_days_between(due, now)
        for regime, due in selectors.overdue_pairs(now, filters)
    }
    policies = load_policies()
    qs = selectors.overdue_board(
        today=now, days_overdue=days, stage_keys=policies.stage_keys(), filters=filters
    ).filter(request_q(request.user))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # Tick boxes and buttons only where the user may act (a coordinator of the campaign).
    may_act = set(
        FoiRequest.objects.filter(pk__in=[foi.pk for foi in page])
        .filter(request_q(request.user, at_least=Role.COORDINATOR))
        .values_list("pk", flat=True)
    )
    rows = []
    for foi in page:
        foi.not_chased = not_chased(request.user, foi, now)
        foi.may_act = foi.pk in may_act
        rows.append((foi, _next_stage(foi, policies, calendars[foi.force.regime], now)))
    return render(
        request,
        "requests_app/overdue.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": rows,
            "today": now,
            "working_today": {r: cal.is_working_day(now) for r, cal in calendars.items()},
            "campaigns": visible_campaigns(request.user).order_by("title").values("slug", "title"),
            "forces": Force.objects.active().values("pk", "name"),
            "problems": policies.broken.values(),
            "may_act": bool(may_act),
        },
    )


def _back(request) -> str:
    return local_next(request, reverse("overdue-board"))


@require_POST
def overdue_action(request):
    form = BoardActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request))
    action, ids, now = form.cleaned_data["action"], form.cleaned_data["ids"], today()
    # Chasing, holding and resuming are a coordinator's; ids the user may not act on
    # are dropped and reported as not found, so guessing ids reveals nothing.
    allowed = set(
        FoiRequest.objects.filter(pk__in=ids)
        .filter(request_q(request.user, at_least=Role.COORDINATOR))
        .values_list("pk", flat=True)
    )
    if len(allowed) < len(set(ids)):
        refused = len(set(ids)) - len(allowed)
        messages.error(
            request,
            f"{plural(refused, 'ticked request')} not acted on: only a coordinator of a "
            "request's campaign may chase, hold or resume it.",
        )
    ids = [i for i in ids if i in allowed]
    if not ids:
        return redirect(_back(request))
    if action == "preview":
        report, emails = preview_chase(request_ids=ids, today=now)
        return render(
            request,
            "requests_app/overdue_preview.html",
            {"report": report, "emails": emails, "next": _back(request), "today": now},
        )
    if action == "chase":
        report, _ = chase_now(request_ids=ids, today=now, dispatch=queue_send)
    else:
        report = set_hold(request_ids=ids, hold=action == "hold", on=now, user=request.user)
    for line in report.done:
        messages.success(request, line)
    for line in report.refused:
        messages.error(request, line)
    if not report.done and not report.refused:
        messages.error(request, "None of the ticked requests exists any more.")
    return redirect(_back(request))


def league_table(request):
    now = today()
    form = LeagueForm(request.GET or None, initial=LeagueForm.default_period(now))
    if form.is_bound and form.is_valid():
        period = form.cleaned_data
    else:
        period = LeagueForm.default_period(now)
    if form.is_bound and not form.is_valid():
        rows = []
    else:
        rows = selectors.league_table(
            start=period["start"],
            end=period["end"],
            today=now,
            calendars=all_calendars(),
            campaign=period.get("campaign") or None,
            requests=request_q(request.user),
        )
    return render(
        request,
        "requests_app/overdue_league.html",
        {
            "form": form,
            "rows": rows,
            "period": period,
            "campaigns": visible_campaigns(request.user).order_by("title").values("slug", "title"),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
