"""Guesses are rows (MailGuess): written with the message, and from the JSON by the migration."""

from importlib import import_module

import pytest
from django.apps import apps

from responses_app.models import InboundMessage, MailGuess
from tests.factories import CampaignRequestFactory, InboundMessageFactory

pytestmark = pytest.mark.django_db


def guess(request, score=70) -> dict:
    return {"request": request.pk, "reference": request.reference, "score": score, "why": "x"}


def ranked(message) -> list[int]:
    return list(message.guessed.order_by("rank").values_list("request_id", flat=True))


def test_the_rows_follow_the_stored_guesses():
    a, b, c = CampaignRequestFactory.create_batch(3)
    message = InboundMessageFactory(guesses=[guess(b), guess(a, 40), {"why": "no id"}, guess(b)])
    assert ranked(message) == [b.pk, a.pk]
    message.guesses = [guess(c)]
    message.save(update_fields=["guesses"])
    assert ranked(message) == [c.pk]
    message.guesses = []
    message.save()
    assert not MailGuess.objects.exists()


def test_only_the_best_few_are_rows():
    requests = CampaignRequestFactory.create_batch(InboundMessage.MAX_GUESSES + 2)
    message = InboundMessageFactory(guesses=[guess(r) for r in requests])
    assert ranked(message) == [r.pk for r in requests[: InboundMessage.MAX_GUESSES]]


def test_the_migration_makes_rows_from_the_json():
    kent, essex = CampaignRequestFactory.create_batch(2)
    message = InboundMessageFactory(guesses=[guess(essex), {"request": 10**9}, guess(kent)])
    InboundMessageFactory(guesses=[])
    MailGuess.objects.all().delete()  # as before the migration: only the JSON
    migration = import_module("responses_app.migrations.0008_mail_guesses")
    migration.rows_from_json(apps, None)
    assert list(message.guessed.values_list("request_id", "rank")) == [(essex.pk, 1), (kent.pk, 2)]
    assert MailGuess.objects.count() == 2
