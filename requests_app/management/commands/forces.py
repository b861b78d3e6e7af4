"""Load or write the forces' contacts (FOI email, portal, postal address, notes) as CSV."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from requests_app.domain.explain import plural
from requests_app.services import forces
from requests_app.services.state import today


class Command(BaseCommand):
    help = (
        "forces import FILE.csv: load the forces' contacts (columns id and any of "
        f"{', '.join(forces.CONTACT_FIELDS)}; all or nothing, every bad line reported). "
        "forces export [--out FILE]: write them in the same format."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="load contacts from a CSV file (- for stdin)")
        load.add_argument("file")
        load.add_argument("--dry-run", action="store_true", dest="dry_run")
        dump = sub.add_parser("export", help="write every force's contacts as CSV")
        dump.add_argument("--out", help="the file to write (default: stdout)")

    def handle(self, *args, action, **options):
        if action == "import":
            self._import(options["file"], options["dry_run"])
        else:
            text = forces.export_contacts()
            if options["out"]:
                Path(options["out"]).write_text(text, encoding="utf-8")
                self.stderr.write(f"Wrote {options['out']}.")
            else:
                self.stdout.write(text, ending="")

    def _import(self, name: str, dry_run: bool) -> None:
        try:
            if name == "-":
                text = sys.stdin.read()
            else:
                text = Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {name}: {exc}") from exc
        try:
            report = forces.import_contacts(text, today=today(), dry_run=dry_run)
        except forces.ImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(f"{name}: {problem}")
            raise CommandError(
                f"Nothing was imported: {plural(len(exc.problems), 'problem')} in {name}."
            ) from exc
        verb = "Would update" if dry_run else "Updated"
        self.stdout.write(
            f"{verb} {plural(len(report.changed), 'force')}"
            + (f" ({', '.join(report.changed)})" if report.changed else "")
            + f"; {report.unchanged} already up to date."
        )
