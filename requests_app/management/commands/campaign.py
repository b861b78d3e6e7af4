"""`manage.py campaign create|mark-sent|send|status`: campaigns from the command line.

Thin: each subcommand parses its arguments and calls the same services and
selectors as the pages and the API.
"""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from requests_app.domain.board import PHASE_LABELS
from requests_app.domain.lifecycle import Channel, EventRejected
from requests_app.models import Campaign, Force
from requests_app.selectors.campaigns import campaign_board
from requests_app.services.campaigns import CampaignRejected, create_campaign
from requests_app.services.logging_sent import mark_campaign_sent
from requests_app.services.sending import preflight, send_campaign
from requests_app.services.state import today


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class Command(BaseCommand):
    help = "Create a campaign, log it as sent, send it by email, or print its board."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

        create = sub.add_parser("create", help="Create the campaign and a draft request per force.")
        create.add_argument("--slug", required=True)
        create.add_argument("--title", required=True)
        create.add_argument("--periods", required=True, help="e.g. 2017-18,2018-19")
        create.add_argument("--dimensions", default="total,platform,age")
        create.add_argument(
            "--forces",
            default="",
            help="'all' (every active force) or ID,ID; default the 43 territorial forces",
        )
        create.add_argument("--template", help="a file holding the request text")
        create.add_argument("--description", default="", help="the question ({question})")

        mark = sub.add_parser("mark-sent", help="Record requests as sent without emailing them.")
        mark.add_argument("slug")
        mark.add_argument("--date", required=True, help="YYYY-MM-DD")
        mark.add_argument("--force", help="one force's id; default every unsent request")
        mark.add_argument(
            "--channel", choices=[c.value for c in Channel], default=Channel.PORTAL.value
        )
        mark.add_argument("--reference", default="", help="the force's reference")

        send = sub.add_parser("send", help="Email the unsent requests (exactly once).")
        send.add_argument("slug")

        status = sub.add_parser("status", help="Print the board's counts and rows.")
        status.add_argument("slug")
        status.add_argument("--json", action="store_true", dest="as_json", help="print JSON")

    def handle(self, *args, subcommand, **options):
        handler = {
            "create": self.create,
            "mark-sent": self.mark_sent,
            "send": self.send,
            "status": self.status,
        }[subcommand]
        handler(**options)

    @staticmethod
    def _campaign(slug: str) -> Campaign:
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            raise CommandError(f"There is no campaign with the slug {slug!r}.")
        return campaign

    def create(self, *, slug, title, periods, dimensions, forces, template, description, **_):
        text = ""
        if template:
            try:
                text = Path(template).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Cannot read the template {template}: {exc}") from exc
        targets = None
        if forces == "all":
            targets = list(Force.objects.active())
        elif forces:
            wanted = _list(forces)
            found = {f.pk: f for f in Force.objects.filter(pk__in=wanted)}
            unknown = [f for f in wanted if f not in found]
            if unknown:
                raise CommandError(f"Unknown force id(s): {', '.join(unknown)}.")
            targets = [found[f] for f in wanted]
        try:
            campaign = create_campaign(
                slug=slug,
                title=title,
                periods=_list(periods),
                dimensions=_list(dimensions),
                description=description,
                template=text,
                forces=targets,
            )
        except CampaignRejected as exc:
            raise CommandError(str(exc)) from exc
        count = campaign.requests.count()
        self.stdout.write(
            f"Created {campaign.slug} ({', '.join(campaign.periods)}) with {count} draft requests."
        )

    def mark_sent(self, *, slug, date: str, force, channel, reference, **_):
        campaign = self._campaign(slug)
        on = self._date(date)
        try:
            events = mark_campaign_sent(
                campaign=campaign,
                on=on,
                channel=channel,
                force_ids=[force] if force else None,
                reference=reference,
            )
        except EventRejected as exc:
            raise CommandError(f"Nothing was recorded: {exc}") from exc
        self.stdout.write(f"{len(events)} request(s) recorded as sent by {channel} on {on}.")

    @staticmethod
    def _date(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"{value!r} is not a date: use YYYY-MM-DD.") from exc

    def send(self, *, slug, **_):
        campaign = self._campaign(slug)
        plan = preflight(campaign)
        for label, rows in [
            ("Unreachable (no FOI address, no portal)", plan.unreachable),
            ("Log via portal", plan.via_portal),
            ("Needs attention (not re-sent automatically)", plan.needs_attention),
            ("Being sent by another run", plan.in_progress),
        ]:
            if rows:
                self.stdout.write(f"{label}: {len(rows)}")
                for row in rows:
                    detail = f"{row.address} ({row.note})" if row.address else row.note
                    self.stdout.write(f"  {row.force_id}: {detail}")
        self.stdout.write(f"To email: {len(plan.by_email)}")
        report = send_campaign(
            campaign, progress=lambda ref, to: self.stdout.write(f"  sent {ref} to {to}")
        )
        for ref, why in report.failed:
            self.stdout.write(f"  FAILED {ref}: {why}")
        self.stdout.write(f"Sent {len(report.sent)}; failed {len(report.failed)}.")
        if report.interrupted:
            raise CommandError(
                f"Stopped: {report.interrupted}. Run the same command again to resume; "
                "nothing already sent is sent twice."
            )

    def status(self, *, slug, as_json: bool = False, **_):
        board = campaign_board(self._campaign(slug), today=today())
        if as_json:
            self.stdout.write(json.dumps(board.as_dict(), indent=2))
            return
        self.stdout.write(f"{board.campaign.title}: {board.progress} ({board.sent} sent)")
        self.stdout.write(
            "  ".join(f"{PHASE_LABELS[p]} {n}" for p, n in sorted(board.counts.items()))
        )
        for row in board.rows:
            left = "" if row.days_left is None else f"{row.days_left:+d} wd"
            self.stdout.write(
                f"{row.force_id:28} {row.status:16} sent {row.sent_on or '-':10}  "
                f"due {row.due_on or '-':10}  {left:8} {row.last_event or '-'}"
            )
