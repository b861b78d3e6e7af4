"""Approve a campaign's figures waiting for review, from the command line."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from requests_app.models import Campaign, Force
from responses_app.services.review import ReviewError, bulk_approve


class Command(BaseCommand):
    help = (
        "Approve the figures of campaign SLUG that wait for review (extracted or needs "
        "review). With --all-valid, only those without an error finding; without it, "
        "figures with an error finding need --reason, kept in their history."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, metavar="SLUG")
        parser.add_argument(
            "--all-valid",
            action="store_true",
            dest="all_valid",
            help="leave figures with an error finding for a person to review",
        )
        parser.add_argument(
            "--reason",
            metavar="TEXT",
            default="",
            help="why figures with an error finding are right (needed without --all-valid "
            "when any has one)",
        )
        parser.add_argument("--force", metavar="ID", help="only this force (e.g. kent)")
        parser.add_argument("--user", metavar="USERNAME", help="record the approval as this user")

    def handle(self, *args, campaign, all_valid, force, user, reason, **options):
        try:
            found = Campaign.objects.get(slug=campaign)
        except Campaign.DoesNotExist:
            raise CommandError(f"There is no campaign {campaign!r}.") from None
        if force and not Force.objects.filter(pk=force).exists():
            raise CommandError(f"There is no force {force!r} (use its data.police.uk id).")
        who = None
        if user:
            who = get_user_model().objects.filter(username=user).first()
            if who is None:
                raise CommandError(f"There is no user {user!r}.")
        try:
            result = bulk_approve(
                campaign=found, user=who, force=force, only_valid=all_valid, reason=reason
            )
        except ReviewError as exc:
            raise CommandError(f"{exc} (use --reason TEXT, or --all-valid)") from None
        scope = f"{found.slug}" + (f", {force}" if force else "")
        self.stdout.write(f"Approved {result.approved} figure(s) of {scope}.")
        errors = result.skipped - result.skipped_ocr
        if errors:
            self.stdout.write(f"Left {errors} figure(s) with error findings for review.")
        if result.skipped_ocr:
            self.stdout.write(
                f"Left {result.skipped_ocr} figure(s) read by OCR from a scan for review "
                "one by one (they are never approved in bulk)."
            )
