"""Before a campaign is emailed: who would be emailed, who must be logged via portal, who not.

``preflight`` is what the send page, the API and the CLI show before anything
is sent: forces with a usable FOI address are emailed; forces with only a
portal are listed as "log via portal"; forces with neither are reported as
unreachable; outbox rows a stopped run left behind are "needs attention" or
"in progress" (see ``services/sending.py`` for why they are not re-sent).
"""

from dataclasses import dataclass, field

from django.utils import timezone

from requests_app.domain.blockers import explain, why_not_emailed
from requests_app.models import Campaign, Force, OutboundMessage

from .outbox import stale_after

REQUEST_KIND = OutboundMessage.Kind.REQUEST
Status = OutboundMessage.Status
NEEDS_ATTENTION = (
    "Needs attention: the sending process stopped after claiming this message, so it may or "
    "may not have reached the force. Check the mail server's log for its Message-ID, then "
    "confirm it was delivered or send it again."
)


def usable_email(force: Force) -> str:
    return force.foi_email if force.foi_email and not force.foi_email_broken else ""


@dataclass(frozen=True)
class PreflightRow:
    request_id: int
    reference: str
    force_id: str
    force_name: str
    address: str = ""
    note: str = ""
    outbound_id: int | None = None


@dataclass
class Preflight:
    """What a send would do, worked out before anything is sent."""

    campaign: Campaign
    by_email: list[PreflightRow] = field(default_factory=list)
    via_portal: list[PreflightRow] = field(default_factory=list)
    unreachable: list[PreflightRow] = field(default_factory=list)
    needs_attention: list[PreflightRow] = field(default_factory=list)
    in_progress: list[PreflightRow] = field(default_factory=list)
    already_sent: int = 0

    @property
    def total(self) -> int:
        return self.already_sent + sum(
            len(rows)
            for rows in (
                self.by_email,
                self.via_portal,
                self.unreachable,
                self.needs_attention,
                self.in_progress,
            )
        )

    def as_dict(self) -> dict:
        def rows(items: list[PreflightRow]) -> list[dict]:
            return [
                {
                    "request": r.request_id,
                    "reference": r.reference,
                    "force": r.force_id,
                    "force_name": r.force_name,
                    "address": r.address,
                    "note": r.note,
                }
                for r in items
            ]

        return {
            "campaign": self.campaign.slug,
            "already_sent": self.already_sent,
            "by_email": rows(self.by_email),
            "via_portal": rows(self.via_portal),
            "unreachable": rows(self.unreachable),
            "needs_attention": rows(self.needs_attention),
            "in_progress": rows(self.in_progress),
        }


def preflight(campaign: Campaign) -> Preflight:
    """Sort the campaign's requests by how they would go out (three queries)."""
    report = Preflight(campaign=campaign)
    requests = campaign.requests.select_related("force").order_by("force__name")
    report.already_sent = requests.filter(sent_on__isnull=False).count()
    unsent = list(requests.filter(sent_on__isnull=True))
    outbox = {
        row.request_id: row
        for row in OutboundMessage.objects.filter(
            request__in=[r.pk for r in unsent], kind=REQUEST_KIND, stage=""
        )
    }
    stale_before = timezone.now() - stale_after()
    for req in unsent:
        force, row = req.force, outbox.get(req.pk)
        item = dict(request_id=req.pk, reference=req.reference, force_id=force.pk)
        item.update(force_name=force.name, outbound_id=row.pk if row else None)
        if row is not None and row.status == Status.FAILED:
            report.needs_attention.append(PreflightRow(**item, note=row.last_error))
        elif row is not None and row.status == Status.SENDING:
            if row.claimed_at and row.claimed_at < stale_before:
                report.needs_attention.append(PreflightRow(**item, note=NEEDS_ATTENTION))
            else:
                report.in_progress.append(PreflightRow(**item, note="being sent now"))
        elif usable_email(force) or (row is not None and row.status == Status.PENDING):
            address = row.to_address if row else usable_email(force)
            note = f"resuming ({row.last_error})" if row and row.last_error else ""
            report.by_email.append(PreflightRow(**item, address=address, note=note))
        else:
            blocker = why_not_emailed(
                foi_email=force.foi_email, foi_email_broken=force.foi_email_broken
            )
            why = explain(blocker, fix=False) if blocker else "no FOI email address"
            if force.portal_url:
                report.via_portal.append(PreflightRow(**item, address=force.portal_url, note=why))
            else:
                report.unreachable.append(PreflightRow(**item, note=f"{why}, and no portal"))
    return report
