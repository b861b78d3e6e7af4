"""The request page's links to the mapping screen and the data-entry grid."""

from django import template

from responses_app.selectors.mapping import replies_of as _replies_of

register = template.Library()


@register.simple_tag
def replies_of(foi) -> list:
    """The request's replies with their document and figure count (one query)."""
    return list(_replies_of(foi.pk))
