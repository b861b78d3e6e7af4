"""JSON typed into a form: parsed once, with messages that say what is wrong and where.

``json_value`` is the one parser: bad JSON names its line and column, JSON nested too
deeply is refused (Python would stop with a RecursionError), and so is text no
database can store, which JSON can spell (``"\\u0000"``, a lone ``"\\ud800"``:
``foitracker.storable``). ``JSONInputField`` is Django's JSON form field on it, for the
admin's JSON fields.
"""

from __future__ import annotations

import json

from django import forms
from django.forms.fields import InvalidJSONInput, JSONString

from foitracker.storable import unstorable


def json_value(raw: str, decoder=None):
    """The JSON in ``raw``; a form error saying what is wrong with it and where."""
    try:
        value = json.loads(raw, cls=decoder)
    except json.JSONDecodeError as exc:
        raise forms.ValidationError(
            f"Not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}."
        ) from exc
    except RecursionError as exc:
        raise forms.ValidationError("Not valid here: the JSON is nested too deeply.") from exc
    problem = unstorable(value)
    if problem:
        raise forms.ValidationError(f"Not valid here: {problem}.")
    return value


def json_object(raw: str, shape: str) -> dict:
    """The JSON object in ``raw``; a form error naming the line and column, or ``shape``."""
    value = json_value(raw)
    if not isinstance(value, dict):
        raise forms.ValidationError(f"Give an object: {shape}.")
    return value


class JSONInputField(forms.JSONField):
    """Django's JSON form field, parsing with ``json_value``; a refused text is shown as typed."""

    def to_python(self, value):
        if self.disabled or value in self.empty_values or not isinstance(value, str):
            return super().to_python(value)
        converted = json_value(value, self.decoder)
        return JSONString(converted) if isinstance(converted, str) else converted

    def bound_data(self, data, initial):
        if self.disabled or data is None:
            return super().bound_data(data, initial)
        try:
            return json_value(data, self.decoder)
        except forms.ValidationError:
            return InvalidJSONInput(data)
