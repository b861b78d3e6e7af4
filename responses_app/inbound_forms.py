"""Forms of the upload box and the holding pen (input checks only; the services decide)."""

import re

from django import forms
from django.conf import settings

from requests_app.domain.lifecycle import Outcome
from requests_app.forms import MultipleFileField
from requests_app.models import FoiRequest
from requests_app.validators import validate_event_date
from responses_app.domain.readers.base import human_size
from responses_app.selectors.inbound import request_by_reference

OUTCOME_CHOICES = [("", "Read it from the files")] + [
    (o.value, o.value.replace("_", " ").capitalize()) for o in Outcome
]
_SECTION = re.compile(r"\d{1,2}")


class UploadForm(forms.Form):
    files = MultipleFileField(label="Reply files", required=False)
    text = forms.CharField(
        label="Or paste an email or text",
        required=False,
        max_length=2_000_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A whole email (with its headers) is read like one fetched from the mailbox.",
    )
    outcome = forms.ChoiceField(
        choices=OUTCOME_CHOICES,
        required=False,
        help_text="Leave it to the reading, or say what the files are (recorded as the response); "
        "a saved email is always read for it.",
    )
    exemptions = forms.CharField(
        required=False, max_length=200, help_text="Sections cited, e.g. s40, s12."
    )
    on = forms.DateField(
        label="Received on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Today if empty.",
        validators=[validate_event_date],
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        for upload in files:
            email_like = upload.name.lower().endswith((".eml", ".msg"))
            limit = (
                settings.INBOUND_MAX_MESSAGE_BYTES if email_like else settings.MAX_DOCUMENT_BYTES
            )
            if upload.size > limit:
                raise forms.ValidationError(
                    f"{upload.name} is {human_size(upload.size)}; the limit is {human_size(limit)}."
                )
        return files

    def clean_exemptions(self):
        return [f"s{int(n)}" for n in _SECTION.findall(self.cleaned_data["exemptions"])]

    def clean(self):
        data = super().clean()
        if not data.get("files") and not (data.get("text") or "").strip() and not self.errors:
            raise forms.ValidationError("Choose one or more files, or paste an email or some text.")
        return data


class AssignForm(forms.Form):
    request = forms.CharField(
        label="Request", max_length=100, help_text="Its reference (or its number)."
    )

    def __init__(self, *args, requests=None, **kwargs):
        """``requests``: the requests the user may see (others read as "no such reference")."""
        super().__init__(*args, **kwargs)
        self.requests = FoiRequest.objects.all() if requests is None else requests

    def clean_request(self):
        value = self.cleaned_data["request"].strip()
        found = request_by_reference(self.requests, value)
        if found is None:
            raise forms.ValidationError(f"No request has the reference {value!r}.")
        return found


class RejectMessageForm(forms.Form):
    reason = forms.CharField(
        max_length=2000, widget=forms.TextInput, help_text="Why the message is set aside."
    )
