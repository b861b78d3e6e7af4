"""Pages for requests and forces. Thin: selectors read, services write."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from requests_app.domain.lifecycle import EventRejected, Status
from requests_app.forms import EventForm, RequestFilterForm
from requests_app.models import FoiRequest, Force, Role
from requests_app.permissions import (
    can_edit_request,
    request_or_404,
    request_q,
    visible_requests,
)
from requests_app.selectors import requests as selectors
from requests_app.selectors.forces import force_record
from requests_app.services.events import EventInput
from requests_app.services.state import state_of, today
from responses_app.services.attachments import record_event_with_files
from responses_app.services.storage import FileRejected


def request_list(request):
    form = RequestFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = visible_requests(request.user, selectors.request_list(today=today(), filters=filters))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "requests_app/request_list.html",
        {
            "form": form,
            "page": page,
            "forces": Force.objects.active(),
            "statuses": [s.value for s in Status],
            "filters": filters,
        },
    )


def request_detail(request, pk: int):
    now = today()
    try:
        foi = selectors.request_detail(pk, today=now, visible=request_q(request.user))
    except FoiRequest.DoesNotExist:
        return render(request, "404.html", status=404)
    form = EventForm(initial={"on": now})
    return _render_detail(request, foi, form)


def _render_detail(request, foi, form, status=200):
    events = list(foi.events.all())
    state = state_of(foi, events)
    return render(
        request,
        "requests_app/request_detail.html",
        {
            "foi": foi,
            "events": events,
            "state": state,
            "form": form,
            "can_edit": can_edit_request(request.user, foi),
        },
        status=status,
    )


@require_POST
def add_event(request, pk: int):
    foi = request_or_404(request.user, Role.RESEARCHER, pk=pk)
    form = EventForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, selectors.request_detail(pk, today=today()), form, 400)
    data = form.cleaned_data
    try:
        event = record_event_with_files(
            request=foi,
            data=EventInput(
                kind=data["kind"],
                on=data["on"],
                channel=data["channel"],
                outcome=data["outcome"],
                exemptions=data["exemptions"],
                extended_to=data["extended_to"],
                extension_days=data["extension_days"],
                force_reference=data["force_reference"],
                note=data["note"],
            ),
            files=[(f.name, f.read()) for f in data["attachments"]],
            user=request.user,
        )
    except (EventRejected, FileRejected) as exc:
        form.add_error(None, str(exc))
        return _render_detail(request, selectors.request_detail(pk, today=today()), form, 400)
    messages.success(request, f"{event.label} recorded.")
    return redirect("request-detail", pk=pk)


def force_list(request):
    forces = selectors.force_list(requests=request_q(request.user, "requests"))
    return render(request, "requests_app/force_list.html", {"forces": forces})


FORCE_REQUESTS_PAGE = 50


def force_detail(request, pk: str):
    force = get_object_or_404(Force, pk=pk)
    visible = visible_requests(request.user)
    requests = visible_requests(
        request.user, selectors.request_list(today=today(), filters={"force": pk})
    ).order_by("-created_at")
    record = force_record(force, today=today(), requests=visible)
    page = Paginator(requests, FORCE_REQUESTS_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "requests_app/force_detail.html",
        {"force": force, "page": page, "record": record},
    )
