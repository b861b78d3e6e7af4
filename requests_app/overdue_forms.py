"""Forms of the overdue board: its filters, its bulk actions, the league table's period."""

from datetime import timedelta

from django import forms

from foitracker.filters import MAX_ID

ACTIONS = [
    ("preview", "Preview chasers"),
    ("chase", "Chase now"),
    ("hold", "Hold"),
    ("resume", "Resume"),
]


class BoardFilterForm(forms.Form):
    campaign = forms.SlugField(required=False, max_length=80)
    force = forms.SlugField(required=False, max_length=64)
    hide_held = forms.BooleanField(required=False, label="Hide requests on hold")


class BoardActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=ACTIONS,
        error_messages={"required": "Choose what to do with the ticked requests."},
    )
    ids = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=(),
        error_messages={
            "required": "Tick at least one request first.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any whole-number id is acceptable here; the services decide what may be done.
        # A number no row can have (above MAX_ID) is refused like any other non-id.
        self.fields["ids"].choices = [
            (v, v) for v in self.data.getlist("ids") if v.isdigit() and 0 < int(v) <= MAX_ID
        ]
        self.fields["ids"].error_messages["invalid_choice"] = (
            "Request ids must be whole numbers (got %(value)s)."
        )


class LeagueForm(forms.Form):
    start = forms.DateField(
        label="Requests sent from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="to", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    campaign = forms.SlugField(required=False, max_length=80)

    @classmethod
    def default_period(cls, today):
        return {"start": today - timedelta(days=365), "end": today}

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(f"The period starts ({start}) after it ends ({end}).")
        return data
