"""Demo data for `make demo`: the demo campaign with its replies read, reviewed and released.

``requests_app.services.demo`` stages the 43 requests up to the reply; this
module brings ten forces' replies (``responses_app/data/demo/``, copies of the
sample replies) through the path an upload takes (``arrivals.record_arrival``,
then ``reading.read_document``), so the outcomes, figures, findings and
validation on the demo's pages are the product's own. Most forces' figures are
approved and published as release 1; a few replies are left in the review queue.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from requests_app.domain.calendar import WorkingCalendar
from requests_app.models import Campaign
from requests_app.services import demo as requests_demo
from requests_app.services.calendars import calendar
from requests_app.services.logging_sent import mark_campaign_sent
from requests_app.services.state import today
from responses_app.models import Release, Reply

from .arrivals import record_arrival
from .reading import read_document
from .releases import create_release
from .review import bulk_approve

DATA = Path(__file__).resolve().parent.parent / "data" / "demo"


@dataclass(frozen=True)
class DemoReply:
    force: str
    filename: str
    working_days: int  # after the request was sent (no later than the demo's day)
    approve: bool = True  # False: left for the review queue


DEMO_REPLIES = (
    DemoReply("bedfordshire", "bedfordshire.eml", 19, approve=False),  # totals in sentences
    DemoReply("cleveland", "cleveland.eml", 6, approve=False),  # the latest arrival
    DemoReply("cumbria", "cumbria.xlsx", 17),
    DemoReply("durham", "durham.csv", 14),
    DemoReply("essex", "essex.xlsx", 20),
    DemoReply("gwent", "gwent.csv", 26, approve=False),  # a victim aged 17: an error
    DemoReply("lincolnshire", "lincolnshire.eml", 21),
    DemoReply("metropolitan", "metropolitan.xlsx", 31),
    DemoReply("norfolk", "norfolk.docx", 18),
    DemoReply("wiltshire", "wiltshire.pdf", 12),  # refused under s.12
)


@dataclass
class DemoResult:
    replies: list[Reply] = field(default_factory=list)
    approved: int = 0
    release: Release | None = None


HOSPITAL_SLUG = "hospital-crime-2024"


@transaction.atomic
def load_demo(on: date | None = None) -> Campaign:
    """The whole demo: requests_app's campaign, then its replies; later calls change nothing.

    A second campaign asks a different question (crimes on hospital grounds by Home
    Office crime category and hospital: ``load_hospital_demo``).
    """
    campaign = requests_demo.load_demo(on=on)
    add_demo_replies(campaign=campaign, on=on)
    load_hospital_demo(on=on)
    return campaign


@transaction.atomic
def load_hospital_demo(on: date | None = None) -> Campaign:
    """The second demo campaign, sent to the 43 forces, five replies read, release 1.

    Its question is its schema file; its replies are look-alikes of real layouts
    (``responses_app/data/demo/hospital``). The calendar-year reply stays in review.
    """
    existing = Campaign.objects.filter(slug=HOSPITAL_SLUG).first()
    if existing is not None:
        return existing
    on = on or today()
    plan = requests_demo.demo_campaign("hospital-crime")
    users = get_user_model().objects
    researcher = users.get(username="researcher")
    campaign = requests_demo.create_demo_campaign(slug=HOSPITAL_SLUG, plan=plan, owner=researcher)
    cal = calendar("FOIA")
    sent = on - timedelta(days=int(plan["sent_days_ago"]))
    requests = {r.force_id: r for r in campaign.requests.select_related("force")}
    answering = [r["force"] for r in plan["replies"]]
    early = answering + [f for f in sorted(requests) if f not in answering][:16]
    mark_campaign_sent(
        campaign=campaign, on=sent, channel="email", force_ids=early, user=researcher
    )
    # the others were sent last week: still inside their 20 working days
    mark_campaign_sent(
        campaign=campaign, on=on - timedelta(days=7), channel="email", user=researcher
    )
    approved = 0
    for reply in plan["replies"]:
        request = requests[reply["force"]]
        name = Path(reply["file"]).name
        arrival = record_arrival(
            request=request,
            on=min(cal.add_working_days(sent, reply["working_days"]), on),
            note=f"Reply uploaded by {researcher.get_username()}: {name}.",
            files=[(name, (DATA / reply["file"]).read_bytes())],
            dispatch=lambda pk: None,
            user=researcher,
        )
        for document in arrival.documents:
            read_document(document_id=document.pk)
        approved += bulk_approve(
            campaign=campaign, force=reply["force"], user=researcher, only_valid=True
        ).approved
    if approved:
        create_release(
            campaign=campaign,
            methodology=plan["release_methodology"],
            user=users.get(username="coordinator"),
        )
    return campaign


@transaction.atomic
def add_demo_replies(*, campaign: Campaign, on: date | None = None) -> DemoResult:
    """Read each demo reply onto its force's request, approve most, publish release 1.

    A request that is not sent, or already has a reply or a response, is left
    alone, so a second run adds nothing.
    """
    on = on or today()
    users = get_user_model().objects
    researcher = users.get(username="researcher")
    requests = {r.force_id: r for r in campaign.requests.select_related("force")}
    calendars: dict[str, WorkingCalendar] = {}
    result = DemoResult()
    for plan in DEMO_REPLIES:
        request = requests.get(plan.force)
        if request is None or request.sent_on is None or request.responded_on:
            continue
        if Reply.objects.filter(request=request).exists():
            continue
        regime = request.force.regime
        cal = calendars.setdefault(regime, calendar(regime))
        day = min(cal.add_working_days(request.sent_on, plan.working_days), on)
        arrival = record_arrival(
            request=request,
            on=day,
            note=f"Reply uploaded by {researcher.get_username()}: {plan.filename}.",
            files=[(plan.filename, (DATA / plan.filename).read_bytes())],
            dispatch=lambda pk: None,  # read here and now, not by a worker after the commit
            user=researcher,
        )
        result.replies += [read_document(document_id=d.pk) for d in arrival.documents]
        if plan.approve:
            approved = bulk_approve(campaign=campaign, force=plan.force, user=researcher)
            result.approved += approved.approved
    if result.approved and not Release.objects.filter(campaign=campaign).exists():
        result.release = create_release(
            campaign=campaign,
            methodology=requests_demo.demo_campaign("seed")["release_methodology"],
            user=users.get(username="coordinator"),
        )
    return result
