"""Forms of the Forces page: one force's contacts, and a contacts CSV to import."""

from django import forms

from requests_app.models import Force

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContactForm(forms.ModelForm):
    portal_url = forms.URLField(
        label="FOI portal URL", required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Force
        fields = [
            "foi_email",
            "foi_email_broken",
            "portal_url",
            "postal_address",
            "notes",
            "contact_checked_on",
        ]
        labels = {"foi_email_broken": "Mail to this address bounced"}
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "contact_checked_on": DATE,
        }
        help_texts = {"contact_checked_on": "When these contacts were last checked."}


class ContactsImportForm(forms.Form):
    file = forms.FileField(
        label="Contacts CSV",
        help_text="Columns: id and any of foi_email, portal_url, postal_address, notes.",
    )
    MAX_BYTES = 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is over 1 MB; a contacts CSV is far smaller.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                "The file is not UTF-8 text (save it as CSV UTF-8)."
            ) from exc
