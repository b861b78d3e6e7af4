"""Helpers shared by the campaign tests (plain functions, not fixtures)."""

from datetime import date, timedelta

from requests_app.models import Force
from requests_app.services.events import EventInput, record_event
from requests_app.services.state import today


def give_forces_email(*, only=None) -> None:
    """Every force (or those in ``only``) gets an FOI address of its own."""
    forces = list(Force.objects.filter(pk__in=only) if only else Force.objects.all())
    for force in forces:
        force.foi_email = f"foi@{force.pk}.police.example"
    Force.objects.bulk_update(forces, ["foi_email"])


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


def record(request, kind: str, on: date, **kw):
    return record_event(request=request, data=EventInput(kind, on, **kw))
