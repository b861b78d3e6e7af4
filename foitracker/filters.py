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
        # The value goes in params: the message is %-formatted later (DRF), and a value
        # such as "%s" written into it would break that formatting.
        raise forms.ValidationError(
            "%(value)r is not a boolean: use true or false.",
            code="invalid",
            params={"value": value},
        )


#: The largest id a table has (BigAutoField); a larger number cannot be looked up at all.
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    """A row's id: a whole number from 1 to MAX_ID (``1e30`` or 10**40 is a 400, not a 500)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    """Filter by a related row's id, refusing numbers no id can be."""

    field_class = IdField


class BooleanFilter(django_filters.BooleanFilter):
    """django-filter's BooleanFilter, but ``?active=maybe`` is a 400 rather than ignored."""

    field_class = StrictBooleanField
