"""Helpers for the inbound mail tests: fixture mail, requests sent on a known day, eager reading."""

import json
from datetime import date
from email.message import EmailMessage
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps

from requests_app.models import FoiRequest, Force
from requests_app.services.campaigns import create_campaign
from requests_app.services.events import EventInput, record_event
from responses_app.models import InboundMessage
from responses_app.services.inbound import receive_message
from responses_app.tasks import extract_document, queue_reading

ROOT = Path(__file__).resolve().parents[1]
MAIL = ROOT / "fixtures" / "mail"
SAMPLES = ROOT / "fixtures" / "samples"
SENT = date(2021, 5, 10)
FORCES = ("cleveland", "cumbria", "dorset", "durham", "essex", "kent", "lincolnshire", "wiltshire")
KEYS = ("period", "dimension", "category", "value", "suppressed", "lower", "upper")


def mail(name: str) -> bytes:
    return (MAIL / name).read_bytes()


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def eager(eager_celery):
    """Celery tasks run in this process (extract_document reads at once)."""


@pytest.fixture
def queued(monkeypatch):
    """Readings are queued but not run (no broker needed): the ids, in order."""
    ids: list[int] = []
    monkeypatch.setattr(extract_document, "delay", ids.append)
    return ids


def ensure_forces() -> None:
    """The forces register as migration 0002 loads it (a transactional test's flush empties it)."""
    if Force.objects.filter(pk__in=FORCES).count() < len(FORCES):
        import_module("requests_app.migrations.0002_load_forces").load(apps, None)


@pytest.fixture
def campaign(db):
    ensure_forces()
    return create_campaign(
        slug="samples",
        title="Sexual communication with a child",
        periods=["2019-20", "2020-21"],
        forces=Force.objects.filter(pk__in=FORCES),
    )


def sent_request(
    campaign, force_id: str, *, token: str, domain: str = "", sent: date = SENT, **fields
) -> FoiRequest:
    """The campaign's request to ``force_id``, with a known reply token, emailed on ``sent``."""
    force = Force.objects.get(pk=force_id)
    force.foi_email = f"foi@{domain or force_id + '.police.example'}"
    force.save(update_fields=["foi_email"])
    request = FoiRequest.objects.get(campaign=campaign, force=force)
    request.reply_token = token
    for name, value in fields.items():
        setattr(request, name, value)
    request.save()
    record_event(request=request, data=EventInput("sent", sent, channel="email"))
    request.refresh_from_db()
    return request


@pytest.fixture
def kent(campaign):
    """Kent's request, emailed on ``SENT`` with the reply token kentreply00000001."""
    return sent_request(campaign, "kent", token="kentreply00000001")


@pytest.fixture
def logged_in(client, researcher):
    client.force_login(researcher)
    return client


def receive(raw: bytes, capture, **kwargs) -> InboundMessage:
    """Receive ``raw`` as fetched mail and run the readings it queues (eager Celery)."""
    kwargs.setdefault("source", InboundMessage.Source.FILE)
    with capture(execute=True):
        receipt = receive_message(raw, dispatch=queue_reading, **kwargs)
    receipt.message.refresh_from_db()
    return receipt.message


def build(
    *,
    to: str = "someone@charity.example",
    sender: str = "foi@kent.police.example",
    subject: str = "Your request",
    body: str = "Please find our reply attached.",
    message_id: str | None = "<built-1@kent.police.example>",
    attachments: tuple[tuple[str, bytes, str], ...] = (),
    **headers: str,
) -> bytes:
    """A small email: ``headers`` given as Delivered_To="..." become Delivered-To: ..."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = "Tue, 08 Jun 2021 10:00:00 +0100"
    if message_id:
        message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    for filename, data, ctype in attachments:
        main, sub = ctype.split("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=filename)
    return message.as_bytes()


def figures_of(request) -> set[tuple]:
    return {tuple(getattr(f, k) for k in KEYS) for f in request.figures.all()}


def expected_figures(name: str) -> set[tuple]:
    data = json.loads((SAMPLES / f"{name}.expected.json").read_text())
    return {tuple(f[k] for k in KEYS) for f in data["figures"]}
