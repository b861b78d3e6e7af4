"""The holding pen: unmatched mail with the best guesses; assign it to a request or reject it.

Who sees what is ``access.messages_for`` (the API lists the same selector):
staff everything; researchers and coordinators the unmatched mail guessed for
requests they run (coordinators also assign and reject it, onto requests they
coordinate); viewers no unmatched mail. Mail already on a request can be read
by anyone who can read the request. Another team's message is a 404, as if it
did not exist. Email HTML is shown only after ``domain.mail.safe_html`` (nh3),
under a strict Content-Security-Policy.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from responses_app.access import (
    Role,
    assign_target_problem,
    assignable_requests,
    can_use_holding_pen,
    message_or_404,
)
from responses_app.domain.mail import parse_message, safe_html
from responses_app.files import attachment_response
from responses_app.inbound_forms import AssignForm, RejectMessageForm
from responses_app.models import InboundMessage
from responses_app.selectors import inbound as selectors
from responses_app.services.downloads import FileGone, download_message, read_message
from responses_app.services.inbound import MessageNotOpen, assign_message, reject_message
from responses_app.tasks import queue_reading

PAGE_POLICY = (
    "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; "
    "frame-src 'none'; object-src 'none'; form-action 'self'; base-uri 'none'"
)
STATUSES = [("held", "In the holding pen"), ("rejected", "Rejected"), ("assigned", "Assigned")]
STATUSES += [("matched", "Matched"), ("", "All mail")]


def holding_pen(request):
    if not can_use_holding_pen(request.user):
        raise PermissionDenied("The holding pen is for researchers, coordinators and staff.")
    status = request.GET.get("status", "held")
    if status not in dict(STATUSES):
        status = "held"
    page = Paginator(selectors.holding_pen(request.user, status or None), 50).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.with_shown_guesses(request.user, page.object_list)
    return render(
        request,
        "responses_app/holding_pen.html",
        {
            "page": page,
            "status": status,
            "statuses": STATUSES,
            "counts": selectors.status_counts(request.user),
        },
    )


def message_detail(request, pk: int):
    message = message_or_404(
        request.user,
        pk,
        qs=InboundMessage.objects.select_related("request__force", "handled_by", "event", "raw"),
    )
    (message,) = selectors.with_shown_guesses(request.user, [message])
    body_html, body_text, original_gone = "", "", ""
    if message.raw_id:
        try:
            record = parse_message(read_message(message=message))
        except FileGone as exc:
            original_gone = str(exc)
        else:
            body_html = mark_safe(safe_html(record.html)) if record.html.strip() else ""
            body_text = record.text
    response = render(
        request,
        "responses_app/inbound_message.html",
        {
            "message": message,
            "body_html": body_html,
            "body_text": body_text,
            "original_gone": original_gone,
            "assign_form": AssignForm(),
            "reject_form": RejectMessageForm(),
            "may_use_pen": can_use_holding_pen(request.user),
        },
    )
    response["Content-Security-Policy"] = PAGE_POLICY
    return response


def raw_message(request, pk: int):
    message = message_or_404(request.user, pk, qs=InboundMessage.objects.select_related("raw"))
    try:
        found = download_message(message=message, user=request.user)
    except FileGone as exc:
        context = {"name": f"The original of “{message.subject or 'this email'}”", "why": exc}
        return render(request, "responses_app/file_gone.html", context, status=410)
    return attachment_response(found.handle, found.name, found.head)


def _back(message: InboundMessage):
    return redirect(reverse("holding-pen") + f"#message-{message.pk}")


@require_POST
def assign(request, pk: int):
    message = message_or_404(request.user, pk, Role.COORDINATOR)
    form = AssignForm(request.POST, requests=assignable_requests(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(message)
    target = form.cleaned_data["request"]
    problem = assign_target_problem(request.user, target)
    if problem:
        messages.error(request, f"Not assigned: {problem}.")
        return _back(message)
    try:
        assign_message(message=message, request=target, user=request.user, dispatch=queue_reading)
    except MessageNotOpen as exc:
        messages.error(request, f"Not assigned: {exc}.")
        return _back(message)
    messages.success(request, f"“{message.subject}” is now on {target.reference}.")
    return _back(message)


@require_POST
def reject(request, pk: int):
    message = message_or_404(request.user, pk, Role.COORDINATOR)
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
