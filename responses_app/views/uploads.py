"""Uploading replies on a request's page, reading a file again, and downloading files safely.

The upload form works as a plain multipart POST (redirect back to the
request); ``static/js/upload.js`` adds drag and drop and a progress bar and
asks for JSON (``Accept: application/json``). Downloads are always
attachments with a safe Content-Type, ``nosniff`` and a sandboxing CSP, and
each one is logged (``services.downloads``); a file the retention purge took is a 410.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from requests_app.domain.explain import plural
from requests_app.domain.lifecycle import EventRejected
from requests_app.models import Role
from responses_app.access import document_or_404
from responses_app.files import attachment_response
from responses_app.inbound_forms import UploadForm
from responses_app.services.arrivals import read_again as read_again_service
from responses_app.services.downloads import FileGone, download_document
from responses_app.services.uploads import NothingUploaded, receive_upload
from responses_app.tasks import queue_reading

from .posted_files import posted_with_files


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _failed(request, foi_pk: int, form: UploadForm, error: str = ""):
    """JSON errors for the script; a message on the request's page for a plain form post."""
    errors = [error] if error else [str(e) for errs in form.errors.values() for e in errs]
    if _wants_json(request):
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    for text in errors:
        messages.error(request, f"Nothing was uploaded: {text}")
    return redirect(reverse("request-detail", args=[foi_pk]) + "#replies-h")


def _summary(result) -> str:
    parts = []
    if result.arrival:
        kept = len(result.arrival.documents)
        parts.append(f"{plural(kept, 'file')} uploaded and queued for reading")
        for reply in result.arrival.refused:
            parts.append(reply.error)
    for receipt in result.emails:
        if receipt.duplicate:
            parts.append(
                f"the email “{receipt.message.subject}” was already received on "
                f"{receipt.message.received_at:%d %B %Y}, so it was not added again"
            )
        else:
            parts.append(f"the email “{receipt.message.subject}” was added")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


@require_POST
def upload(request, pk: int):
    foi, form, files = posted_with_files(request, pk, UploadForm, "files")
    if files is None:
        return _failed(request, pk, form)
    data = form.cleaned_data
    try:
        result = receive_upload(
            request=foi,
            files=files,
            text=data["text"],
            outcome=data["outcome"],
            exemptions=data["exemptions"],
            on=data["on"],
            user=request.user,
            dispatch=queue_reading,
        )
    except (EventRejected, NothingUploaded) as exc:
        return _failed(request, pk, form, str(exc))
    message = _summary(result)
    target = reverse("request-detail", args=[pk]) + "#replies-h"
    if _wants_json(request):
        messages.success(request, message)
        return JsonResponse({"ok": True, "message": message, "redirect": target})
    messages.success(request, message)
    return redirect(target)


@require_POST
def read_again(request, pk: int):
    document = document_or_404(request.user, pk, Role.RESEARCHER)
    back = redirect(reverse("request-detail", args=[document.request_id]) + "#replies-h")
    try:
        read_again_service(document=document, dispatch=queue_reading, user=request.user)
    except FileGone as exc:
        messages.error(request, f"{exc}.")
        return back
    messages.success(request, f"{document.name} is queued to be read again.")
    return back


@login_required
def download(request, pk: int):
    document = document_or_404(request.user, pk)
    try:
        found = download_document(document=document, user=request.user)
    except FileGone as exc:
        return render(
            request, "responses_app/file_gone.html", {"name": document.name, "why": exc}, status=410
        )
    return attachment_response(found.handle, found.name, found.head)
