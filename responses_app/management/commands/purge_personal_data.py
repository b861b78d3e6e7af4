"""Remove reply files and raw emails of campaigns closed longer than the retention period."""

import json as jsonlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from responses_app.services.retention import purge_personal_data


class Command(BaseCommand):
    help = (
        "Delete the stored bytes of documents and raw emails of every campaign closed more "
        "than RETENTION_DAYS_AFTER_CLOSE days ago (figures and their locators stay). "
        "Each campaign's removal is recorded (admin: Purge records)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be removed; change nothing"
        )
        parser.add_argument(
            "--days",
            type=int,
            metavar="N",
            help=f"retention in days (default RETENTION_DAYS_AFTER_CLOSE, now "
            f"{settings.RETENTION_DAYS_AFTER_CLOSE})",
        )
        parser.add_argument("--json", action="store_true", help="one JSON line per campaign")

    def handle(self, *args, dry_run, days, json: bool = False, **options):
        if days is not None and days < 0:
            raise CommandError(f"--days {days}: give a number of days, 0 or more.")
        results = purge_personal_data(days=days, dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for purge in results:
            if json:
                self.stdout.write(_json({**purge.as_dict(), "dry_run": dry_run}))
                continue
            self.stdout.write(
                f"{purge.campaign.slug}: {verb} {purge.documents} document(s) and "
                f"{purge.messages} email(s), {len(purge.files)} file(s), "
                f"{purge.bytes_removed:,} bytes"
            )
        if not json:
            total = sum(p.bytes_removed for p in results)
            self.stdout.write(
                f"{len(results)} closed campaign(s) past retention; {verb} {total:,} bytes"
                + (" (dry run: nothing changed)." if dry_run else ".")
            )


def _json(data: dict) -> str:
    return jsonlib.dumps(data, sort_keys=True)
