"""Demo data for `make demo`: the logins, and a 43-force campaign at every stage up to the reply.

The replies themselves (read into figures, reviewed, released) are responses_app's
part of the demo: ``responses_app.services.demo``, which builds on this one.
"""

import json
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from requests_app.domain.lifecycle import EventKind
from requests_app.models import Campaign, Force, Role, Team

from .calendars import calendar
from .campaigns import create_campaign
from .events import EventInput, record_event
from .state import today
from .teams import add_member

DEMO_USERS = [
    # username, password, role in the demo team ("" for the superuser)
    ("admin", "admin-demo-password", ""),
    ("coordinator", "coordinator-demo-password", Role.COORDINATOR),
    ("researcher", "researcher-demo-password", Role.RESEARCHER),
    ("viewer", "viewer-demo-password", Role.VIEWER),
]
DEMO_SLUG = "sexual-communication-2019"
#: The demo campaigns' texts and questions: data files, not code.
DEMO_DATA = Path(__file__).resolve().parents[2] / "responses_app" / "data" / "demo"


def demo_campaign(name: str) -> dict:
    """A demo campaign's title, texts and schema (``responses_app/data/demo/campaigns``)."""
    plan = json.loads((DEMO_DATA / "campaigns" / f"{name}.json").read_text(encoding="utf-8"))
    plan["schema"] = json.loads((DEMO_DATA / plan["schema"]).read_text(encoding="utf-8"))
    return plan


DEMO_TEAM = ("research", "Research")
#: What the demo coordinator may do in the admin (the team rules narrow it further).
COORDINATOR_PERMS = [
    "view_force",
    "change_force",
    "view_closureday",
    "add_closureday",
    "change_closureday",
    "delete_closureday",
    "view_campaign",
    "change_campaign",
    "view_foirequest",
    "view_requestevent",
]


def ensure_users() -> list[tuple[str, str]]:
    """The demo logins: a superuser and one member of the Research team per role."""
    User = get_user_model()
    team, _ = Team.objects.get_or_create(slug=DEMO_TEAM[0], defaults={"name": DEMO_TEAM[1]})
    for username, password, role in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.is_staff = user.is_superuser = not role
            # Coordinators manage forces and calendars in the admin.
            user.is_staff = user.is_staff or role == Role.COORDINATOR
            user.save()
        if role:
            add_member(user=user, team=team, role=role)
        if role == Role.COORDINATOR:
            user.user_permissions.add(*Permission.objects.filter(codename__in=COORDINATOR_PERMS))
    return [(u, p) for u, p, _ in DEMO_USERS]


def ensure_demo_addresses() -> int:
    """Give every force without one an FOI address on a reserved domain (``.example``).

    Mail to ``foi@kent.police.example`` can never reach anyone, so the demo
    sends and chases exactly as production would, harmlessly.
    """
    blank = list(Force.objects.filter(foi_email=""))
    for force in blank:
        force.foi_email = f"foi@{force.pk}.police.example"
        force.save(update_fields=["foi_email"])
    return len(blank)


def create_demo_campaign(*, slug: str, plan: dict, owner) -> Campaign:
    """The campaign of a plan (``demo_campaign``): its texts and schema, in the demo team."""
    return create_campaign(
        slug=slug,
        title=plan["title"],
        description=plan["description"],
        template=plan["template"],
        periods=[],
        schema=plan["schema"],
        owner=owner,
        team=Team.objects.get(slug=DEMO_TEAM[0]),
    )


@transaction.atomic
def load_demo(on: date | None = None) -> Campaign:
    """Create the demo campaign once; later calls return it unchanged."""
    ensure_users()
    ensure_demo_addresses()
    existing = Campaign.objects.filter(slug=DEMO_SLUG).first()
    if existing:
        return existing
    on = on or today()
    researcher = get_user_model().objects.get(username="researcher")
    plan = demo_campaign("seed")
    campaign = create_demo_campaign(slug=DEMO_SLUG, plan=plan, owner=researcher)
    cal = calendar("FOIA")
    requests = list(campaign.requests.select_related("force").order_by("force__name"))
    for i, req in enumerate(requests):
        if i % 10 == 9:
            continue  # still a draft
        _stage_demo_request(req, i, on=on, cal=cal, user=researcher)
    return campaign


def _stage_demo_request(req, i: int, *, on: date, cal, user) -> None:
    """Move one demo request along its life: sent, acknowledged, for one a question back."""

    def add(kind: EventKind, when: date, **kw) -> None:
        record_event(request=req, data=EventInput(kind=kind.value, on=when, **kw), user=user)

    sent = on - timedelta(days=65 if i % 3 == 0 else 35 if i % 3 == 1 else 10)
    add(EventKind.SENT, sent, channel="email" if i % 4 else "portal")
    add(EventKind.ACKNOWLEDGED, sent, force_reference=f"FOI/{2024 + i % 2}/{1000 + i:04d}")
    if i == 4:
        add(
            EventKind.CLARIFICATION_REQUESTED,
            cal.add_working_days(sent, 3),
            note="Which offence codes should be included?",
        )
