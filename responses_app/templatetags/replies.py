"""The replies box on a request's page: ``{% load replies %}{% request_replies foi %}``.

An inclusion tag, so the request page (owned by requests_app) needs one line
and no change to its view; the box costs a fixed number of queries.
"""

from django import template
from django.urls import reverse

from responses_app.inbound_forms import UploadForm
from responses_app.selectors.inbound import request_messages, request_replies
from responses_app.selectors.reply_progress import reading_elapsed, reading_message

register = template.Library()


@register.inclusion_tag("responses_app/_replies.html", takes_context=True)
def request_replies_box(context, foi):
    replies = list(request_replies(foi.pk))
    for reply in replies:
        reply.progress_message = reading_message(reply)
        reply.progress_elapsed = reading_elapsed(reply)
    return {
        "foi": foi,
        "replies": replies,
        "reading": any(r.status == r.Status.PENDING for r in replies),
        "emails": list(request_messages(foi.pk)),
        "upload_form": UploadForm(),
        "upload_url": reverse("reply-upload", args=[foi.pk]),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
