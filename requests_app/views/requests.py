"""Pages for requests and forces. Thin: selectors read, services write."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from requests_app.domain.lifecycle import Status
from requests_app.force_forms import ContactsImportForm
from requests_app.forms import EventForm, RequestFilterForm
from requests_app.models import FoiRequest, Force
from requests_app.permissions import (
    can_manage_forces,
    request_q,
    visible_requests,
)
from requests_app.selectors import requests as selectors
from requests_app.selectors.forces import force_record
from requests_app.services.state import today


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
    context = selectors.request_page(foi, request.user, form)
    return render(request, "requests_app/request_detail.html", context, status=status)


def force_list(request):
    forces = selectors.force_list(requests=request_q(request.user, "requests"))
    context = {
        "forces": forces,
        "may_edit": can_manage_forces(request.user),
        "import_form": ContactsImportForm(),
    }
    return render(request, "requests_app/force_list.html", context)


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
        {
            "force": force,
            "page": page,
            "record": record,
            "may_edit": can_manage_forces(request.user),
        },
    )
