"""Read a reply file as one force's reply to one campaign."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from requests_app.models import Campaign, FoiRequest
from responses_app.domain.extraction import extraction_to_json
from responses_app.services.ingest import ReadError, ingest_file


class Command(BaseCommand):
    help = (
        "Extract the figures of FILE as FORCE's reply to CAMPAIGN. --json prints the "
        "extraction; --dry-run writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--campaign", required=True, help="the campaign's slug")
        parser.add_argument("--force", required=True, help="the force's data.police.uk id")
        parser.add_argument("--json", action="store_true", dest="as_json")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, file, campaign, force, as_json, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            target = Campaign.objects.get(slug=campaign)
        except Campaign.DoesNotExist as exc:
            raise CommandError(f"no campaign with the slug {campaign!r}") from exc
        try:
            request = FoiRequest.objects.select_related("campaign", "force").get(
                campaign=target, force_id=force
            )
        except FoiRequest.DoesNotExist as exc:
            raise CommandError(f"campaign {campaign!r} has no request to force {force!r}") from exc
        try:
            result = ingest_file(
                request=request, data=path.read_bytes(), filename=path.name, dry_run=dry_run
            )
        except ReadError as exc:
            raise CommandError(str(exc)) from exc
        extraction = result.extraction
        if as_json:
            self.stdout.write(json.dumps(extraction_to_json(extraction, force), indent=2))
        else:
            stored = "" if dry_run else f", stored as reply {result.reply.pk}"
            self.stdout.write(
                f"{path.name}: {len(extraction.figures)} figures, outcome {extraction.outcome}, "
                f"{len(extraction.findings)} findings, {extraction.excluded_rows} rows "
                f"outside the periods{stored}"
            )
