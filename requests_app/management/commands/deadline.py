"""Print the response due date for a request received on a given day."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from requests_app.domain.calendar import Regime, calendar_for
from requests_app.domain.dates import parse_iso_date
from requests_app.services.calendars import calendar


class Command(BaseCommand):
    help = (
        "Print the due date (YYYY-MM-DD, first line) for a request received on DATE; "
        "--explain lists the non-working weekdays skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("received", help="date of receipt, YYYY-MM-DD")
        parser.add_argument("--regime", choices=["foia", "foisa"], default="foia")
        parser.add_argument("--working-days", type=int, default=20, dest="working_days")
        parser.add_argument("--explain", action="store_true")

    def handle(self, *args, received, regime, working_days, explain, **options):
        try:
            start = parse_iso_date(received)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if working_days < 0:
            raise CommandError("--working-days must be 0 or more.")
        regime_value = Regime(regime.upper())
        try:
            cal = calendar(regime_value)
        except DatabaseError:
            # No database yet (fresh checkout): the statutory calendar alone.
            cal = calendar_for(regime_value)
        try:
            due = cal.add_working_days(start, working_days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(due.isoformat())
        if explain:
            self.stdout.write(
                f"{working_days} working days after receipt on {start:%A %-d %B %Y} "
                f"({regime_value.value}): due {due:%A %-d %B %Y}."
            )
            skipped = cal.non_working_weekdays(start, due)
            if not skipped:
                self.stdout.write("No bank holidays or closures fell in between.")
            for day, reason in skipped:
                self.stdout.write(f"{day.isoformat()} {day:%A}: not a working day ({reason})")
