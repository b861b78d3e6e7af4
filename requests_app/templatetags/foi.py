"""Template helpers that put the clock into words."""

from datetime import date

from django import template
from django.utils.html import format_html

from requests_app.domain.explain import plural

register = template.Library()

STATUS_LABELS = {
    "draft": "Draft",
    "awaiting": "Awaiting response",
    "clarification": "Clarification asked",
    "fees": "Paused for fees",
    "fee_lapsed": "Fee lapsed",
    "overdue": "Overdue",
    "very_overdue": "Very overdue",
    "responded": "Responded",
    "partial": "Partial response",
    "refused": "Refused",
    "not_held": "Not held",
    "in_review": "Internal review",
    "review_overdue": "Review overdue",
    "reviewed": "Review answered",
    "with_commissioner": "With the Commissioner",
    "closed": "Closed",
    "withdrawn": "Withdrawn",
    "on_hold": "On hold",
}


@register.filter
def status_label(value: str) -> str:
    return STATUS_LABELS.get(value, str(value).replace("_", " ").capitalize())


@register.filter
def status_badge(value: str):
    """A badge with the status in words (colour only repeats what the words say)."""
    return format_html('<span class="badge badge-{}">{}</span>', value, status_label(value))


@register.filter
def longdate(value: date | None) -> str:
    return value.strftime("%a %-d %b %Y") if value else "—"


@register.simple_tag
def working_days(left: int | None) -> str:
    if left is None:
        return "—"
    if left < 0:
        return f"{plural(-left)} overdue"
    if left == 0:
        return "due today"
    return f"{plural(left)} left"
