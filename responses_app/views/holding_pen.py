"""The holding pen: unmatched mail with the best guesses; assign it to a request or reject it.

Staff only (the pen holds mail nobody has vetted). A message already on a
request can be read by anyone who can read the request. Email HTML is shown
only after ``domain.mail.safe_html`` (nh3), under a strict Content-Security-Policy.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from requests_app.models import Role
from requests_app.permissions import request_or_404
from responses_app.domain.mail import parse_message, safe_html
from responses_app.inbound_forms import AssignForm, RejectMessageForm
from responses_app.models import DocumentDownload, InboundMessage
from responses_app.selectors import inbound as selectors
from responses_app.services.inbound import MessageNotOpen, assign_message, reject_message
from responses_app.tasks import queue_reading

from .uploads import attachment_response

PAGE_POLICY = (
    "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; "
    "frame-src 'none'; object-src 'none'; form-action 'self'; base-uri 'none'"
)
STATUSES = [("held", "In the holding pen"), ("rejected", "Rejected"), ("assigned", "Assigned")]
STATUSES += [("matched", "Matched"), ("", "All mail")]


def _staff(request) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("The holding pen is for administrators.")


def _may_read(request, message: InboundMessage) -> None:
    if request.user.is_staff:
        return
    if message.request_id is None:
        raise PermissionDenied("Only administrators can read unmatched mail.")
    # Matched mail is readable by whoever may see its request; others get a 404.
    request_or_404(request.user, Role.VIEWER, pk=message.request_id)


def holding_pen(request):
    _staff(request)
    status = request.GET.get("status", "held")
    if status not in dict(STATUSES):
        status = "held"
    page = Paginator(selectors.holding_pen(status or None), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "responses_app/holding_pen.html",
        {
            "page": page,
            "status": status,
            "statuses": STATUSES,
            "counts": selectors.status_counts(),
        },
    )


def message_detail(request, pk: int):
    message = get_object_or_404(
        InboundMessage.objects.select_related("request__force", "handled_by", "event"), pk=pk
    )
    _may_read(request, message)
    body_html, body_text = "", ""
    if message.raw_id and message.raw.content:
        with message.raw.content.open("rb") as handle:
            record = parse_message(handle.read())
        body_html = mark_safe(safe_html(record.html)) if record.html.strip() else ""
        body_text = record.text
    response = render(
        request,
        "responses_app/inbound_message.html",
        {
            "message": message,
            "body_html": body_html,
            "body_text": body_text,
            "assign_form": AssignForm(),
            "reject_form": RejectMessageForm(),
        },
    )
    response["Content-Security-Policy"] = PAGE_POLICY
    return response


def raw_message(request, pk: int):
    message = get_object_or_404(InboundMessage.objects.select_related("raw"), pk=pk)
    _may_read(request, message)
    if not message.raw_id or not message.raw.content:
        messages.error(request, "The original message is not kept (too large, or past retention).")
        return redirect("inbound-message", pk=pk)
    DocumentDownload.objects.create(message=message, user=request.user)
    name = f"message-{message.pk}.eml"
    return attachment_response(message.raw.content.open("rb"), name, b"")


def _back(message: InboundMessage):
    return redirect(reverse("holding-pen") + f"#message-{message.pk}")


@require_POST
def assign(request, pk: int):
    _staff(request)
    message = get_object_or_404(InboundMessage, pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(message)
    target = form.cleaned_data["request"]
    try:
        assign_message(message=message, request=target, user=request.user, dispatch=queue_reading)
    except MessageNotOpen as exc:
        messages.error(request, f"Not assigned: {exc}.")
        return _back(message)
    messages.success(request, f"“{message.subject}” is now on {target.reference}.")
    return _back(message)


@require_POST
def reject(request, pk: int):
    _staff(request)
    message = get_object_or_404(InboundMessage, pk=pk)
    form = RejectMessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the message is rejected.")
        return _back(message)
    try:
        reject_message(message=message, reason=form.cleaned_data["reason"], user=request.user)
    except (MessageNotOpen, ValueError) as exc:
        messages.error(request, f"Not rejected: {exc}.")
        return _back(message)
    messages.success(request, f"“{message.subject}” was rejected; it stays listed under Rejected.")
    return _back(message)
