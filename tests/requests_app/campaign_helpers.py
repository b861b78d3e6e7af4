"""Helpers shared by the campaign tests (plain functions, not fixtures)."""

from datetime import date, timedelta

from requests_app.models import Campaign, Force, OutboundMessage
from requests_app.services.campaigns import create_campaign
from requests_app.services.events import EventInput, record_event
from requests_app.services.sending import claim
from requests_app.services.state import today


def give_forces_email(*, only=None) -> None:
    """Every force (or those in ``only``) gets an FOI address of its own."""
    forces = list(Force.objects.filter(pk__in=only) if only else Force.objects.all())
    for force in forces:
        force.foi_email = f"foi@{force.pk}.police.example"
    Force.objects.bulk_update(forces, ["foi_email"])


def platforms_campaign(forces) -> Campaign:
    """The "Platforms 2019" campaign the page and send tests share, to the forces named."""
    return create_campaign(
        slug="platforms-2019",
        title="Platforms 2019",
        periods=["2019"],
        template="Dear {force_name}, ref {reference}",
        forces=Force.objects.filter(pk__in=forces),
    )


def claimed(campaign, force_id: str) -> OutboundMessage:
    """The outbox row of the campaign's request to ``force_id``, claimed as a sender would."""
    row, why = claim(campaign.requests.get(force_id=force_id).pk)
    assert row is not None, why
    return row


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


def record(request, kind: str, on: date, **kw):
    return record_event(request=request, data=EventInput(kind, on, **kw))
