"""factory-boy factories for every model."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from requests_app.models import Campaign, ClosureDay, FoiRequest, Force, RequestEvent
from requests_app.services.requests import new_reply_token
from responses_app.models import Document, StoredFile


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw-for-tests-123")


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ("id",)

    id = factory.Sequence(lambda n: f"test-force-{n}")
    name = factory.LazyAttribute(lambda f: f"{f.id.replace('-', ' ').title()} Police")
    nation = "England"
    regime = "FOIA"
    ons_code = factory.Sequence(lambda n: f"E2399{n:04d}")
    territorial_england_wales = False
    foi_email = factory.LazyAttribute(lambda f: f"foi@{f.id}.police.example")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Campaign {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    periods = ["2019-20", "2020-21"]
    dimensions = ["total", "platform", "age"]
    owner = factory.SubFactory(UserFactory)


class FoiRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FoiRequest

    force = factory.SubFactory(ForceFactory)
    campaign = None
    reference = factory.Sequence(lambda n: f"req/{n:05d}")
    subject = "Offences of sexual communication with a child"
    reply_token = factory.LazyFunction(new_reply_token)


class RequestEventFactory(factory.django.DjangoModelFactory):
    """Writes the row directly: use services.events.record_event to check and derive."""

    class Meta:
        model = RequestEvent

    request = factory.SubFactory(FoiRequestFactory)
    kind = "note"
    on = date(2019, 3, 15)


class ClosureDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosureDay

    regime = "FOIA"
    date = date(2019, 6, 3)
    action = ClosureDay.Action.ADDED
    reason = "Proclaimed bank holiday"


class StoredFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoredFile

    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    size = 10
    content = factory.django.FileField(data=b"0123456789", filename="blob")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    request = factory.SubFactory(FoiRequestFactory)
    stored = factory.SubFactory(StoredFileFactory)
    name = "reply.csv"
