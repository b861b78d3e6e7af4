"""Template helpers for the dataset pages."""

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """``mapping|get:key``: a dict value by a variable key (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def orblank(value, blank="—"):
    """A value, or a dash where there is none (0 is shown)."""
    return blank if value is None or value == "" else value
