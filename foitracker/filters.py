"""Filters shared by the API's filter sets."""

import django_filters
from django import forms


class StrictBooleanField(forms.Field):
    """``true``/``false`` (or 1/0, yes/no); anything else is an error, not "no filter"."""

    TRUE = frozenset({"true", "1", "yes", "on"})
    FALSE = frozenset({"false", "0", "no", "off"})

    def to_python(self, value):
        if value is None or value == "":
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(
            f"{value!r} is not a boolean: use true or false.", code="invalid"
        )


class BooleanFilter(django_filters.BooleanFilter):
    """django-filter's BooleanFilter, but ``?active=maybe`` is a 400 rather than ignored."""

    field_class = StrictBooleanField
