"""JSON typed into a form: parsed once, with messages that say what is wrong and where."""

from __future__ import annotations

import json

from django import forms


def json_object(raw: str, shape: str) -> dict:
    """The JSON object in ``raw``; a form error naming the line and column, or ``shape``."""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise forms.ValidationError(
            f"Not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}."
        ) from exc
    except RecursionError as exc:
        raise forms.ValidationError("Not valid here: the JSON is nested too deeply.") from exc
    if not isinstance(value, dict):
        raise forms.ValidationError(f"Give an object: {shape}.")
    return value
