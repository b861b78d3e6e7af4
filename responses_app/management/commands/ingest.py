"""Read a reply file as one force's reply to one campaign."""

import json
import os
import stat
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from requests_app.models import Campaign, FoiRequest
from responses_app.domain.extraction import extraction_to_json
from responses_app.services.ingest import ReadError, ingest_file

_KINDS = [
    (stat.S_ISDIR, "is a directory, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISCHR, "is a character device (such as /dev/null), not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
]


def _not_readable(path: Path) -> str:
    """Why ``path`` cannot be read as a reply file ("" when it can), each reason its own."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot be opened: {exc.strerror or exc}"
    for test, why in _KINDS:
        if test(mode):
            return why
    if not os.access(path, os.R_OK):
        return "cannot be read: permission denied"
    return ""


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
        problem = _not_readable(path)
        if problem:
            raise CommandError(f"{file}: {problem}")
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
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: cannot be read: {exc.strerror or exc}") from exc
        try:
            result = ingest_file(request=request, data=data, filename=path.name, dry_run=dry_run)
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
