"""factory-boy factories for every model."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from questions.periods import Period
from requests_app.models import (
    Campaign,
    ClosureDay,
    FoiRequest,
    Force,
    Membership,
    OutboundMessage,
    PurgeRecord,
    RequestEvent,
    Team,
)
from requests_app.services.requests import new_reply_token
from responses_app.models import (
    Document,
    DocumentDownload,
    Figure,
    Finding,
    InboundMessage,
    Release,
    ReleaseFigure,
    Reply,
    SavedMapping,
    StoredFile,
)


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


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


def default_team() -> Team:
    """The team factory-made campaigns belong to (the conftest ``researcher`` is in it)."""
    return TeamFactory(slug="default", name="Default")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        django_get_or_create = ("user", "team")

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = "researcher"


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Campaign {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    periods = ["2019-20", "2020-21"]
    dimensions = ["total", "platform", "age"]
    owner = factory.SubFactory(UserFactory)
    team = factory.LazyFunction(default_team)

    @factory.post_generation
    def shared_with(self, create, teams, **kwargs):
        if create and teams:
            self.shared_with.add(*teams)


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


class OutboundMessageFactory(factory.django.DjangoModelFactory):
    """An outbox row; chasers by default (kind ``chaser``, stage ``1``)."""

    class Meta:
        model = OutboundMessage

    request = factory.SubFactory(FoiRequestFactory)
    kind = OutboundMessage.Kind.CHASER
    stage = "1"
    to_address = factory.LazyAttribute(lambda o: o.request.force.foi_email if o.request else "")
    from_address = "FOI Research <foi@foitracker.example>"
    subject = "Overdue response"
    body = "Please reply."
    message_id = factory.Sequence(lambda n: f"<outbound-{n}@foitracker.example>")


# -- replies, figures, findings and releases ----------------------------------


class CampaignRequestFactory(FoiRequestFactory):
    """A campaign's request to one force (one per force: get-or-create), answered in full."""

    class Meta:
        django_get_or_create = ("campaign", "force")

    campaign = factory.SubFactory(CampaignFactory)
    status = "responded"
    outcome = "full"
    sent_on = date(2019, 4, 1)
    responded_on = date(2019, 4, 29)


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply

    request = factory.SubFactory(CampaignRequestFactory)
    status = Reply.Status.EXTRACTED
    outcome = "full"


def _reply_of(request):
    return request.replies.order_by("-pk").first() or ReplyFactory(request=request)


class FigureFactory(factory.django.DjangoModelFactory):
    """A figure of a campaign; its request and reply are the force's (made when missing)."""

    class Meta:
        model = Figure

    campaign = factory.SubFactory(CampaignFactory)
    force = factory.SubFactory(ForceFactory)
    request = factory.LazyAttribute(
        lambda o: CampaignRequestFactory(campaign=o.campaign, force=o.force)
    )
    reply = factory.LazyAttribute(lambda o: _reply_of(o.request))
    period = "2019-20"
    period_start = factory.LazyAttribute(lambda o: Period.from_label(o.period).start)
    period_end = factory.LazyAttribute(lambda o: Period.from_label(o.period).end)
    dimension = "total"
    category = "all"
    value = 10
    suppressed = False
    lower = factory.LazyAttribute(lambda o: 0 if o.suppressed else o.value)
    upper = factory.LazyAttribute(lambda o: 4 if o.suppressed else o.value)
    source = factory.Sequence(lambda n: f"reply.csv Sheet1!B{n + 2}")
    status = Figure.Status.EXTRACTED


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    reply = factory.SubFactory(ReplyFactory)
    figure = None
    code = "reader.note"
    severity = Finding.Severity.WARNING
    message = "Something to look at."
    locator = "reply.csv Sheet1!A1"


class SavedMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedMapping

    campaign = factory.SubFactory(CampaignFactory)
    force = factory.SubFactory(ForceFactory)
    layout = factory.Sequence(lambda n: f"{n:064x}")
    mapping = factory.LazyFunction(lambda: {"columns": {}})


class ReleaseFactory(factory.django.DjangoModelFactory):
    """A release row; use services.releases.create_release to freeze real figures."""

    class Meta:
        model = Release

    campaign = factory.SubFactory(CampaignFactory)
    number = factory.Sequence(lambda n: n + 1)
    methodology = "Figures as the forces sent them, checked by a researcher."


class ReleaseFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReleaseFigure

    release = factory.SubFactory(ReleaseFactory)
    campaign = factory.LazyAttribute(lambda o: o.release.campaign)
    force = factory.SubFactory(ForceFactory)
    period = "2019-20"
    period_start = factory.LazyAttribute(lambda o: Period.from_label(o.period).start)
    period_end = factory.LazyAttribute(lambda o: Period.from_label(o.period).end)
    dimension = "total"
    category = "all"
    value = 10
    suppressed = False
    lower = factory.LazyAttribute(lambda o: 0 if o.suppressed else o.value)
    upper = factory.LazyAttribute(lambda o: 4 if o.suppressed else o.value)
    status = Figure.Status.APPROVED
    source = "reply.csv Sheet1!B2"


# -- inbound mail (issue 7) ------------------------------------------------------


class InboundMessageFactory(factory.django.DjangoModelFactory):
    """A held message row; services.inbound.receive_message makes real ones."""

    class Meta:
        model = InboundMessage

    message_id = factory.Sequence(lambda n: f"inbound-{n}@force.example")
    source = InboundMessage.Source.IMAP
    from_address = "foi@force.example"
    subject = factory.Sequence(lambda n: f"Your request {n}")
    status = InboundMessage.Status.HELD
    kind = InboundMessage.Kind.REPLY


class DocumentDownloadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentDownload

    document = factory.SubFactory(DocumentFactory)
    user = factory.SubFactory(UserFactory)


class PurgeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurgeRecord

    campaign = factory.SubFactory(CampaignFactory)
    retention_days = 365
