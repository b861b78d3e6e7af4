"""Django validators for what users write: request templates, chaser wording, event dates.

Each wraps one pure rule (``domain.placeholders``, ``domain.chasers``) so that a
form, a serializer, a model's ``clean`` or a command refuses the same things
with the same sentences.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from requests_app.domain.chasers import PolicyError, chaser_problems, parse_policy
from requests_app.domain.dates import event_date_problem
from requests_app.domain.placeholders import request_problems


def validate_request_template(value: str) -> None:
    """A campaign's request text: only ``{force_name}``, ``{reference}``... filled plainly."""
    problems = request_problems(value or "")
    if problems:
        raise ValidationError(problems, code="template")


def validate_chaser_text(value: str) -> None:
    """A chaser's subject or body: only the chaser placeholders, filled plainly."""
    problems = chaser_problems(value or "")
    if problems:
        raise ValidationError(problems, code="chaser_text")


def validate_chaser_stages(value) -> None:
    """A campaign's ``chaser_stages`` (offsets, stages, subject and body wording)."""
    if not value:
        return
    try:
        parse_policy(value, settings.CHASER_STAGES)
    except PolicyError as exc:
        raise ValidationError(str(exc), code="chaser_stages") from exc


def validate_event_date(value: date) -> None:
    """An event's day: not after today (in ``TIME_ZONE``), not before FOIA (2005-01-01)."""
    problem = event_date_problem(value, timezone.localdate())
    if problem:
        raise ValidationError(problem, code="event_date")
