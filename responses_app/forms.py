"""Forms of the review queue and the dataset pages (input checks only; services decide)."""

from django import forms

from responses_app.domain.values import MAX_COUNT


class ApproveForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.TextInput,
        help_text="Why approving it is right, when it has an error finding.",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=2000, widget=forms.TextInput, help_text="Why the figure is rejected."
    )


class CorrectForm(forms.Form):
    value = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_COUNT, help_text="Empty when suppressed."
    )
    suppressed = forms.BooleanField(required=False)
    lower = forms.IntegerField(required=False, min_value=0, max_value=MAX_COUNT)
    upper = forms.IntegerField(required=False, min_value=0, max_value=MAX_COUNT)
    category = forms.CharField(max_length=64)
    reason = forms.CharField(max_length=2000, help_text="Why the figure is corrected.")


class BulkApproveForm(forms.Form):
    campaign = forms.SlugField()
    force = forms.SlugField(required=False)


class QueueFilterForm(forms.Form):
    campaign = forms.SlugField(required=False)
    force = forms.SlugField(required=False)
    severity = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any"),
            ("error", "Errors"),
            ("warning", "Warnings"),
            ("none", "No findings"),
        ],
    )


class ReleaseForm(forms.Form):
    methodology = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="How the figures were collected and checked; published with the release.",
    )
    confirm_incomplete = forms.BooleanField(
        required=False,
        label="Publish although some forces have not contributed figures",
    )
