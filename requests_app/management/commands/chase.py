"""Run the chase sweep now, synchronously: the same sweep the beat task runs."""

import json
import sys

from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError

from requests_app.domain.blockers import explain
from requests_app.domain.dates import parse_iso_date
from requests_app.domain.explain import plural
from requests_app.selectors.overdue import unchased_overdue
from requests_app.services import chasing, delivery, reminders, state


class _SendNow:
    """Deliver inline over one mail connection (the console backend writes to stderr)."""

    def __init__(self) -> None:
        self.connection = get_connection(stream=sys.stderr)

    def __call__(self, outbound_id: int) -> str:
        try:
            return delivery.deliver(outbound_id=outbound_id, connection=self.connection)
        except delivery.SendFailed:
            return "failed (left pending; the next sweep or the outbox flush retries it)"


class Command(BaseCommand):
    help = (
        "Send today's chasers (and reminders) now, as if today were --today. "
        "--dry-run sends nothing; --json prints one JSON object per line per chaser "
        "sent (or that would be sent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to sweep as, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", dest="dry_run")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, today, dry_run, as_json, **options):
        if today:
            try:
                day = parse_iso_date(today)
            except ValueError as exc:
                raise CommandError(f"--today {exc}") from exc
        else:
            day = state.today()
        send_now = _SendNow()
        try:
            result = chasing.run_sweep(
                today=day, dry_run=dry_run, dispatch=None if dry_run else send_now
            )
        except ValueError as exc:  # a date outside the calendar's years
            raise CommandError(str(exc)) from exc
        shown = result.chasers if dry_run else [c for c in result.chasers if c.outcome == "sent"]
        if as_json:
            for chaser in shown:
                self.stdout.write(json.dumps(chaser.as_json()))
        else:
            self._report(result, shown, dry_run)
        for problem in result.problems:
            self.stderr.write(problem)
        # Why the other late requests got nothing (to stderr under --json, whose lines are data).
        out = self.stderr if as_json else self.stdout
        for blocker, n in unchased_overdue(day).most_common():
            reason = explain(blocker, n if n > 1 else None)
            out.write(f"{plural(n, 'overdue request')} not chased: {reason}.")
        if not dry_run:
            calendars, _ = chasing.working_calendars(day)
            sent = reminders.run_reminders(today=day, calendars=calendars, dispatch=send_now)
            if not as_json and sent:
                self.stdout.write(f"{plural(len(sent), 'reminder')} to researchers.")

    def _report(self, result, shown, dry_run) -> None:
        for regime, why in result.skipped_regimes.items():
            self.stdout.write(f"{regime}: {why}; no chasers for its forces today.")
        verb = "Would send" if dry_run else "Sent"
        for c in shown:
            self.stdout.write(
                f"{verb} stage {c.stage} chaser: {c.reference} to {c.force_id} "
                f"(due {c.due_on}, {c.working_days_overdue} working days overdue)"
            )
        for c in result.chasers:
            if c not in shown:
                self.stdout.write(f"Not sent: {c.reference} stage {c.stage}: {c.outcome}")
        if result.redispatched:
            self.stdout.write(
                f"Retried {plural(result.redispatched, 'earlier message')} left unsent."
            )
        done = "due" if dry_run else "sent"
        self.stdout.write(f"{plural(len(shown), 'chaser')} {done} on {result.today}.")
