"""Why a request is not chased: its facts for ``why_not_chased``, and the reason in words
for a page, with who can put it right."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from requests_app.domain.blockers import FIX, Blocker, ChaseFacts, explain, why_not_chased
from requests_app.permissions import can_manage_forces

ADDRESS = (Blocker.NO_ADDRESS, Blocker.BOUNCED)

#: The fields ``why_not_chased`` reads, as ``values()`` names.
FACT_FIELDS = (
    "status",
    "clock",
    "on_hold",
    "campaign__on_hold",
    "force__foi_email",
    "force__foi_email_broken",
    "due_on",
)


def chase_facts(row: Mapping) -> ChaseFacts:
    """A request's chasing facts from a ``values(*FACT_FIELDS)`` row (or a request)."""
    if not isinstance(row, Mapping):
        row = {
            "status": row.status,
            "clock": row.clock,
            "on_hold": row.on_hold,
            "campaign__on_hold": bool(row.campaign_id and row.campaign.on_hold),
            "force__foi_email": row.force.foi_email,
            "force__foi_email_broken": row.force.foi_email_broken,
            "due_on": row.due_on,
        }
    return ChaseFacts(
        status=row["status"],
        clock=row["clock"],
        on_hold=row["on_hold"],
        campaign_on_hold=bool(row["campaign__on_hold"]),
        foi_email=row["force__foi_email"],
        foi_email_broken=row["force__foi_email_broken"],
        due_on=row["due_on"],
    )


@dataclass(frozen=True)
class NotChased:
    blocker: Blocker
    because: str
    fix: str = ""
    fix_url: str = ""


def not_chased(user, foi, today: date) -> NotChased | None:
    """None when a chaser can reach the request; else why not, and the fix for this user.

    An address is fixed on the Forces page: a coordinator gets the link, anyone
    else is told who can add it (never "the admin", which they cannot open).
    """
    blocker = why_not_chased(chase_facts(foi), today)
    if blocker is None:
        return None
    because = explain(blocker, fix=False)
    if blocker in ADDRESS:
        if can_manage_forces(user):
            return NotChased(blocker, because, fix_url=reverse("force-edit", args=[foi.force_id]))
        return NotChased(blocker, because, fix="a coordinator can add it on the Forces page")
    return NotChased(blocker, because, fix=FIX[blocker])
