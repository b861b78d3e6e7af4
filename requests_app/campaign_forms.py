"""Forms for campaigns: create (with preview), log as sent (one or a CSV), confirm a send."""

from django import forms
from django.utils.text import slugify

from requests_app.domain.lifecycle import Channel
from requests_app.models import Force, Team
from requests_app.services.campaigns import (
    DEFAULT_DIMENSIONS,
    PLACEHOLDERS,
    CampaignRejected,
    normalise_dimensions,
    normalise_periods,
    template_problems,
)
from requests_app.validators import validate_event_date

from .json_input import json_object

CHANNEL_CHOICES = [
    (Channel.PORTAL.value, "Submitted via the force's portal"),
    (Channel.POST.value, "Sent by post"),
    (Channel.EMAIL.value, "Emailed (outside FOI Tracker)"),
]
MAX_CSV_BYTES = 200_000
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace(";", ",").split(",") if part.strip()]


class ForceChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, force: Force) -> str:
        return force.name


class CampaignForm(forms.Form):
    title = forms.CharField(max_length=200)
    slug = forms.SlugField(
        max_length=80,
        required=False,
        help_text="Short name used in references (kent gets SLUG/kent). Blank: from the title.",
    )
    description = forms.CharField(
        label="Question",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you are asking; the template's {question} placeholder.",
    )
    template = forms.CharField(
        label="Request text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Placeholders: "
        + ", ".join("{" + name + "} " + what for name, what in PLACEHOLDERS.items())
        + ". Left blank: a standard letter around {question}.",
    )
    periods = forms.CharField(
        help_text="Comma-separated: 2017-18 (financial year), 2019 (calendar year) "
        "or 2019-01-01/2019-06-30."
    )
    dimensions = forms.CharField(
        initial=", ".join(DEFAULT_DIMENSIONS),
        help_text="Comma-separated, e.g. total, platform, age.",
    )
    vocabularies = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='Optional JSON, per dimension: {"weapon": ["Knife", "Firearm", ...]}; '
        'national age bands: {"age": {"kind": "age", "bands": ["0-10", "11-15", "16-17"]}}. '
        "Blank: what the dimension names meant by default.",
    )
    forces = ForceChoices(queryset=Force.objects.active().order_by("name"))
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        empty_label=None,
        help_text="The team that owns the campaign; share it with others in the admin.",
    )
    preview_force = forms.ModelChoiceField(
        label="Preview for",
        queryset=Force.objects.active().order_by("name"),
        required=False,
        empty_label=None,
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teams is not None:
            self.fields["team"].queryset = teams.order_by("name")
        else:
            del self.fields["team"]
        if not self.is_bound:
            self.initial.setdefault(
                "forces", list(Force.objects.territorial().values_list("pk", flat=True))
            )

    def clean_periods(self) -> list[str]:
        try:
            return normalise_periods(_comma_list(self.cleaned_data["periods"]))
        except CampaignRejected as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_dimensions(self) -> list[str]:
        try:
            return normalise_dimensions(_comma_list(self.cleaned_data["dimensions"]))
        except CampaignRejected as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_template(self) -> str:
        template = self.cleaned_data["template"]
        errors = template_problems(template)
        if errors:
            raise forms.ValidationError(errors)
        return template

    def clean_vocabularies(self) -> dict:
        raw = self.cleaned_data["vocabularies"].strip()
        if not raw:
            return {}
        return json_object(raw, "{dimension: [categories]}")

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("title"):
            data["slug"] = slugify(data["title"])[:80]
        return data


class MarkSentForm(forms.Form):
    request = forms.ModelChoiceField(label="Force", queryset=None, empty_label=None)
    on = forms.DateField(label="Date sent", widget=DATE_WIDGET, validators=[validate_event_date])
    channel = forms.ChoiceField(choices=CHANNEL_CHOICES, initial=Channel.PORTAL.value)
    reference = forms.CharField(label="Force's reference", required=False, max_length=100)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["request"]
        field.queryset = (
            campaign.requests.filter(sent_on__isnull=True)
            .select_related("force")
            .order_by("force__name")
        )
        field.label_from_instance = lambda r: f"{r.force.name} ({r.reference})"


class BulkSentForm(forms.Form):
    channel = forms.ChoiceField(choices=CHANNEL_CHOICES, initial=Channel.PORTAL.value)
    csv_text = forms.CharField(
        label="Paste CSV",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "kent,2024-05-01,FOI/123/24"}),
        help_text="One line per force: force id,date,reference (date YYYY-MM-DD or DD/MM/YYYY).",
    )
    csv_file = forms.FileField(label="or upload a CSV file", required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("csv_file")
        if upload:
            if upload.size > MAX_CSV_BYTES:
                raise forms.ValidationError(
                    f"The file is {upload.size:,} bytes; the limit is {MAX_CSV_BYTES:,}."
                )
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(
                    f"The file is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8."
                ) from exc
        else:
            data["text"] = data.get("csv_text", "")
        if not data["text"].strip():
            raise forms.ValidationError("Paste the CSV or choose a file.")
        return data


class DateForm(forms.Form):
    on = forms.DateField(label="Date sent", widget=DATE_WIDGET, validators=[validate_event_date])
