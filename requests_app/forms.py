from django import forms

from requests_app.domain.calendar import Regime
from requests_app.domain.lifecycle import Channel, EventKind, Outcome
from requests_app.domain.states import event_label

from .models import ClosureDay
from .validators import validate_event_date

RECORDABLE = [k for k in EventKind if k not in (EventKind.CHASER,)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened",
        choices=[(k.value, event_label(k)) for k in RECORDABLE],
    )
    on = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_event_date],
    )
    channel = forms.ChoiceField(
        label="Channel (for sent)",
        required=False,
        choices=[("", "—")] + [(c.value, c.value.capitalize()) for c in Channel],
    )
    outcome = forms.ChoiceField(
        label="Outcome (for a response)",
        required=False,
        choices=[("", "—")] + [(o.value, o.value.replace("_", " ").capitalize()) for o in Outcome],
    )
    exemptions = forms.CharField(
        label="Exemptions cited", required=False, help_text="Comma-separated, e.g. s12, s40"
    )
    extended_to = forms.DateField(
        label="Extended to",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    extension_days = forms.IntegerField(
        label="or extended by (working days)", required=False, min_value=1, max_value=60
    )
    force_reference = forms.CharField(label="Force's reference", required=False, max_length=100)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label="Attachments", required=False)

    #: The fields only some kinds of event use; the others (kind, date, note, files) all do.
    KIND_FIELDS = {
        "channel": ["sent"],
        "outcome": ["response", "review_response", "decision_notice"],
        "exemptions": ["response", "review_response"],
        "extended_to": ["extension"],
        "extension_days": ["extension"],
        "force_reference": [
            "sent",
            "acknowledged",
            "clarification_requested",
            "fees_notice",
            "extension",
            "response",
            "review_response",
        ],
    }

    def rows(self):
        """(field, the kinds it is for, as a space-separated string, or "" for every kind)."""
        return [(field, " ".join(self.KIND_FIELDS.get(field.name, []))) for field in self]

    def clean(self):
        """A field the chosen kind does not use is ignored, as the page hides it."""
        data = super().clean()
        kind = data.get("kind")
        for name, kinds in self.KIND_FIELDS.items():
            if kind and kind not in kinds and name in data:
                data[name] = (
                    []
                    if name == "exemptions"
                    else (None if name in ("extended_to", "extension_days") else "")
                )
        return data

    def clean_exemptions(self) -> list[str]:
        raw = self.cleaned_data.get("exemptions") or ""
        return [
            "s" + part.strip().lower().removeprefix("s").removeprefix(".").strip()
            for part in raw.replace(";", ",").split(",")
            if part.strip()
        ]


class RequestFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    force = forms.CharField(required=False)
    campaign = forms.CharField(required=False)
    status = forms.CharField(required=False)
    overdue = forms.BooleanField(required=False)


class ClosureDayForm(forms.ModelForm):
    class Meta:
        model = ClosureDay
        fields = ["regime", "date", "action", "reason"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    regime = forms.ChoiceField(choices=[(r.value, r.value) for r in Regime])
