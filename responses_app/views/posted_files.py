"""A form posted with files on a request's page (an event's attachments, uploaded replies)."""

from django import forms

from requests_app.models import FoiRequest, Role
from requests_app.permissions import request_or_404


def posted_with_files(
    request, pk: int, form_class: type[forms.Form], field: str
) -> tuple[FoiRequest, forms.Form, list[tuple[str, bytes]] | None]:
    """Request ``pk`` (404 unless the user may work on it), the posted form and its files.

    The files of ``field`` are read as (name, bytes), as the services take them;
    they are None when the form is not valid.
    """
    foi = request_or_404(request.user, Role.RESEARCHER, pk=pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return foi, form, None
    return foi, form, [(f.name, f.read()) for f in form.cleaned_data[field]]
