"""A reply file's reading as JSON, polled by static/js/progress.js in a request's replies box.

The box renders the same sentence on the server (``templatetags/replies.py``),
with a refresh link for a browser without JavaScript.
"""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from requests_app.models import Role
from requests_app.permissions import object_or_404
from responses_app.selectors.inbound import with_counts
from responses_app.selectors.reply_progress import reading_progress


@never_cache
@require_GET
def reply_progress(request, pk: int):
    reply = object_or_404(
        request.user,
        with_counts().select_related("request__campaign"),
        Role.VIEWER,
        pk=pk,
    )
    return JsonResponse(reading_progress(reply))
