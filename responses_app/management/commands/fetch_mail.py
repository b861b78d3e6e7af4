"""Poll for replies once: the configured IMAP mailbox and Maildir, or the given Maildir or files.

    python manage.py fetch_mail                       # IMAP_URL and/or MAILDIR_PATH
    python manage.py fetch_mail --maildir /var/mail/foi
    python manage.py fetch_mail --eml reply.eml other.eml

Files read from a reply are queued for the Celery worker (run with
CELERY_TASK_ALWAYS_EAGER=1 to read them in this process).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from responses_app.models import InboundMessage
from responses_app.services import mailboxes
from responses_app.services.inbound import receive_message
from responses_app.tasks import queue_reading


class Command(BaseCommand):
    help = "Fetch replies once (IMAP_URL, MAILDIR_PATH, --maildir PATH or --eml FILE...)."

    def add_arguments(self, parser):
        parser.add_argument("--maildir", metavar="PATH", help="read this Maildir instead")
        parser.add_argument("--eml", nargs="+", metavar="FILE", help="receive these .eml files")

    def handle(self, *args, maildir=None, eml=None, **options):
        if eml:
            self._files(eml)
            return
        if maildir:
            try:
                results = [mailboxes.poll_maildir(maildir, dispatch=queue_reading)]
            except mailboxes.MailboxError as exc:
                raise CommandError(str(exc)) from exc
        elif settings.IMAP_URL or settings.MAILDIR_PATH:
            results = mailboxes.poll_configured(dispatch=queue_reading)
        else:
            raise CommandError(
                "No mailbox is configured: set IMAP_URL or MAILDIR_PATH, "
                "or give --maildir PATH or --eml FILE."
            )
        for result in results:
            self.stdout.write(str(result))
        failed = [e for r in results for e in r.errors]
        if failed and not any(r.fetched for r in results):
            raise CommandError(failed[0])

    def _files(self, paths: list[str]) -> None:
        for name in paths:
            path = Path(name)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
            receipt = receive_message(
                raw, source=InboundMessage.Source.FILE, dispatch=queue_reading
            )
            message = receipt.message
            if receipt.duplicate:
                outcome = "duplicate (already received)"
            elif message.request_id:
                outcome = f"matched to {message.request.reference} ({message.match_detail})"
            else:
                outcome = "held in the holding pen"
            self.stdout.write(f"{path.name}: {message.get_kind_display().lower()}, {outcome}")
