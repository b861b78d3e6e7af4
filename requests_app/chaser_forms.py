"""The chaser wording form: one row per stage (when, subject, body) and a blank row to add one."""

from django import forms

from requests_app.domain.chasers import CHASER_PLACEHOLDERS, ChaserPolicy


class ChaserWordingForm(forms.Form):
    def __init__(self, *args, policy: ChaserPolicy, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_count = len(policy.stages) + 1
        stages = list(policy.stages)
        for i in range(self.row_count):
            current = stages[i] if i < len(stages) else None
            self.fields[f"stage-{i}"] = forms.IntegerField(
                label="Stage", required=False, min_value=1, max_value=99,
                initial=current.stage if current else None,
            )  # fmt: skip
            self.fields[f"offset-{i}"] = forms.IntegerField(
                label="Working days after the due date", required=False, min_value=1,
                max_value=250, initial=current.offset if current else None,
            )  # fmt: skip
            self.fields[f"subject-{i}"] = forms.CharField(
                label="Subject", required=False, max_length=300,
                initial=current.subject if current else "",
            )  # fmt: skip
            self.fields[f"body-{i}"] = forms.CharField(
                label="Body", required=False, widget=forms.Textarea(attrs={"rows": 12}),
                initial=current.body if current else "",
            )  # fmt: skip

    def rows(self):
        return [
            [self[f"{name}-{i}"] for name in ("stage", "offset", "subject", "body")]
            for i in range(self.row_count)
        ]

    def entries(self) -> list[dict]:
        """The stages filled in (a row without a stage number and days is left out)."""
        out = []
        for i in range(self.row_count):
            stage, offset = (
                self.cleaned_data.get(f"stage-{i}"),
                self.cleaned_data.get(f"offset-{i}"),
            )
            subject = (self.cleaned_data.get(f"subject-{i}") or "").strip()
            body = self.cleaned_data.get(f"body-{i}") or ""
            if stage is None and offset is None and not subject and not body.strip():
                continue
            if stage is None or offset is None:
                self.add_error(
                    f"offset-{i}" if offset is None else f"stage-{i}",
                    "A stage needs its number and its working days.",
                )
                continue
            out.append({"stage": stage, "offset": offset, "subject": subject, "body": body})
        if not out and not self.errors:
            self.add_error(None, "Give at least one stage, or reset to the standard wording.")
        return out

    placeholders = CHASER_PLACEHOLDERS
