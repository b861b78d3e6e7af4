"""Recording an event on a request's page, with the files that came with it.

The event and its files are written in one transaction
(``services.attachments.record_event_with_files``); the files are the replies
app's, so the form's view is too. The page itself is the requests app's: on a
refusal the same template is shown again with the form's errors.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from requests_app.domain.lifecycle import EventRejected
from requests_app.forms import EventForm
from requests_app.selectors import requests as selectors
from requests_app.services.events import EventInput
from requests_app.services.state import today
from responses_app.services.attachments import record_event_with_files
from responses_app.services.storage import FileRejected

from .posted_files import posted_with_files


def _refused(request, pk: int, form):
    foi = selectors.request_detail(pk, today=today())
    context = selectors.request_page(foi, request.user, form)
    return render(request, "requests_app/request_detail.html", context, status=400)


@require_POST
def add_event(request, pk: int):
    foi, form, files = posted_with_files(request, pk, EventForm, "attachments")
    if files is None:
        return _refused(request, pk, form)
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
            files=files,
            user=request.user,
        )
    except (EventRejected, FileRejected) as exc:
        form.add_error(None, str(exc))
        return _refused(request, pk, form)
    messages.success(request, f"{event.label} recorded.")
    return redirect("request-detail", pk=pk)
