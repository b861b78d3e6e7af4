"""`manage.py campaign create|mark-sent|send|status|schema`: campaigns from the command line.

Thin: each subcommand parses its arguments and calls the same services and
selectors as the pages and the API.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from requests_app.api.serializers import CampaignCreateSerializer, MarkSentSerializer
from requests_app.domain.board import PHASE_LABELS
from requests_app.domain.explain import plural
from requests_app.domain.lifecycle import Channel, EventRejected
from requests_app.models import Campaign, Force
from requests_app.selectors.campaigns import campaign_board
from requests_app.selectors.questions import question_of
from requests_app.services.campaigns import CampaignRejected, change_question, create_campaign
from requests_app.services.logging_sent import mark_campaign_sent
from requests_app.services.sending import preflight, send_campaign
from requests_app.services.state import today
from requests_app.services.teams import TeamRejected, team_for_new_campaign


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _problems(headline: str, errors: dict) -> str:
    """Serializer errors as lines: ``--option: message``."""
    lines = []
    for field, messages in errors.items():
        for message in messages if isinstance(messages, list) else [messages]:
            if isinstance(message, dict):  # a list field: {index: [messages]}
                message = "; ".join(f"item {i + 1}: {' '.join(m)}" for i, m in message.items())
            lines.append(f"  --{_OPTIONS.get(field, field)}: {message}")
    return f"{headline}:\n" + "\n".join(lines)


def _iso(day) -> str:
    return day.isoformat() if day else "-"


#: Serializer fields named as the command's options.
_OPTIONS = {"non_field_errors": "input"}


class Command(BaseCommand):
    help = "Create a campaign, log it as sent, send it by email, or print its board."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

        create = sub.add_parser("create", help="Create the campaign and a draft request per force.")
        create.add_argument("--slug", required=True)
        create.add_argument("--title", required=True)
        create.add_argument(
            "--schema", help="a JSON file holding the question (README: 'The question schema')"
        )
        create.add_argument(
            "--periods", default="", help="e.g. 2017-18,2018-19 (overrides the schema's)"
        )
        create.add_argument(
            "--dimensions",
            default="",
            help="names, e.g. total,age; with --schema, the schema's dimensions to keep "
            "(default all); without, bare names as before (default total,platform,age)",
        )
        create.add_argument(
            "--team",
            default="",
            help="the owning team's slug (required when there are several teams)",
        )
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

        schema = sub.add_parser("schema", help="Print the campaign's question (its schema, JSON).")
        schema.add_argument("slug")
        schema.add_argument("--set", dest="set_from", help="replace it with this JSON file")
        schema.add_argument("--reason", default="", help="why (kept in the campaign's history)")

        status = sub.add_parser("status", help="Print the board's counts and rows.")
        status.add_argument("slug")
        status.add_argument("--json", action="store_true", dest="as_json", help="print JSON")

    def handle(self, *args, subcommand, **options):
        handler = {
            "create": self.create,
            "mark-sent": self.mark_sent,
            "send": self.send,
            "status": self.status,
            "schema": self.schema,
        }[subcommand]
        handler(**options)

    @staticmethod
    def _campaign(slug: str) -> Campaign:
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            raise CommandError(f"There is no campaign with the slug {slug!r}.")
        return campaign

    @staticmethod
    def _schema_file(path: str) -> dict:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read the schema {path}: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"The schema {path} is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
            ) from exc
        if not isinstance(data, dict):
            raise CommandError(f"The schema {path} must be a JSON object.")
        return data

    @staticmethod
    def _keep_dimensions(data: dict, names: list[str], path: str) -> dict:
        wanted = [n.lower() for n in names]
        if not wanted:
            return data
        given = [d if isinstance(d, dict) else {"name": d} for d in data.get("dimensions") or []]
        by_name = {str(d.get("name")): d for d in given}
        missing = [n for n in wanted if n != "total" and n not in by_name]
        if missing:
            raise CommandError(
                f"--dimensions names {', '.join(missing)}, which the schema {path} does not "
                f"define (it has {', '.join(by_name) or 'none'})."
            )
        return {**data, "dimensions": [by_name.get(n, {"name": n}) for n in wanted]}

    def create(
        self,
        *,
        slug,
        title,
        periods,
        dimensions,
        forces,
        template,
        description,
        schema=None,
        team="",
        **_,
    ):
        if not schema and not periods:
            raise CommandError("Give --periods, or a --schema file that lists them.")
        question = None
        if schema:
            question = self._keep_dimensions(self._schema_file(schema), _list(dimensions), schema)
        text = ""
        if template:
            try:
                text = Path(template).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Cannot read the template {template}: {exc}") from exc
        payload = {
            "slug": slug,
            "title": title,
            "description": description,
            "template": text,
        }
        if periods:
            payload["periods"] = _list(periods)
        if dimensions and question is None:
            payload["dimensions"] = _list(dimensions)
        if question is not None:
            payload["schema"] = question
        if forces == "all":
            payload["forces"] = list(Force.objects.active().values_list("pk", flat=True))
        elif forces:
            payload["forces"] = _list(forces)
        # The API's serializer checks everything it checks (lengths, periods, template...),
        # and the team is chosen as the API chooses it; every problem is reported at once.
        serializer = CampaignCreateSerializer(data=payload)
        errors = {} if serializer.is_valid() else dict(serializer.errors)
        try:
            owner = team_for_new_campaign(slug=team or "")
        except TeamRejected as exc:
            errors.setdefault("team", [str(exc)])
        if errors:
            raise CommandError(_problems("Nothing was created", errors))
        data = dict(serializer.validated_data)
        data.pop("schema", None)
        try:
            campaign = create_campaign(
                team=owner, schema=question, periods=data.pop("periods", []), **data
            )
        except CampaignRejected as exc:
            raise CommandError(f"Nothing was created: {exc}") from exc
        count = campaign.requests.count()
        self.stdout.write(
            f"Created {campaign.slug} ({', '.join(campaign.periods)}) with {count} draft requests."
        )

    def mark_sent(self, *, slug, date: str, force, channel, reference, **_):
        campaign = self._campaign(slug)
        payload = {"date": date, "channel": channel, "reference": reference}
        if force:
            payload["force"] = force
        serializer = MarkSentSerializer(data=payload)
        if not serializer.is_valid():
            raise CommandError(_problems("Nothing was recorded", serializer.errors))
        data = serializer.validated_data
        try:
            events = mark_campaign_sent(
                campaign=campaign,
                on=data["date"],
                channel=data["channel"],
                force_ids=[data["force"]] if data.get("force") else None,
                reference=data["reference"],
            )
        except EventRejected as exc:
            raise CommandError(f"Nothing was recorded: {exc}") from exc
        self.stdout.write(
            f"{plural(len(events), 'request')} recorded as sent by {channel} on {data['date']}."
        )

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

    def schema(self, *, slug, set_from=None, reason="", **_):
        campaign = self._campaign(slug)
        if set_from:
            try:
                campaign = change_question(
                    campaign=campaign, schema=self._schema_file(set_from), reason=reason
                )
            except CampaignRejected as exc:
                raise CommandError(str(exc)) from exc
            self.stderr.write(f"{campaign.slug}: question version {campaign.schema_version}.")
        self.stdout.write(json.dumps(question_of(campaign).to_data(), indent=2))

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
                f"{row.force_id:28} {row.status:16} sent {_iso(row.sent_on):10}  "
                f"due {_iso(row.due_on):10}  {left:8} {row.last_event or '-'}"
            )
