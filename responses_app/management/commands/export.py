"""Write a campaign's dataset (or one of its releases) to a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from responses_app.exports import FORMATS
from responses_app.exports.data import ExportNotFound, find
from responses_app.exports.formats import write


class Command(BaseCommand):
    help = (
        "Export the approved figures of campaign SLUG (or its release N) as CSV, XLSX, "
        "JSON or a Frictionless Data Package (a folder, or a zip when PATH ends in .zip)."
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--campaign", metavar="SLUG")
        scope.add_argument("--series", metavar="SLUG", help="the series' annual table")
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("--out", required=True, metavar="PATH")
        parser.add_argument("--release", type=int, metavar="N")

    def handle(self, *args, campaign, series, fmt, out, release, **options):
        if release is not None and series:
            raise CommandError("--release goes with --campaign, not --series.")
        if release is not None and release < 1:
            raise CommandError("--release is a release number: 1, 2, 3...")
        parent = Path(out).parent
        if not parent.is_dir():
            why = "is not a folder" if parent.exists() else "does not exist"
            raise CommandError(f"Cannot write {out}: the folder {parent} {why} (create it first).")
        try:
            data = find(campaign=campaign, series=series, release=release)
            path = write(fmt, data, out)
        except ExportNotFound as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror or exc}") from None
        self.stdout.write(f"Wrote {data.scope} ({fmt}) to {path}.")
